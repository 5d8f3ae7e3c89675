"""The answer key of a graded notebook: for each test cell, its question and the right answer.

The key never enters a student's kernel. The autograder works it out here, in its own
process, from the bank and the student's facts, each question by its kind
(``exercises/graded/kinds.py``), and compares it with the answer the kernel reports
(``autograder/steps/mark.py``). The hidden tests written into the instructor notebook use the
same answers, so plain ``nbgrader autograde`` and the instructor's own run agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exercises.graded import kinds
from exercises.graded.metadata import read


class AnswerKeyError(ValueError):
    """A test cell whose answer cannot be worked out; the message names the notebook and cell."""


def graded_bank() -> dict[str, Any]:
    """The bank's graded items by id (its own loader validates every item; it takes seconds)."""
    from exercises.bank import load_bank

    return {i.id: i for i in load_bank(use="graded")}


def notebook_key(nb, facts: dict[str, Any] | None, bank: dict[str, Any], path: Path | str = "notebook",
                 explain: bool = False) -> dict[str, dict]:
    """grade id of each test cell -> {"question", "kind", "answer", "tolerance"}, for one student.

    A test cell is keyed when the build marked it with its bank item (its course metadata); a
    test cell the lecturer wrote by hand is not, and runs as nbgrader runs it. An essay is
    graded by hand: no key."""
    key: dict[str, dict] = {}
    for index, cell, q in read.graded_questions(nb):
        if cell.cell_type != "code":
            continue
        gid = cell.metadata["nbgrader"]["grade_id"]
        item = bank.get(q.item)
        if item is None:
            raise AnswerKeyError(
                f"{path}: cell {index + 1} ({gid}) is marked by bank item {q.item!r}, which is not a graded "
                "item of the bank; rebuild the sources (python -m autograder build-sources)")
        try:
            key[gid] = kinds.question(item).key(q.question, facts, explain)
        except kinds.GradedQuestionError as e:
            raise AnswerKeyError(f"{path}: cell {index + 1} ({gid}): {e}") from None
    key.update(rubric_key(nb, facts, bank, path))
    return key


def rubric_key(nb, facts: dict[str, Any] | None, bank: dict[str, Any], path: Path | str = "notebook") -> dict[str, dict]:
    """grade id of each criterion cell of a hand-marked answer -> the criterion as this student's
    facts raise it (kinds.EssayQuestion.criteria_key): what their copy shows, and what the
    lecturer marks in formgrader."""
    by_question: dict[tuple[str, str], dict[int, tuple[str, float]]] = {}
    for _, cell, c in read.criteria(nb):
        if c.item is None:
            continue
        nbg = cell.metadata.get("nbgrader", {})
        by_question.setdefault((c.question, c.item), {})[c.number] = (nbg.get("grade_id"), float(nbg.get("points", 0)))
    key: dict[str, dict] = {}
    for (q, item_id), cells in by_question.items():
        item = bank.get(item_id)
        if item is None or item.type != "essay":
            raise AnswerKeyError(f"{path}: the rubric of {q} is bank item {item_id!r}, which is not a graded essay "
                                 "of the bank; rebuild the sources (python -m autograder build-sources)")
        try:
            question = kinds.question(item)
            assert isinstance(question, kinds.EssayQuestion)  # an essay item makes one
            key.update(question.criteria_key(q, cells, facts))
        except kinds.GradedQuestionError as e:
            raise AnswerKeyError(f"{path}: {q}: {e}") from None
    return key
