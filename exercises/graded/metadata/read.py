"""Reading the course's metadata (``course-v3.json``, and versions 1 and 2) of a notebook
and of its cells.

A notebook or cell without course metadata (a lecturer's own cells, a notebook not built by
the kit) reads as None. So does metadata in a student's hand-in that is not in the format:
it came from the student's file, so it is never trusted to stop the grading. Notebooks
released before the format had a version (no ``schema_version``) are read as they were
written: ``variant_template`` and ``variant`` for the facts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from exercises.graded.metadata import KEY, READS, VERSION


class MetadataError(ValueError):
    """Course metadata this version cannot read; the message says what to do."""


@dataclass(frozen=True)
class Notebook:
    assignment: str
    title: str
    facts_template: str | None  # the facts template it shows, or None
    facts_student: str | None  # whose facts: "common" (shared) or a student id


@dataclass(frozen=True)
class Question:
    question: str  # "q1"
    item: str  # the bank item's id
    kind: str | None  # "letter", "citations", "number", "essay" (None in unversioned notebooks)
    label: str | None
    provisions: tuple[str, ...]


@dataclass(frozen=True)
class Criterion:
    question: str  # "q4"
    number: int  # its place in the question's rubric, from 1
    item: str | None  # the bank item's id (the instructor's copy only)


def _course(metadata: Any) -> Mapping[str, Any] | None:
    course = metadata.get(KEY) if isinstance(metadata, Mapping) else None
    if not isinstance(course, Mapping):
        return None
    version = course.get("schema_version")
    if version is not None and version not in READS:
        raise MetadataError(f"course metadata version {version!r}: this version of the kit reads version "
                            f"{VERSION}; rebuild the notebook with this kit (python -m autograder build-sources)")
    return course


def notebook(metadata: Any) -> Notebook | None:
    """A notebook's course metadata (pass ``nb.metadata``, or the raw dict of a notebook file)."""
    course = _course(metadata)
    if course is None or not isinstance(course.get("assignment"), str):
        return None
    if "schema_version" in course:
        facts = course.get("facts")
        if not isinstance(facts, Mapping):
            facts = {}
        template, student = facts.get("template"), facts.get("student")
    else:  # unversioned
        template, student = course.get("variant_template"), course.get("variant")
    return Notebook(course["assignment"], str(course.get("title", course["assignment"])),
                    template if isinstance(template, str) else None, student if isinstance(student, str) else None)


def notebook_of_student(metadata: Any) -> Notebook | None:
    """As `notebook`, for a file a student handed in: what cannot be read says nothing."""
    try:
        return notebook(metadata)
    except MetadataError:
        return None


def question(cell: Any) -> Question | None:
    """The question a cell of an instructor's notebook belongs to (its question, answer or
    test cell), if any. A student's copy has no bank item to name (the release removed it)."""
    course = _course(cell.get("metadata")) if isinstance(cell, Mapping) else None
    if course is None or not isinstance(course.get("question"), str):
        return None
    # Version 2 keeps the bank's side under "instructor"; version 1 and before, beside the name.
    bank = course.get("instructor") if course.get("schema_version", 1) >= 2 else course
    if not isinstance(bank, Mapping) or not isinstance(bank.get("item"), str):
        return None
    return Question(course["question"], bank["item"], course.get("kind"), bank.get("label"),
                    tuple(bank.get("provisions", ())))


def criterion(cell: Any) -> Criterion | None:
    """The rubric criterion a cell marks (a hand-marked answer's, version 3), if it is one: in
    the instructor's copy and in a student's alike (the criterion is no secret: the student reads
    it)."""
    course = _course(cell.get("metadata")) if isinstance(cell, Mapping) else None
    if course is None or not isinstance(course.get("question"), str):
        return None
    number = course.get("criterion")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        return None
    bank = course.get("instructor")
    item = bank.get("item") if isinstance(bank, Mapping) and isinstance(bank.get("item"), str) else None
    return Criterion(course["question"], number, item)


def rubric_answer(cell: Any) -> bool:
    """Is the cell the answer of a question marked criterion by criterion (version 3): its
    criteria's cells carry the points, the answer cell none?"""
    course = _course(cell.get("metadata")) if isinstance(cell, Mapping) else None
    return (course is not None and isinstance(course.get("schema_version"), int) and course["schema_version"] >= 3
            and course.get("kind") == "essay" and "criterion" not in course
            and bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution")))


def criteria(nb: Any) -> Iterator[tuple[int, Any, Criterion]]:
    """(index, cell, criterion) of each cell that marks a criterion of a rubric, in order."""
    for index, cell in enumerate(nb.cells):
        c = criterion(cell)
        if c is not None:
            yield index, cell, c


def facts_template(cell: Any) -> str | None:
    """The facts template a cell shows, if it is the cell of the student's facts."""
    course = _course(cell.get("metadata")) if isinstance(cell, Mapping) else None
    template = course.get("facts") if course is not None else None
    return template if isinstance(template, str) else None


def graded_questions(nb: Any) -> Iterator[tuple[int, Any, Question]]:
    """(index, cell, question) of each grade cell built from a bank item (its test cell, or an
    essay's answer cell), in order."""
    for index, cell in enumerate(nb.cells):
        q = question(cell)
        if q is not None and cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            yield index, cell, q
