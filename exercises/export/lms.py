"""What goes into an LMS file, and in which form.

An LMS grades a short answer by comparing one string at a time: it can accept "any one of
these spellings", never "all of these provisions and nothing else". So:

- a citation item whose answer is several provisions, all required (``answer_mode: all``,
  the default, which is what the graded notebooks compare) becomes a multiple-select question
  over provisions: its provisions are the right options, neighbouring provisions of the same
  article are the distractors. Moodle and Canvas then mark it as the notebooks do
  (``exercises/graded/marking.py``, ``marking: partial``, the default): each right option earns
  an equal share, each wrong one costs the same share, never below zero; a partial answer never
  scores 100%. The stem gains one line saying to select every provision. An item marked
  ``all-or-nothing`` (a citation list or a multiple-select item) is left out: no LMS
  multiple-select question marks that way, so it is graded in the notebooks only.
- a citation item with one answer, or with ``answer_mode: any``, stays a short answer that
  accepts the common spellings of any of its provisions;
- graded items whose facts differ per student (``case: answer:`` in their YAML, ``Item.per_student``:
  "read the facts of your case") are left out: an LMS question has one set of facts and one key.
  They are graded in the nbgrader notebooks, where each student's facts and key are known;
- GIFT carries no points (Moodle's GIFT importer gives every question its default mark, 1), so
  items worth more than 1 point (the essays, marked on their rubric) are left out of GIFT files
  rather than imported at the wrong weight: Moodle XML carries their points and rubric.

GIFT and QTI have no ordering question, nor has Moodle before 4.4: there an ordering item
becomes a matching of each step to its position (`as_pairs`), which grades each step the same way.
"""

from __future__ import annotations

import dataclasses

import protocol
from exercises.export.numbers import number
from exercises.graded.marking import ALL_OR_NOTHING
from exercises.items import Item, Option
from exercises.render.selfcheck import unlinked

SELECT_ALL = "Select every provision that answers the question, and no other."
MAX_OPTIONS = 8  # the schema's limit for a multiple-select item


def distractors(answer: tuple[str, ...], count: int = 3) -> list[str]:
    """Provisions near the answer that are not in it: the other points of the same paragraph
    first, then the other paragraphs of the same article, nearest in treaty order first."""
    order = protocol.provision_ids()
    chosen = set(answer)
    parents = {protocol.get(p).parent for p in answer} - {None}
    articles = {protocol.get(p).article for p in answer}
    # A paragraph with lettered points is not offered beside its own points.
    ancestors = {protocol.get(p).parent for p in order if protocol.get(p).parent}
    positions = [order.index(p) for p in answer]

    def distance(pid: str) -> tuple[int, int, int]:
        p = protocol.get(pid)
        near = min(abs(order.index(pid) - i) for i in positions)
        return (0 if p.parent in parents else 1, near, order.index(pid))

    pool = [p for p in order if p not in chosen and protocol.get(p).article in articles
            and not (p in ancestors and p in parents)]
    return sorted(sorted(pool, key=distance)[:count], key=order.index)


def as_multiple_select(item: Item) -> Item:
    """A citation item that needs all of its provisions, as a multiple-select question."""
    room = max(2, min(3, MAX_OPTIONS - len(item.citations)))
    wrong = distractors(item.citations, room)
    order = protocol.provision_ids()
    options = tuple(
        Option(text=f"Article {pid}", correct=pid in item.citations,
               feedback=(f"Article {pid} is one of the provisions asked for." if pid in item.citations
                         else f"Article {pid} is not one of the provisions asked for."))
        for pid in sorted(set(item.citations) | set(wrong), key=order.index))
    return dataclasses.replace(item, type="multiple", options=options, citations=(),
                               stem=f"{item.stem}\n\n{SELECT_ALL}")


def as_pairs(item: Item) -> tuple[list[tuple[str, str]], list[str]]:
    """A matching or ordering item as ([(prompt, answer)], distractors); an ordering item's
    prompts are its steps and the answers their positions, "1", "2", ..."""
    if item.type == "ordering":
        return [(s.text, str(pos)) for pos, s in enumerate(item.steps, start=1)], []
    return [(p.prompt, p.answer) for p in item.pairs], list(item.distractors)


def why_text(item: Item) -> str | None:
    """Why the answer is what it is and the module passage it rests on, as the self-check page
    shows them, for an LMS's general feedback (shown after any answer); None without a why."""
    if not item.feedback_why:
        return None
    text = f"Why: {' '.join(item.feedback_why.split())}\n\nIn the module: {unlinked(item.section).name}"
    return text + (f"\n\n\u201c{item.section.quote}\u201d" if item.section.quote else "")


def pair_feedback(item: Item) -> list[str | None]:
    """The feedback of each pair (or step) of `as_pairs(item)`, in the same order."""
    return [s.feedback for s in item.steps] if item.type == "ordering" else [p.feedback for p in item.pairs]


def category(title: str, page: str) -> str:
    """The Moodle question category of one page's items, the same in GIFT and Moodle XML, so a
    lecturer who imports both files gets one tree: $course$/<title>/<page>. As Moodle writes a
    path (qformat_default::assemble_category_path): "/" is a step down the tree, a slash in a
    name is doubled, and a name that starts or ends with one gets a space there (Moodle trims
    each name as it reads it)."""
    def escaped(name: str) -> str:
        name = name.replace("/", "//")
        return (" " if name.startswith("/") else "") + name + (" " if name.endswith("/") else "")

    return "/".join(["$course$", escaped(title), escaped(page)])


def tags(item: Item) -> list[str]:
    """The tags an item carries into an LMS question bank (Moodle XML and GIFT)."""
    return ([f"provision-{p}" for p in item.provisions]
            + [f"bloom-{item.bloom}", f"use-{item.use}", f"page-{item.section.page}"])


def prepare(items: list[Item], fmt: str | None = None) -> tuple[list[Item], list[tuple[Item, str]]]:
    """(the items as the LMS gets them, [(item left out, why)]); `fmt` adds what that format
    cannot carry ("gift": points)."""
    ready: list[Item] = []
    left_out: list[tuple[Item, str]] = []
    for item in items:
        if item.per_student:
            left_out.append((item, "its facts differ for each student (graded in the nbgrader notebooks only)"))
        elif fmt == "gift" and item.max_points != 1:
            left_out.append((item, f"it is worth {number(item.max_points)} points and GIFT carries no points "
                                   "(Moodle would import it at 1 point): export it with --format moodle"))
        elif item.marking == ALL_OR_NOTHING and (item.needs_all_citations or item.type == "multiple"):
            left_out.append((item, "it is marked all or nothing (marking: all-or-nothing), and an LMS gives a "
                                   "partly right multiple-select answer part of the points: grade it in the "
                                   "notebooks, or write 'marking: partial'"))
        elif item.needs_all_citations:
            ready.append(as_multiple_select(item))
        else:
            ready.append(item)
    return ready, left_out
