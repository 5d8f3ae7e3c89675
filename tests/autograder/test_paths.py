"""The kit's nbgrader sources are built when they are needed, never kept: the same bytes each
time, by `release`, `grade` and `report` for the assignment they are asked for; a lecturer's
own folder (--source) is used as it is."""

from __future__ import annotations

import os
import shutil

import nbformat
import pytest

import exercises.assignments
from autograder import config, course
from autograder.cli import main
from autograder.errors import CourseError
from autograder.paths import REPO, assignment_source
from exercises.assignments.build import assignment_names, build_sources


def _files(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_building_twice_gives_the_same_bytes(tmp_path):
    build_sources(tmp_path / "a")
    build_sources(tmp_path / "b")
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a == b
    assert {p.parts[0] for p in a} == set(assignment_names())
    for name in assignment_names():
        assert {p.name for p in a if p.parts[0] == name} == {
            f"{name}.ipynb", "course_tools.py", "citations.py", "assignment.json"}
    # Built again in place: nothing is rewritten (a release and its grading see the same files).
    stamps = {p: os.stat(tmp_path / "a" / p).st_mtime_ns for p in a}
    build_sources(tmp_path / "a")
    assert {p: os.stat(tmp_path / "a" / p).st_mtime_ns for p in a} == stamps


def test_a_build_leaves_nothing_of_an_earlier_one(tmp_path):
    build_sources(tmp_path, names=["protection"])
    (tmp_path / "protection" / "course_tools_old.py").write_text("stale", encoding="utf-8")
    build_sources(tmp_path, names=["protection"])
    assert not (tmp_path / "protection" / "course_tools_old.py").exists()


def test_nothing_built_is_kept_in_the_repository():
    import subprocess

    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files", "exercises/source", "_build"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout
    assert tracked == ""
    ignored = subprocess.run(["git", "check-ignore", "-q", str(exercises.assignments.SOURCE_DIR / "x.ipynb")],
                             cwd=REPO)
    assert ignored.returncode == 0


def test_release_builds_the_kits_assignment_it_is_asked_for(tmp_path, monkeypatch):
    monkeypatch.setattr(exercises.assignments, "SOURCE_DIR", tmp_path / "built")
    written = course.release("savings-clause", tmp_path / "released", settings=config.settings())
    assert [p.name for p in written] == ["savings-clause.ipynb"]
    assert sorted(p.name for p in (tmp_path / "built").iterdir()) == ["savings-clause"]  # that one only
    released = {p.name for p in (tmp_path / "released" / "savings-clause").iterdir()}
    assert {"course_tools.py", "citations.py", "assignment.json"} <= released


def test_a_lecturers_own_source_folder_is_used_as_it_is(tmp_path, monkeypatch):
    monkeypatch.setattr(exercises.assignments, "SOURCE_DIR", tmp_path / "built")
    mine = tmp_path / "mine" / "week-1"
    mine.mkdir(parents=True)
    cell = nbformat.v4.new_code_cell("answer = 1\n### BEGIN HIDDEN TESTS\nassert answer == 1\n### END HIDDEN TESTS")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "t1", "locked": True, "points": 1.0,
                                 "schema_version": 3, "solution": False, "task": False}
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), mine / "week-1.ipynb")
    assert assignment_source("week-1", tmp_path / "mine") == tmp_path / "mine"
    course.release("week-1", tmp_path / "released", settings=config.settings(), source=tmp_path / "mine")
    assert (tmp_path / "released" / "week-1" / "week-1.ipynb").is_file()
    assert not (tmp_path / "built").exists()  # nothing of the kit's was built


def test_an_unknown_assignment_names_the_ones_there_are(tmp_path):
    with pytest.raises(CourseError, match="no assignment 'week-9' in .*assignments.*capstone, compensation"):
        assignment_source("week-9")
    with pytest.raises(CourseError, match=r"no assignment 'week-9' in .*mine \(assignments: none\)"):
        assignment_source("week-9", tmp_path / "mine")


def test_build_sources_writes_them_for_a_lecturer_to_read(tmp_path, capsys):
    assert main(["build-sources", "--out", str(tmp_path), "capstone"]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(tmp_path / "capstone" / n)
                       for n in ("capstone.ipynb", "course_tools.py", "citations.py", "assignment.json")]
    shutil.rmtree(tmp_path / "capstone")
    assert main(["build-sources", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == assignment_names()


def test_the_grading_folder_is_the_lecturers_alone_or_their_groups_when_asked(tmp_path):
    from autograder.cli import PRIVATE, build_parser, private_folder

    folder = tmp_path / "grading"
    folder.mkdir(mode=0o755)
    private_folder(folder)
    assert (folder.stat().st_mode & 0o777) == 0o700
    private_folder(folder, group=True)
    assert (folder.stat().st_mode & 0o777) == 0o750
    for command in PRIVATE:  # every command that writes the grading folder takes the choice
        args = build_parser().parse_args([command, *(["x"] if command in ("grade", "report", "return") else []),
                                          "--out", str(folder), "--group-readable",
                                          *(["--submissions", "s"] if command == "grade" else [])])
        assert args.group_readable is True


@pytest.mark.parametrize("command", [["report", "compensation"], ["return", "compensation"], ["grades"]])
def test_a_mistyped_grading_folder_is_refused_and_left_unmade(tmp_path, capsys, command):
    """report, return and grades read what grade wrote: a folder without a gradebook is a typo,
    refused before anything is made there (it once got an empty gradebook and exit 0)."""
    out = tmp_path / "gradng"
    assert main([*command, "--out", str(out)]) == 2
    assert f"no gradebook.db in {out}" in capsys.readouterr().err
    assert not out.exists()
