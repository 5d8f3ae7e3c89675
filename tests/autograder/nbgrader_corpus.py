"""Assignments built from nbgrader's own test fixtures (shipped inside the installed nbgrader
package, ``nbgrader/tests/apps/files/``), graded once by plain ``nbgrader autograde`` and once
by the course runner, so the two can be compared cell by cell.

Each case follows one of nbgrader's own autograde tests (``nbgrader/tests/apps/
test_nbgrader_autograde.py``): the same source notebook, the same submissions, the same
configuration, plus a few notebooks written here for what the fixtures lack (task cells,
partial credit, a student's own module). Nothing of nbgrader's is copied into this
repository: the fixtures are read from the installed package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import nbgrader
from kernel_support import ipc_arguments

FILES = Path(nbgrader.__file__).parent / "tests" / "apps" / "files"
PS = "ps1"


def _nbgrader_meta(grade_id, *, grade=False, solution=False, locked=False, task=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": task}
    if grade or task:
        meta["points"] = points
    return {"nbgrader": meta}


def _cell(kind: str, source: str, **nbg) -> nbformat.NotebookNode:
    c = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if nbg:
        c.metadata = _nbgrader_meta(**nbg)
    return c


def task_notebook(answer: str = "    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION") -> str:
    """A task cell (graded by hand, no answer cell of its own), a manually graded answer, and
    an autograded answer with partial credit (a test cell whose result is a number)."""
    nb = nbformat.v4.new_notebook(cells=[
        _cell("markdown", "Describe the data in one paragraph.", grade_id="task1", task=True, points=2, locked=True),
        _cell("markdown", "### BEGIN SOLUTION\nIt is small.\n### END SOLUTION", grade_id="essay",
              grade=True, solution=True, points=1),
        _cell("code", f"def answer():\n{answer}", grade_id="answer", solution=True),
        _cell("code", "assert answer() == 42", grade_id="answer_test", grade=True, locked=True, points=1),
        _cell("code", "1.5 if answer() == 42 else 0.5", grade_id="partial", grade=True, locked=True, points=2),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


def helper_notebook() -> str:
    """An answer that imports a module the student hands in beside the notebook."""
    nb = nbformat.v4.new_notebook(cells=[
        _cell("code", "### BEGIN SOLUTION\nfrom mine import value\n### END SOLUTION", grade_id="uses_module",
              solution=True),
        _cell("code", "assert value == 7", grade_id="uses_module_test", grade=True, locked=True, points=1),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


def _content(spec: str) -> bytes:
    if spec.startswith("fixture:"):
        return (FILES / spec[len("fixture:"):]).read_bytes()
    return spec.encode("utf-8")


def without(spec: str, grade_id: str) -> str:
    """A notebook (a fixture's name or text, as in a Case) with one of its cells deleted, as a
    student may delete it."""
    nb = json.loads(_content(spec))
    nb["cells"] = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != grade_id]
    return json.dumps(nb)


@dataclass
class Case:
    """One assignment: files of its source folder, files of each student's submission (a
    fixture's name, or text), lines for the course's nbgrader_config.py, and options for the
    runner's `grade`."""

    name: str
    source: dict[str, str]
    submissions: dict[str, dict[str, str]]
    config: list[str] = field(default_factory=list)
    course_files: dict[str, str] = field(default_factory=dict)  # beside nbgrader_config.py
    runner_args: tuple[str, ...] = ()


CASES = [
    Case("basic", {"p1.ipynb": "fixture:submitted-unchanged.ipynb"}, {
        "unchanged": {"p1.ipynb": "fixture:submitted-unchanged.ipynb"},
        "changed": {"p1.ipynb": "fixture:submitted-changed.ipynb"},
        "cheat": {"p1.ipynb": "fixture:submitted-cheat-attempt.ipynb"},
        "cheat-alternative": {"p1.ipynb": "fixture:submitted-cheat-attempt-alternative.ipynb"},
        "grade-cell-changed": {"p1.ipynb": "fixture:submitted-grade-cell-changed.ipynb"},
        "locked-cell-changed": {"p1.ipynb": "fixture:submitted-locked-cell-changed.ipynb"},
        "missing-p1": {"timestamp.txt": "2015-02-02 15:58:23.948203 America/Los_Angeles"},
        "deleted-test": {"p1.ipynb": without("fixture:submitted-changed.ipynb", "bar")},
    }),
    Case("autotest", {"p1.ipynb": "fixture:autotest-simple.ipynb", "p2.ipynb": "fixture:autotest-hashed.ipynb",
                      "p3.ipynb": "fixture:autotest-multi.ipynb"}, {
        "unchanged": {"p1.ipynb": "fixture:autotest-simple-unchanged.ipynb",
                      "p2.ipynb": "fixture:autotest-hashed-unchanged.ipynb",
                      "p3.ipynb": "fixture:autotest-multi-unchanged.ipynb"},
        "changed": {"p1.ipynb": "fixture:autotest-simple-changed.ipynb",
                    "p2.ipynb": "fixture:autotest-hashed-changed.ipynb",
                    "p3.ipynb": "fixture:autotest-multi-changed.ipynb"},
    }, course_files={"autotests.yml": "fixture:autotests.yml"}),
    Case("autotest-hidden", {"p1.ipynb": "fixture:autotest-hidden.ipynb"}, {
        "unchanged": {"p1.ipynb": "fixture:autotest-hidden-unchanged.ipynb"},
        "changed-wrong": {"p1.ipynb": "fixture:autotest-hidden-changed-wrong.ipynb"},
        "changed-right": {"p1.ipynb": "fixture:autotest-hidden-changed-right.ipynb"},
    }, config=['c.ClearSolutions.code_stub = dict(python="# YOUR CODE HERE")'],
        course_files={"autotests.yml": "fixture:autotests.yml"}),
    Case("files", {"p1.ipynb": "fixture:submitted-unchanged.ipynb", "p2.ipynb": "fixture:open_relative_file.ipynb",
                   "data.txt": "fixture:data.txt", "subdir/data.csv": "some,data\n",
                   "subdir/helper.py": "print('hello!')\n"}, {
        "unchanged": {"p1.ipynb": "fixture:submitted-unchanged.ipynb", "p2.ipynb": "fixture:open_relative_file.ipynb",
                      "subdir/data.csv": "some,other,data\n", "subdir/helper.py": "print('this is different!')\n"},
        "no-data": {"p1.ipynb": "fixture:submitted-changed.ipynb", "p2.ipynb": "fixture:open_relative_file.ipynb"},
        "renamed": {"p1.ipynb": "fixture:submitted-changed.ipynb", "p2 (1).ipynb": "fixture:open_relative_file.ipynb",
                    "data.txt": "not the assignment's\n"},
    }, config=['c.Autograde.exclude_overwriting = {"ps1": ["subdir/helper.py"]}']),
    Case("environment", {"p1.ipynb": "fixture:validating-environment-variable.ipynb",
                         "p2.ipynb": "fixture:timeout.ipynb"}, {
        "as-released": {"p1.ipynb": "fixture:validating-environment-variable.ipynb",
                        "p2.ipynb": "fixture:timeout.ipynb"},
    }, config=["c.Execute.timeout = 2"]),
    Case("tasks", {"p1.ipynb": task_notebook(), "p2.ipynb": helper_notebook()}, {
        "answered": {"p1.ipynb": task_notebook("    return 42"),
                     "p2.ipynb": helper_notebook().replace("### BEGIN SOLUTION\\nfrom mine import value\\n### END SOLUTION",
                                                           "from mine import value"),
                     "mine.py": "value = 7\n"},
        "unanswered": {},  # filled with the released notebooks in build()
    }),
    # nbgrader's behaviour where the runner's differs by policy, chosen by the course's
    # configuration (deleted cells stay deleted) and the runner's command line (a notebook under
    # another name is not graded in place of a missing one).
    Case("policies", {"p1.ipynb": "fixture:submitted-unchanged.ipynb", "p2.ipynb": task_notebook()}, {
        "deleted-test": {"p1.ipynb": without("fixture:submitted-changed.ipynb", "bar"),
                         "p2.ipynb": without(task_notebook("    return 42"), "task1")},
        "renamed": {"p1.ipynb": "fixture:submitted-changed.ipynb", "p2-mine.ipynb": task_notebook("    return 42")},
    }, config=["c.OverwriteCells.add_missing_cells = False"], runner_args=("--exact-names",)),
]


def build(root: Path, case: Case) -> Path:
    """A course folder in nbgrader's layout: source/, nbgrader_config.py, submitted/ (after
    `nbgrader generate_assignment`, so that unanswered submissions are the released notebooks)."""
    course = root / case.name
    for rel, spec in case.source.items():
        (course / "source" / PS / rel).parent.mkdir(parents=True, exist_ok=True)
        (course / "source" / PS / rel).write_bytes(_content(spec))
    for rel, spec in case.course_files.items():
        (course / rel).write_bytes(_content(spec))
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n" + "\n".join(["c.CourseDirectory.root = '.'", *case.config]) + "\n", encoding="utf-8")
    nbgrader_cli(course, "generate_assignment", PS, "--force")
    for student, files in case.submissions.items():
        folder = course / "submitted" / student / PS
        folder.mkdir(parents=True, exist_ok=True)
        if not files:
            shutil.copytree(course / "release" / PS, folder, dirs_exist_ok=True)
        for rel, spec in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(_content(spec))
    return course


def nbgrader_cli(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    r = subprocess.run([sys.executable, "-m", "nbgrader", *args, *ipc_arguments(course)], cwd=course, capture_output=True, text=True,
                       env=env, timeout=900)
    if r.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed in {course}:\n{r.stdout}\n{r.stderr}")
    return r


def grade_with_nbgrader(course: Path) -> dict:
    """Plain `nbgrader autograde` in the course folder (it adds the students itself)."""
    nbgrader_cli(course, "autograde", PS, "--force")
    return cells(f"sqlite:///{course / 'gradebook.db'}")


def grade_with_runner(course: Path, out: Path, *extra: str) -> tuple[dict, dict[str, dict]]:
    """`python -m autograder grade` on the course's source and submitted folders: the cells of
    its gradebook and the rows of its grades.csv, by student."""
    import csv

    r = subprocess.run([sys.executable, "-m", "autograder", "grade", PS, "--source", str(course / "source"),
                        "--submissions", str(course / "submitted"), "--out", str(out), "--jobs", "2",
                        "--no-progress", *extra], capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        raise RuntimeError(f"the runner failed on {course}:\n{r.stdout}\n{r.stderr}")
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    return cells(f"sqlite:///{out / 'gradebook.db'}"), rows


@dataclass
class Graded:
    case: Case
    nbgrader: dict  # cells(): what plain nbgrader recorded
    runner: dict  # cells(): what the runner recorded
    rows: dict[str, dict]  # the runner's grades.csv, by student


def grade_all(root: Path, cases: list[Case] = CASES, threads: int = 3) -> dict[str, Graded]:
    """Every case built, then graded both ways, the gradings running side by side (each is
    mostly waiting for kernels). The runner grades a copy of the course made before nbgrader
    writes into it."""
    with ThreadPoolExecutor(threads) as pool:
        courses = dict(zip([c.name for c in cases], pool.map(lambda c: build(root, c), cases), strict=True))
        for case in cases:
            shutil.copytree(courses[case.name], root / f"{case.name}-runner")
        # The slowest first: the cases whose assignment nbgrader instantiates AUTOTEST lines for.
        order = sorted(cases, key=lambda c: not c.course_files)
        theirs = {c.name: pool.submit(grade_with_nbgrader, courses[c.name]) for c in order}
        ours = {c.name: pool.submit(grade_with_runner, root / f"{c.name}-runner", root / f"{c.name}-out",
                                    *c.runner_args) for c in order}
        return {c.name: Graded(c, theirs[c.name].result(), *ours[c.name].result()) for c in cases}


def cells(db_url: str) -> dict[tuple[str, str, str], tuple[float | None, float, bool]]:
    """(student, notebook, grade cell) -> (score, max score, needs manual grade)."""
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(db_url) as gb:
        for sub in gb.assignment_submissions(PS):
            for nb in sub.notebooks:
                for g in nb.grades:
                    out[(sub.student.id, nb.name, g.name)] = (g.score, g.max_score, bool(g.needs_manual_grade))
    return out
