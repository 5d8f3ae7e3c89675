"""A small assignment built in memory, and a submission of it, for testing one step at a time
(imported by name, as pytest puts this folder on sys.path)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.isolation.limits import Limits
from autograder.job import GradingJob, GradingResult
from autograder.kernels import KernelPool
from autograder.settings import GradingSettings
from autograder.steps import NotebookWork, SubmissionWork
from autograder.steps.restore import stored_cells
from autograder.template import Assignment

NAME = "hw"  # the assignment, and its one notebook
STUDENT = "s-one"
HIDDEN = "assert q1 == 'A', 'the hidden check'"


def graded_cell(gid: str, source: str, **nbg):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": gid, "grade": False, "solution": False, "locked": False,
                                 "schema_version": 3, **nbg}
    return cell


def notebooks():
    """(released, instructor): a read-only cell, an answer, its test (with hidden tests in the
    instructor's copy) and an answer written by hand; checksums as nbgrader's release sets them."""
    from nbgrader.utils import compute_checksum

    released = new_notebook(cells=[
        graded_cell("setup", "GIVEN = 2", locked=True),
        graded_cell("q1", 'q1 = "?"', solution=True),
        graded_cell("q1_test", "assert isinstance(q1, str)", grade=True, locked=True, points=1),
        new_markdown_cell("Explain."),
    ])
    essay = new_markdown_cell("Write your answer here.")
    essay.metadata["nbgrader"] = {"grade_id": "essay", "grade": True, "solution": True, "locked": False,
                                  "points": 2, "schema_version": 3}
    released.cells.append(essay)
    for cell in released.cells:
        if "nbgrader" in cell.metadata:
            cell.metadata["nbgrader"]["checksum"] = compute_checksum(cell)
    instructor = nbformat.from_dict(json.loads(json.dumps(released)))
    instructor.cells[2].source += f"\n### BEGIN HIDDEN TESTS\n{HIDDEN}\n### END HIDDEN TESTS"
    return released, instructor


def assignment(files: dict[str, bytes] | None = None) -> Assignment:
    released, instructor = notebooks()
    stored = {NAME: {"kernel": "python3", "language": "python", "cells": stored_cells(instructor)}}
    return Assignment(folder=Path("/nonexistent"), source=Path("/nonexistent"), names=[NAME],
                      released={NAME: released}, stored=stored, files=dict(files or {}))


def submission(files: dict[str, bytes] | None = None, *, provided: dict[str, bytes] | None = None,
               settings: GradingSettings = GradingSettings(), limits: Limits = Limits(),
               kernels: KernelPool | None = None, **job) -> SubmissionWork:
    """A submission of `files` (by default the released notebook, unanswered)."""
    if files is None:
        files = {f"{NAME}.ipynb": nbformat.writes(notebooks()[0]).encode("utf-8")}
    job.setdefault("spare_kernel", False)
    return SubmissionWork(GradingJob(NAME, STUDENT, files, b"", settings, limits=limits.as_dict(), **job),
                      assignment(provided), limits, kernels or KernelPool(), GradingResult(NAME, STUDENT))


def work(nb=None, **kwargs) -> NotebookWork:
    """The notebook `nb` (by default the released one, unanswered) at the start of the
    notebook steps."""
    return NotebookWork(submission(**kwargs), NAME, nb if nb is not None else notebooks()[0])


def answered(q1: str = '"A"'):
    """The released notebook with q1 answered."""
    nb = notebooks()[0]
    nb.cells[1].source = f"q1 = {q1}"
    return nb


def cell(nb, gid: str):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)
