"""The committed nbgrader sources are what the assignment sources and the bank give."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from autograder.paths import SOURCE
from exercises.assignments import build_sources


def test_committed_sources_are_up_to_date(tmp_path):
    written = build_sources(tmp_path)
    assert written
    for path in written:
        committed = SOURCE / path.relative_to(tmp_path)
        assert committed.is_file(), f"{committed} is missing: run python -m autograder build-sources"
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{committed} is stale: run python -m autograder build-sources and commit the result")
    extra = {p.relative_to(SOURCE) for p in SOURCE.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert extra == {p.relative_to(tmp_path) for p in written}


@pytest.fixture(scope="module")
def tools():
    spec = importlib.util.spec_from_file_location("course_tools", SOURCE / "capstone" / "course_tools.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["course_tools"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("question, answer, message", [
    ("q1", ["6(3)(e)"], "q1: '6(3)(e)' is not a provision: article 6(3) has points (a) to (d)"),
    ("q1", "6(1)", "write a list, even for one provision: ['6(1)']"),
    ("q1", [], "not answered yet"),
    ("q1", ["6.1", "Art. 6(1)"], "names the same provision as '6.1'; list it once"),
    ("q1", ["article 9(1)"], "article 9 is not covered by this module"),
    ("q2", "1,250 USD", "remove the quotes, commas and units, e.g. 1250"),
    ("q2", True, "write a number without quotes"),
    ("q3", "?", "not answered yet: replace ? with A, B or C"),
    ("q3", "D", "'D' is not one of the choices: write A, B or C"),
])
def test_check_explains_a_malformed_answer(tools, capsys, question, answer, message):
    tools.check(question, answer)
    out = capsys.readouterr().out
    assert out.startswith("Not readable yet.") and message in out
    with pytest.raises(AssertionError, match="."):
        tools.assert_format(question, answer)


@pytest.mark.parametrize("question, answer", [
    ("q1", ["Art. 6(3)(b)", "6.5"]), ("q2", 1250), ("q2", 99.5), ("q3", "a"), ("q3", "C"),
])
def test_check_accepts_a_readable_answer_without_saying_if_it_is_right(tools, capsys, question, answer):
    tools.check(question, answer)
    out = capsys.readouterr().out
    assert "the grader can read this answer" in out
    assert "right" in out and "correct" not in out.lower().replace("whether it is right", "")


def test_student_module_carries_no_answers():
    from exercises.bank import load_bank

    for folder in SOURCE.iterdir():
        text = (folder / "course_tools.py").read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "expected(" not in text
        for item in load_bank(use="graded"):
            for option in item.options:
                assert option.text not in text
