"""The browser notebook's extension (_ext/lite/extension/static/remoteEntry.js) and the Python it
works with agree on the words they share: where the kernel's worker mounts the notebooks' folders
(kernel_start.DRIVE) and how check() introduces an answer the grader cannot read
(course_tools.NOT_READABLE, which the hand-in dialog looks for)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from exercises.graded import course_tools

LITE = Path(__file__).resolve().parents[2] / "_ext" / "lite"
EXTENSION = LITE / "extension" / "static" / "remoteEntry.js"


def _constant(name: str) -> str:
    found = re.findall(rf"^\s*const {name} = '([^'\\]*)';", EXTENSION.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(found) == 1, f"{EXTENSION.name} should define {name} once as a quoted string, found {found}"
    return found[0]


@pytest.fixture
def kernel_start(monkeypatch):
    monkeypatch.syspath_prepend(str(LITE))
    import kernel_start as module

    yield module
    sys.path_hooks[:] = [h for h in sys.path_hooks if h is not module.path_hook]  # importing it installs its hook
    sys.modules.pop("kernel_start", None)


def test_the_extension_finds_unreadable_answers_by_check_s_own_words():
    assert _constant("NOT_READABLE") == course_tools.NOT_READABLE


def test_the_extension_and_the_kernel_agree_where_the_notebooks_folders_are(kernel_start):
    assert _constant("DRIVE") == kernel_start.DRIVE
