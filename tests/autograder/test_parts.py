"""The runner's parts on their own, without a batch: intake, tampering, limits, the sandbox."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.isolation.limits import GiB, Limits, parse_size, size
from autograder.isolation.sandbox import mechanism
from autograder.steps import intake
from autograder.steps import restore as tampering

LIMITS = Limits()


def _nb_bytes(nb) -> bytes:
    return nbformat.writes(nb).encode("utf-8")


def _graded(gid, source, **nbg):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": gid, "grade": False, "solution": False, "locked": False,
                                 "schema_version": 3, **nbg}
    return cell


def _assignment():
    released = new_notebook(cells=[
        _graded("setup", "from course_tools import check", locked=True),
        _graded("q1", 'q1 = "?"', solution=True),
        _graded("q1_test", "assert_format('q1', q1)", grade=True, locked=True, points=1),
    ])
    source = nbformat.from_dict(json.loads(json.dumps(released)))
    source.cells[2].source += "\n### BEGIN HIDDEN TESTS\nassert q1 == 'A'\n### END HIDDEN TESTS"
    return released, source


@pytest.mark.parametrize("data, status", [
    (b"", "not a notebook: a.ipynb is empty"),
    (b"\x00\x01binary", "not a notebook: a.ipynb is a binary file"),
    ('{"cells": "é"}'.encode("latin-1"), "not a notebook: a.ipynb is not UTF-8 text (byte 0xe9 at line 1)"),
    (b'{\n"cells": [\n', "not a notebook: a.ipynb is cut off at line 3 (truncated file)"),
    (b'{\n"cells": [,]\n}', "not a notebook: invalid JSON at line 2 of a.ipynb"),
    (b'[1, 2]', "not a notebook: a.ipynb is JSON but not a Jupyter notebook"),
    (40 * 2 ** 20, "a.ipynb is too large (40 MiB; limit 32 MiB): not graded"),
])
def test_unreadable_notebooks_get_a_status(data, status):
    nb, problems = intake.read_notebook("a.ipynb", data, LIMITS)
    assert nb is None and problems == [status]


def test_intake_matches_names_and_lists_extra_files():
    ok = _nb_bytes(new_notebook())
    found = intake.inspect({"answers.ipynb": ok, "notes.txt": b"x", "course_tools.py": b"x"}, ["a"], LIMITS,
                           provided={"course_tools.py": b"x"})
    assert found.problems == ["missing notebook a.ipynb (found answers.ipynb: graded in its place)"]
    assert found.notes == [] and found.files == {"notes.txt": b"x"}  # the student's own file goes beside it
    assert found.notebooks["a"] is not None
    strict = intake.inspect({"answers.ipynb": ok}, ["a"], LIMITS, in_place=False)
    assert strict.problems == ["missing notebook a.ipynb (found answers.ipynb)"] and strict.notebooks["a"] is None
    two = intake.inspect({"x.ipynb": ok, "y.ipynb": ok}, ["a"], LIMITS)
    assert two.problems == ["missing notebook a.ipynb (found x.ipynb, y.ipynb)"] and two.notebooks["a"] is None
    assert intake.inspect({}, ["a"], LIMITS).problems == ["empty submission: no files"]


def test_jupyterlites_download_name_is_the_notebook_itself():
    """JupyterLite's stock File > Download writes protection/protection.ipynb as
    protection_protection.ipynb: taken as the notebook, with a note, not a problem."""
    ok = _nb_bytes(new_notebook())
    found = intake.inspect({"hw_a.ipynb": ok, "b.ipynb": ok}, ["a", "b"], LIMITS, folder="hw")
    assert found.problems == [] and found.notebooks["a"] is not None and found.notebooks["b"] is not None
    assert found.notes == ["hw_a.ipynb taken as a.ipynb (the name JupyterLite gives a downloaded notebook)"]
    nested = intake.inspect({"course_hw_a.ipynb": ok}, ["a"], LIMITS, folder="hw")  # hw/ inside course/
    assert nested.problems == [] and nested.notebooks["a"] is not None
    mine = intake.inspect({"my_a.ipynb": ok}, ["a"], LIMITS, folder="hw")  # another name: graded in place, said
    assert mine.problems == ["missing notebook a.ipynb (found my_a.ipynb: graded in its place)"]
    both = intake.inspect({"x_hw_a.ipynb": ok, "y_hw_a.ipynb": ok}, ["a"], LIMITS, folder="hw")  # not guessed
    assert both.problems == ["missing notebook a.ipynb (found x_hw_a.ipynb, y_hw_a.ipynb)"]
    own = intake.inspect({"a.ipynb": ok, "hw_a.ipynb": ok}, ["a"], LIMITS, folder="hw")  # the right name wins
    assert own.problems == [] and own.notes == ["extra files not used: hw_a.ipynb"]


def test_student_files_that_shadow_the_assignment_or_run_at_start_up_are_not_used():
    ok = _nb_bytes(new_notebook())
    found = intake.inspect({"a.ipynb": ok, "mine.py": b"value = 7", "data/x.csv": b"1,2", "course_tools.py": b"fake",
                            "sitecustomize.py": b"x", ".ipython/profile_default/startup/0.py": b"x",
                            "ipykernel_launcher.py": b"x", "__pycache__/m.pyc": b"x", "big.bin": 40 * 2 ** 20,
                            "variant.json": b"{}", "data": b"x"}, ["a"], LIMITS,
                           provided={"course_tools.py": b"real", "data/given.csv": b"3"}, grader=frozenset({"variant.json"}),
                           ignore=("__pycache__", "*.pyc"))
    assert found.files == {"mine.py": b"value = 7", "data/x.csv": b"1,2"}
    assert found.notes == [
        "extra files not used: .ipython/profile_default/startup/0.py (would run as the kernel starts), "
        "big.bin (too large: 40 MiB), data (in the way of the assignment's own files), "
        "ipykernel_launcher.py (would run as the kernel starts), sitecustomize.py (would run as the kernel starts)",
        "course_tools.py: the assignment's own used, not the student's changed copy"]


def test_untouched_notebook_is_not_reported_and_runs_the_hidden_tests():
    released, source = _assignment()
    graded, findings = tampering.restore(released, released, tampering.stored_cells(source))
    assert findings == []
    assert "BEGIN HIDDEN TESTS" in graded.cells[2].source


def test_each_kind_of_tampering_is_restored_and_reported():
    released, source = _assignment()
    student = nbformat.from_dict(json.loads(json.dumps(released)))
    student.cells[1].source = 'q1 = "A"'  # an answer: allowed
    student.cells[2].source = "pass"  # the test: not allowed
    student.cells[0].cell_type = "markdown"
    student.cells[0].pop("outputs")
    student.cells[0].pop("execution_count")
    student.cells.append(new_markdown_cell("my notes"))
    twin = nbformat.from_dict(json.loads(json.dumps(student.cells[1])))
    student.cells.append(twin)
    graded, findings = tampering.restore(student, released, tampering.stored_cells(source))
    assert findings == ["read-only cell setup was made a markdown cell: restored as code",
                        "test cell q1_test was changed: restored",
                        "grade id q1 appears 2 times: the first counts, the copies are ordinary cells"]
    assert graded.cells[0].cell_type == "code" and graded.cells[1].source == 'q1 = "A"'
    assert "assert q1 == 'A'" in graded.cells[2].source
    assert "nbgrader" not in graded.cells[-1].metadata  # the copy grades nothing


def test_deleted_cells_come_back_in_place():
    released, source = _assignment()
    student = nbformat.from_dict(json.loads(json.dumps(released)))
    del student.cells[2]
    del student.cells[0]
    graded, findings = tampering.restore(student, released, tampering.stored_cells(source))
    assert findings == ["cell setup deleted: restored", "test cell q1_test deleted: restored"]
    assert [c.metadata["nbgrader"]["grade_id"] for c in graded.cells] == ["setup", "q1", "q1_test"]
    # A course whose nbgrader_config.py turns OverwriteCells.add_missing_cells off: nbgrader's way.
    graded, findings = tampering.restore(student, released, tampering.stored_cells(source), add_missing=False)
    assert findings == ["cell setup deleted: not restored (add_missing_cells is off)",
                        "test cell q1_test deleted: waits for hand grading (add_missing_cells is off)"]
    assert [c.metadata["nbgrader"]["grade_id"] for c in graded.cells] == ["q1"]


def test_sizes_read_and_written():
    assert parse_size("1G") == GiB and parse_size("512M") == 512 * 2 ** 20 and parse_size("2000") == 2000
    assert size(GiB) == "1 GiB" and size(256 * 1024) == "256 KiB" and size(100 * 2 ** 20 + 5) == "100.0 MiB"


@pytest.mark.skipif(mechanism() != "bwrap", reason="needs bubblewrap")
def test_notebook_time_limit_stops_a_slow_notebook_and_zeroes_the_rest():
    from autograder.isolation.sandbox import Sandbox
    from autograder.steps.execute import NOT_RUN, SubmissionClient

    limits = Limits(cell_seconds=20, notebook_seconds=8)
    nb = new_notebook(cells=[new_code_cell("import time\ntime.sleep(3)") for _ in range(6)])
    sandbox = Sandbox(limits)
    try:
        outcome = SubmissionClient(nb, sandbox, limits).run()
    finally:
        sandbox.end()
    assert any("notebook time limit (8 s)" in i for i in outcome.incidents)
    assert nb.cells[-1].outputs[0]["ename"] == NOT_RUN


@pytest.mark.skipif(mechanism() != "bwrap", reason="needs bubblewrap")
def test_a_test_cell_whose_error_was_silenced_still_fails():
    """A hand-written test cell runs in the kernel: code that hides tracebacks must not turn
    its failure into a pass (nbgrader scores a test cell with no error output as full marks)."""
    from nbgrader.utils import determine_grade

    from autograder.isolation.sandbox import Sandbox
    from autograder.steps.execute import SubmissionClient

    test = _graded("q1_test", "assert 1 == 2, 'wrong'", grade=True, locked=True, points=1)
    nb = new_notebook(cells=[new_code_cell("get_ipython().showtraceback = lambda *a, **k: None"), test])
    sandbox = Sandbox(LIMITS)
    try:
        outcome = SubmissionClient(nb, sandbox, LIMITS).run()
    finally:
        sandbox.end()
    assert determine_grade(nb.cells[1]) == (0, 1)
    assert "the error of cell q1_test was hidden: shown again" in outcome.incidents
