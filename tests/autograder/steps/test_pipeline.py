"""The worker's pipeline (autograder/steps/__init__.py, autograder/worker.py): the steps in
their order, each a function of one object; nbgrader's settings read once, as plain data; a
step that fails costs its notebook only, and grading a submission never raises."""

from __future__ import annotations

import pickle

import pytest
import step_support
from step_support import NAME, STUDENT

from autograder import config, worker
from autograder.job import GradeRecord, GradingJob
from autograder.settings import GradingSettings
from autograder.steps import NOTEBOOK_STEPS, SUBMISSION_STEPS, execute, intake, mark, restore, score
from autograder.worker import grade_submission


def test_the_steps_run_in_nbgraders_order_with_marking_around_the_kernel():
    assert SUBMISSION_STEPS == (intake.run,)
    order = list(NOTEBOOK_STEPS)
    assert order.index(restore.run) < order.index(mark.ask) < order.index(execute.run) < order.index(mark.run) \
        < order.index(score.run)


def test_nbgraders_settings_are_read_once_into_plain_data():
    s = GradingSettings.from_nbgrader({
        **config.settings(show_hidden_tests=True, timeout=-1),
        "Execute": {"timeout": 20, "extra_arguments": ["--debug"], "kernel_name": "python3"},
        "Autograde": {"exclude_overwriting": {NAME: ["data/x.csv"], "other": ["y"]}},
        "OverwriteCells": {"add_missing_cells": False},
        "IgnorePattern": {"pattern": "Warning"},
        "ClearHiddenTests": {"end_test_delimeter": "END", "begin_test_delimeter": "BEGIN"},
    })
    assert s == GradingSettings(
        extra_arguments=("--debug",), timeout=20, kernel_name="python3",
        exclude_overwriting=((NAME, ("data/x.csv",)), ("other", ("y",))), add_missing_cells=False,
        ignore_pattern="Warning", show_hidden_tests=True,
        ignore=(".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"),
        delimiters=(("begin_test_delimeter", "BEGIN"), ("end_test_delimeter", "END")))
    assert pickle.loads(pickle.dumps(s)) == s
    assert s.excluded(NAME) == {"data/x.csv"} and s.excluded("third") == frozenset()
    assert s.cell_seconds(300) == 20


@pytest.mark.parametrize("timeout, seconds", [(None, 300), (-1, 300), (0, 300), (45, 45)])
def test_no_cell_timeout_leaves_the_notebooks_own(timeout, seconds):
    assert GradingSettings.from_nbgrader({"Execute": {"timeout": timeout}}).cell_seconds(300) == seconds


def test_nbgraders_defaults_for_what_the_course_leaves_out():
    assert GradingSettings.from_nbgrader({}) == GradingSettings()
    assert GradingSettings().add_missing_cells and not GradingSettings().show_hidden_tests


def test_a_step_that_fails_costs_its_notebook_only(monkeypatch):
    def broken(work):
        raise RuntimeError("a bug in a step\nsecond line")

    sub = step_support.submission()
    monkeypatch.setattr(worker.assignments, "get", lambda job: sub.assignment)
    monkeypatch.setattr(worker, "NOTEBOOK_STEPS", (restore.run, broken))
    result = grade_submission(sub.job)
    assert result.error is None
    assert result.problems == [f"could not grade {NAME}.ipynb (RuntimeError: a bug in a step)"]
    assert result.grades == [GradeRecord(NAME, "q1_test", 0.0, 1.0, False), GradeRecord(NAME, "essay", 0.0, 2.0, False)]
    assert result.autograded == {} and result.feedback == {}


def test_grading_never_raises():
    job = GradingJob(NAME, STUDENT, {}, b"not a template", GradingSettings())
    result = grade_submission(job)
    assert result.error == "BadZipFile: File is not a zip file" and result.grades == []
