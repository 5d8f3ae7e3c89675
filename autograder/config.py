"""The course's nbgrader configuration, in one place for our runner and for plain nbgrader.

`settings()` is the runner's (a course's own nbgrader_config.py is laid over them by
`autograder.course.course_settings`); `to_config()` gives a traitlets Config for the Python
API, and `config_file()` the same settings as an ``nbgrader_config.py`` so that plain
``nbgrader`` commands (formgrader for hand grading, the benchmark's serial run) agree.
"""

from __future__ import annotations

import copy
from typing import Any

from traitlets.config import Config

FEEDBACK_PREPROCESSORS = [
    "nbgrader.preprocessors.GetGrades",
    "autograder.steps.feedback.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]


# The kit's notebooks: the student edits one literal placed just above the solution region,
# so the stripped region leaves nothing behind (nbgrader's default stub raises an error).
# Other notebooks keep nbgrader's own stubs (autograder.course.course_settings).
KIT_STUBS = {"code_stub": {"python": ""}, "text_stub": "Write your answer here."}


def settings(*, show_hidden_tests: bool = False, timeout: int | None = None) -> dict[str, dict[str, Any]]:
    """The runner's settings; `timeout` (seconds per cell) only when the command line gives
    one, so that a course's own Execute.timeout applies otherwise (nbgrader's default is 30)."""
    return {
        "ClearSolutions": copy.deepcopy(KIT_STUBS),
        "Execute": {"allow_errors": True, **({"timeout": timeout} if timeout is not None else {})},
        "GenerateFeedback": {"preprocessors": FEEDBACK_PREPROCESSORS},
        "HideHiddenTests": {"show_hidden_tests": show_hidden_tests},
        # nbgrader's own default course_id is empty, for which its gradebook creates no course
        # row: SQLite does not mind, but on PostgreSQL the assignment's foreign key to its
        # course fails. "default_course" is the course its Gradebook and migrations create.
        "CourseDirectory": {"ignore": [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"],
                            "course_id": "default_course"},
    }


def to_config(s: dict[str, dict[str, Any]], **course: Any) -> Config:
    """A Config from settings, plus CourseDirectory traits (root, db_url, assignment_id...)."""
    c = Config()
    for section, values in s.items():
        for key, value in values.items():
            c[section][key] = value
    for key, value in course.items():
        c.CourseDirectory[key] = value
    return c


def config_file(s: dict[str, dict[str, Any]], db_url: str | None = None) -> str:
    lines = ["# Written by `python -m autograder` from autograder/config.py; edit that, not this.",
             "c = get_config()  # noqa: F821"]
    for section, values in s.items():
        for key, value in values.items():
            lines.append(f"c.{section}.{key} = {value!r}")
    if db_url:
        lines.append(f"c.CourseDirectory.db_url = {db_url!r}")
    return "\n".join(lines) + "\n"
