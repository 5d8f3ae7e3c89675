"""A rubric that follows each student's facts: declared in the bank (`when:` / `otherwise:`),
checked at its line, and the same total for every student."""

from __future__ import annotations

import pytest

from exercises.assignments import student_facts
from exercises.bank import check_bank, load_bank
from exercises.graded import kinds

ESSAY = """id: {id}
type: essay
use: graded
stem: Advise the State she is in.
provisions: ['6(4)', '6(6)']
bloom: create
difficulty: hard
{case}section:
  page: article-6
  heading: Protection and assistance (article 6)
rubric:
  - criterion: Compensation
    points: 2
    descriptor: Sees the claim.
  - criterion: A child's special needs
    points: 1
    when: {when}
    descriptor: Sees her age.
{otherwise}model_answer: Her claim.
"""
OTHERWISE = """    otherwise:
      criterion: Her recovery as an adult
      descriptor: Sees her work.
"""
CASE = "case:\n  facts: capstone\n"


def _problems(bank_copy, write_item, *, case=CASE, when="{child: true}", otherwise=OTHERWISE):
    path = write_item(ESSAY.format(id="when-essay", case=case, when=when, otherwise=otherwise),
                      name="when-essay", folder="graded/capstone")
    _, problems = check_bank(bank_copy)
    return [(p.line, p.message) for p in problems if p.path == path]


def test_a_criterion_for_some_facts_with_its_replacement_is_accepted(bank_copy, write_item):
    assert _problems(bank_copy, write_item) == []


@pytest.mark.parametrize("fields, line, message", [
    ({"otherwise": ""}, 17, "rubric/1: 'otherwise' is a dependency of 'when'"),
    ({"when": "{age: true}"}, 19, "when: 'age' is not a yes-or-no fact of the 'capstone' case; use one of "),
    ({"when": "{adult: true}"}, 19, "when: 'adult' is not a yes-or-no fact"),
    ({"case": ""}, 17, "when: a criterion or paragraph for some students' facts needs the item to be about each "
                       "student's own case"),
])
def test_a_condition_that_cannot_work_is_a_problem_at_its_line(bank_copy, write_item, fields, line, message):
    found = _problems(bank_copy, write_item, **fields)
    assert len(found) == 1 and found[0][0] == line and message in found[0][1], found


def test_the_capstone_rubric_has_the_same_criteria_count_and_total_for_every_student():
    essay = kinds.question(next(i for i in load_bank(use="graded") if i.id == "capstone-essay"))
    seen = {}
    for k in range(200):
        f = student_facts.facts("capstone", f"s{k:03d}", "2026")
        rubric = essay.rubric_for(f)
        assert len(rubric) == 6 and sum(c.points for c in rubric) == 6
        titles = [c.criterion for c in rubric]
        child, threatened = f["age"] < 18, f["threatened"]
        assert ("A child's special needs" in titles) is child
        assert ("Her recovery as an adult who came for work" in titles) is not child
        assert ("Her safety while she is here" in titles) is threatened
        model = essay.item.model_answer_for(kinds._fact_values(f))
        assert ("Because she is a child" in model) is child and ("She has been threatened" in model) is threatened
        seen[(child, threatened)] = seen.get((child, threatened), 0) + 1
    assert len(seen) == 4  # every combination of the two facts is drawn
