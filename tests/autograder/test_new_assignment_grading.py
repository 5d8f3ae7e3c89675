"""An assignment made with `python -m exercises assignment` releases and grades end to end:
the instructor notebook scores full marks, a wrong answer scores nothing."""

from __future__ import annotations

import shutil

from autograder_support import set_answer

from autograder import config, course, grading, submissions
from exercises.assignments.new import create
from exercises.bank import load_bank
from exercises.graded.kinds import question
from exercises.select import select

NAME = "week-nine"


def test_a_new_assignment_releases_and_grades(tmp_path):
    items = select(load_bank(use="graded"), ["page=article-8", "type=single", "type=citation"])
    md, written, chosen, _ = create(NAME, "Week nine", items, count=3, seed="t",
                                    assignments_dir=tmp_path, source_dir=tmp_path / "source")
    assert len(chosen) == 3
    settings = config.settings()
    released = tmp_path / "released"
    course.release(NAME, released, settings=settings, source=tmp_path / "source")
    subs = tmp_path / "submitted"
    shutil.copytree(tmp_path / "source" / NAME, subs / "teacher" / NAME)
    shutil.copytree(released / NAME, subs / "wrong" / NAME)
    right = question(chosen[0]).right_answer()
    wrong = ('"B"' if right == "A" else '"A"') if chosen[0].type == "single" else ('["14"]' if "14" not in right else '["6(1)"]')
    set_answer(subs / "wrong" / NAME / f"{NAME}.ipynb", "q1", wrong)
    run = grading.grade(NAME, submissions.find(subs, NAME), tmp_path / "out", jobs=1, settings=settings,
                        progress=False, source=tmp_path / "source")
    rows = {r["student_id"]: r for r in run.rows}
    assert float(rows["teacher"]["auto_score"]) == float(rows["teacher"]["auto_max_score"]) == 3.0
    assert rows["teacher"]["status"] == "graded"
    assert float(rows["wrong"]["auto_score"]) == 0.0  # q1 wrong, the others unanswered
