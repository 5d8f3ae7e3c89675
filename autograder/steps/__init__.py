"""The steps of grading, in the order a submission goes through them.

In a worker process (``autograder/worker.py``), each submission is a `SubmissionWork`, read
once by the ``SUBMISSION_STEPS``; then each of its notebooks is a `NotebookWork` that the
``NOTEBOOK_STEPS`` take in turn. A step is a function of that one object: it reads what the
steps before it left there, and adds to the result being built (``work.result``: grades,
status problems, notes, the autograded notebook, the feedback page). A notebook step that
raises costs only its notebook (scored zero, and the status says so); a submission step that
raises, the whole submission (its error).

To add a step: write ``run(work: NotebookWork) -> None`` in a module of this package, with its
own tests in ``tests/autograder/steps/``, and put it in ``NOTEBOOK_STEPS`` where it belongs.
What it leaves for a later step (and not for the result) is a field of `NotebookWork`.

In the lecturer's process, for the whole batch (``autograder/grading.py``), after the workers:
``gradebook`` merges each result into nbgrader's gradebook and writes grades.csv; ``report``
says how the class did, per question and per provision.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from autograder.steps import execute, feedback, inert, intake, mark, restore, score

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from autograder.isolation.limits import Limits
    from autograder.job import GradingJob, GradingResult
    from autograder.kernels import KernelPool
    from autograder.settings import GradingSettings
    from autograder.steps.score import Scored
    from autograder.template import Assignment


@dataclass
class SubmissionWork:
    """One student's submission as the worker grades it."""

    job: GradingJob
    assignment: Assignment  # unpacked from the job's template
    limits: Limits
    kernels: KernelPool  # the process's kernels started ahead
    result: GradingResult  # built by the steps
    # Filled by intake: expected notebook -> the student's, None if missing or unreadable; and
    # the student's other files that go beside the notebook.
    notebooks: dict[str, NotebookNode | None] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def settings(self) -> GradingSettings:
        return self.job.settings

    @functools.cached_property
    def provided(self) -> dict[str, bytes]:
        """The assignment's files that go beside the notebook whatever the student sent: all
        but those the course's Autograde.exclude_overwriting leaves to the student."""
        excluded = self.settings.excluded(self.job.assignment)
        return {rel: data for rel, data in self.assignment.files.items() if os.path.normpath(rel) not in excluded}


@dataclass
class NotebookWork:
    """One notebook of a submission on its way through the notebook steps."""

    submission: SubmissionWork
    name: str  # the assignment's name for it, e.g. "protection"
    notebook: NotebookNode  # as handed in; from restore on, the notebook being graded
    originals: dict[int, str] = field(default_factory=dict)  # mark.ask: test cell sources swapped out
    scored: Scored | None = None  # score.run: what feedback shows

    @property
    def job(self) -> GradingJob:
        return self.submission.job

    @property
    def assignment(self) -> Assignment:
        return self.submission.assignment

    @property
    def settings(self) -> GradingSettings:
        return self.submission.settings

    @property
    def result(self) -> GradingResult:
        return self.submission.result

    @property
    def key(self) -> dict[str, dict]:
        """grade id -> the answer key of this notebook's marked questions (none: no marking)."""
        return self.job.key.get(self.name, {})


SubmissionStep = Callable[[SubmissionWork], None]
NotebookStep = Callable[[NotebookWork], None]

SUBMISSION_STEPS: tuple[SubmissionStep, ...] = (
    intake.run,  # which notebook is which, whether it can be read, which other files go beside it
)

NOTEBOOK_STEPS: tuple[NotebookStep, ...] = (
    restore.run,  # rebuilt from the assignment: what a student may not change is put back, and said
    mark.ask,  # keyed test cells report the answer instead of running the hidden tests
    execute.run,  # cell by cell in a sandbox, within its limits (autograder/isolation/)
    mark.run,  # each reported answer against the key, outside the student's kernel
    score.run,  # each grade cell's points by nbgrader's rule, hand grades kept
    inert.run,  # scripts and active HTML made text; the autograded notebook kept
    feedback.run,  # the student's feedback page, without the hidden tests
)
