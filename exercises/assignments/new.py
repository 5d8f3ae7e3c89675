"""A new graded assignment from the bank: ``python -m exercises assignment NAME --select ...``.

Writes ``exercises/assignments/NAME.md``, the text source a lecturer can then edit (reorder
the questions, change the points, add narrative), and builds it into nbgrader's source
layout (``exercises.assignments.SOURCE_DIR/NAME/``), so a lecturer sees what it makes at
once; ``python -m autograder release NAME`` builds it again from the source whenever asked.
The questions are the bank's graded items that match the selection, in the module's order;
with ``--count`` a seeded sample of them, so the same command gives the same assignment.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from exercises.assignments import ASSIGNMENTS_DIR, SOURCE_DIR
from exercises.assignments.build import write_source
from exercises.graded import kinds
from exercises.sections import PAGES
from exercises.select import SelectError, sample

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")

HOW_TO_ANSWER = """\
**How to answer.** Each answer is one short value that you edit in a grey cell: a letter
between quotes (`"A"` to `"D"`), a list of provisions between square brackets, each between
quotes and separated by commas (`["…", "…"]`: write each provision as you would cite it in an
essay, article, paragraph and sub-paragraph), or a number. Then run the cell (Shift + Enter).
The line it prints tells you whether your answer is *written* in a form the grader can read.
It does not tell you whether it is right: that is decided after you hand in the notebook. A
written answer goes in the cell below its question.

**Where your work is kept.** On the course site, your answers are saved in this browser
on this computer only: another browser or computer does not have them, and clearing the
browser's data deletes them. To keep a copy, click **Download to hand in** at the top left:
the notebook goes to your Downloads folder; do it whenever you stop for the day. In Jupyter
on your own computer, your answers are kept in this notebook's file on that computer
(*File › Save*)."""
# No real provision as an example: an example could be the answer to one of the questions.


class NewAssignmentError(ValueError):
    """What stops the assignment being written, and how to change the command."""


def choose(items, count: int | None = None, seed: str = "0"):
    """(the questions, in the module's order; the items left out, each with why)."""
    usable, left_out = [], []
    for item in items:
        if item.use != "graded":
            left_out.append((item, "a self-check item (it is on the public site)"))
        elif item.case is not None:
            left_out.append((item, "asks about the facts of a case, which a new assignment does not have"))
        elif item.type not in kinds.BY_TYPE:
            left_out.append((item, f"a {item.type} item cannot be answered with one value in a notebook"))
        else:
            usable.append(item)
    if count is not None:
        try:
            usable = sample(usable, count, seed)
        except SelectError as e:
            raise NewAssignmentError(str(e)) from None
    order = list(PAGES)
    usable.sort(key=lambda i: (order.index(i.section.page) if i.section.page in order else len(order), i.id))
    return usable, left_out


def points(item) -> float:
    """What a question is worth in a new assignment: an essay its rubric, any other one point."""
    return kinds.question(item).default_points()


def source_text(title: str, chosen) -> str:
    """The MyST text source: front matter, instructions, a setup cell, one marker per question."""
    notes = sorted({i.content_note for i in chosen if i.content_note})
    lines = ["---", "jupytext:", "  text_representation:", "    extension: .md", "    format_name: myst",
             "kernelspec:", "  display_name: Python 3", "  language: python", "  name: python3",
             "assignment:", f"  title: {json.dumps(title)}", "---", "", f"# {title}", ""]
    if notes:
        lines += ["*Content note: some questions describe what survivors of trafficking went through; "
                  "take a break whenever you need one.*", ""]
    lines += [HOW_TO_ANSWER, "", "```{code-cell} ipython3", ":tags: [setup]",
              "from course_tools import check, show", "```", "",
              'You can read any provision with `show`, for example `show("6(3)")`.', ""]
    for item in chosen:
        lines += [f'+++ {{"item": "{item.id}", "points": {points(item):g}}}', f"(question from the bank: {item.id})", ""]
    return "\n".join(lines)


def create(name: str, title: str, items, *, count: int | None = None, seed: str = "0",
           assignments_dir: Path | None = None, source_dir: Path | None = None, force: bool = False):
    """Write the source and build it; returns (the .md path, the files built, the chosen
    items, the items left out with why)."""
    if not NAME.match(name):
        raise NewAssignmentError(f"{name!r} cannot name an assignment: use lower-case letters, digits and "
                                 "hyphens, starting with a letter or digit (it names its folder and notebook)")
    md = Path(assignments_dir or ASSIGNMENTS_DIR) / f"{name}.md"
    if md.exists() and not force:
        raise NewAssignmentError(f"{md} exists; choose another name, or add --force to replace it")
    chosen, left_out = choose(items, count, seed)
    if not chosen:
        why = "; ".join(sorted({w for _, w in left_out})) or "no item matches the selection"
        raise NewAssignmentError(f"no graded question can go in a notebook from this selection ({why}); "
                                 "widen --select (python -m exercises coverage lists what the bank holds)")
    before = md.read_bytes() if md.exists() else None
    md.write_text(source_text(title, chosen), encoding="utf-8")
    try:
        written = write_source(md, source_dir or SOURCE_DIR)
    except Exception:  # leave no source behind that the next build would trip on
        md.write_bytes(before) if before is not None else md.unlink()
        raise
    return md, written, chosen, left_out
