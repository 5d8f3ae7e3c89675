"""Restore as a step (autograder/steps/restore.py): the notebook the later steps grade is the
one rebuilt from the assignment, and what was put back is in the status."""

from __future__ import annotations

from nbformat.v4 import new_output
from step_support import HIDDEN, answered, cell, work

from autograder.settings import GradingSettings
from autograder.steps import restore


def test_the_graded_notebook_replaces_the_students_with_the_tests_put_back():
    nb = answered()
    cell(nb, "q1_test").source = "pass"  # a test made to pass
    cell(nb, "q1").outputs = [new_output("stream", name="stdout", text="saved by the student")]
    w = work(nb)
    restore.run(w)
    assert w.notebook is not nb
    assert HIDDEN in cell(w.notebook, "q1_test").source  # the gradebook's copy, hidden tests and all
    assert cell(w.notebook, "q1").source == 'q1 = "A"' and cell(w.notebook, "q1").outputs == []
    assert w.result.problems == ["test cell q1_test was changed: restored"]


def test_deleted_cells_follow_the_courses_add_missing_cells():
    nb = answered()
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "q1_test"]
    w = work(nb)
    restore.run(w)
    assert w.result.problems == ["test cell q1_test deleted: restored"]
    assert cell(w.notebook, "q1_test") is not None

    w = work(nb, settings=GradingSettings(add_missing_cells=False))
    restore.run(w)
    assert w.result.problems == ["test cell q1_test deleted: waits for hand grading (add_missing_cells is off)"]
    assert "q1_test" not in [c.metadata.get("nbgrader", {}).get("grade_id") for c in w.notebook.cells]
