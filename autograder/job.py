"""What crosses between the lecturer's process and a worker: one submission's job, and its
result, as plain data (pickled to worker processes and to Dask workers). Nothing here imports
the rest of the autograder, so every step, the gradebook and the worker can name them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from autograder.settings import GradingSettings


@dataclass
class GradeRecord:
    notebook: str
    name: str
    auto_score: float | None
    max_score: float
    needs_manual_grade: bool


@dataclass
class GradingJob:
    assignment: str
    student_id: str
    files: dict[str, bytes | int]  # path relative to the submission folder -> content (or size, if too large)
    template: bytes  # zip of the assignment's files, released notebooks and gradebook cells (course.template_zip)
    settings: GradingSettings  # the course's nbgrader settings, read once (autograder.settings)
    facts: dict[str, Any] | None = None  # the student's variant facts, if the assignment has them
    # notebook -> grade id -> {"question", "answer", "tolerance"}: marked here, never in the kernel
    key: dict[str, dict[str, dict]] = field(default_factory=dict)
    hand_grades: dict[str, dict[str, Any]] = field(default_factory=dict)  # "nb/grade_id" -> values
    hand_comments: dict[str, str] = field(default_factory=dict)  # "nb/comment_id" -> comment
    limits: dict[str, int] = field(default_factory=dict)  # autograder.isolation.limits.Limits fields
    sandbox: str = "bwrap"  # chosen by the lecturer's process; a worker that cannot have it refuses
    spare_kernel: bool = True  # start the next submission's kernel ahead (not on Dask workers)
    in_place: bool = True  # a single notebook under another name is graded in place of a missing one

    @property
    def template_key(self) -> str:
        return hashlib.sha256(self.template).hexdigest()[:16]


@dataclass
class GradingResult:
    assignment: str
    student_id: str
    grades: list[GradeRecord] = field(default_factory=list)
    comments: dict[str, str | None] = field(default_factory=dict)  # "nb/comment_id" -> auto comment
    autograded: dict[str, bytes] = field(default_factory=dict)
    feedback: dict[str, bytes] = field(default_factory=dict)
    timestamp: str | None = None
    error: str | None = None
    problems: list[str] = field(default_factory=list)  # the status: what went wrong, in order
    answers: dict[str, dict] = field(default_factory=dict)  # "nb/question" -> answer as marked, key, right
    notes: list[str] = field(default_factory=list)  # said after the status
    log: list[str] = field(default_factory=list)
