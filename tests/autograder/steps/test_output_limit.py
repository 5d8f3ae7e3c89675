"""The output limit counts every byte a cell adds to the notebook: a huge exception, huge
output metadata, not only printed text and data."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from autograder import config, course, grading, submissions
from autograder.isolation.limits import Limits

ASSIGNMENT = "protection"
FLOODS = {
    "huge-exception": "raise ValueError('x' * 20_000_000)",
    "huge-metadata": "from IPython.display import display\ndisplay({'text/plain': 'ok'}, metadata={'m': 'x' * 20_000_000}, raw=True)",
    # Chained exceptions: each part under the limit, the traceback over it.
    "huge-traceback": "try:\n    raise KeyError('k' * 600_000)\nexcept KeyError as e:\n    raise ValueError('v' * 600_000) from e",
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("output-limit")
    settings = config.settings()
    course.release(ASSIGNMENT, root / "released", settings=settings)
    for student, code in FLOODS.items():
        folder = root / "submitted" / student / ASSIGNMENT
        shutil.copytree(root / "released" / ASSIGNMENT, folder)
        nb = nbformat.read(folder / f"{ASSIGNMENT}.ipynb", as_version=4)
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1")
        cell.source = code + "\n" + cell.source
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    out = root / "out"
    run = grading.grade(ASSIGNMENT, submissions.find(root / "submitted", ASSIGNMENT), out, jobs=2, settings=settings,
                        progress=False, limits=Limits(output_bytes=2**20))
    return {r["student_id"]: r for r in run.rows}, out


@pytest.mark.parametrize("student", sorted(FLOODS))
def test_every_kind_of_flood_meets_the_limit_and_stays_out_of_what_is_written(graded, student):
    rows, out = graded
    assert "output limit (1 MiB) in cell q1" in rows[student]["status"], rows[student]["status"]
    notebook = out / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    feedback = out / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert notebook.stat().st_size < 3 * 2**20 and feedback.stat().st_size < 3 * 2**20
