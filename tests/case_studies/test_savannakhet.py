"""The Savannakhet testimony (Box 8): the course's reading at each stage, compared with the
reader's, with no score over a survivor's account; only what the module says of her."""

from __future__ import annotations

import re

import pytest

import protocol
from case_studies import InputError
from case_studies.savannakhet import model as sav

MODULE = protocol.MODULE_TEXT.read_text(encoding="utf-8") if protocol.MODULE_TEXT.is_file() else None


def test_every_stage_names_real_provisions_a_module_page_and_a_question_to_reflect_on():
    for stage in sav.stages():
        for pid in [*stage["engaged"], *stage["arguable"]]:
            protocol.get(pid)
        assert stage["module"].startswith("book/")
        assert not set(stage["engaged"]) & set(stage["arguable"])
        assert stage["reflect"].endswith("?"), stage["id"]


def test_stages_follow_the_testimony():
    assert [s["id"] for s in sav.stages()] == [
        "recruitment", "journey", "forced_work", "escape", "hospital", "shelter", "repatriation", "legal_action", "compensation",
    ]


@pytest.mark.skipif(MODULE is None, reason="module text not present")
def test_every_excerpt_is_the_testimonys_own_words():
    box_8 = " ".join(MODULE.split())
    for stage in sav.stages():
        for part in stage["excerpt"].split(" [...] "):
            assert " ".join(part.split()) in box_8, stage["id"]


def test_compare_gives_the_courses_reading_and_why_for_each_choice():
    c = sav.compare("repatriation", ["Art. 8(1)", "8.4", "6(3)(a)"])
    assert {r.provision: r.verdict for r in c.readings} == {
        "8(1)": "engaged", "8(4)": "arguable", "6(3)(a)": "not engaged", "8(2)": "also engaged"}
    assert all(r.why for r in c.readings) and c.reflect.endswith("?")


def test_there_is_no_score_over_her_account():
    """No points, no totals, no right or wrong: a reading to compare and a question to reflect on."""
    c = sav.compare("hospital", ["6(3)(c)"]).as_dict()
    assert set(c) == {"stage", "about", "readings", "reflect"}
    assert not hasattr(sav, "score") and not hasattr(sav, "assess")
    words = str(sav.data()) + str(c)
    assert not re.search(r"\b(score|scores|points?|missed|correct|wrong)\b", words, re.I)


def test_compare_refuses_unknown_provisions_and_stages():
    with pytest.raises(InputError, match="article 6 has paragraphs 1 to 6"):
        sav.compare("hospital", ["6(9)"])
    with pytest.raises(InputError, match="Stage: there is no stage 'holiday'; choose one of recruitment, "):
        sav.compare("holiday", [])


def test_legal_action_reads_only_what_the_testimony_supports():
    """Box 8 says only "legal action against Mrs. P": 6(2)(b) (criminal proceedings) is arguable, not engaged."""
    stage = next(s for s in sav.stages() if s["id"] == "legal_action")
    assert "6(2)(b)" not in stage["engaged"] and "6(2)(b)" in stage["arguable"]
    why = stage["arguable"]["6(2)(b)"]
    assert "criminal" in why and "does not say" in why
    c = sav.compare("legal_action", ["6(2)(a)", "6(2)(b)"])
    assert {r.provision: r.verdict for r in c.readings} == {"6(2)(a)": "engaged", "6(2)(b)": "arguable"}


def test_her_age_is_an_open_question_where_it_matters():
    """Box 8 gives no age and says she travelled "together with another girl": no stage calls her a woman,
    and the 6(4) reading says her age is open wherever it is offered."""
    text = str(sav.data())
    assert "young woman" not in text and "woman" not in text
    for stage in sav.stages():
        why = {**stage["engaged"], **stage["arguable"]}.get("6(4)")
        if why:
            assert "age is an open question" in why and "child" in why, stage["id"]
    offered = {s["id"] for s in sav.stages() if "6(4)" in {**s["engaged"], **s["arguable"]}}
    assert {"hospital", "shelter", "repatriation", "legal_action"} <= offered


def test_only_what_box_8_says_of_her():
    """Her nationality, the basis of her stay and the ICCPR article are not stated as Box 8 or the
    module has them wrong: each is said to be inferred, unknown or corrected."""
    text = " ".join(str(sav.data()).split())
    assert "the State of which she is a national" not in text
    assert "does not state her nationality" in text
    assert "does not say on what basis she stayed" in text
    assert "ICCPR article 3(a)" not in text and "article 2(3)(a)" in text
    seven_two = next(s for s in sav.stages() if s["id"] == "shelter")["arguable"]["7(2)"]
    assert "appropriate consideration" in seven_two


def test_compensation_against_promised_wage():
    c = sav.compensation(sav.default_compensation_inputs())
    assert c.unpaid_wages == pytest.approx(75 / 30 * 7)
    assert c.award_in_months_of_wage == pytest.approx(500 / 75)
    assert c.award_less_heads == pytest.approx(500 - 17.5)


@pytest.mark.parametrize("field, value", [("days_worked", -1), ("promised_per_month", "x"), ("legal_fees", -5)])
def test_compensation_bad_input(field, value):
    values = sav.default_compensation_inputs()
    values[field] = value
    with pytest.raises(InputError) as e:
        sav.compensation(values)
    assert e.value.field == field
    assert e.value.message.split(":")[0] in ("Days worked unpaid", "Wage promised per month", "Legal fees")
    assert "; enter a number" in e.value.message


def test_each_reading_says_something_of_its_own():
    """Every provision chosen at once, at every stage: no two readings give the same reason, and
    what holds for the whole stage is said once (``about``), not under each provision."""
    everything = protocol.provision_ids()
    for stage in sav.stages():
        c = sav.compare(stage["id"], everything)
        whys = [r.why for r in c.readings]
        assert len(whys) == len(set(whys)), stage["id"]
        assert c.about == stage["not_here"] and not any(c.about in why for why in whys), stage["id"]
    not_here = {r.provision: r.why for r in sav.compare("forced_work", ["6(1)", "6(3)", "8(5)"]).readings}
    assert not_here["6(1)"] == "The course reads article 6(1) as arguable at stage 8 (Legal action)."
    assert not_here["6(3)"].startswith("The course reads its sub-paragraphs one by one (6(3)(a), 6(3)(b), 6(3)(c) and 6(3)(d))")
    assert not_here["8(5)"].startswith("The course reads article 8(5) as engaged at no stage")
