"""Totals per student and assignment for the whole course, one table for an LMS gradebook
(OUT/lms_grades.csv, the `grades` command): one row per student, one column per assignment,
and their total."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from exercises import spreadsheet

FILE = "lms_grades.csv"


def table(submissions: pd.DataFrame) -> pd.DataFrame:
    """Rows (student_id, assignment, score), one per submission -> one row per student, a
    column per assignment and "total"."""
    wide = submissions.pivot_table(index="student_id", columns="assignment", values="score", aggfunc="sum")
    wide["total"] = wide.sum(axis=1)
    return wide.round(4).reset_index()


def export(db_url: str, out: Path) -> Path:
    """OUT/lms_grades.csv from the gradebook at `db_url`."""
    # Imported here: the report's package imports this module, and reads the gradebook in one place.
    from autograder.steps.report.data import course_totals

    path = out / FILE
    spreadsheet.inert_frame(table(course_totals(db_url))).to_csv(path, index=False)
    return path
