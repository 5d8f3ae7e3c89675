"""Marking outside the student's kernel (autograder/steps/mark.py): what the kernel runs, how a
report is read, and that the key the grader uses is the one the instructor notebooks test."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import nbformat
import pytest
import step_support
from autograder_support import kit_source
from kernel_support import ipc_config
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder import template
from autograder.grading import answer_keys
from autograder.paths import REPO
from autograder.steps import mark as answers
from autograder.steps import restore
from exercises.assignments import student_facts
from exercises.assignments.build import assignment_names
from exercises.assignments.key import graded_bank
from exercises.graded.answers import answer

NORMALISE = answers.course_normaliser(kit_source() / "protection" / "assignment.json")
LETTER = {"question": "q1", "kind": "letter", "answer": "A", "tolerance": None}
CITATIONS = {"question": "q2", "kind": "citations", "answer": ["6(3)(a)", "6(3)(b)", "6(3)(c)"], "tolerance": None}


def test_the_kernel_runs_the_format_check_and_a_report_not_the_hidden_tests():
    source = (kit_source() / "protection" / "protection.ipynb")
    nb = nbformat.read(source, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1_test")
    run = answers.reporting_source(cell.source, "q1")
    assert 'assert_format("q1", q1)' in run and answers.MIMETYPE in run
    assert "_expected" not in run and "HIDDEN TESTS" not in run


ALL_OR_NOTHING = {**CITATIONS, "marking": "all-or-nothing"}
PARTIAL = {**CITATIONS, "marking": "partial"}


@pytest.mark.parametrize("entry, value, share", [
    (LETTER, "A", 1), (LETTER, " a ", 1), (LETTER, "B", 0), (LETTER, ["A"], 0), (LETTER, 1, 0),
    (ALL_OR_NOTHING, ["Art. 6(3)(c)", "6.3.a", "article 6, paragraph 3 (b)"], 1),
    (ALL_OR_NOTHING, ["6(3)(a)", "6(3)(b)"], 0), (ALL_OR_NOTHING, ["6(3)(a)", "6(3)(b)", "6(3)(c)", "6(4)"], 0),
    (ALL_OR_NOTHING, "6(3)(a)", 0), (ALL_OR_NOTHING, {"value": 1}, 0),
    (CITATIONS, ["6(3)(a)", "6(3)(b)"], 0),  # a key without a marking: worked out as before, all or nothing
    # Each right provision earns a third, each wrong one costs a third, never below zero.
    (PARTIAL, ["6.3.c", "6(3)(a)", "Art. 6(3)(b)"], 1), (PARTIAL, ["6(3)(a)", "6(3)(b)"], 2 / 3),
    (PARTIAL, ["6(3)(a)", "6(3)(b)", "6(3)(c)", "6(4)"], 2 / 3), (PARTIAL, ["6(3)(a)", "6(4)"], 0),
    (PARTIAL, ["6(4)", "6(5)", "6(1)"], 0), (PARTIAL, [], 0), (PARTIAL, "6(3)(a)", 0), (PARTIAL, {"value": 1}, 0),
])
def test_a_report_is_read_as_the_students_own_check_reads_it(entry, value, share):
    assert answers.credit(entry, value, NORMALISE) == pytest.approx(share)


def test_numbers_within_the_tolerance_and_never_nan_or_text():
    tools = answers.course_normaliser(kit_source() / "capstone" / "assignment.json")
    entry = {"question": "q2", "kind": "number", "answer": 2500, "tolerance": 1, "marking": "all-or-nothing"}
    assert answers.credit(entry, 2500.5, tools) == 1
    assert answers.credit(entry, 2502, tools) == 0
    assert answers.credit(entry, float("nan"), tools) == 0
    assert answers.credit(entry, "2500", tools) == 0


def _ran(outputs):
    """A notebook with one keyed test cell, as it comes back from the kernel."""
    cell = new_code_cell("run")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "q1_test", "points": 1.0}
    cell.outputs = outputs
    return new_notebook(cells=[cell])


def _report(value, question="q1"):
    return new_output("display_data", data={answers.MIMETYPE: {"question": question, "value": value}})


@pytest.mark.parametrize("outputs, points, incident", [
    ([_report("A")], 1.0, None),
    ([_report("B")], 0.0, None),
    ([], 0.0, "test cell q1_test reported no answer: scored zero"),
    ([_report("A"), _report("B")], 0.0, "test cell q1_test reported 2 answers: scored zero"),
    ([_report("A", question="q2")], 0.0, "test cell q1_test reported an answer to another question: scored zero"),
    ([_report("A"), new_output("error", ename="AnswerFormatError", evalue="x", traceback=[])], 0.0, None),
    # A hooked display that shows a result instead of reporting: nbgrader would give full marks.
    ([new_output("execute_result", data={"text/plain": "'pass'"}, execution_count=1)], 0.0,
     "test cell q1_test reported no answer: scored zero"),
    ([_report("B"), new_output("execute_result", data={"text/plain": "1.0"}, execution_count=1)], 0.0, None),
    ([_report("A"), new_output("execute_result", data={"text/plain": "0"}, execution_count=1)], 1.0, None),
])
def test_marking_denies_by_default(outputs, points, incident):
    from nbgrader.utils import determine_grade

    nb = _ran(outputs)
    found = answers.mark(nb, {"q1_test": LETTER}, {0: "the original source"}, NORMALISE)
    cell = nb.cells[0]
    assert determine_grade(cell) == (points, 1.0)
    assert found == ([incident] if incident else [])
    assert cell.source == "the original source"  # the lecturer's copy keeps the hidden tests
    assert not any(answers.MIMETYPE in o.get("data", {}) for o in cell.outputs)


@pytest.mark.parametrize("given, points, said", [
    (["6(3)(a)", "6(3)(b)", "6(3)(c)"], 3.0, None),
    (["6(3)(a)", "6(3)(b)"], 2.0, "q2: partly right, 2 of 3 points"),
    (["6(3)(a)", "6(3)(b)", "6(1)"], 1.0, "q2: partly right, 1 of 3 points"),
    (["6(3)(a)", "6(1)"], 0.0, None),
])
def test_a_partly_right_list_earns_its_share_as_nbgrader_reads_it(given, points, said):
    from nbgrader.utils import determine_grade

    nb = _ran([_report(given, question="q2")])  # protection's q2 takes a list of provisions
    nb.cells[0].metadata["nbgrader"]["points"] = 3.0
    entry = {**CITATIONS, "marking": "partial"}
    answers.mark(nb, {"q1_test": entry}, {0: "the original source"}, NORMALISE)
    assert determine_grade(nb.cells[0]) == (points, 3.0)
    shown = [o["data"]["text/plain"] for o in nb.cells[0].outputs if o.get("output_type") == "display_data"]
    assert shown == ([said] if said else [])


def test_as_steps_the_kernel_is_asked_for_the_answer_and_it_is_marked_after():
    w = step_support.work(step_support.answered('"A"'), key={step_support.NAME: {"q1_test": LETTER}})
    w.assignment.normalise = NORMALISE
    restore.run(w)
    answers.ask(w)
    test = step_support.cell(w.notebook, "q1_test")
    assert answers.MIMETYPE in test.source and step_support.HIDDEN not in test.source
    test.outputs = [_report("A")]  # as the kernel reports it
    answers.run(w)
    assert step_support.HIDDEN in test.source  # the lecturer's copy keeps the hidden tests
    assert w.result.problems == []
    assert w.result.answers == {f"{step_support.NAME}/q1": {"answer": "A", "key": "A", "right": True}}


def test_the_key_is_worked_out_from_the_bank_and_the_students_facts():
    key_for = answer_keys("capstone", kit_source())
    shared = key_for(student_facts.facts("capstone", student_facts.COMMON))["capstone"]
    assert {k: shared["q3_test"][k] for k in ("question", "kind", "tolerance", "marking")} == {
        "question": "q3", "kind": "letter", "tolerance": None, "marking": "all-or-nothing"}
    assert shared["q1_test"]["marking"] == "partial"  # a list of provisions earns its share
    wages = graded_bank()["capstone-unpaid-wages"]
    assert wages.numeric.accepts(shared["q2_test"]["answer"])  # the item's own answer, for the shared facts
    own = student_facts.facts("capstone", "s-other", "seed")
    assert key_for(own)["capstone"]["q2_test"]["answer"] == answer("back_wages", own, **wages.case.params)
    assert not wages.numeric.accepts(key_for(own)["capstone"]["q2_test"]["answer"])
    assert "q4" not in shared  # the essay is graded by hand


@pytest.mark.parametrize("assignment", assignment_names())
def test_instructor_notebooks_pass_their_own_hidden_tests_as_plain_nbgrader_runs_them(assignment, tmp_path,
                                                                                     monkeypatch):
    """The hidden tests in the instructor notebooks and the runner's key agree: the solutions
    pass nbgrader's own tests in an ordinary kernel with the course on its path."""
    import shutil

    folder = tmp_path / assignment
    shutil.copytree(kit_source() / assignment, folder)
    nb = nbformat.read(folder / f"{assignment}.ipynb", as_version=4)
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    NotebookClient(nb, timeout=120, kernel_name="python3", config=ipc_config(tmp_path),
                   resources={"metadata": {"path": str(folder)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []


def test_templates_left_by_killed_workers_are_swept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = tempfile.mkdtemp(prefix=f"{template.TEMPLATE_PREFIX}{dead.pid}-abc-")
    alive = tempfile.mkdtemp(prefix=f"{template.TEMPLATE_PREFIX}{os.getpid()}-abc-")
    try:
        removed = template.sweep_templates()
        assert str(gone) in map(str, removed)
        assert os.path.isdir(alive) and not os.path.exists(gone)
    finally:
        for d in (gone, alive):
            subprocess.run(["rm", "-rf", d])
