"""Score: each grade cell's points by nbgrader's own rule (`determine_grade`), hand grades kept.

A test cell that ran without error (and was not marked wrong outside the kernel) earns its
points, or the number it evaluates to (partial credit); an answer graded by hand scores zero
if it is unchanged from the release and otherwise waits for the lecturer, and so does every
task cell (nbgrader never scores those itself). A grade entered by hand in formgrader wins
over the automatic one in the feedback the student sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from autograder.job import GradeRecord

if TYPE_CHECKING:
    from autograder.steps import NotebookWork




@dataclass
class Scored:
    grades: list[GradeRecord] = field(default_factory=list)  # for the gradebook
    shown: dict[str, tuple[float, float]] = field(default_factory=dict)  # grade id -> (score, max) in feedback
    comments: dict[str, str | None] = field(default_factory=dict)  # grade id -> comment in feedback
    auto_comments: dict[str, str | None] = field(default_factory=dict)  # grade id -> automatic comment


def run(work: NotebookWork) -> None:
    """The step: the course's ignored stderr dropped, then each grade cell scored; the grades
    and automatic comments go into the result, the scores shown for the feedback on `work`."""
    job, name = work.job, work.name
    drop_ignored_stderr(work.notebook, work.settings.ignore_pattern)
    scored = score(work.notebook, name, job.hand_grades, job.hand_comments)
    work.result.grades += scored.grades + not_found(work.assignment.released[name], work.notebook, name)
    work.result.comments.update({f"{name}/{gid}": c for gid, c in scored.auto_comments.items()})
    work.scored = scored


def score(nb, notebook: str, hand_grades: dict[str, dict[str, Any]],
          hand_comments: dict[str, str]) -> Scored:
    """Scores of one executed and marked notebook; `hand_grades` and `hand_comments` are the
    gradebook's, by "notebook/grade id"."""
    from nbgrader.utils import compute_checksum, determine_grade

    from exercises.graded.metadata import read

    out = Scored()
    unanswered: set[str] = set()  # grade ids of answers left as released
    for cell in nb.cells:
        nbg = cell.metadata.get("nbgrader", {})
        gid = nbg.get("grade_id")
        if not gid:
            continue
        if nbg.get("solution"):
            unchanged = nbg.get("checksum") == compute_checksum(cell)
            out.comments[gid] = out.auto_comments[gid] = "No response." if unchanged else None
            if unchanged:
                unanswered.add(gid)
        criterion = read.criterion(cell)
        if nbg.get("grade") or nbg.get("task"):
            # A task cell: no automatic score, waiting for the lecturer (nbgrader's SaveAutoGrades
            # leaves its grade as created, needing a manual grade). The kit's criterion of a
            # hand-marked answer left blank scores zero, as the blank answer does; and its
            # answer cell, worth 0 points (the criteria carry them), has nothing to mark.
            auto, points = determine_grade(cell) if nbg.get("grade") else (None, float(nbg["points"]))
            if criterion is not None and criterion.question in unanswered:
                auto = 0.0
                out.comments[gid] = out.auto_comments[gid] = "No response."
            elif auto is None and points == 0 and read.rubric_answer(cell):
                auto = 0.0
            out.grades.append(GradeRecord(notebook, gid, auto, points, auto is None))
            hand = hand_grades.get(f"{notebook}/{gid}", {})
            manual = hand.get("manual_score")
            shown = manual if manual is not None else (auto or 0)
            out.shown[gid] = (shown + (hand.get("extra_credit") or 0), points)
        if f"{notebook}/{gid}" in hand_comments:
            out.comments[gid] = hand_comments[f"{notebook}/{gid}"]
    return out


def waiting(scored: Scored, notebook: str, hand_grades: dict[str, dict[str, Any]]) -> set[str]:
    """Grade ids still waiting for the lecturer: no automatic score and no hand grade yet."""
    return {g.name for g in scored.grades
            if g.needs_manual_grade and hand_grades.get(f"{notebook}/{g.name}", {}).get("manual_score") is None}


def drop_ignored_stderr(nb, pattern: str) -> None:
    """nbgrader's IgnorePattern, run before scoring: stderr output matching the course's
    pattern is dropped, so a harmless warning does not fail a test cell."""
    import re

    if not pattern:
        return
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if not (
                o.get("output_type") == "stream" and o.get("name") == "stderr" and re.search(pattern, o.get("text", "")))]


def not_found(released, graded, notebook: str) -> list[GradeRecord]:
    """Grade and task cells of the released notebook that are not in the graded one (deleted,
    and not put back): no score, waiting for the lecturer, as nbgrader leaves a grade it finds
    no cell for."""
    present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in graded.cells}
    return [GradeRecord(notebook, nbg["grade_id"], None, float(nbg["points"]), True)
            for nbg in (c.metadata.get("nbgrader", {}) for c in released.cells)
            if (nbg.get("grade") or nbg.get("task")) and nbg.get("grade_id") not in present]
