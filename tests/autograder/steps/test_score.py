"""Score as a step (autograder/steps/score.py): the grades and automatic comments go into the
result, the course's ignored stderr never fails a test, and the feedback's scores are left on
the work."""

from __future__ import annotations

from nbformat.v4 import new_output
from step_support import NAME, cell, notebooks, work

from autograder.job import GradeRecord
from autograder.settings import GradingSettings
from autograder.steps import restore, score

WARNING = new_output("stream", name="stderr", text="DeprecationWarning: old\n")


def _restored(nb=None, **kwargs):
    w = work(nb, **kwargs)
    restore.run(w)
    return w


def test_grades_comments_and_what_the_feedback_shows():
    w = _restored(hand_grades={f"{NAME}/essay": {"manual_score": 1.5, "extra_credit": None}})
    score.run(w)
    assert w.result.grades == [GradeRecord(NAME, "q1_test", 1.0, 1.0, False),
                               GradeRecord(NAME, "essay", 0.0, 2.0, False)]
    assert w.result.comments == {f"{NAME}/q1": "No response.", f"{NAME}/essay": "No response."}
    assert w.scored.shown == {"q1_test": (1.0, 1.0), "essay": (1.5, 2.0)}  # a hand grade wins in the feedback


def test_stderr_matching_the_courses_pattern_is_dropped_before_scoring():
    w = _restored()
    cell(w.notebook, "q1_test").outputs = [WARNING]
    score.run(w)
    assert cell(w.notebook, "q1_test").outputs == [WARNING]  # no pattern: kept

    w = _restored(settings=GradingSettings(ignore_pattern="DeprecationWarning"))
    cell(w.notebook, "q1_test").outputs = [WARNING]
    score.run(w)
    assert cell(w.notebook, "q1_test").outputs == []


def test_a_failed_test_scores_zero_and_a_test_not_put_back_waits_for_the_lecturer():
    w = _restored()
    cell(w.notebook, "q1_test").outputs = [new_output("error", ename="AssertionError", evalue="", traceback=[])]
    score.run(w)
    assert GradeRecord(NAME, "q1_test", 0.0, 1.0, False) in w.result.grades

    nb = notebooks()[0]
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "q1_test"]
    w = _restored(nb, settings=GradingSettings(add_missing_cells=False))
    score.run(w)
    assert GradeRecord(NAME, "q1_test", None, 1.0, True) in w.result.grades
