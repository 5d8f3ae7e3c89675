"""No solution, hidden test or rubric line reaches a student: every released notebook (all
assignments, shared and per-student facts), every student's feedback page and the LMS export
are scanned for every such line of the instructor notebooks."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest
from autograder_support import kit_source

from autograder import course
from autograder.lms.totals import export

REGIONS = {"### BEGIN SOLUTION": "solution", "### BEGIN HIDDEN TESTS": "hidden"}
ENDS = {"### END SOLUTION", "### END HIDDEN TESTS"}


def secret_lines() -> dict[str, set[str]]:
    """Lines inside solution and hidden-test regions of every instructor notebook, less the
    lines the instructor also wrote in the open (an import every student sees, a rubric's
    descriptor that the marking notes repeat: students read each criterion beside its question)."""
    found = {"solution": set(), "hidden": set(), "rubric": set()}
    public: set[str] = set()
    for path in sorted(kit_source().glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            region = None
            for line in cell.source.splitlines():
                s = line.strip()
                if s in REGIONS:
                    region = REGIONS[s]
                elif s in ENDS:
                    region = None
                elif s:
                    kind = "rubric" if region == "solution" and cell.cell_type == "markdown" else region
                    (found[kind] if kind else public).add(s)
    seen = "\n".join(public)
    return {k: {s for s in v - public if len(s) > 3 and s not in seen} for k, v in found.items()}


def text_of(path: Path) -> str:
    t = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        t = html.unescape(re.sub(r"<[^>]+>", "", t))
    if path.suffix == ".ipynb":  # the lines as a student sees them, not JSON-escaped
        nb = nbformat.reads(t, as_version=4)
        t = "\n".join(c.source for c in nb.cells)
    return t


def leaks(paths, lines) -> list[tuple[str, str]]:
    out = []
    for p in paths:
        t = text_of(p)
        out += [(str(p), s) for s in sorted(lines) if s in t]
    return out


@pytest.fixture(scope="module")
def secrets():
    s = secret_lines()
    assert s["solution"] and s["hidden"] and s["rubric"]
    return s


@pytest.fixture(scope="module")
def released_all(tmp_path_factory):
    from autograder import config

    out = tmp_path_factory.mktemp("released-all")
    for folder in sorted(p for p in kit_source().iterdir() if p.is_dir()):
        course.release(folder.name, out, settings=config.settings())
    return out


def test_the_scan_finds_secrets_where_they_are(batch, secrets):
    """The autograded notebooks (instructor only) hold the hidden tests: the scan is not vacuous."""
    graded = sorted((batch["out"] / "autograded").rglob("*.ipynb"))
    assert graded and leaks(graded, secrets["hidden"])


def test_released_notebooks_hold_no_solution_hidden_test_or_rubric(released_all, batch, secrets):
    files = [p for root in (released_all, batch["released"]) for p in root.rglob("*") if p.is_file()]
    assert any(p.suffix == ".ipynb" for p in files)
    assert leaks(files, secrets["solution"] | secrets["hidden"] | secrets["rubric"]) == []


def test_feedback_holds_no_hidden_test_and_no_rubric(batch, secrets):
    pages = sorted((batch["out"] / "feedback").rglob("*.html"))
    assert len(pages) == 4
    students = [p for p in pages if "teacher" not in p.parts]
    assert leaks(students, secrets["hidden"]) == []
    # The instructor notebook handed in as "teacher" carries solutions and the rubric as its
    # own answers (an import line of a solution is also a hidden-test line); nothing more.
    teacher = [p for p in pages if "teacher" in p.parts]
    assert leaks(teacher, secrets["hidden"] - secrets["solution"]) == []
    assert leaks(students, secrets["rubric"]) == []
    blank = [p for p in pages if "blank" in p.parts]
    assert leaks(blank, secrets["solution"]) == []


def test_lms_export_holds_only_numbers(batch, secrets):
    path = export(batch["db_url"], batch["out"])
    assert leaks([path], secrets["solution"] | secrets["hidden"] | secrets["rubric"]) == []
