"""The nbgrader settings that decide how a submission is graded, read once.

The course's settings arrive as nbgrader writes them, section -> trait -> value
(`autograder.course.course_settings`); the grader reads them here, once, in the lecturer's
process, and each job carries the result to its worker. Plain data only: a job is pickled to
local worker processes and to Dask workers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class GradingSettings:
    extra_arguments: tuple[str, ...] = ()  # Execute.extra_arguments: the kernel's own
    timeout: int | None = None  # Execute.timeout: seconds per cell; None or -1 for none
    kernel_name: str | None = None  # Execute.kernel_name: every notebook's kernel, if set
    # Autograde.exclude_overwriting: assignment -> files the student's copy of which is used
    exclude_overwriting: tuple[tuple[str, tuple[str, ...]], ...] = ()
    add_missing_cells: bool = True  # OverwriteCells.add_missing_cells: deleted cells put back
    ignore_pattern: str = ""  # IgnorePattern.pattern: stderr dropped before scoring
    show_hidden_tests: bool = False  # HideHiddenTests.show_hidden_tests: in the feedback
    ignore: tuple[str, ...] = ()  # CourseDirectory.ignore: globs of files nbgrader skips
    # ClearHiddenTests.begin_test_delimeter and end_test_delimeter, as the course sets them
    delimiters: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_nbgrader(cls, settings: dict[str, dict[str, Any]]) -> GradingSettings:
        """From settings as `autograder.course.course_settings` gives them; nbgrader's default
        for whatever they leave out."""
        def section(name: str) -> dict[str, Any]:
            return settings.get(name, {})

        hidden = section("ClearHiddenTests")
        return cls(
            extra_arguments=tuple(section("Execute").get("extra_arguments", ())),
            timeout=section("Execute").get("timeout"),
            kernel_name=section("Execute").get("kernel_name"),
            exclude_overwriting=tuple((assignment, tuple(paths)) for assignment, paths in
                                      sorted(section("Autograde").get("exclude_overwriting", {}).items())),
            add_missing_cells=bool(section("OverwriteCells").get("add_missing_cells", True)),
            ignore_pattern=section("IgnorePattern").get("pattern", "") or "",
            show_hidden_tests=bool(section("HideHiddenTests").get("show_hidden_tests")),
            ignore=tuple(section("CourseDirectory").get("ignore", ())),
            delimiters=tuple(sorted((k, hidden[k]) for k in ("begin_test_delimeter", "end_test_delimeter")
                                    if k in hidden)),
        )

    def cell_seconds(self, notebook_seconds: int) -> int:
        """The time a cell may run: Execute.timeout; none leaves only the notebook's own limit."""
        t = self.timeout
        return notebook_seconds if t is None or t <= 0 else int(t)

    def excluded(self, assignment: str) -> frozenset[str]:
        """The assignment's files that Autograde.exclude_overwriting leaves to the student, as
        normalised paths."""
        return frozenset(os.path.normpath(p) for a, paths in self.exclude_overwriting if a == assignment
                         for p in paths)
