"""One graded batch shared by the tests: real nbgrader, real notebooks, graded once."""

from __future__ import annotations

import json
import shutil

import pytest
from autograder_support import ASSIGNMENT, SEED, kit_source, set_answer

from autograder import config, course, grading, submissions
from exercises.assignments import student_facts
from exercises.assignments.key import graded_bank
from exercises.graded.answers import answer


@pytest.fixture(scope="session")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("autograde")
    settings = config.settings()
    roster = root / "roster.csv"
    roster.write_text("student_id\ns-variant\n", encoding="utf-8")
    released = root / "released"
    course.release(ASSIGNMENT, released, settings=settings)
    course.release(ASSIGNMENT, released, roster=roster, seed=SEED, settings=settings)

    subs = root / "submitted"
    nb_name = f"{ASSIGNMENT}.ipynb"
    # The instructor notebook, handed in as a student.
    shutil.copytree(kit_source() / ASSIGNMENT, subs / "teacher" / ASSIGNMENT)
    # The released notebook, unchanged.
    shutil.copytree(released / ASSIGNMENT, subs / "blank" / ASSIGNMENT)
    # Partly right: q3 right (1 point), q1 malformed, q2 wrong.
    shutil.copytree(released / ASSIGNMENT, subs / "partial" / ASSIGNMENT)
    set_answer(subs / "partial" / ASSIGNMENT / nb_name, "q1", '["6(3)(e)"]')
    set_answer(subs / "partial" / ASSIGNMENT / nb_name, "q2", "1")
    set_answer(subs / "partial" / ASSIGNMENT / nb_name, "q3", '"B"')
    # A student with their own facts, answering from them (and handing in only the notebook).
    own = subs / "s-variant" / ASSIGNMENT
    own.mkdir(parents=True)
    shutil.copy(released / "s-variant" / ASSIGNMENT / nb_name, own / nb_name)
    f = student_facts.facts("capstone", "s-variant", SEED)
    asked = ["6(3)(a)", "6(3)(b)", "6(3)(c)", "6(3)(d)", "6(4)", "6(5)"]  # capstone-support-provisions
    set_answer(own / nb_name, "q1", json.dumps(answer("derived_provisions", f, asked=asked)))
    wages = graded_bank()["capstone-unpaid-wages"].case.params
    set_answer(own / nb_name, "q2", repr(answer("back_wages", f, **wages)))
    set_answer(own / nb_name, "q3", '"b"')

    out = root / "out"
    run = grading.grade(ASSIGNMENT, submissions.find(subs, ASSIGNMENT), out, jobs=2, seed=SEED,
                        settings=settings, progress=False, roster=["s-variant"])
    return {"root": root, "out": out, "subs": subs, "released": released, "run": run,
            "rows": {r["student_id"]: r for r in run.rows}, "settings": settings,
            "db_url": grading.default_db(out)}
