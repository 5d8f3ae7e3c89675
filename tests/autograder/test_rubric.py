"""End to end with real nbgrader: a hand-marked answer marked criterion by criterion.

Released with a roster (an adult nobody has threatened, and a threatened child), handed in,
graded, marked by hand criterion by criterion through nbgrader's gradebook API as formgrader
marks (a score and a comment on each criterion cell), graded again: each criterion reaches the
student's feedback and the lecturer's report, and each student's rubric follows their facts."""

from __future__ import annotations

import csv
import os
import shutil

import nbformat
import pytest
from autograder_support import ASSIGNMENT, SEED
from nbgrader.api import Gradebook

from autograder import config, course, grading, submissions
from autograder.steps import report
from exercises.assignments import student_facts
from exercises.graded.metadata import read
from exercises.scenarios import Facts

ADULT, CHILD = "s001", "s003"  # with SEED: 26 and not threatened; 15 and threatened
ESSAY = "q4"
MARKS = {ADULT: [1, 0.5, 1, 0, 1, 0.5], CHILD: [0.5, 1, 0, 1, 1, 1]}
COMMENT = "Ties each need to its point: *well done*."


def _criteria(nb) -> list[tuple[str, float, str]]:
    """(grade id, points, text) of each criterion cell of the essay, in order."""
    return [(cell.metadata["nbgrader"]["grade_id"], cell.metadata["nbgrader"]["points"], cell.source)
            for _, cell, c in read.criteria(nb) if c.question == ESSAY]


def _write_essay(path, text: str) -> None:
    nb = nbformat.read(path, as_version=4)
    next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == ESSAY).source = text
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    root = tmp_path_factory.mktemp("rubric")
    settings = config.settings()
    roster = root / "roster.csv"
    roster.write_text(f"student_id\n{ADULT}\n{CHILD}\n", encoding="utf-8")
    released = root / "released"
    course.release(ASSIGNMENT, released, roster=roster, seed=SEED, settings=settings)
    subs = root / "submitted"
    for student in (ADULT, CHILD):
        shutil.copytree(released / student / ASSIGNMENT, subs / student / ASSIGNMENT)
        _write_essay(subs / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                     "The State she is in shall consider her recovery and her claim to her wages...")
    out = root / "out"
    roster_ids = [ADULT, CHILD]

    def grade():
        return grading.grade(ASSIGNMENT, submissions.find(subs, ASSIGNMENT), out, jobs=1, seed=SEED,
                             settings=settings, progress=False, roster=roster_ids)

    first = grade()
    # The lecturer marks each criterion in formgrader: a score and a comment per criterion cell.
    with Gradebook(grading.default_db(out)) as gb:
        for student, marks in MARKS.items():
            for n, mark in enumerate(marks, 1):
                g = gb.find_grade(f"{ESSAY}_c{n}", ASSIGNMENT, ASSIGNMENT, student)
                g.manual_score, g.needs_manual_grade = mark, False
                gb.find_comment(f"{ESSAY}_c{n}", ASSIGNMENT, ASSIGNMENT, student).manual_comment = (
                    COMMENT if n == 1 else f"Criterion {n}: see the model answer.")
        gb.db.commit()
    second = grade()
    folder = report.write(grading.default_db(out), ASSIGNMENT, out)
    return {"root": root, "out": out, "released": released, "first": first, "second": second, "report": folder}


def test_the_students_are_who_the_test_says():
    adult, child = (Facts(**student_facts.facts(ASSIGNMENT, s, SEED)) for s in (ADULT, CHILD))
    assert not adult.child and not adult.threatened and child.child and child.threatened


def test_an_adult_nobody_threatened_is_asked_for_no_child_or_threat_point_for_the_same_total(marked):
    rubrics = {s: _criteria(nbformat.read(marked["released"] / s / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4))
               for s in (ADULT, CHILD)}
    adult, child = ("\n".join(t for _, _, t in rubrics[s]) for s in (ADULT, CHILD))
    assert "A child's special needs" in child and "Her safety while she is here" in child
    for absent in ("A child's special needs", "under 18", "Her safety while she is here", "threats she has received"):
        assert absent not in adult
    assert "Her recovery as an adult who came for work" in adult and "Her unpaid wages in figures" in adult
    # The same cells and points for both: nbgrader's gradebook has one set per notebook.
    assert [(g, p) for g, p, _ in rubrics[ADULT]] == [(g, p) for g, p, _ in rubrics[CHILD]]
    assert sum(p for _, p, _ in rubrics[ADULT]) == 6
    # Nothing of the rubric's bank side, nor the model answer, reaches a student.
    text = (marked["released"] / ADULT / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")
    assert "Model answer" not in text and "capstone-essay" not in text


def test_before_the_lecturer_marks_it_each_criterion_waits_and_nothing_else_changed(marked):
    rows = {r["student_id"]: r for r in marked["first"].rows}
    for student in (ADULT, CHILD):
        assert "needs hand grading: " in rows[student]["status"]
        waiting = rows[student]["status"].split("needs hand grading: ")[1].split(";")[0].split(", ")
        assert [w for w in waiting if w.startswith(f"{ESSAY}_")] == [f"{ESSAY}_c{n}" for n in range(1, 7)]
        assert ESSAY not in waiting  # the answer cell itself carries no points: nothing to mark
        assert "changed" not in rows[student]["status"]  # their own rubric is not tampering


def test_formgrader_shows_each_criterion_with_a_score_box_and_a_comment_box(marked):
    """The notebook formgrader shows the marker (grading/autograded/), rendered with formgrader's
    own template: each criterion as the student's facts word it, with its points."""
    import nbgrader
    from nbconvert.exporters import HTMLExporter

    base = os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader", "templates")
    nb = nbformat.read(marked["out"] / "autograded" / ADULT / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    assert "Her recovery as an adult who came for work" in "\n".join(t for _, _, t in _criteria(nb))
    html, _ = HTMLExporter(template_name="formgrade", extra_template_basedirs=[base]).from_notebook_node(
        nb, resources={"base_url": "", "index": 0, "total": 2, "notebook_id": ASSIGNMENT,
                       "assignment_id": ASSIGNMENT, "submission_id": "x", "inlining": {"css": []}})
    for n in range(1, 7):
        assert f'id="{ESSAY}_c{n}"' in html and f'id="{ESSAY}_c{n}-comment"' in html
    assert "A child&#39;s special needs" not in html and "A child's special needs" not in html


def test_the_feedback_shows_each_criterion_its_descriptor_its_mark_and_the_comment(marked):
    rows = {r["student_id"]: r for r in marked["second"].rows}
    assert rows[ADULT]["status"].startswith("needs hand grading: q5") or rows[ADULT]["status"].startswith("graded")
    page = (marked["out"] / "feedback" / ADULT / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
    assert "Question 4, marked criterion by criterion" in page
    for n, mark in enumerate(MARKS[ADULT], 1):
        assert f"Criterion {n} of 6" in page
        assert f"{float(mark)} / 1.0" in page
    assert "Her unpaid wages in figures" in page and "builds the compensation advice on" in page  # and its descriptor
    assert "Ties each need to its point: <em>well done</em>." in page  # the lecturer's markdown, as nbgrader renders it
    assert "A child's special needs" not in page and "A child&#39;s special needs" not in page


def test_the_report_gives_each_criterion_its_class_average_by_the_wording_each_student_saw(marked):
    with open(marked["report"] / "per_criterion.csv", newline="", encoding="utf-8") as f:
        table = [r for r in csv.DictReader(f) if r["question"] == ESSAY]
    by = {(int(r["number"]), r["criterion"]): r for r in table}
    assert float(by[(1, "Her needs and the measures of recovery")]["mean_score"]) == 0.75  # (1 + 0.5) / 2
    assert by[(1, "Her needs and the measures of recovery")]["students"] == "2"
    assert float(by[(2, "Her recovery as an adult who came for work")]["mean_score"]) == 0.5
    assert float(by[(2, "A child's special needs")]["mean_score"]) == 1.0
    assert float(by[(3, "Her unpaid wages in figures")]["mean_score"]) == 1.0
    assert float(by[(3, "Her safety while she is here")]["mean_score"]) == 0.0
    page = (marked["report"] / "report.html").read_text(encoding="utf-8")
    assert "Hand-marked answers, criterion by criterion" in page


def test_item_statistics_treat_each_criterion_as_a_question(marked):
    with open(marked["report"] / "items.csv", newline="", encoding="utf-8") as f:
        items = {r["question"]: r for r in csv.DictReader(f)}
    assert {f"{ESSAY}_c{n}" for n in range(1, 7)} <= set(items)
    assert ESSAY not in items  # the answer cell, worth 0, is no question
    assert items[f"{ESSAY}_c2"]["label"].startswith("q4, criterion 2: A child's special needs (if she is under 18) / ")
    assert float(items[f"{ESSAY}_c1"]["facility"]) == 75.0
