"""A new question about each student's own case needs only YAML: an item that declares its
facts template and named answer, in a lecturer's private graded bank (COURSE_GRADED_BANK), an
assignment source that asks it; built, released with a roster, graded on each student's facts."""

from __future__ import annotations

import json
import shutil

import pytest
from autograder_support import set_answer

from autograder import config, course, grading, submissions
from case_studies.sabhnani import model as sabhnani
from exercises.assignments import student_facts
from exercises.assignments.build import build_sources
from exercises.graded.marking import share
from exercises.paths import GRADED_ENV
from exercises.scenarios import Facts, derived_provisions

NAME = "my-case"
SEED = "term-2"
DAMAGES = """\
id: capstone-double-damages
type: numeric
use: graded
title: Back wages with double damages
stem: |
  Use the facts of your case. Assume the court awards liquidated damages of twice the back
  wages. How many US dollars are the back wages and the liquidated damages together?
provisions: ['6(6)']
outcomes: [calculate-restitution]
bloom: apply
difficulty: hard
case:
  facts: capstone
  answer: back_wages_and_liquidated_damages
  parameters: {hours_per_week: 60, minimum_wage: 7.15, overtime_after_hours: 40, overtime_multiplier: 1.5,
               days_per_month: 30.4375, ratio: 2}
assumptions:
  - For teaching, she worked 60 hours a week at a minimum wage of 7.15 US dollars an hour, with time and a half after 40 hours; a month is 30.4375 days.
  - For teaching, liquidated damages are taken to be twice the back wages.
section:
  page: compensation
  heading: Compensation
answer:
  value: 63788.44
  tolerance: 1
  unit: USD
  derivation: "3 * ((40 + (60 - 40) * 1.5) * 7.15 * 10 * 30.4375 / 7 - 10 * 50)"
feedback:
  correct: Right.
  incorrect: Find the back wages, then add twice as much again.
"""
RECOVERY = """\
id: capstone-recovery-points
type: citation
use: graded
title: Which points of article 6(3) apply
stem: |
  Read the facts of your case. Cite each lettered point of article 6(3) that answers one of
  the needs listed there, and nothing else.
provisions: ['6(3)(a)', '6(3)(b)', '6(3)(c)', '6(3)(d)']
outcomes: [apply-to-facts]
bloom: apply
difficulty: medium
case:
  facts: capstone
  answer: derived_provisions
section:
  page: recovery-of-victims
  heading: Recovery of victims
answer: ['6(3)(a)', '6(3)(b)', '6(3)(c)']
feedback:
  correct: Right.
  incorrect: Take the needs one by one.
"""
SOURCE = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
assignment:
  title: "A case of your own"
  facts: capstone
---

# A case of your own

```{code-cell} ipython3
:tags: [setup]
from course_tools import check, show, facts
```

+++ {"facts": "capstone"}
(the facts of your case)

+++ {"item": "capstone-double-damages", "points": 2}
(question from the bank)

+++ {"item": "capstone-recovery-points", "points": 1}
(question from the bank)
"""


def test_a_question_about_each_students_case_needs_only_yaml(tmp_path, monkeypatch):
    graded = tmp_path / "private-bank" / "capstone"
    graded.mkdir(parents=True)
    (graded / "capstone-double-damages.yaml").write_text(DAMAGES, encoding="utf-8")
    (graded / "capstone-recovery-points.yaml").write_text(RECOVERY, encoding="utf-8")
    monkeypatch.setenv(GRADED_ENV, str(tmp_path / "private-bank"))
    (tmp_path / "assignments").mkdir()
    (tmp_path / "assignments" / f"{NAME}.md").write_text(SOURCE, encoding="utf-8")
    source = tmp_path / "source"
    build_sources(source, assignments_dir=tmp_path / "assignments")

    roster = tmp_path / "roster.csv"
    roster.write_text("student_id\ns-amal\ns-noor\n", encoding="utf-8")
    settings = config.settings()
    released = tmp_path / "released"
    course.release(NAME, released, roster=roster, seed=SEED, settings=settings, source=source)

    own = {}
    for student in ("s-amal", "s-noor"):
        f = json.loads((released / student / NAME / "variant.json").read_text(encoding="utf-8"))["facts"]
        assert f == student_facts.facts("capstone", student, SEED)
        back = sabhnani.back_wages(f["months_worked"], f["paid_per_month"], 60, {
            "minimum_wage": 7.15, "overtime_after_hours": 40, "overtime_multiplier": 1.5, "days_per_month": 30.4375})
        points = [p for p in derived_provisions(Facts(**f)) if p.startswith("6(3)(")]
        own[student] = (back + sabhnani.liquidated_damages(back, 2), points)
    assert own["s-amal"] != own["s-noor"]  # their cases differ

    subs = tmp_path / "submitted"
    for student, answer_from in (("s-amal", "s-amal"), ("s-noor", "s-amal")):  # s-noor copies s-amal
        shutil.copytree(released / student / NAME, subs / student / NAME)
        damages, points = own[answer_from]
        set_answer(subs / student / NAME / f"{NAME}.ipynb", "q1", repr(damages))
        set_answer(subs / student / NAME / f"{NAME}.ipynb", "q2", json.dumps(points))
    run = grading.grade(NAME, submissions.find(subs, NAME), tmp_path / "out", jobs=1, seed=SEED,
                        settings=settings, progress=False, source=source, roster=["s-amal", "s-noor"])
    rows = {r["student_id"]: r for r in run.rows}
    assert (rows["s-amal"]["auto_score"], rows["s-amal"]["status"]) == (3.0, "graded")
    # The list of provisions earns its share of its point (partial marking), the number all or nothing.
    copied = 2.0 * (own["s-noor"][0] == own["s-amal"][0]) + 1.0 * share(own["s-amal"][1], own["s-noor"][1])
    assert rows["s-noor"]["auto_score"] == pytest.approx(copied, abs=1e-4) and copied < 3.0
