"""The course's notebook metadata (exercises/graded/metadata/): declared by a versioned schema,
written by one module, read by one module, and by nothing else."""

from __future__ import annotations

import json
import re

import jsonschema
import nbformat
import pytest

from exercises.assignments.build import assignment_names, build_sources
from exercises.graded.metadata import KEY, SCHEMA, VERSION, read, write
from exercises.sections import REPO


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("sources")
    build_sources(out)
    return {name: nbformat.read(out / name / f"{name}.ipynb", as_version=4) for name in assignment_names()}


def _validator(definition: str):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator({"$defs": schema["$defs"], **schema["$defs"][definition]})


def test_every_built_notebook_and_cell_is_in_the_declared_format(built):
    notebook, cell = _validator("notebook"), _validator("cell")
    for name, nb in built.items():
        assert list(notebook.iter_errors(nb.metadata[KEY])) == [], name
        marked = [c for c in nb.cells if KEY in c.metadata]
        assert marked, name
        for c in marked:
            assert list(cell.iter_errors(c.metadata[KEY])) == [], (name, c.id)
            assert c.metadata[KEY]["schema_version"] == VERSION


def test_the_schema_refuses_what_is_not_in_the_format():
    notebook, cell = _validator("notebook"), _validator("cell")
    good = write.notebook("capstone", "Capstone", "capstone", "common")
    assert not list(notebook.iter_errors(good))
    assert list(notebook.iter_errors({**good, "schema_version": 1}))
    assert list(notebook.iter_errors({**good, "variant": "s1"}))
    question = write.question("q1", "capstone-return", "letter", "Sending the person home", ["8(2)", "14"])
    assert not list(cell.iter_errors(question))
    assert list(cell.iter_errors({**question, "kind": "matching"}))
    bank_side = question["instructor"]
    assert list(cell.iter_errors({**question, "instructor": {**bank_side, "provisions": ["article 8"]}}))
    assert list(cell.iter_errors({**question, "provisions": ["8(2)"]}))  # only under "instructor"


def test_a_question_reads_back_as_it_was_written_with_its_label(built):
    questions = [q for _, _, q in read.graded_questions(built["capstone"])]
    assert [(q.question, q.item, q.kind) for q in questions] == [
        ("q1", "capstone-support-provisions", "citations"), ("q2", "capstone-unpaid-wages", "number"),
        ("q3", "capstone-return", "letter"), ("q4", "capstone-essay", "essay"),
        ("q5", "capstone-decision-problem", "essay")]
    assert questions[0].label == "Which provisions answer this person's needs"
    info = read.notebook(built["capstone"].metadata)
    assert (info.assignment, info.facts_template, info.facts_student) == ("capstone", "capstone", "common")
    assert read.notebook(built["protection"].metadata).facts_template is None


def test_a_release_says_whose_facts_the_copy_shows():
    md = {KEY: write.notebook("capstone", "Capstone", "capstone", "common")}
    write.released_for(md, "s042")
    assert read.notebook(md).facts_student == "s042"
    plain = {KEY: write.notebook("protection", "Protection", None, None)}
    write.released_for(plain, "s042")
    assert read.notebook(plain).facts_student is None  # no facts: nothing to say


def test_the_graded_notebook_keeps_whose_facts_the_students_copy_showed():
    released = {"kernelspec": {"name": "python3"}, KEY: write.notebook("capstone", "Capstone", "capstone", "common")}
    student = {KEY: write.notebook("capstone", "An edited title", "other", "s042")}
    graded = write.restored(student, released)
    assert read.notebook(graded) == read.Notebook("capstone", "Capstone", "capstone", "s042")
    assert graded["kernelspec"] == {"name": "python3"}
    assert read.notebook(write.restored({}, released)).facts_student == "common"


def test_a_students_copy_carries_no_bank_item_label_or_provisions(built):
    nb = nbformat.from_dict(json.loads(json.dumps(built["capstone"])))
    write.for_students(nb)
    marked = [c.metadata[KEY] for c in nb.cells if KEY in c.metadata]
    assert marked and all("instructor" not in m for m in marked)
    assert {m["question"] for m in marked if "question" in m} == {"q1", "q2", "q3", "q4", "q5"}
    assert list(read.graded_questions(nb)) == []  # nothing to key a student's copy by
    text = json.dumps([c.metadata for c in nb.cells])
    assert "capstone-support-provisions" not in text and "6(3)(a)" not in text
    for m in marked:  # and still in the format
        assert not list(_validator("cell").iter_errors(m))


def test_version_1_notebooks_are_still_read_and_stripped_for_students():
    v1 = {"metadata": {KEY: {"schema_version": 1, "question": "q3", "item": "capstone-return", "kind": "letter",
                             "label": "Sending the person home", "provisions": ["8(2)", "14"]}}}
    assert read.question(v1) == read.Question("q3", "capstone-return", "letter", "Sending the person home",
                                              ("8(2)", "14"))
    nb = nbformat.v4.new_notebook(cells=[nbformat.from_dict({"cell_type": "markdown", "source": "", "id": "x", **v1})])
    write.for_students(nb)
    assert nb.cells[0].metadata[KEY] == {"schema_version": 1, "question": "q3", "kind": "letter"}


def test_notebooks_released_before_the_format_had_a_version_are_read():
    old = {KEY: {"assignment": "capstone", "title": "Capstone", "variant_template": "capstone", "variant": "s7"}}
    assert read.notebook(old) == read.Notebook("capstone", "Capstone", "capstone", "s7")
    cell = {"metadata": {KEY: {"item": "capstone-return", "question": "q3", "provisions": ["8(2)"]}}}
    assert read.question(cell) == read.Question("q3", "capstone-return", None, None, ("8(2)",))


def test_a_newer_version_is_refused_with_what_to_do_but_never_stops_a_students_hand_in():
    newer = {KEY: {**write.notebook("capstone", "Capstone", None, None), "schema_version": VERSION + 1}}
    with pytest.raises(read.MetadataError, match=f"version {VERSION + 1}.*reads version {VERSION}; rebuild"):
        read.notebook(newer)
    assert read.notebook_of_student(newer) is None
    for garbage in (None, [], {KEY: "x"}, {KEY: {"assignment": 3}}, {KEY: {"facts": [1]}}):
        assert read.notebook_of_student(garbage) is None
    assert read.question({"metadata": {KEY: {"item": 1}}}) is None and read.facts_template({}) is None


def test_nothing_else_reads_or_writes_the_course_metadata():
    """One reader and one writer: everywhere else asks them."""
    direct = re.compile(r"""(\.get\(\s*|\[\s*|\.setdefault\(\s*|\{\s*|,\s*)["']course["']\s*[]),:]"""
                        r"""|["']course["']\s+(not\s+)?in\s""")
    found = []
    for package in ("autograder", "exercises", "protocol", "case_studies"):
        for path in sorted((REPO / package).rglob("*.py")):
            if "metadata" in path.relative_to(REPO / package).parts:
                continue
            if direct.search(path.read_text(encoding="utf-8")):
                found.append(str(path.relative_to(REPO)))
    assert found == []


def test_each_criterion_of_a_rubric_is_a_cell_that_reads_back_with_its_number(built):
    nb = built["capstone"]
    criteria = [c for c in read.criteria(nb) if c[2].question == "q4"]  # the essay; q5 is a problem question
    assert [(c.question, c.number, c.item) for _, _, c in criteria] == [("q4", n, "capstone-essay") for n in range(1, 7)]
    assert [cell.metadata["nbgrader"]["grade_id"] for _, cell, _ in criteria] == [f"q4_c{n}" for n in range(1, 7)]
    assert sum(cell.metadata["nbgrader"]["points"] for _, cell, _ in criteria) == 6
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q4")
    assert read.rubric_answer(answer) and not any(read.rubric_answer(cell) for _, cell, _ in criteria)
    assert read.criterion(answer) is None and read.criterion({"metadata": {KEY: {"question": "q4", "criterion": 0}}}) is None


def test_the_schema_refuses_a_criterion_that_is_not_a_number_from_1():
    cell = _validator("cell")
    good = write.question("q4", "capstone-essay", "essay", "Advising", ["6(6)"], criterion=2)
    assert good["criterion"] == 2 and not list(cell.iter_errors(good))
    for bad in (0, "2", 1.5, None):
        assert list(cell.iter_errors({**good, "criterion": bad})), bad


def test_a_students_copy_keeps_which_criterion_each_cell_marks_but_no_bank_item(built):
    nb = nbformat.from_dict(json.loads(json.dumps(built["capstone"])))
    write.for_students(nb)
    assert [(c.question, c.number, c.item) for _, _, c in read.criteria(nb)] == (
        [("q4", n, None) for n in range(1, 7)] + [("q5", n, None) for n in range(1, 6)])


def test_version_2_notebooks_are_still_read():
    v2 = {"metadata": {KEY: {"schema_version": 2, "question": "q4", "kind": "essay",
                             "instructor": {"item": "capstone-essay", "label": "Advising", "provisions": ["6(6)"]}}}}
    assert read.question(v2) == read.Question("q4", "capstone-essay", "essay", "Advising", ("6(6)",))
    assert read.criterion(v2) is None and not read.rubric_answer(v2)
