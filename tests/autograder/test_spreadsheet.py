"""CSV cells a spreadsheet would run as a formula are written as text, and read back as they
were (exercises/spreadsheet.py)."""

from __future__ import annotations

import csv
import shutil

import pytest

from autograder import config, course, grading, submissions
from autograder.steps import report
from exercises import spreadsheet

FORMULA = '=HYPERLINK("example.org","click")'  # a folder name: no slash


@pytest.mark.parametrize("value, written", [
    (FORMULA, "'" + FORMULA), ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"),
    ("-2+3", "'-2+3"), ("\t=1", "'\t=1"),
    ("-12.5", "-12.5"), ("+3", "+3"), ("1e-3", "1e-3"), ("graded", "graded"), ("s-042", "s-042"), ("", ""), (3.5, 3.5), ("-", "-"),
])
def test_a_would_be_formula_is_written_as_text_and_read_back_as_it_was(value, written):
    assert spreadsheet.inert(value) == written
    assert spreadsheet.plain(spreadsheet.inert(value)) == value


def test_a_student_id_that_is_a_formula_stays_text_in_every_table_the_lecturer_opens(tmp_path):
    assignment = "protection"
    settings = config.settings()
    course.release(assignment, tmp_path / "released", settings=settings)
    shutil.copytree(tmp_path / "released" / assignment, tmp_path / "submitted" / FORMULA / assignment)
    out = tmp_path / "out"
    for _ in range(2):  # a second run reads the table back: one row, the same id
        grading.grade(assignment, submissions.find(tmp_path / "submitted", assignment), out, jobs=1,
                      settings=settings, progress=False)
    for name in ("grades.csv", "answers.csv"):
        with open(out / name, newline="", encoding="utf-8") as f:
            ids = [r["student_id"] for r in csv.DictReader(f)]
        assert ids and set(ids) == {"'" + FORMULA}, (name, ids)
    assert list(report.statuses(out, assignment)["student_id"]) in ([], [FORMULA])
    assert set(report.given_answers(out, assignment)["student_id"]) == {FORMULA}
