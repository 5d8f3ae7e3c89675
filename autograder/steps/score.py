"""Score: each grade cell's points by nbgrader's own rule (`determine_grade`), hand grades kept.

A test cell that ran without error (and was not marked wrong outside the kernel) earns its
points; a hand-graded cell gets no automatic score and waits for the lecturer. A grade
entered by hand in formgrader wins over the automatic one in the feedback the student sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class GradeRecord:
    notebook: str
    name: str
    auto_score: float | None
    max_score: float
    needs_manual_grade: bool


@dataclass
class Scored:
    grades: list[GradeRecord] = field(default_factory=list)  # for the gradebook
    shown: dict[str, tuple[float, float]] = field(default_factory=dict)  # grade id -> (score, max) in feedback
    comments: dict[str, str | None] = field(default_factory=dict)  # grade id -> comment in feedback
    auto_comments: dict[str, str | None] = field(default_factory=dict)  # grade id -> automatic comment


def score(nb, notebook: str, hand_grades: dict[str, dict[str, Any]],
          hand_comments: dict[str, str]) -> Scored:
    """Scores of one executed and marked notebook; `hand_grades` and `hand_comments` are the
    gradebook's, by "notebook/grade id"."""
    from nbgrader.utils import compute_checksum, determine_grade

    out = Scored()
    for cell in nb.cells:
        nbg = cell.metadata.get("nbgrader", {})
        gid = nbg.get("grade_id")
        if not gid:
            continue
        if nbg.get("solution"):
            unchanged = nbg.get("checksum") == compute_checksum(cell)
            out.comments[gid] = out.auto_comments[gid] = "No response." if unchanged else None
        if nbg.get("grade"):
            auto, points = determine_grade(cell)
            out.grades.append(GradeRecord(notebook, gid, auto, points, auto is None))
            hand = hand_grades.get(f"{notebook}/{gid}", {})
            shown = hand.get("manual_score") if hand.get("manual_score") is not None else (auto or 0)
            out.shown[gid] = (shown + (hand.get("extra_credit") or 0), points)
        if f"{notebook}/{gid}" in hand_comments:
            out.comments[gid] = hand_comments[f"{notebook}/{gid}"]
    return out
