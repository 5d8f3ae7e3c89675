"""Intake as a step (autograder/steps/intake.py): what it leaves on the submission for the
notebook steps, and what it says in the status."""

from __future__ import annotations

import nbformat
from step_support import NAME, notebooks, submission

from autograder.settings import GradingSettings
from autograder.steps import intake

NB = nbformat.writes(notebooks()[0]).encode("utf-8")


def test_the_notebook_and_the_students_files_are_left_for_the_notebook_steps():
    sub = submission({f"{NAME}.ipynb": NB, "mine.py": b"x = 1", "variant.json": b"{}",
                      "timestamp.txt": b"2026-03-01 10:00:00 UTC"})
    intake.run(sub)
    assert list(sub.notebooks) == [NAME] and sub.notebooks[NAME].cells[1].source == 'q1 = "?"'
    assert sub.files == {"mine.py": b"x = 1"}  # the grader's own files are never the student's
    assert sub.result.problems == [] and sub.result.notes == []
    assert sub.result.timestamp == "2026-03-01T10:00:00"  # nbgrader keeps UTC naive


def test_what_is_wrong_goes_into_the_status_and_a_missing_notebook_is_none():
    sub = submission({"other.ipynb": b"{", "notes.txt": b"x"}, in_place=False)
    intake.run(sub)
    assert sub.notebooks == {NAME: None}
    assert sub.result.problems == [f"missing notebook {NAME}.ipynb (found other.ipynb)"]
    assert sub.result.notes == ["extra files not used: other.ipynb"]
    assert sub.result.timestamp is None


def test_the_courses_ignore_globs_apply():
    files = {f"{NAME}.ipynb": NB, "cache/x.pyc": b"x", "mine.py": b"x"}
    sub = submission(files, settings=GradingSettings(ignore=("*.pyc",)))
    intake.run(sub)
    assert sub.files == {"mine.py": b"x"}


def test_the_assignments_own_files_win_unless_the_course_leaves_them_to_the_student():
    files = {f"{NAME}.ipynb": NB, "data.csv": b"changed"}
    sub = submission(files, provided={"data.csv": b"given"})
    intake.run(sub)
    assert sub.files == {} and sub.provided == {"data.csv": b"given"}
    assert sub.result.notes == ["data.csv: the assignment's own used, not the student's changed copy"]

    left = GradingSettings(exclude_overwriting=((NAME, ("./data.csv",)),))
    sub = submission(files, provided={"data.csv": b"given"}, settings=left)
    intake.run(sub)
    assert sub.provided == {} and sub.files == {"data.csv": b"changed"} and sub.result.notes == []
