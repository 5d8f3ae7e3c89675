"""The course's gradebook (nbgrader's, any SQLAlchemy URL): merge results, keep hand grades.

Only the parent process writes here, one result at a time, so SQLite is safe. Autograde
scores are replaced on every run; a grade entered by hand (`manual_score`, in formgrader or
through nbgrader's API) is never touched, and neither is whether it still needs review.
"""

from __future__ import annotations

from typing import Any

from nbgrader.api import Gradebook, MissingEntry

from autograder.worker import GradingResult

COLUMNS = ["student_id", "assignment", "score", "max_score", "auto_score", "auto_max_score",
           "hand_score", "hand_max_score", "status", "timestamp", "sandbox"]


def all_hand_grades(db_url: str, assignment: str) -> dict[str, tuple[dict, dict]]:
    """hand_grades for every student at once: one gradebook session, not one per student."""
    out: dict[str, tuple[dict, dict]] = {}
    with Gradebook(db_url) as gb:
        try:
            subs = gb.assignment_submissions(assignment)
        except MissingEntry:
            return out
        for sub in subs:
            grades: dict[str, dict[str, Any]] = {}
            comments: dict[str, str] = {}
            for nb in sub.notebooks:
                for g in nb.grades:
                    if g.manual_score is not None or g.extra_credit is not None:
                        grades[f"{nb.name}/{g.name}"] = {"manual_score": g.manual_score,
                                                         "extra_credit": g.extra_credit}
                for c in nb.comments:
                    if c.manual_comment:
                        comments[f"{nb.name}/{c.name}"] = c.manual_comment
            out[sub.student.id] = (grades, comments)
    return out


def _merge(gb: Gradebook, result: GradingResult) -> None:
    import warnings

    with warnings.catch_warnings():
        # nbgrader's own SQLAlchemy use warns on every new submission; not ours to fix here.
        warnings.filterwarnings("ignore", message=".*not in session.*")
        _merge_result(gb, result)


def _merge_result(gb: Gradebook, result: GradingResult) -> None:
    # Every submission gets its row, even one that could not be read: it scores zero.
    gb.update_or_create_student(result.student_id)
    kwargs = {"timestamp": result.timestamp} if result.timestamp else {}
    gb.update_or_create_submission(result.assignment, result.student_id, **kwargs)
    for rec in result.grades:
        try:
            grade = gb.find_grade(rec.name, rec.notebook, result.assignment, result.student_id)
        except MissingEntry:
            continue
        grade.auto_score = rec.auto_score
        if grade.manual_score is None:
            grade.needs_manual_grade = rec.needs_manual_grade
    for key, auto_comment in result.comments.items():
        nb, name = key.split("/", 1)
        try:
            gb.find_comment(name, nb, result.assignment, result.student_id).auto_comment = auto_comment
        except MissingEntry:
            continue
    gb.db.commit()


class Merger:
    """The gradebook held open for a whole run: results merge as they arrive."""

    def __init__(self, db_url: str, assignment: str) -> None:
        self.db_url, self.assignment = db_url, assignment

    def __enter__(self) -> "Merger":
        self.gb = Gradebook(self.db_url)
        return self

    def merge(self, result: GradingResult) -> None:
        _merge(self.gb, result)

    def __exit__(self, *exc) -> None:
        self.gb.close()


def _hand_cells(gb: Gradebook, assignment: str) -> set[tuple[str, str]]:
    """(notebook, grade_id) of answers marked by hand: grade cells that are also solution cells."""
    out = set()
    for nb in gb.find_assignment(assignment).notebooks:
        solutions = {c.name for c in nb.solution_cells}
        out |= {(nb.name, c.name) for c in nb.grade_cells if c.name in solutions}
    return out


def status_from_gradebook(gb: Gradebook, sub) -> str:
    pending = sorted(g.name for nb in sub.notebooks for g in nb.grades if g.needs_manual_grade)
    return f"needs hand grading: {', '.join(pending)}" if pending else "graded"


def rows(db_url: str, assignment: str, notes: dict[str, list[str]] | None = None,
         errors: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One row per student who has a submission of `assignment`, as grades.csv has them."""
    notes, errors = notes or {}, errors or {}
    out = []
    with Gradebook(db_url) as gb:
        hand = _hand_cells(gb, assignment)
        for sub in sorted(gb.assignment_submissions(assignment), key=lambda s: s.student.id):
            sid = sub.student.id
            auto = auto_max = hand_score = hand_max = 0.0
            hand_done = True
            for nb in sub.notebooks:
                for g in nb.grades:
                    if (nb.name, g.name) in hand:
                        hand_max += g.max_score
                        if g.manual_score is None:
                            hand_done = hand_done and not g.needs_manual_grade
                            hand_score += g.auto_score or 0
                        else:
                            hand_score += g.manual_score
                    else:
                        auto_max += g.max_score
                        auto += g.auto_score or 0
            # What went wrong first; then what is still to do by hand; then notes.
            base = status_from_gradebook(gb, sub)
            parts = [errors[sid]] if errors.get(sid) else []
            if not parts or base != "graded":
                parts.append(base)
            status = "; ".join([*parts, *notes.get(sid, [])])
            out.append({
                "student_id": sid, "assignment": assignment,
                "score": round(sub.score, 4), "max_score": round(sub.max_score, 4),
                "auto_score": round(auto, 4), "auto_max_score": round(auto_max, 4),
                "hand_score": round(hand_score, 4) if hand_done else "",
                "hand_max_score": round(hand_max, 4), "status": status,
                "timestamp": sub.timestamp.isoformat() if sub.timestamp else "",
            })
    return out
