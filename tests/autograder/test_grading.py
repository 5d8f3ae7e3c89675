"""End to end: nbgrader generates, releases and autogrades real notebooks through our runner."""

from __future__ import annotations

import nbformat
from autograder_support import ASSIGNMENT, SEED, hand_marked, read_csv
from nbgrader.api import Gradebook

from autograder import grading, submissions
from exercises.graded.metadata import read

AUTO_MAX = 6.0  # q1 3 + q2 2 + q3 1


def test_instructor_notebook_scores_full_marks_and_waits_for_the_essay(batch):
    r = batch["rows"]["teacher"]
    assert r["auto_score"] == AUTO_MAX == r["auto_max_score"]
    assert r["max_score"] == AUTO_MAX + sum(hand_marked().values())
    assert r["status"] == "needs hand grading: " + ", ".join(sorted(hand_marked()))  # each criterion, marked by hand


def test_released_notebook_scores_zero(batch):
    r = batch["rows"]["blank"]
    assert r["score"] == 0 and r["auto_score"] == 0
    assert r["status"] == "graded"  # an untouched essay is a zero, nothing to grade by hand


def test_partly_right_submission_gets_the_expected_partial_score(batch):
    r = batch["rows"]["partial"]
    assert r["auto_score"] == 1.0
    assert r["status"] == "graded"


def test_variant_is_graded_against_the_students_own_facts(batch):
    r = batch["rows"]["s-variant"]
    assert r["auto_score"] == AUTO_MAX
    # The same answers are wrong for the shared facts: the facts really differ.
    released = nbformat.read(batch["released"] / "s-variant" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    shared = nbformat.read(batch["released"] / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    facts = [c.source for c in released.cells if read.facts_template(c)]
    assert facts and facts != [c.source for c in shared.cells if read.facts_template(c)]


def test_released_notebook_has_no_solutions_hidden_tests_or_rubric(batch):
    text = (batch["released"] / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")
    for secret in ("BEGIN SOLUTION", "HIDDEN TESTS", "_expected", "Rubric", "Model answer", "expected("):
        assert secret not in text
    assert 'q1 = []' in text and 'check(\\"q1\\", q1)' in text


def test_feedback_has_no_hidden_test_source(batch):
    for student in ("teacher", "blank", "partial", "s-variant"):
        html = (batch["out"] / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
        assert "HIDDEN TESTS" not in html and "_expected" not in html and "variants import" not in html
    blank = (batch["out"] / "feedback" / "blank" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "not answered yet" in blank  # the public format message still teaches


def test_grades_csv_matches_the_gradebook(batch):
    table = read_csv(batch["out"] / "grades.csv")
    assert set(table) == {"teacher", "blank", "partial", "s-variant"}
    with Gradebook(batch["db_url"]) as gb:
        for student, row in table.items():
            sub = gb.find_submission(ASSIGNMENT, student)
            assert float(row["score"]) == sub.score
            assert float(row["max_score"]) == sub.max_score
            assert row["assignment"] == ASSIGNMENT
    for column in ("student_id", "assignment", "score", "max_score", "auto_score", "auto_max_score", "status"):
        assert column in next(iter(table.values()))


def test_rerun_keeps_hand_grades_and_gives_the_same_table(batch):
    criteria = hand_marked()
    hand = sum(criteria.values()) - 1  # every criterion's full points, but one point less on q4's first
    with Gradebook(batch["db_url"]) as gb:
        for gid, points in criteria.items():
            g = gb.find_grade(gid, ASSIGNMENT, ASSIGNMENT, "teacher")
            g.manual_score = points - 1 if gid == "q4_c1" else points
            g.needs_manual_grade = False
        gb.db.commit()
    run = grading.grade(ASSIGNMENT, submissions.find(batch["subs"], ASSIGNMENT), batch["out"], jobs=1,
                        seed=SEED, settings=batch["settings"], progress=False, roster=["s-variant"])
    rows = {r["student_id"]: r for r in run.rows}
    assert rows["teacher"]["score"] == AUTO_MAX + hand
    assert rows["teacher"]["hand_score"] == hand
    assert rows["teacher"]["status"] == "graded"
    for student in ("blank", "partial", "s-variant"):
        assert rows[student] == batch["rows"][student]
    with Gradebook(batch["db_url"]) as gb:
        assert len(gb.assignment_submissions(ASSIGNMENT)) == 4
    html = (batch["out"] / "feedback" / "teacher" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert f"(Score: {AUTO_MAX + hand:.1f} /" in html  # the refreshed feedback carries the hand grades in the total


def test_out_is_an_nbgrader_course_for_hand_grading(batch):
    out = batch["out"]
    assert (out / "nbgrader_config.py").is_file()
    assert (out / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
    assert (out / "autograded" / "teacher" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()


def test_report_per_provision(batch):
    from autograder.steps.report import write

    folder = write(batch["db_url"], ASSIGNMENT, batch["out"])
    text = (folder / "per_provision.csv").read_text()
    assert "6(3)(a)" in text and "8(2)" in text
    assert (folder / "report.png").stat().st_size > 0
    # q3 (a letter): teacher "B", partial "B", s-variant "b" are right; blank has no readable answer.
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "B: 3 (right), no readable answer: 1" in page and "What the class got wrong" in page


def test_answers_are_kept_for_the_report_one_row_per_student_and_question(batch):
    from autograder.steps.report import given_answers

    answers = given_answers(batch["out"], ASSIGNMENT)
    assert len(answers) == 4 * 3  # four students, three auto-graded questions
    assert not answers.duplicated(["student_id", "question"]).any()
    mine = answers[answers["student_id"] == "s-variant"].set_index("question")
    assert mine["right"].all() and mine.loc["q1", "answer"] == mine.loc["q1", "key"]
    partial = answers[answers["student_id"] == "partial"].set_index("question")
    assert partial.loc["q1", "answer"] is None  # ["6(3)(e)"] cannot be read
    assert partial.loc["q2", "answer"] == 1.0 and not partial.loc["q2", "right"]


def test_provision_mistakes_count_what_was_missed_and_what_was_cited_wrongly():
    import pandas as pd

    from autograder.steps.report import provision_mistakes

    answers = pd.DataFrame({"answer": [["6(1)", "6(5)"], ["6(1)"], None, "B"],
                            "key": [["6(1)", "6(3)(a)"], ["6(1)", "6(3)(a)"], ["6(1)", "6(3)(a)"], "A"]})
    got = provision_mistakes(answers).set_index("provision")
    assert got.loc["6(3)(a)", "missed"] == 2 and got.loc["6(1)", "missed"] == 0
    assert got.loc["6(5)", "cited_wrongly"] == 1 and got.loc["6(1)", "cited_wrongly"] == 0


def test_provision_table_keeps_wrong_citations_of_untagged_provisions_and_copes_with_none():
    import pandas as pd

    from autograder.steps.report import provision_mistakes, provision_table

    per_provision = pd.DataFrame({"provision": ["6(1)", "6(3)(a)"], "questions": [1, 1], "answers": [3, 3],
                                  "mean_fraction": [0.5, 0.2], "title": ["", ""]})
    answers = pd.DataFrame({"answer": [["6(1)", "14"]], "key": [["6(1)", "6(3)(a)"]]})
    table = provision_table(per_provision, provision_mistakes(answers)).set_index("provision")
    assert table.loc["14", "cited_wrongly"] == 1 and pd.isna(table.loc["14", "mean_fraction"])
    import protocol

    assert table.loc["14", "title"] == protocol.get("14").title
    empty = provision_table(per_provision.iloc[0:0], provision_mistakes(answers.iloc[0:0]))
    assert empty.empty

