"""Marking outside the student's kernel.

nbgrader runs its hidden tests in the kernel that has just run the student's code, and
scores a test cell by the absence of an error. Code in that kernel can make every test
pass without a right answer: an answer whose ``==`` is always true, a patched helper, a
silenced traceback, an input transformer that empties the cells after it. And the key
must be in the kernel for the test to compare against.

So for the test cells the build marked with their bank item, the kernel runs only the
public format check and then reports the answer, as data (a display output of type
``MIMETYPE``). The grader compares that data with the key (``exercises.assignments.key``)
in its own process: it reads both with the student module's own ``normalise`` and compares
them as their kind of answer says (``exercises/graded/kinds.py``). Whatever the kernel reports is
only ever a claimed answer: it earns the points only if it is the right one. Marking denies
by default: a test cell that reports nothing, or more than one answer, scores zero.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbformat import NotebookNode

from exercises.graded.kinds import kind
from exercises.graded.marking import ALL_OR_NOTHING

if TYPE_CHECKING:
    from autograder.steps import NotebookWork

MIMETYPE = "application/vnd.course.answer+json"
BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
WRONG = "AnswerNotRight"
NO_ANSWER = "NoAnswerReported"


def ask(work: NotebookWork) -> None:
    """The step before the notebook runs: each keyed test cell asks the kernel for the answer
    instead of running its hidden tests (the sources are kept for `run`)."""
    work.originals = prepare(work.notebook, work.key)


def run(work: NotebookWork) -> None:
    """The step after the notebook ran: each reported answer marked against the key; the
    incidents go into the status, each answer as marked into the lecturer's report."""
    given: dict[str, dict] = {}
    key = work.key
    work.result.problems += mark(work.notebook, key, work.originals, work.assignment.normalise if key else None,
                                 given)
    work.result.answers.update({f"{work.name}/{q}": v for q, v in given.items()})


def _reporter(question: str) -> list[str]:
    return ["from IPython.display import display as _report_answer",
            f'_report_answer({{"{MIMETYPE}": {{"question": "{question}", "value": {question}}}}}, raw=True)']


def reporting_source(source: str, question: str) -> str:
    """The test cell as the kernel runs it: its public lines, and the report of the answer
    where the hidden tests were."""
    lines = source.split("\n")
    out: list[str] = []
    hidden = False
    for line in lines:
        if line.strip() == BEGIN:
            hidden = True
            out += _reporter(question)
        elif line.strip() == END:
            hidden = False
        elif not hidden:
            out.append(line)
    if not any(line.strip() == BEGIN for line in lines):
        out += _reporter(question)
    return "\n".join(out)


def prepare(nb: NotebookNode, key: dict[str, dict]) -> dict[int, str]:
    """Swap the hidden tests of keyed cells for the report; returns the original sources by
    cell index, to put back once the notebook has run (the lecturer's copy keeps them)."""
    originals: dict[int, str] = {}
    for index, cell in enumerate(nb.cells):
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and gid in key:
            originals[index] = cell.source
            cell.source = reporting_source(cell.source, key[gid]["question"])
    return originals


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _readable(question: str, value: Any, normalise) -> Any:
    """The answer as it is marked (a letter, canonical ids, a number), or None if unreadable."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its "answer readable" is for the student
            return normalise(question, value)
    except Exception:
        return None


def _credit(entry: dict, given: Any, right: Any) -> float:
    """The share of the points (0 to 1) an answer as marked (see _readable) earns against the
    key, as its kind of answer and the question's marking say (exercises/graded/marking.py)."""
    # A key worked out before answers could earn a share has no marking: all or nothing.
    return kind(entry["kind"]).credit(given, right, entry.get("tolerance"), entry.get("marking", ALL_OR_NOTHING))


def credit(entry: dict, value: Any, normalise: Callable[[str, Any], Any]) -> float:
    """The reported value against the key, read the way the student's own check reads it."""
    q = entry["question"]
    return _credit(entry, _readable(q, value, normalise), _readable(q, entry["answer"], normalise))


def _points(question: str, share: float, max_points: float) -> list[NotebookNode]:
    """A partly right answer's points: a line for the student's feedback, then the number as
    nbgrader's determine_grade reads it (the test cell's execute_result, between 0 and the
    cell's points)."""
    points = round(share * max_points, 6)
    said = f"{question}: partly right, {points:g} of {max_points:g} points"
    return [NotebookNode(output_type="display_data", metadata={}, data={"text/plain": said}),
            NotebookNode(output_type="execute_result", execution_count=None, metadata={},
                         data={"text/plain": repr(points)})]


def mark(nb: NotebookNode, key: dict[str, dict], originals: dict[int, str],
         normalise: Callable[[str, Any], Any] | None, given: dict[str, dict] | None = None) -> list[str]:
    """Score each keyed test cell by its report: a wrong answer or no answer becomes an error
    output, which nbgrader's `determine_grade` scores zero. Returns the incidents; fills
    `given` (question -> answer as marked, the key, right or not) for the lecturer's report.
    `normalise` is None only without a key: then there is nothing to read."""
    incidents: list[str] = []
    given = {} if given is None else given
    for index, cell in enumerate(nb.cells):  # a report outside a test cell is a forgery: dropped
        if index not in originals and cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if MIMETYPE not in o.get("data", {})]
    for index, source in originals.items():
        cell = nb.cells[index]
        gid = cell.metadata["nbgrader"]["grade_id"]
        entry = key[gid]
        reports = [o for o in cell.get("outputs", []) if MIMETYPE in o.get("data", {})]
        # nbgrader's determine_grade takes a test cell's first execute_result as its score (a
        # number, or else full marks): none may stand, so the verdict alone decides.
        cell.outputs = [o for o in cell.get("outputs", [])
                        if MIMETYPE not in o.get("data", {}) and o.get("output_type") != "execute_result"]
        cell.source = source
        q = entry["question"]
        given[q] = {"answer": None, "key": _readable(q, entry["answer"], normalise), "right": False}
        if any(o.get("output_type") == "error" for o in cell.outputs):
            continue  # the format check failed, or the cell could not run: zero already
        values = [r["data"][MIMETYPE] for r in reports]
        claimed = [v.get("value") for v in values if isinstance(v, dict) and v.get("question") == entry["question"]]
        if len(reports) != 1 or len(claimed) != 1:
            what = ("no answer" if not reports else f"{len(reports)} answers" if len(reports) > 1
                    else "an answer to another question")
            incidents.append(f"test cell {gid} reported {what}: scored zero")
            cell.outputs.append(_error(NO_ANSWER, f"{entry['question']}: the answer could not be read"))
            continue
        answer = _readable(q, claimed[0], normalise)
        share = _credit(entry, answer, given[q]["key"])
        right = share == 1.0
        given[q].update(answer=answer, right=right)
        if share <= 0:
            cell.outputs.append(_error(WRONG, f"{entry['question']}: not the right answer"))
        elif not right:
            cell.outputs += _points(q, share, float(cell.metadata["nbgrader"]["points"]))
        if entry.get("explain"):
            cell.outputs.append(_explained(entry, answer, right))
    return incidents


def _explained(entry: dict, answer: Any, right: bool) -> NotebookNode:
    """The bank's feedback on this answer (as marked) and the module passage, for the student's
    feedback page."""
    import html

    e = entry["explain"]
    said = e.get("by_answer", {}).get(answer) if isinstance(answer, str) else None
    said = said or (e.get("right") if right else e.get("wrong"))
    module = e.get("module") or {}
    parts = [f"<p><strong>On your answer:</strong> {html.escape(said)}</p>"] if said else []
    if module.get("heading"):
        quote = f": &ldquo;{html.escape(module['quote'])}&rdquo;" if module.get("quote") else ""
        parts.append(f"<p>The module, <em>{html.escape(module['heading'])}</em>{quote}</p>")
    text = f"On your answer: {said}" if said else ""
    return NotebookNode(output_type="display_data", metadata={},
                        data={"text/html": f'<div class="course-explanation">{"".join(parts)}</div>',
                              "text/plain": text})


def course_normaliser(data: Path) -> Callable[[str, Any], Any]:
    """`normalise` of the student module (exercises/graded/course_tools.py, the file released
    beside every notebook) on the assignment's data (its assignment.json), so an answer is
    read exactly as the student's check reads it."""
    from exercises.graded.course_tools import Assignment

    return Assignment.read(data).normalise
