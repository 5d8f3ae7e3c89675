"""Writing the course's metadata (``course-v3.json``): the build writes it into the notebooks
it makes, the release removes the instructor's side from a student's copy and writes whose
facts it shows, grading writes the notebook it runs."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, NotRequired, TypedDict

from exercises.graded.metadata import KEY, VERSION, read

# What each function writes, as the schema (course-v3.json) says it.


class Facts(TypedDict):
    template: str  # the facts cell's template
    student: str | None  # whose facts the copy shows; None: everyone's, the shared ones


class NotebookMetadata(TypedDict):
    schema_version: int
    assignment: str
    title: str
    facts: Facts | None


class Instructor(TypedDict):
    item: str
    label: str
    provisions: list[str]


class QuestionMetadata(TypedDict):
    schema_version: int
    question: str
    kind: str
    instructor: Instructor
    criterion: NotRequired[int]


class FactsCellMetadata(TypedDict):
    schema_version: int
    facts: str


def notebook(assignment: str, title: str, facts_template: str | None,
             facts_student: str | None) -> NotebookMetadata:
    """metadata[KEY] of a notebook."""
    facts: Facts | None = None if facts_template is None else {"template": facts_template, "student": facts_student}
    return {"schema_version": VERSION, "assignment": assignment, "title": title, "facts": facts}


def question(question: str, item: str, kind: str, label: str, provisions: Iterable[str],
             criterion: int | None = None) -> QuestionMetadata:
    """metadata[KEY] of each cell of a question, in the instructor's copy; `criterion`: the
    cell marks that criterion of the question's rubric (numbered from 1)."""
    out: QuestionMetadata = {"schema_version": VERSION, "question": question, "kind": kind,
           "instructor": {"item": item, "label": label, "provisions": list(provisions)}}
    if criterion is not None:
        out["criterion"] = criterion
    return out


def for_students(nb: Any) -> None:
    """A student's copy: every cell's course metadata without the instructor's side (the bank
    item, label and provisions a question tests, which often are its answer)."""
    for cell in nb.cells:
        course = cell.get("metadata", {}).get(KEY)
        if isinstance(course, dict):
            course.pop("instructor", None)
            if course.get("schema_version") == 1:  # version 1 kept them beside the name
                for field in ("item", "label", "provisions"):
                    course.pop(field, None)


def facts_cell(template: str) -> FactsCellMetadata:
    """metadata[KEY] of the cell that shows the student's facts."""
    return {"schema_version": VERSION, "facts": template}


def released_for(metadata: dict[str, Any], student: str) -> None:
    """A student's copy shows that student's facts: say so in the notebook's metadata."""
    info = read.notebook(metadata)
    if info is None or info.facts_template is None:
        return
    metadata[KEY] = notebook(info.assignment, info.title, info.facts_template, student)


def restored(student: dict[str, Any], released: dict[str, Any]) -> dict[str, Any]:
    """The metadata of the notebook that is graded: the released notebook's, with whose facts
    the student's copy says it shows (it was released for them, or for everyone)."""
    out = copy.deepcopy(released)
    mine = read.notebook_of_student(student)
    if mine is not None and mine.facts_student is not None:
        released_for(out, mine.facts_student)
    return out


def validate(nb: Any) -> None:
    """Check a notebook's course metadata against the schema (the build calls this on what it
    writes; the schema checker is slow to import, so readers do not)."""
    import json

    import jsonschema

    from exercises.graded.metadata import SCHEMA

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    defs = schema["$defs"]

    def check(value: object, definition: str, where: str) -> None:
        sub = {"$schema": schema["$schema"], "$defs": defs, **defs[definition]}
        errors = sorted(jsonschema.Draft202012Validator(sub).iter_errors(value), key=str)
        if errors:
            raise ValueError(f"{where}: course metadata is not in the format of {SCHEMA.name}: {errors[0].message}")

    check(nb.metadata[KEY], "notebook", "the notebook")
    for index, cell in enumerate(nb.cells):
        if KEY in cell.metadata:
            check(cell.metadata[KEY], "cell", f"cell {index + 1}")
