"""A rubric-marked essay in the LMS files: Moodle XML gives graders every criterion (and the
one that takes its place for other facts) and the model answer; Canvas QTI gives the rubric as
the question's neutral comments, without the model answer, which Canvas would show students."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from exercises.bank import load_bank
from exercises.export import moodle, qti


@pytest.fixture(scope="module")
def essay():
    return next(i for i in load_bank(use="graded") if i.id == "capstone-essay")


def test_moodle_graders_see_every_criterion_each_wording_and_the_model_answer(essay):
    q = moodle.question(essay)
    assert q.get("type") == "essay" and float(q.findtext("defaultgrade")) == essay.max_points == 6
    grader = ET.fromstring(f"<div>{q.find('graderinfo').findtext('text')}</div>")
    rows = [[td.text for td in tr.findall("td")] for tr in grader.iter("tr")][1:]
    assert [r[0] for r in rows] == [
        "1. Her needs and the measures of recovery",
        "2. A child's special needs (only if she is under 18)",
        "2. or: Her recovery as an adult who came for work (only if she is an adult)",
        "3. Her safety while she is here (only if she has been threatened in the State she is in)",
        "3. or: Her unpaid wages in figures (only if nobody has threatened her in the State she is in)",
        "4. Compensation", "5. Status, return and the savings clause", "6. Limits of the obligations and reasoning"]
    assert {r[1] for r in rows} == {"1"}  # a criterion and the one in its place: the same points
    paragraphs = [p.text for p in grader.iter("p")]
    assert any(p.startswith("*(Only if she is under 18.)*") for p in paragraphs)
    assert any(p.startswith("*(Only if she is an adult.)*") for p in paragraphs)


def test_canvas_gets_the_rubric_as_neutral_comments_without_the_model_answer(essay):
    el = qti.item_element(essay, qti.AnswerIds())
    feedback = {fb.get("ident"): "".join(fb.itertext()) for fb in el.findall("itemfeedback")}  # not yet namespaced
    rubric = feedback[qti.GENERAL_FB]
    for c in essay.rubric:
        assert c.criterion in rubric and (c.otherwise is None or c.otherwise.criterion in rubric)
    assert "only if she is under 18" in rubric and "Model answer" not in rubric
    assert "State B shall" not in rubric and "reintegration that protects her" not in rubric.split("Or, if")[0]
