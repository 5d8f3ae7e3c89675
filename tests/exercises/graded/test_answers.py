"""Named answers (exercises/graded/answers.py) and the `case:` declaration of an item about each
student's own case: what each name computes, and `check` refusing a declaration that cannot
work, at its file and line, with the fix."""

from __future__ import annotations

import pytest

from case_studies.sabhnani import model as sabhnani
from exercises.assignments import student_facts
from exercises.bank import check_bank
from exercises.graded.answers import ANSWERS, answer
from exercises.paths import GRADED_ENV
from exercises.scenarios import Facts, derived_provisions

# The court's rule as the compensation items state it (teaching assumptions), and the named
# answers' parameters on one line of YAML.
HOURS = 105
RULES = {"minimum_wage": 7.15, "overtime_after_hours": 40, "overtime_multiplier": 1.5, "days_per_month": 30.4375}
PARAMETERS = {"hours_per_week": HOURS, **RULES}
DECLARED = "  parameters: {" + ", ".join(f"{k}: {v}" for k, v in PARAMETERS.items()) + "}\n"
SHARED_BACK_WAGES = round(sabhnani.back_wages(24, 100, HOURS, RULES))  # shared facts: 24 months, 100 a month paid

NUMERIC = """\
id: {id}
type: numeric
use: graded
title: What the employer owes
stem: Use the facts of your case. How many US dollars of back wages is she owed?
provisions: ['6(6)']
outcomes: [calculate-restitution]
bloom: apply
difficulty: medium
case:
  facts: {facts}
  answer: {answer}
{parameters}section:
  page: compensation
  heading: Compensation
answer:
  value: {value}
  tolerance: 1
  unit: USD
  derivation: "{value}"
feedback:
  correct: Right.
  incorrect: Value the hours at the minimum wage and overtime, and subtract what was paid.
"""


@pytest.fixture(autouse=True)
def _graded_folder_of_the_copy(monkeypatch):
    monkeypatch.delenv(GRADED_ENV, raising=False)


def _problems(bank_copy, write_item, **fields):
    values = {"id": "owed-wages", "facts": "compensation", "answer": "back_wages", "parameters": DECLARED,
              "value": SHARED_BACK_WAGES} | fields
    path = write_item(NUMERIC.format(**values), name=values["id"], folder="graded/compensation")
    _, problems = check_bank(bank_copy)
    return path, [p for p in problems if p.path == path]


def test_each_named_answer_is_a_model_or_the_rule_table_on_the_facts():
    for s in ("s1", "s2", "s3"):
        f = student_facts.facts("capstone", s, "seed")
        facts = Facts(**f)
        back = sabhnani.back_wages(f["months_worked"], f["paid_per_month"], HOURS, RULES)
        assert answer("back_wages", f, **PARAMETERS) == round(back) > 0  # in whole dollars
        # The court's measure: the promised wage plays no part in it.
        assert answer("back_wages", {**f, "promised_per_month": f["promised_per_month"] * 10}, **PARAMETERS) == round(back)
        assert answer("back_wages_and_liquidated_damages", facts, ratio=2, **PARAMETERS) == (
            round(back + sabhnani.liquidated_damages(back, 2)))
        asked = ("6(3)(a)", "6(4)", "6(5)")
        assert answer("derived_provisions", f, asked=asked) == [p for p in derived_provisions(facts) if p in asked]
    for named in ANSWERS.values():
        assert named.doc and named.kind in ("number", "citations")


def test_a_sound_declaration_has_no_problem(bank_copy, write_item):
    _, found = _problems(bank_copy, write_item)
    assert found == []
    _, found = _problems(bank_copy, write_item, id="owed-twice", answer="back_wages_and_liquidated_damages",
                         parameters=DECLARED.replace("}", ", ratio: 1}"), value=2 * SHARED_BACK_WAGES)
    assert found == []


@pytest.mark.parametrize("fields, line, message", [
    ({"facts": "my-case"}, 11, "case/facts: no facts template 'my-case'; write one of compensation, capstone "
                               "(exercises/assignments/student_facts.py)"),
    ({"answer": "back_wage"}, 12, "case/answer: no named answer 'back_wage'; write one of back_wages, "
                                  "back_wages_and_liquidated_damages, derived_provisions, or add it to "
                                  "exercises/graded/answers.py"),
    ({"answer": "derived_provisions", "parameters": ""}, 12, "case/answer: 'derived_provisions' gives citations, "
                                                             "which a numeric item cannot take; use it on a citation item"),
    ({"answer": "back_wages_and_liquidated_damages", "value": 2 * SHARED_BACK_WAGES}, 10,
     "case/parameters: 'back_wages_and_liquidated_damages' needs 'ratio' (liquidated damages as a multiple"),
    ({"parameters": DECLARED.replace("}", ", ratio: 1}")}, 13, "case/parameters: 'back_wages' takes no 'ratio'; "
                                                               "it takes hours_per_week, minimum_wage"),
    ({"parameters": DECLARED.replace(", days_per_month: 30.4375", "")}, 10,
     "case/parameters: 'back_wages' needs 'days_per_month'"),
    ({"value": 2400}, 17, "answer: 2400 is not what 'back_wages' gives on the shared facts of 'compensation' "
                          f"({SHARED_BACK_WAGES!r}); the item's own answer is the shared version's: fix one of them"),
])
def test_a_declaration_that_cannot_work_is_a_problem_at_its_line(bank_copy, write_item, fields, line, message):
    path, found = _problems(bank_copy, write_item, **fields)
    assert [(p.line, p.message[:len(message)]) for p in found] == [(line, message)], found


def test_only_graded_items_ask_about_each_students_case(bank_copy, write_item):
    text = NUMERIC.format(id="owed-public", facts="compensation", answer="back_wages", parameters=DECLARED,
                          value=SHARED_BACK_WAGES)
    path = write_item(text.replace("use: graded", "use: self-check"), name="owed-public", folder="compensation")
    _, problems = check_bank(bank_copy)
    assert any(p.path == path and p.message.startswith("case: a question about each student's own case is asked "
                                                       "in graded notebooks only") for p in problems)


def test_an_unknown_field_in_the_declaration_is_named(bank_copy, write_item):
    path, found = _problems(bank_copy, write_item, parameters="  ratio: 1\n")
    assert len(found) == 1 and "ratio" in found[0].message and "allowed fields here: answer, facts, parameters" \
        in found[0].message
