"""Each student is graded on their own facts: whose facts come from the roster and seed the
lecturer gives, never from the notebook handed in."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from autograder_support import ASSIGNMENT, SEED, kit_source, read_csv, set_answer

from autograder import config, course, grading, submissions
from autograder.cli import main
from exercises.assignments import student_facts
from exercises.assignments.key import graded_bank, notebook_key


def _answer_right_for(nb_path, facts) -> None:
    """Every keyed question answered right for `facts`, as a student who had them would (a
    written answer has no key: it waits for the lecturer)."""
    source = nbformat.read(kit_source() / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for key in notebook_key(source, facts, graded_bank()).values():
        if "answer" in key:
            set_answer(nb_path, key["question"], json.dumps(key["answer"]))


@pytest.fixture(scope="module")
def handed_in(tmp_path_factory):
    """Released with a roster; one student hands in their own notebook, another the public one
    from the site (the shared facts), a third a classmate's; all answered right for the facts
    their notebook shows."""
    root = tmp_path_factory.mktemp("facts")
    settings = config.settings()
    roster = root / "roster.csv"
    roster.write_text("student_id\ns-own\ns-public\ns-classmate\n", encoding="utf-8")
    released = root / "released"
    course.release(ASSIGNMENT, released, settings=settings)
    course.release(ASSIGNMENT, released, roster=roster, seed=SEED, settings=settings)
    subs = root / "submitted"
    nb = f"{ASSIGNMENT}.ipynb"
    for student, copy_of, facts in (
            ("s-own", released / "s-own" / ASSIGNMENT, student_facts.facts(ASSIGNMENT, "s-own", SEED)),
            ("s-public", released / ASSIGNMENT, student_facts.facts(ASSIGNMENT, student_facts.COMMON)),
            ("s-classmate", released / "s-own" / ASSIGNMENT, student_facts.facts(ASSIGNMENT, "s-own", SEED))):
        shutil.copytree(copy_of, subs / student / ASSIGNMENT)
        (subs / student / ASSIGNMENT / "variant.json").unlink(missing_ok=True)  # never read: as a student may
        _answer_right_for(subs / student / ASSIGNMENT / nb, facts)
    return {"root": root, "roster": roster, "subs": subs, "settings": settings}


def test_each_student_is_graded_on_their_own_facts_whatever_notebook_they_hand_in(handed_in):
    out = handed_in["root"] / "out"
    run = grading.grade(ASSIGNMENT, submissions.find(handed_in["subs"], ASSIGNMENT), out, jobs=2, seed=SEED,
                        settings=handed_in["settings"], progress=False, roster=["s-own", "s-public", "s-classmate"])
    rows = {r["student_id"]: r for r in run.rows}
    full = rows["s-own"]["auto_max_score"]
    assert rows["s-own"]["auto_score"] == full and rows["s-own"]["status"] == "graded"
    # The public notebook, right for the shared facts, is not right for this student's own.
    assert rows["s-public"]["auto_score"] < full
    assert "handed in the shared facts: graded on s-public's own facts" in rows["s-public"]["status"]
    assert rows["s-classmate"]["auto_score"] < full
    assert "handed in s-own's facts: graded on s-classmate's own facts" in rows["s-classmate"]["status"]


def test_the_command_line_refuses_per_student_notebooks_without_the_roster(handed_in, capsys):
    out = handed_in["root"] / "out-cli"
    code = main(["grade", ASSIGNMENT, "--submissions", str(handed_in["subs"]), "--out", str(out), "--seed", SEED,
                 "--jobs", "1", "--no-progress"])
    assert code == 2
    err = capsys.readouterr().err
    assert "nothing graded" in err and "--roster FILE --seed SEED" in err and "--shared-facts" in err
    assert not (out / "grades.csv").exists()
    # The lecturer's explicit choice grades everyone on the shared facts, and each status says so.
    assert main(["grade", ASSIGNMENT, "--submissions", str(handed_in["subs"]), "--out", str(out),
                 "--shared-facts", "--jobs", "2", "--no-progress"]) == 0
    rows = read_csv(out / "grades.csv")
    assert (out.stat().st_mode & 0o777) == 0o700  # the keys beside each answer: the lecturer's alone
    assert rows["s-public"]["auto_score"] == rows["s-public"]["auto_max_score"]
    assert "graded on the shared facts, as asked (--shared-facts)" in rows["s-own"]["status"]


@pytest.mark.parametrize("student, made_for, roster, shared_only, facts_of, note", [
    ("s1", "s1", {"s1"}, False, "s1", None),
    ("s1", "common", {"s1"}, False, "s1", "handed in the shared facts: graded on s1's own facts"),
    ("s1", None, {"s1"}, False, "s1", "handed in the shared facts: graded on s1's own facts"),
    ("s1", "s2", {"s1", "s2"}, False, "s1", "handed in s2's facts: graded on s1's own facts"),
    ("late", "common", {"s1"}, False, "common", None),
    ("late", "s1", {"s1"}, False, "common", "not on the roster, handed in s1's facts: graded on the shared facts"),
    ("s1", "common", None, False, "common", None),
    ("s1", "s1", None, True, "common", "handed in s1's facts: graded on the shared facts, as asked (--shared-facts)"),
])
def test_whose_facts_a_student_is_graded_on_never_comes_from_the_hand_in(student, made_for, roster, shared_only,
                                                                       facts_of, note):
    facts, said = grading.facts_for(student, made_for, "capstone", SEED, roster, shared_only)
    expected = student_facts.facts("capstone", student_facts.COMMON) if facts_of == "common" else \
        student_facts.facts("capstone", facts_of, SEED)
    assert (facts, said) == (expected, note)


def test_a_notebook_released_per_student_without_a_roster_stops_the_grading_and_says_how_to_go_on():
    with pytest.raises(grading.FactsUnknown, match=r"s2 handed in a notebook released with s2's own facts.*"
                                                   r"--roster FILE --seed SEED.*--shared-facts"):
        grading.facts_for("s2", "s2", "capstone", SEED, None)
    assert grading.facts_for("s2", "s2", None, SEED, None) == (None, None)  # no facts in the assignment


@pytest.mark.parametrize("command", [["release", ASSIGNMENT], ["grade", ASSIGNMENT, "--submissions", "subs"]])
def test_a_roster_without_its_seed_is_refused_before_anything_is_done(tmp_path, capsys, command):
    """The seed decides each student's facts: a roster given without one would release or grade
    on facts of a seed the lecturer never chose, and no row would say so."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id\ns-own\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main([*command, "--out", str(out), "--roster", str(roster)]) == 2
    assert "--roster needs --seed" in capsys.readouterr().err
    assert not out.exists()
