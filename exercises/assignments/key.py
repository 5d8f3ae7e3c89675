"""The answer key of a graded notebook: for each test cell, its question and the right answer.

The key never enters a student's kernel. The autograder works it out here, in its own
process, from the bank and the student's facts, and compares it with the answer the kernel
reports (``autograder/answers.py``). The hidden tests written into the instructor notebook
use the same answers, so plain ``nbgrader autograde`` and the instructor's own run agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exercises.assignments import variants

LETTERS = "ABCDEFGH"


class AnswerKeyError(ValueError):
    """A test cell whose answer cannot be worked out; the message names the notebook and cell."""


def graded_bank() -> dict[str, Any]:
    """The bank's graded items by id (its own loader validates every item; it takes seconds)."""
    from exercises.bank import load_bank

    return {i.id: i for i in load_bank(use="graded")}


def right_answer(item, facts: dict[str, Any] | None = None) -> Any:
    """The answer that earns the points: a letter, a list of provision ids or a number.
    Per-student items need the student's facts."""
    if item.id in variants.VARIANT_ITEMS:
        if facts is None:
            raise AnswerKeyError(f"item {item.id!r} is marked against each student's facts; none were given")
        return variants.expected(item.id, facts)
    if item.type == "single":
        return LETTERS[[o.correct for o in item.options].index(True)]
    if item.type == "truefalse":
        return "A" if item.truth else "B"
    if item.type == "citation":
        return list(item.citations)
    if item.type == "numeric":
        return item.numeric.value
    raise AnswerKeyError(f"item {item.id!r} ({item.type}) has no answer a test cell can mark")


def tolerance(item) -> float | None:
    return item.numeric.tolerance if item.type == "numeric" else None


def explanation(item) -> dict[str, Any]:
    """What the student's feedback may say once grading is over (when the lecturer asks for
    it): the bank's own feedback, by answer where it has one, and the module passage."""
    by_letter = {}
    if item.type == "single":
        by_letter = {LETTERS[n]: o.feedback for n, o in enumerate(item.options) if o.feedback}
    return {"right": item.feedback_correct, "wrong": item.feedback_incorrect, "by_answer": by_letter,
            "module": {"heading": item.section.heading, "quote": item.section.quote}}


def notebook_key(nb, facts: dict[str, Any] | None, bank: dict[str, Any], path: Path | str = "notebook",
                 explain: bool = False) -> dict[str, dict]:
    """grade id of each test cell -> {"question", "answer", "tolerance"}, for one student.

    A test cell is keyed when the build marked it with its bank item (cell metadata
    ``course.item``); a test cell the lecturer wrote by hand is not, and runs as nbgrader runs it."""
    key: dict[str, dict] = {}
    for index, cell in enumerate(nb.cells):
        nbg = cell.metadata.get("nbgrader", {})
        course = cell.metadata.get("course", {})
        if cell.cell_type != "code" or not nbg.get("grade") or "item" not in course:
            continue
        item = bank.get(course["item"])
        if item is None:
            raise AnswerKeyError(
                f"{path}: cell {index + 1} ({nbg.get('grade_id')}) is marked by bank item {course['item']!r}, "
                "which is not a graded item of the bank; rebuild the sources (python -m autograder build-sources)")
        key[nbg["grade_id"]] = {"question": course["question"], "answer": right_answer(item, facts),
                                "tolerance": tolerance(item)}
        if explain:
            key[nbg["grade_id"]]["explain"] = explanation(item)
    return key
