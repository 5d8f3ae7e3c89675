"""Execute as a step (autograder/steps/execute.py): the notebook runs in a sandbox beside the
student's files and the assignment's, with the grader's facts; what went wrong is in the
status; the next submission's kernel is started ahead in the process's pool."""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_notebook
from step_support import STUDENT, work

from autograder.isolation.limits import Limits
from autograder.isolation.sandbox import mechanism
from autograder.kernels import KernelPool
from autograder.steps import execute
from autograder.steps.execute import Kernel, stop_kernel

pytestmark = pytest.mark.skipif(mechanism() != "bwrap", reason="needs bubblewrap")

LIMITS = Limits(cell_seconds=30, notebook_seconds=120)


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")


def test_the_notebook_runs_beside_the_files_and_says_what_went_wrong():
    nb = new_notebook(cells=[
        new_code_cell("import mine, json\nv = json.load(open('variant.json'))\n"
                      "print(mine.x, open('data.txt').read(), v['student'], v['facts'])"),
        new_code_cell("import sys\nsys.exit()"),
    ])
    w = work(nb, limits=LIMITS, facts={"victim": "Ana"}, sandbox=mechanism())
    w.submission.files = {"mine.py": b"x = 7", "variant.json": b'{"facts": "the student\'s own"}'}
    w.submission.provided["data.txt"] = b"given"
    execute.run(w)
    # The student's variant.json is never the one the notebook reads: the grader's facts are.
    assert _text(nb.cells[0]) == f"7 given {STUDENT} {{'victim': 'Ana'}}\n"
    assert w.result.problems == ["sys.exit() in cell 2"]


def test_the_next_kernel_is_started_ahead_and_taken_by_the_next_notebook():
    pool = KernelPool()
    try:
        w = work(new_notebook(cells=[new_code_cell("print(1)")]), limits=LIMITS, kernels=pool, spare_kernel=True,
                 sandbox=mechanism())
        execute.run(w)
        assert w.result.problems == []
        kernel = Kernel.of("python3", "python")
        sandbox, km = pool.take(LIMITS, mechanism(), Kernel("other"))
        sandbox.end()
        assert km is None  # not the kernel asked for: a new sandbox, the kernel still spare
        sandbox, km = pool.take(LIMITS, mechanism(), kernel)
        assert km is not None  # the one started ahead
        stop_kernel(km)
        sandbox.end()
    finally:
        pool.end()
