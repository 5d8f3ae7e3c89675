"""`grade --explain`: once an assignment is closed, each marked answer's feedback says why,
in the bank's own words, with the module passage; without it, nothing is given away."""

from __future__ import annotations

import html
import re
import shutil

import pytest
from autograder_support import set_answer

from autograder import config, course, grading, submissions
from exercises.bank import load_bank
from exercises.graded.kinds import LETTERS

ASSIGNMENT = "protection"


def _text(path):
    return html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def explained(tmp_path_factory):
    root = tmp_path_factory.mktemp("explain")
    settings = config.settings()
    course.release(ASSIGNMENT, root / "released", settings=settings)
    folder = root / "submitted" / "student" / ASSIGNMENT
    shutil.copytree(root / "released" / ASSIGNMENT, folder)
    set_answer(folder / f"{ASSIGNMENT}.ipynb", "q1", '"B"')  # wrong: the right letter is A
    set_answer(folder / f"{ASSIGNMENT}.ipynb", "q3", '"C"')  # right
    pages = {}
    for explain in (True, False):
        out = root / f"out-{explain}"
        grading.grade(ASSIGNMENT, submissions.find(root / "submitted", ASSIGNMENT), out, jobs=1,
                      settings=settings, progress=False, explain=explain)
        pages[explain] = _text(out / "feedback" / "student" / ASSIGNMENT / f"{ASSIGNMENT}.html")
    return pages


def _item(item_id):
    return next(i for i in load_bank(use="graded") if i.id == item_id)


def test_a_wrong_letter_gets_the_banks_feedback_on_that_letter(explained):
    item = _item("protection-closed-hearing")
    assert LETTERS[[o.correct for o in item.options].index(True)] == "A"
    said = " ".join(item.options[1].feedback.split())
    assert said in " ".join(explained[True].split())
    assert item.section.heading in explained[True]


def test_a_right_answer_is_confirmed_with_its_module_passage(explained):
    item = _item("protection-child-needs")  # q3
    right = next(o for o in item.options if o.correct)
    assert " ".join(right.feedback.split()) in " ".join(explained[True].split())


def test_without_explain_the_feedback_gives_nothing_away(explained):
    for item_id in ("protection-closed-hearing", "protection-child-needs"):
        for o in _item(item_id).options:
            assert " ".join(o.feedback.split()) not in " ".join(explained[False].split())
