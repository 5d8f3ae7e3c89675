"""The kinds of graded question (exercises/graded/kinds.py): for every graded item of the bank,
the cells it writes, a key the student module reads and the kind marks right, and the
marking rules."""

from __future__ import annotations

import pytest

from exercises.assignments import student_facts
from exercises.bank import load_bank
from exercises.graded import bundle, course_tools, kinds
from exercises.graded.metadata import read


@pytest.fixture(scope="module")
def graded():
    return load_bank(use="graded")


def test_each_kind_is_the_student_modules_kind_of_the_same_name():
    assert set(kinds.KINDS) == set(course_tools.KINDS)
    for name, kind in kinds.KINDS.items():
        assert kind.student is course_tools.KINDS[name] and kind.kind == name


def test_an_item_a_notebook_cannot_ask_says_which_it_can(graded):
    matching = next(i for i in graded if i.type == "matching")
    with pytest.raises(kinds.GradedQuestionError, match="graded notebooks take single, truefalse, citation, "
                                                        "numeric and essay items"):
        kinds.question(matching)


def test_every_graded_question_writes_its_cells_and_a_key_the_student_module_marks_right(graded):
    asked = [i for i in graded if i.type in kinds.BY_TYPE]
    assert {kinds.question(i).kind for i in asked} == set(kinds.KINDS)
    for item in asked:
        question = kinds.question(item)
        shared = student_facts.facts(item.case.facts, student_facts.COMMON) if item.case else None
        cells = question.cells("q1", 1, 2.0, shared)
        assert [read.question(c).item for c in cells] == [item.id] * len(cells)
        assert cells[0].source.startswith(f"### Question 1: {item.title} (2 points)")
        # The question a student reads names no provision it tests, nor the module heading.
        assert "Provisions:" not in cells[0].source and f"Module: {item.section.heading}" not in cells[0].source
        if question.kind == "essay":
            # The answer (0 points), then one task cell per criterion, marked and commented on
            # separately in formgrader, whose points make the question's.
            answer, criteria = cells[1], cells[2:]
            assert "### BEGIN SOLUTION" in answer.source and answer.metadata.nbgrader["points"] == 0
            assert len(criteria) == len(item.rubric) and [read.criterion(c).number for c in criteria] == list(
                range(1, len(item.rubric) + 1))
            assert all(c.metadata.nbgrader["task"] and c.metadata.nbgrader["locked"] for c in criteria)
            assert sum(c.metadata.nbgrader["points"] for c in criteria) == pytest.approx(2.0)
            for c, criterion in zip(criteria, question.rubric_for(shared)):
                assert criterion.criterion in c.source and " ".join(criterion.descriptor.split()) in c.source
            continue
        answer, test = cells[1].source, cells[2].source
        assert f"q1 = {question.blank}\n### BEGIN SOLUTION" in answer and 'check("q1", q1)' in answer
        assert 'assert_format("q1", q1)\n### BEGIN HIDDEN TESTS' in test
        assert ("exercises.graded.answers import answer" in test) == item.per_student
        key = question.key("q1", shared)
        tools = course_tools.Assignment(bundle.data({"q1": question.spec()}, shared))
        right = tools.normalise("q1", key["answer"])
        assert kinds.kind(key["kind"]).matches(right, right, key["tolerance"]), item.id


@pytest.mark.parametrize("given, right", [(2500.0, 2500), (2500.9, 2500), (2499.1, 2500)])
def test_a_number_within_its_tolerance_is_right(given, right):
    assert kinds.NumberQuestion.matches(given, right, 1)


@pytest.mark.parametrize("given", [2502.0, float("nan"), float("inf"), "2500", None, 2500])
def test_a_number_outside_it_or_not_a_float_is_not(given):
    assert not kinds.NumberQuestion.matches(given, 2500, 1)


def test_letters_and_citations_match_exactly_and_essays_never():
    assert kinds.LetterQuestion.matches("B", "B") and not kinds.LetterQuestion.matches("A", "B")
    assert kinds.CitationsQuestion.matches(["6(1)", "6(2)"], ["6(1)", "6(2)"])
    assert not kinds.CitationsQuestion.matches(["6(1)"], ["6(1)", "6(2)"])
    assert not kinds.LetterQuestion.matches(None, None)
    assert not kinds.EssayQuestion.matches("text", "text")


def test_a_per_student_key_needs_the_students_facts(graded):
    item = next(i for i in graded if i.per_student)
    with pytest.raises(kinds.GradedQuestionError, match="marked against each student's facts; none were given"):
        kinds.question(item).right_answer()
