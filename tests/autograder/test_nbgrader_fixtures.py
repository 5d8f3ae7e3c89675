"""Any nbgrader assignment is graded as nbgrader grades it.

The assignments of nbgrader_corpus.py (nbgrader's own test fixtures, read from the installed
package, and a few notebooks for what they lack: task cells, partial credit, a student's own
module, the course's own configuration) are graded once by plain `nbgrader autograde` and once
by `python -m autograder grade`. Every grade cell must get the same score, maximum score and
needs-manual-grade flag from both, except the deliberate differences in DELIBERATE, each with
its reason (they are described in README "Graded notebooks" and autograder/THREAT_MODEL.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from nbgrader_corpus import CASES, grade_all

from autograder.errors import CourseError
from autograder.isolation.sandbox import mechanism

pytestmark = pytest.mark.skipif(mechanism() != "bwrap", reason="needs bubblewrap (Debian package bubblewrap)")

Cell = tuple[float | None, float, bool]  # score, max score, needs manual grade


@dataclass(frozen=True)
class Deliberate:
    """Where the runner grades differently on purpose: what it records instead, and why."""

    case: str
    student: str
    notebook: str
    runner: dict[str, Cell]  # grade id -> what the runner records
    reason: str


DELIBERATE = [
    Deliberate("basic", "missing-p1", "p1",
               {"foo": (0.0, 1.0, False), "bar": (0.0, 1.0, False), "baz": (0.0, 2.0, False),
                "quux": (0.0, 3.0, False)},
               "A submission without a notebook keeps its row: nbgrader records nothing for it, the runner "
               "scores it zero with the status 'missing notebook p1.ipynb', so every submission has one row "
               "and a status."),
    Deliberate("basic", "deleted-test", "p1", {"bar": (1.0, 1.0, False)},
               "A deleted test cell is put back and run, as nbgrader does only with "
               "OverwriteCells.add_missing_cells (without it the grade waits for a hand grade). A course "
               "whose nbgrader_config.py sets it to False gets nbgrader's way (case 'policies')."),
    Deliberate("files", "renamed", "p2", {"open_file": (10.0, 10.0, False)},
               "A single notebook under another name is graded in place of the missing one, and the status "
               "says so (nbgrader scores the missing notebook zero). `grade --exact-names` gives nbgrader's "
               "way (case 'policies')."),
]


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    return grade_all(tmp_path_factory.mktemp("nbgrader-corpus"))


def _deliberate(case: str, key: tuple[str, str, str]) -> Deliberate | None:
    student, notebook, cell = key
    return next((d for d in DELIBERATE if (d.case, d.student, d.notebook) == (case, student, notebook)
                 and cell in d.runner), None)


@pytest.mark.parametrize("case", [c.name for c in CASES])
def test_every_grade_cell_as_nbgrader_grades_it(graded, case):
    g = graded[case]
    assert g.nbgrader and g.runner, f"{case}: nothing graded"
    differ = {key: (g.nbgrader.get(key), g.runner.get(key)) for key in sorted(set(g.nbgrader) | set(g.runner))
              if g.nbgrader.get(key) != g.runner.get(key) and _deliberate(case, key) is None}
    assert not differ, "(student, notebook, cell): (nbgrader, runner)\n" + "\n".join(
        f"{k}: {v}" for k, v in differ.items())
    assert not any("could not grade" in r["status"] for r in g.rows.values()), g.rows


@pytest.mark.parametrize("d", DELIBERATE, ids=lambda d: f"{d.case}-{d.student}")
def test_each_deliberate_difference_is_what_it_says(graded, d):
    g = graded[d.case]
    for cell, expected in d.runner.items():
        key = (d.student, d.notebook, cell)
        assert g.runner.get(key) == expected, (key, g.runner.get(key))
        assert g.nbgrader.get(key) != expected, f"{key}: no longer a difference; take it out of the table"


def test_the_statuses_say_what_happened(graded):
    rows = {case: g.rows for case, g in graded.items()}
    assert rows["basic"]["missing-p1"]["status"] == "missing notebook p1.ipynb"
    assert "test cell bar deleted: restored" in rows["basic"]["deleted-test"]["status"]
    assert rows["basic"]["unchanged"]["status"] == "graded"  # an unanswered hand-graded answer is a zero
    assert "missing notebook p2.ipynb (found p2 (1).ipynb: graded in its place)" in rows["files"]["renamed"]["status"]
    # The course's nbgrader_config.py: its Execute.timeout of 2 s, its policies.
    assert "timeout in cell correct_squares (2 s)" in rows["environment"]["as-released"]["status"]
    policies = rows["policies"]
    assert "test cell bar deleted: waits for hand grading" in policies["deleted-test"]["status"]
    assert "task cell task1 deleted: waits for hand grading" in policies["deleted-test"]["status"]
    assert policies["renamed"]["status"].startswith("missing notebook p2.ipynb (found p2-mine.ipynb);")
    # A task cell is marked by hand: its points count as hand-graded, and until it is marked the
    # hand score is open (grades.csv leaves it empty).
    # (task1 2 + essay 1 by hand; answer_test 1 + partial 2 + uses_module_test 1 automatic.)
    answered = rows["tasks"]["answered"]
    assert (float(answered["hand_max_score"]), float(answered["auto_max_score"]), float(answered["max_score"])) \
        == (3.0, 4.0, 7.0), answered
    assert answered["hand_score"] == "", answered
    # Files the assignment provides are its own, whatever the student handed in.
    assert "subdir/data.csv: the assignment's own used" in rows["files"]["unchanged"]["status"]


def test_the_corpus_covers_every_kind_of_cell(graded):
    """Test cells (plain, AUTOTEST, hidden AUTOTEST, partial credit), hand-graded answers, and
    task cells, with scores of every kind: full, partial, zero and waiting for a hand grade."""
    cells = {(case, *key): value for case, g in graded.items() for key, value in g.nbgrader.items()}
    assert len(cells) >= 80
    assert cells[("tasks", "answered", "p1", "partial")] == (1.5, 2.0, False)
    assert cells[("tasks", "answered", "p1", "task1")] == (0.0, 2.0, True)
    assert cells[("tasks", "answered", "p2", "uses_module_test")] == (1.0, 1.0, False)  # the student's mine.py
    assert cells[("autotest-hidden", "changed-right", "p1", "test_hidden")] == (1.0, 1.0, False)
    assert cells[("autotest", "unchanged", "p2", "test_hashed")] == (0.0, 1.0, False)
    assert cells[("basic", "changed", "p1", "baz")] == (0.0, 2.0, True)
    assert cells[("environment", "as-released", "p1", "cell-bfbdf1784663b6b6")] == (0.0, 1.0, False)  # NBGRADER_EXECUTION


def test_the_course_configuration_is_read_beside_the_source_folder(tmp_path):
    """Its settings apply under the command line's; the course folder stays the runner's; a
    notebook that is not the kit's keeps nbgrader's own stubs."""
    import nbformat

    from autograder import config, course

    (tmp_path / "source" / "a1").mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "source" / "a1" / "n.ipynb")
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.root = '/elsewhere'\nc.Execute.timeout = 2\n"
        "c.ClearSolutions.text_stub = 'Answer here.'\nc.Autograde.exclude_overwriting = {'a1': ['mine.py']}\n"
        "c.InstantiateTests.sanitizers = {'python3': lambda s: s}\nc.CourseDirectory.ignore.append('*.bak')\n",
        encoding="utf-8")
    s = course.course_settings(config.settings(), "a1", tmp_path / "source")
    assert s["Execute"]["timeout"] == 2 and s["Autograde"]["exclude_overwriting"] == {"a1": ["mine.py"]}
    assert s["ClearSolutions"] == {"text_stub": "Answer here."}  # nbgrader's code stub, the course's text stub
    assert "root" not in s["CourseDirectory"] and "InstantiateTests" not in s  # the runner's; not plain data
    assert s["CourseDirectory"]["ignore"][-1] == "*.bak"
    assert course.course_settings(s, "a1", tmp_path / "source") == s
    given = course.course_settings(config.settings(timeout=9), "a1", tmp_path / "source")
    assert given["Execute"]["timeout"] == 9  # the command line wins
    plain = tmp_path / "plain" / "source"
    (plain / "a1").mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), plain / "a1" / "n.ipynb")
    assert course.course_settings(config.settings(), "a1", plain)["Execute"] == {
        "allow_errors": True, "timeout": 30}  # no nbgrader_config.py: nbgrader's default


def test_a_notebook_runs_in_its_own_kernel_if_it_is_installed(capsys):
    from autograder import course

    assert course._kernel("p1", "python", "python") == "python3"  # as jupyter_client reads "python"
    assert course._kernel("p1", "no-such-env", "python") == "python3"
    assert "no-such-env" in capsys.readouterr().err
    with pytest.raises(CourseError, match="'ir'"):
        course._kernel("p1", "ir", "R")
