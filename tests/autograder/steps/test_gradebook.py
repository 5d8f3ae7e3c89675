"""The gradebook on a real PostgreSQL server, which this test starts itself (initdb into a
temporary folder, a Unix socket there, no TCP port; stopped at the end): gradebooks opened at
once on an empty database, merges of the same new students at once, and two `grade` runs at
once on disjoint and on the same students, with a hand grade set between runs and the
lecturer's report, return and grades read amid the second."""

from __future__ import annotations

import csv
import multiprocessing
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import pytest
from autograder_support import ASSIGNMENT, hand_marked, kit_source

from autograder.paths import REPO, tools_on_path

AUTO = {"q1_test": 3.0, "q2_test": 2.0, "q3_test": 1.0}  # the instructor's answers earn them all


def _bindir() -> Path | None:
    """Debian keeps the server's programs off PATH, in /usr/lib/postgresql/<version>/bin."""
    def version(p):
        return tuple(int(n) for n in p.parts[-3].split(".") if n.isdigit())

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=version)
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


class Server:
    def __init__(self, home: Path) -> None:
        self.home = home

    def database(self, name: str) -> str:
        """A new, empty database on the server; its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(host=str(self.home), user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@/{name}?host={self.home}"

    def query(self, url: str, sql: str) -> list[tuple]:
        import psycopg

        name = url.split("/")[3].split("?")[0]
        with psycopg.connect(host=str(self.home), user="postgres", dbname=name) as conn:
            return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def postgres():
    bindir = _bindir()
    if bindir is None:
        pytest.skip("the PostgreSQL server programs (initdb, pg_ctl) are not installed: Debian package postgresql")
    as_server = []
    if os.geteuid() == 0:
        # initdb refuses to run as root; Debian's postgresql package makes a user for the server.
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("running as root, which initdb refuses, and there is no 'postgres' user to run the "
                        "server as (Debian's postgresql package creates it)")
        as_server = ["runuser", "-u", "postgres", "--"]
    home = Path(tempfile.mkdtemp(prefix="autograder-pg-"))
    if as_server:
        shutil.chown(home, "postgres", "postgres")
    data, log = home / "data", home / "server.log"

    def run(*cmd):
        done = subprocess.run([*as_server, *map(str, cmd)], capture_output=True, text=True)
        if done.returncode:
            detail = log.read_text() if log.exists() else ""
            pytest.fail(f"{cmd[0]} failed: {done.stderr}{done.stdout}\n{detail}")

    run(bindir / "initdb", "-D", data, "--auth=trust", "--username=postgres", "--encoding=UTF8", "--no-instructions")
    # A socket in the test's own folder and no TCP port: nothing to collide with.
    run(bindir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60",
        "-o", f"-c listen_addresses='' -k {home} -c fsync=off", "start")
    try:
        yield Server(home)
    finally:
        subprocess.run([*as_server, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


# --- at once, in several processes -------------------------------------------------------------


def _at_once(target, *args, processes: int = 4) -> list[str]:
    """Run target(*args, barrier, results) in fresh processes released together."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(processes), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, barrier, results)) for _ in range(processes)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    return sorted(results.get(timeout=5) for _ in procs)


def _open_gradebook(url, barrier, results):
    warnings.filterwarnings("ignore")
    from autograder.steps.gradebook import open_gradebook

    barrier.wait()
    try:
        with open_gradebook(url):
            pass
        results.put("ok")
    except Exception as e:  # reported to the test, which names it
        results.put(f"{type(e).__name__}: {str(e).splitlines()[0]}")


def test_gradebooks_opened_at_once_on_an_empty_database_all_open(postgres):
    url = postgres.database("opened_at_once")
    assert _at_once(_open_gradebook, url) == ["ok"] * 4
    assert postgres.query(url, "SELECT id FROM course") == [("default_course",)]
    assert len(postgres.query(url, "SELECT version_num FROM alembic_version")) == 1


def _merge_students(url, students, barrier, results):
    warnings.filterwarnings("ignore")
    from autograder.job import GradeRecord, GradingResult
    from autograder.steps import gradebook

    barrier.wait()
    try:
        with gradebook.Merger(url, "merged") as merger:
            for s in students:
                merger.merge(GradingResult("merged", s, timestamp="2026-03-01 10:00:00",
                                           grades=[GradeRecord("merged", "q1", 1.0, 1.0, False),
                                                   GradeRecord("merged", "essay", 0.0, 6.0, True)]))
        results.put("ok")
    except Exception as e:  # reported to the test, which names it
        results.put(f"{type(e).__name__}: {str(e).splitlines()[0]}")


def test_merges_of_the_same_new_students_at_once_make_one_row_each(postgres):
    from nbgrader.api import Gradebook

    url = postgres.database("merged_at_once")
    tools_on_path()
    with warnings.catch_warnings(), Gradebook(url) as gb:
        warnings.filterwarnings("ignore")
        gb.add_assignment("merged")
        gb.add_notebook("merged", "merged")
        gb.add_grade_cell("q1", "merged", "merged", max_score=1.0, cell_type="code")
        gb.add_grade_cell("essay", "merged", "merged", max_score=6.0, cell_type="markdown")
        gb.add_student("graded-by-hand")
        gb.add_submission("merged", "graded-by-hand")
        essay = gb.find_grade("essay", "merged", "merged", "graded-by-hand")
        essay.manual_score, essay.needs_manual_grade = 5.0, False
        gb.db.commit()
    students = ["graded-by-hand"] + [f"s{i:02d}" for i in range(25)]
    assert _at_once(_merge_students, url, students, processes=3) == ["ok"] * 3
    count = {t: postgres.query(url, f"SELECT count(*) FROM {t}")[0][0]
             for t in ("student", "submitted_assignment", "submitted_notebook", "grade")}
    assert count == {"student": 26, "submitted_assignment": 26, "submitted_notebook": 26, "grade": 52}
    assert postgres.query(url, "SELECT g.manual_score, g.needs_manual_grade FROM grade g "
                               "JOIN submitted_notebook n ON g.notebook_id = n.id "
                               "JOIN submitted_assignment a ON n.assignment_id = a.id "
                               "JOIN base_cell c ON g.cell_id = c.id "
                               "WHERE a.student_id = 'graded-by-hand' AND c.name = 'essay'") == [(5.0, False)]


# --- two `grade` runs at once ------------------------------------------------------------------


@pytest.fixture(scope="module")
def handed_in(tmp_path_factory):
    """The capstone's source and three groups of submissions: the instructor's notebook (every
    auto-graded mark, the essay waiting for a hand grade) or the released one (nothing)."""
    from autograder import config, course

    root = tmp_path_factory.mktemp("postgres-grading")
    source = root / "source"
    shutil.copytree(kit_source() / ASSIGNMENT, source / ASSIGNMENT)
    released = root / "released"
    course.release(ASSIGNMENT, released, settings=config.settings(), source=source)
    groups = {"ta1": {"a1": "teacher", "a2": "blank"}, "ta2": {"b1": "teacher", "b2": "blank"},
              "both": {"c1": "teacher"}}
    folders = {}
    for ta in ("ta1", "ta2"):
        for student, kind in {**groups[ta], **groups["both"]}.items():
            shutil.copytree(source / ASSIGNMENT if kind == "teacher" else released / ASSIGNMENT,
                            root / ta / student / ASSIGNMENT)
        folders[ta] = root / ta
    everyone = root / "everyone"
    for ta in ("ta1", "ta2"):
        shutil.copytree(folders[ta], everyone, dirs_exist_ok=True)
    kinds = {s: k for g in groups.values() for s, k in g.items()}
    return {"root": root, "source": source, "folders": folders, "everyone": everyone, "kinds": kinds}


def _commands_at_once(commands: dict[str, list[str]]) -> dict[str, str]:
    """`python -m autograder COMMAND ...` for each, all started together; what each printed."""
    procs = {name: subprocess.Popen([sys.executable, "-m", "autograder", *argv], cwd=REPO,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for name, argv in commands.items()}
    said = {}
    for name, p in procs.items():
        said[name], _ = p.communicate(timeout=900)
        assert p.returncode == 0, f"{name} exited {p.returncode}:\n{said[name]}"
        assert "Traceback" not in said[name], f"{name}:\n{said[name]}"
    return said


def _grade(url, subs: Path, out: Path, source: Path) -> list[str]:
    return ["grade", ASSIGNMENT, "--submissions", str(subs), "--out", str(out), "--db", url,
            "--source", str(source), "--jobs", "1", "--no-progress"]


def _grade_at_once(url, runs: dict[str, tuple[Path, Path]], source: Path) -> None:
    """`python -m autograder grade` for each (submissions, out), all started together."""
    _commands_at_once({name: _grade(url, subs, out, source) for name, (subs, out) in runs.items()})


def _grades(postgres, url) -> dict[tuple[str, str], tuple]:
    rows = postgres.query(url, """
        SELECT a.student_id, c.name, g.auto_score, g.manual_score, g.needs_manual_grade
        FROM grade g JOIN submitted_notebook n ON g.notebook_id = n.id
        JOIN submitted_assignment a ON n.assignment_id = a.id JOIN base_cell c ON g.cell_id = c.id""")
    out = {}
    for student, cell, auto, manual, pending in rows:
        assert (student, cell) not in out, f"two grades for {student}'s {cell}"
        out[(student, cell)] = (auto, manual, pending)
    return out


def _expected_auto(kind: str, cell: str) -> float:
    return AUTO.get(cell, 0.0) if kind == "teacher" else 0.0


def test_two_grading_runs_at_once_lose_nothing_duplicate_nothing_and_keep_hand_grades(postgres, handed_in):
    """Through every command that opens the gradebook: grade, report, return, grades."""
    from nbgrader.api import Gradebook

    url = postgres.database("two_runs")
    root, kinds = handed_in["root"], handed_in["kinds"]
    # Round 1: each teaching assistant grades their own students, and both grade c1.
    _grade_at_once(url, {ta: (handed_in["folders"][ta], root / f"out-{ta}") for ta in ("ta1", "ta2")},
                   handed_in["source"])
    grades = _grades(postgres, url)
    assert {s for s, _ in grades} == set(kinds)
    assert postgres.query(url, "SELECT count(*) FROM submitted_assignment")[0][0] == len(kinds)
    assert postgres.query(url, "SELECT name, course_id FROM assignment") == [(ASSIGNMENT, "default_course")]
    criteria = hand_marked()
    for (student, cell), (auto, manual, pending) in grades.items():
        if cell in criteria:
            assert manual is None and pending == (kinds[student] == "teacher")  # a blank essay is a zero
        else:
            assert auto == _expected_auto(kinds[student], cell) and not pending, (student, cell)

    # Between the runs, the lecturer marks two essays by hand, criterion by criterion (as
    # formgrader does, through the API): full marks, but half a point less on q4's first for a1.
    tools_on_path()
    with warnings.catch_warnings(), Gradebook(url) as gb:
        warnings.filterwarnings("ignore")
        for student in ("a1", "c1"):
            for gid, points in criteria.items():
                g = gb.find_grade(gid, ASSIGNMENT, ASSIGNMENT, student)
                g.manual_score = points - 0.5 if (student, gid) == ("a1", "q4_c1") else points
                g.needs_manual_grade = False
        gb.db.commit()
    hand = sum(criteria.values())

    # Round 2: both grade every student again, and meanwhile the lecturer runs every command
    # that reads the gradebook (report, return to Canvas, the course's grades), all at once.
    source, lecturer = handed_in["source"], root / "out-lecturer"
    canvas = root / "canvas-gradebook.csv"
    canvas.write_text("Student,ID,SIS User ID,SIS Login ID,Section,Capstone (8801)\n" + "".join(
        f"{s},{4400 + i},{s},{s},Section A,\n" for i, s in enumerate(sorted(kinds))), encoding="utf-8")
    said = _commands_at_once({
        **{ta: _grade(url, handed_in["everyone"], root / f"out-{ta}", source) for ta in ("ta1", "ta2")},
        "report": ["report", ASSIGNMENT, "--out", str(lecturer), "--db", url, "--source", str(source)],
        "return": ["return", ASSIGNMENT, "--out", str(lecturer), "--db", url, "--canvas-gradebook", str(canvas),
                   "--canvas-column", "8801"],
        "grades": ["grades", "--out", str(lecturer), "--db", url],
    })
    after = _grades(postgres, url)
    assert set(after) == set(grades)
    assert postgres.query(url, "SELECT count(*) FROM submitted_assignment")[0][0] == len(kinds)
    assert postgres.query(url, "SELECT count(*) FROM student")[0][0] == len(kinds)
    assert after[("a1", "q4_c1")][1:] == (0.5, False) and after[("c1", "q4_c1")][1:] == (1.0, False)
    assert after[("b1", "q4_c1")][1:] == (None, True)  # not graded by hand yet: still waiting
    for (student, cell), (auto, _, _) in after.items():
        if cell not in criteria:
            assert auto == _expected_auto(kinds[student], cell), (student, cell)
    for ta in ("ta1", "ta2"):
        with open(root / f"out-{ta}" / "grades.csv", newline="", encoding="utf-8") as f:
            rows = {r["student_id"]: r for r in csv.DictReader(f)}
        assert set(rows) == set(kinds)
        assert float(rows["a1"]["score"]) == 6 + hand - 0.5 and rows["a1"]["status"] == "graded"
        assert float(rows["c1"]["score"]) == 6 + hand
        assert rows["b1"]["status"] == "needs hand grading: " + ", ".join(sorted(criteria))
    # What the readers read, amid the merges, is what the gradebook holds: the grading changed
    # no score, so any moment of it gives the same totals.
    total = {s: float(r["score"]) for s, r in rows.items()}
    assert "report:" in said["report"] and (lecturer / "report" / ASSIGNMENT / "per_question.csv").is_file()
    with open(lecturer / "lms_grades.csv", newline="", encoding="utf-8") as f:
        assert {r["student_id"]: float(r[ASSIGNMENT]) for r in csv.DictReader(f)} == total
    with open(lecturer / "lms" / ASSIGNMENT / "canvas-gradebook.csv", newline="", encoding="utf-8") as f:
        returned = {r["SIS User ID"]: r["Capstone (8801)"] for r in csv.DictReader(f)}
    assert returned == {s: "" if s == "b1" else f"{total[s]:.2f}" for s in kinds}  # b1 waits for a hand grade
    assert "4 grade(s) filled in" in said["return"]
