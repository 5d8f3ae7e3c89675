"""Scenario variants: reproducible per (seed, student, template), different across students,
and the rule table grounded in the module text."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

import protocol
from exercises.scenarios import RULES, applicable, derived_provisions, draw_facts, draw_person, load_templates, variant
from exercises.scenarios.templates import describe
from exercises.sections import REPO, module_text, quote_in_module

STUDENTS = [f"s{n:03d}" for n in range(40)]


@pytest.fixture(scope="module")
def templates():
    return load_templates()


def test_same_seed_student_template_gives_same_variant(templates):
    for t in templates.values():
        a, fa = variant(t, 2026, "s001")
        b, fb = variant(t, 2026, "s001")
        assert (a, fa) == (b, fb)


def test_facts_do_not_depend_on_python_hash_seed():
    code = ("import json,dataclasses;from exercises.scenarios import draw_facts;"
            "print(json.dumps(dataclasses.asdict(draw_facts(7,'alice','which-provisions'))))")
    outs = {subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2", "3")}
    assert len(outs) == 1
    assert json.loads(outs.pop()) == dataclasses.asdict(draw_facts(7, "alice", "which-provisions"))


def test_different_students_get_different_facts(templates):
    for t in templates.values():
        facts = {variant(t, 2026, s)[1] for s in STUDENTS}
        assert len(facts) == len(STUDENTS), t.id


def test_seed_and_template_change_the_facts():
    assert draw_facts(1, "s001", "which-provisions") != draw_facts(2, "s001", "which-provisions")
    assert draw_facts(1, "s001", "which-provisions") != draw_facts(1, "s001", "unpaid-wages")


def test_variant_answers_follow_from_the_rules(templates):
    t = templates["which-provisions"]
    for s in STUDENTS:
        item, facts = variant(t, 9, s)
        derived = set(derived_provisions(facts))
        for option, pid in zip(item.options, t.options):
            assert option.correct == (pid in derived), (s, pid)
        assert item.correct_options, "6(6) applies to every drawn case (some wages are always unpaid)"


def test_unpaid_wages_variant_matches_its_derivation(templates):
    from exercises.arithmetic import evaluate
    for s in STUDENTS:
        item, facts = variant(templates["unpaid-wages"], 3, s)
        assert item.numeric.value == facts.months_worked * (facts.promised_per_month - facts.paid_per_month)
        assert evaluate(item.numeric.derivation) == item.numeric.value
        assert f"{facts.months_worked} months" in item.stem


def _facts(**changes):
    base = draw_facts(0, "base", "rules")
    return dataclasses.replace(base, **changes)


def test_rules_on_chosen_facts():
    child = _facts(age=15)
    assert "6(4)" in derived_provisions(child)
    assert "6(4)" not in derived_provisions(_facts(age=30, special_needs=""))
    going_home = _facts(nationality="State A", residence_at_entry="State A", present_state="State C",
                        wish="return", has_documents=False, risk_on_return=False, proceedings_running=False)
    ids = derived_provisions(going_home)
    assert {"8(1)", "8(2)", "8(3)", "8(4)"} <= set(ids) and "14" not in ids
    own_state = _facts(nationality="State A", residence_at_entry="State A", present_state="State A",
                       risk_on_return=True, wish="stay")
    assert not {"7(1)", "8(1)", "14"} & set(derived_provisions(own_state))
    at_risk = _facts(nationality="State A", residence_at_entry="State A", present_state="State B",
                     risk_on_return=True, wish="undecided")
    assert {"7(1)", "7(2)", "14"} <= set(derived_provisions(at_risk))


@pytest.mark.parametrize("changes", [
    {"special_needs": "pregnant"}, {"special_needs": "disability"}, {"special_needs": "woman counsellor"},
    {"age": 16},
])
def test_6_4_for_age_gender_or_special_needs_not_only_for_children(changes):
    adult = _facts(age=30, special_needs="")
    assert "6(4)" not in derived_provisions(adult)
    assert "6(4)" in derived_provisions(dataclasses.replace(adult, **changes))


def test_a_pregnancy_also_calls_for_health_care():
    f = _facts(age=26, health_needs=False, special_needs="pregnant")
    assert {"6(3)(c)", "6(4)"} <= set(derived_provisions(f))


def test_6_5_wherever_the_facts_put_her_safety_at_risk_not_only_after_a_threat():
    safe = _facts(threatened=False, exploiters_nearby=False)
    assert "6(5)" not in derived_provisions(safe)
    assert "6(5)" in derived_provisions(dataclasses.replace(safe, exploiters_nearby=True))
    assert "6(5)" in derived_provisions(dataclasses.replace(safe, threatened=True))


def test_6_3_b_is_owed_whether_or_not_she_speaks_the_local_language():
    """Counselling and information on legal rights, in a language she understands: owed to a person
    with rights to be told about (here a wage claim), language barrier or not."""
    for speaks in (True, False):
        f = _facts(speaks_local_language=speaks, months_worked=12, promised_per_month=200, paid_per_month=0)
        assert "6(3)(b)" in derived_provisions(f)
    person = draw_person(0, "base", "rules", _facts())
    from exercises.scenarios.rules import explain
    speaks = _facts(speaks_local_language=True)
    assert "whether or not" in explain("6(3)(b)", speaks, person)
    assert "does not speak the local language" in explain("6(3)(b)", _facts(speaks_local_language=False), person)
    nothing = _facts(months_worked=3, promised_per_month=100, paid_per_month=100, medical_costs=0,
                     proceedings_running=False, testifying=False, nationality="State A",
                     residence_at_entry="State A", present_state="State A", speaks_local_language=True)
    assert "6(3)(b)" not in derived_provisions(nothing)


def test_the_circumstances_appear_in_the_variants_and_read_right(templates):
    seen_needs, nearby = set(), 0
    for s in STUDENTS:
        item, facts = variant(templates["which-provisions"], 2026, s)
        person = draw_person(2026, s, "which-provisions", facts)
        seen_needs.add(facts.special_needs)
        nearby += facts.exploiters_nearby
        text = item.stem
        assert ("still at large and know where" in text) == facts.exploiters_nearby
        assert ("is pregnant." in text) == (facts.special_needs == "pregnant")
        assert ("uses a wheelchair" in text) == (facts.special_needs == "disability")
        assert ("counselled by a woman" in text) == (facts.special_needs == "woman counsellor")
        if facts.special_needs in ("pregnant", "woman counsellor"):
            assert person.pronoun == "she"
        correct = {pid for o, pid in zip(item.options, templates["which-provisions"].options) if o.correct}
        assert ("6(4)" in correct) == (facts.child or bool(facts.special_needs))
        assert ("6(5)" in correct) == (facts.threatened or facts.exploiters_nearby)
        assert "6(3)(b)" in correct
    assert seen_needs == {"", "pregnant", "disability", "woman counsellor"} and 0 < nearby < len(STUDENTS)


def test_the_stem_states_how_the_question_reads_6_4_and_6_5(templates):
    stem = " ".join(templates["which-provisions"].stem.split())
    assert "take into account the age, gender and special needs of every victim" in stem
    assert "official text" in stem and "risk to the person's safety" in stem


def test_every_rule_cites_the_module_verbatim():
    if module_text() is None:
        pytest.skip("module text (protocol/data/module-text.txt) not present")
    for rule in RULES:
        assert quote_in_module(rule.source.quote), rule.id
        assert all(protocol.parse(pid) == pid for pid in rule.provisions)


def test_facts_read_consistently():
    for s in STUDENTS:
        f = draw_facts(5, s, "which-provisions")
        text = " ".join(describe(f))
        assert f"{f.age} years old" in text
        if not f.foreign:
            assert "own State" in text and "does not speak the local language" not in text
        assert ("no passport" in text) == (not f.has_documents)
        assert (f.testifying <= f.proceedings_running)


def test_applicable_rules_give_feedback_for_each_provision(templates):
    item, facts = variant(templates["which-provisions"], 11, "s002")
    person = draw_person(11, "s002", "which-provisions", facts)
    rules = applicable(facts)
    for option in item.correct_options:
        assert any(option.feedback == r.said(True, person) for r in rules)


# Facts of released work must not change when the code does: grades are worked out again from
# (seed, student, template). This digest of 150 draws was taken when the person was added; it
# covers the facts drawn then (the circumstances added since come from a stream of their own).
FACTS_DIGEST = "aeb8bb5ee5c261203f5de8ba38c3c9d92eaff26523301fbc69a09750648e0fcd"
FIRST_FACTS = ("name", "age", "nationality", "residence_at_entry", "present_state", "has_documents",
               "proceedings_running", "testifying", "media_interest", "wish", "risk_on_return", "threatened",
               "needs_housing", "speaks_local_language", "health_needs", "wants_training", "months_worked",
               "promised_per_month", "paid_per_month", "medical_costs")


def test_the_facts_students_were_given_stay_the_same():
    import hashlib

    from exercises.assignments.student_facts import TEMPLATES

    h = hashlib.sha256()
    for t in ["which-provisions", "return-state", "unpaid-wages", "compensation", "capstone"]:
        require = TEMPLATES[t].require if t in TEMPLATES else None
        for n in range(30):
            plain, full = (draw_facts(2026, f"s{n:03d}", t, require=require, circumstances=c) for c in (False, True))
            first = {k: v for k, v in dataclasses.asdict(plain).items() if k in FIRST_FACTS}
            h.update(json.dumps(first, sort_keys=True).encode())
            assert (plain.special_needs, plain.exploiters_nearby) == ("", False)
            assert {k: v for k, v in dataclasses.asdict(full).items() if k in FIRST_FACTS} == first, \
                "the circumstances changed the facts drawn before them"
    assert h.hexdigest() == FACTS_DIGEST


def test_the_person_is_not_always_a_woman_and_every_text_fits_them(templates):
    import re

    from exercises.scenarios.facts import NAMES, NAMES_FOR

    seen = set()
    for t in templates.values():
        for s in STUDENTS:
            item, facts = variant(t, 2026, s)
            person = draw_person(2026, s, t.id, facts)
            seen.add(person.pronoun)
            assert person.name in (NAMES if person.pronoun == "she" else NAMES_FOR[person.pronoun])
            assert f"facts about {person.name}" in item.stem
            text = " ".join([item.stem, *(o.text for o in item.options), *(o.feedback or "" for o in item.options)])
            assert "{" not in text, text  # every placeholder filled
            if person.pronoun != "she":
                assert not re.search(r"\b(she|her|hers|herself)\b", text, re.I), (s, t.id, text)
    assert seen == {"she", "he", "they"}
