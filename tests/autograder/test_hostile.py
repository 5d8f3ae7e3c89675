"""A batch of hostile, broken and careless submissions, plus honest ones, graded in
one run. Every submission ends in one row with its specific status; honest ones score as
they would alone; no hostile one gains a point; nothing is left running; the student code
cannot read the answer key, the gradebook or other students' work; a second run gives the
same table. Short limits keep it quick on two cores."""

from __future__ import annotations

import csv
import os

import pytest
from autograder_support import kit_source
from hostile_cases import ASSIGNMENT, SandboxFolderPeak, cases, check_row, leftover_children, snoop_found, write_all
from nbgrader.api import Gradebook

from autograder import config, course, grading, submissions
from autograder.isolation.limits import KiB, Limits, MiB
from autograder.isolation.sandbox import mechanism
from autograder.paths import REPO
from exercises.paths import graded_dir

LIMITS = Limits(cell_seconds=10, notebook_seconds=60, processes=32, output_bytes=256 * KiB, disk_bytes=16 * MiB)
HONEST = ("honest-full", "honest-partial", "zoë o'brien; $(id) <2>")
KEYS = ("score", "max_score", "auto_score", "auto_max_score", "status")

pytestmark = pytest.mark.skipif(mechanism() != "bwrap", reason="needs bubblewrap (Debian package bubblewrap)")


def _table(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    settings = config.settings()
    released = root / "released"
    course.release(ASSIGNMENT, released, settings=settings)
    subs, out = root / "submitted", root / "out"
    source = kit_source()
    secrets = [str(source / "**" / "*.ipynb"), str(source / "**" / "*.json"), str(REPO / "exercises" / "assignments" / "*.md"),
               str(out / "gradebook.db"), str(out / "source" / "**"), str(subs / "honest-full" / "**" / "*.ipynb"),
               str(subs / "*"), "/tmp/ag-*/work/*.ipynb", "/tmp/pytest-of-*/**/gradebook.db",
               # The bank (the key of every graded question) and the rest of the course folder.
               str(REPO / "exercises" / "bank" / "**" / "*.yaml"), str(REPO / "exercises" / "**" / "*.py"),
               str(REPO / "README.md"), "/tmp/autograder-template-*/**",
               str(graded_dir() / "**" / "*.yaml")]  # the keys, wherever COURSE_GRADED_BANK puts them
    cases = write_all(released / ASSIGNMENT, subs, secrets)
    found = submissions.find(subs, ASSIGNMENT)
    # A secret in the grader's environment (a CI token, say) that the snooping case looks for.
    os.environ["AUTOGRADER_TEST_SECRET"] = "s3cret"
    try:
        with SandboxFolderPeak() as folders:
            run = grading.grade(ASSIGNMENT, found, out, jobs=2, settings=settings, progress=False, limits=LIMITS)
    finally:
        del os.environ["AUTOGRADER_TEST_SECRET"]
    first = _table(out / "grades.csv")
    second_run = grading.grade(ASSIGNMENT, submissions.find(subs, ASSIGNMENT), out, jobs=2, settings=settings,
                               progress=False, limits=LIMITS)
    # The honest ones alone, for comparison.
    alone_subs = root / "alone"
    for student in HONEST:
        case = next(c for c in cases if c.student == student)
        case.make(released / ASSIGNMENT, alone_subs / student / ASSIGNMENT)
    alone = grading.grade(ASSIGNMENT, submissions.find(alone_subs, ASSIGNMENT), root / "alone-out", jobs=1,
                          settings=settings, progress=False, limits=LIMITS)
    return {"cases": cases, "run": run, "rows": {r["student_id"]: r for r in run.rows}, "first": first,
            "second": second_run, "out": out, "alone": {r["student_id"]: r for r in alone.rows},
            "subs": subs, "folder_peak": folders.peak}


def test_every_submission_has_exactly_one_row(hostile):
    students = [r["student_id"] for r in hostile["first"]]
    assert sorted(students) == sorted(c.student for c in hostile["cases"])
    assert len(students) == len(set(students))


N_CASES = len(cases([]))


@pytest.mark.parametrize("index", range(N_CASES))
def test_each_case_gets_its_status_and_never_gains_a_point(hostile, index):
    case = hostile["cases"][index]
    check_row(case, hostile["rows"][case.student])


def test_case_list_is_complete(hostile):
    names = {c.student for c in hostile["cases"]}
    for kind in ("endless-loop", "sleep-forever", "memory-bomb", "fork-bomb", "output-flood", "sys-exit", "os-exit",
                 "kernel-crash", "deleted-test", "edited-test", "retyped-test", "duplicated-ids", "truncated",
                 "nbformat3", "binary", "not-utf8", "huge", "wrong-name", "extra-files", "empty", "snoop",
                 "always-equal", "silenced-errors", "blanked-tests", "display-hook"):
        assert kind in names


def test_honest_submissions_grade_as_they_would_alone(hostile):
    for student in HONEST:
        assert {k: hostile["rows"][student][k] for k in KEYS} == {k: hostile["alone"][student][k] for k in KEYS}


def test_the_disk_filler_filled_no_more_than_its_limit_on_the_host(hostile):
    check_row(next(c for c in hostile["cases"] if c.student == "disk-filler"), hostile["rows"]["disk-filler"],
              ["disk limit (16 MiB) in cell q2"])
    assert 0 < hostile["folder_peak"] <= LIMITS.disk_bytes


def test_nothing_a_submission_started_is_left_running(hostile):
    assert leftover_children() == []
    sandbox_users = []
    from pathlib import Path

    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if 61000 <= d.stat().st_uid < 62000:
                    sandbox_users.append(d.name)
            except OSError:
                pass
    assert sandbox_users == []


def test_student_code_could_not_read_the_answer_key_gradebook_or_other_students(hostile):
    assert snoop_found(hostile["out"]) == "[]"


def test_a_second_run_gives_the_same_table_without_duplicates(hostile):
    second = _table(hostile["out"] / "grades.csv")
    changed = [(a, b) for a, b in zip(hostile["first"], second) if a != b]
    assert not changed and len(second) == len(hostile["first"])
    with Gradebook(grading.default_db(hostile["out"])) as gb:
        assert len(gb.assignment_submissions(ASSIGNMENT)) == len(hostile["cases"])


def test_tampering_is_in_the_lecturers_report(hostile):
    from autograder.steps.report import write

    folder = write(grading.default_db(hostile["out"]), ASSIGNMENT, hostile["out"])
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "test cell q2_test deleted: restored" in html
    assert "deleted-test" in html
