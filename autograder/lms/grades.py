"""Grades back into the LMS's own gradebook, in the file its import reads.

The lecturer downloads the file from the LMS (Moodle: the assignment's grading worksheet;
Canvas: the gradebook export); the kit fills in the grades of the students it graded and
leaves everything else as the LMS wrote it, so the upload changes those grades and nothing
more. Students still waiting for a hand grade are left blank, and said so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from autograder.lms import canvas, moodle
from autograder.lms.feedback import LMS_REFS


@dataclass
class Returned:
    path: Path
    filled: list[str] = field(default_factory=list)  # students whose grade was written
    absent: list[str] = field(default_factory=list)  # graded here, not in the LMS's file
    pending: list[str] = field(default_factory=list)  # waiting for a hand grade: left blank


def _ready(rows: list[dict]) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """student id -> (score, max score) for those whose every grade is in; and the others."""
    ready, pending = {}, []
    for r in rows:
        if r["hand_score"] == "" and float(r["hand_max_score"] or 0) > 0:
            pending.append(r["student_id"])
        else:
            ready[r["student_id"]] = (float(r["score"]), float(r["max_score"]))
    return ready, sorted(pending)


def _lms_ids(out: Path, assignment: str, lms: str) -> dict[str, str]:
    path = out / "lms" / assignment / LMS_REFS
    refs = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {sid: ref["id"] for sid, ref in refs.items() if ref.get("lms") == lms}


def comment(score: float, max_score: float) -> str:
    return (f"{score:g} of {max_score:g} points, marked by the course's grader. "
            "Your feedback page explains each question.")


def moodle_worksheet(out: Path, assignment: str, rows: list[dict], worksheet: Path) -> Returned:
    ready, pending = _ready(rows)
    text, absent = moodle.fill_worksheet(worksheet, ready, _lms_ids(out, assignment, "moodle"),
                                         {sid: comment(*g) for sid, g in ready.items()})
    path = out / "lms" / assignment / "moodle-grading-worksheet.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Returned(path, sorted(set(ready) - set(absent)), absent, pending)


def canvas_gradebook(out: Path, assignment: str, rows: list[dict], gradebook: Path, column: str) -> Returned:
    ready, pending = _ready(rows)
    text, absent = canvas.fill_gradebook(gradebook, column, ready, _lms_ids(out, assignment, "canvas"))
    path = out / "lms" / assignment / "canvas-gradebook.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Returned(path, sorted(set(ready) - set(absent)), absent, pending)
