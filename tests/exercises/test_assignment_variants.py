"""The graded assignments' per-student variants: facts from the bank's scenario generator,
answers from its rule table and the Sabhnani model, shared facts agreeing with the bank."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from case_studies.sabhnani import model as sabhnani
from exercises.assignments import variants
from exercises.bank import load_bank
from exercises.scenarios import Facts, derived_provisions, draw_facts

STUDENTS = [f"s{n:03d}" for n in range(60)]
ITEMS_OF = {"compensation": ["compensation-unpaid-wages", "compensation-liquidated-damages"],
            "capstone": ["capstone-support-provisions", "capstone-unpaid-wages"]}


@pytest.fixture(scope="module")
def bank():
    return {i.id: i for i in load_bank(use="graded")}


@pytest.mark.parametrize("template", list(variants.TEMPLATES))
def test_facts_come_from_the_banks_generator(template):
    t = variants.TEMPLATES[template]
    for s in STUDENTS[:10]:
        f = variants.facts(template, s, "course-seed")
        assert f == dataclasses.asdict(draw_facts("course-seed", s, template, require=t.require))
        assert f == variants.facts(template, s, "course-seed")  # same seed + student + template
        assert t.require(Facts(**f))


@pytest.mark.parametrize("template", list(variants.TEMPLATES))
def test_students_and_seeds_get_different_facts(template):
    drawn = [json.dumps(variants.facts(template, s, 7), sort_keys=True) for s in STUDENTS]
    assert len(set(drawn)) == len(STUDENTS)
    assert variants.facts(template, "s001", 1) != variants.facts(template, "s001", 2)
    # The template is part of the seed: one student's two assignments are different cases.
    assert variants.facts("compensation", "s001", 1) != variants.facts("capstone", "s001", 1)


def test_facts_are_json_and_carry_no_answer():
    for template in variants.TEMPLATES:
        f = variants.facts(template, "s001", 3)
        assert json.loads(json.dumps(f)) == f
        assert set(f) == {field.name for field in dataclasses.fields(Facts)}  # drawn facts only
        assert "unpaid_wages" not in f


@pytest.mark.parametrize("template", list(variants.TEMPLATES))
def test_shared_facts_give_the_banks_own_answers(bank, template):
    shared = variants.facts(template, variants.COMMON)
    for item_id in ITEMS_OF[template]:
        item = bank[item_id]
        got = variants.expected(item_id, shared)
        if item.numeric:
            assert abs(got - item.numeric.value) <= item.numeric.tolerance, item_id
        else:
            assert got == list(item.citations), item_id


def test_sums_come_from_the_sabhnani_model():
    for s in STUDENTS:
        f = variants.facts("compensation", s, 5)
        back = sabhnani.unpaid_wages(f["months_worked"], f["promised_per_month"], f["paid_per_month"])
        assert variants.expected("compensation-unpaid-wages", f) == back > 0
        assert variants.expected("compensation-liquidated-damages", f) == back + sabhnani.liquidated_damages(back, 1)
        c = variants.facts("capstone", s, 5)
        assert variants.expected("capstone-unpaid-wages", c) == sabhnani.unpaid_wages(
            c["months_worked"], c["promised_per_month"], c["paid_per_month"])


def test_support_provisions_follow_the_rule_table(bank):
    asked = set(bank["capstone-support-provisions"].provisions)
    for s in STUDENTS:
        f = variants.facts("capstone", s, 5)
        got = variants.expected("capstone-support-provisions", f)
        assert got == [pid for pid in derived_provisions(Facts(**f)) if pid in asked]
        assert any(pid.startswith("6(3)") for pid in got), s  # never an empty (unanswerable) list
        assert ("6(4)" in got) == (f["age"] < 18) and ("6(5)" in got) == f["threatened"]


def test_rendered_facts_show_what_the_answers_rest_on():
    for s in STUDENTS[:20]:
        f = variants.facts("compensation", s, 5)
        text = variants.render("compensation", f)
        for key in ("months_worked", "promised_per_month", "paid_per_month"):
            assert f"**{f[key]} " in text
        c = variants.facts("capstone", s, 5)
        text = variants.render("capstone", c)
        assert f"**{c['age']} years old**" in text and c["present_state"] in text
        assert ("a safe place to stay" in text) == c["needs_housing"]
        assert ("in a language she understands" in text) == (not c["speaks_local_language"])
        assert ("medical care" in text) == c["health_needs"]
        assert ("training" in text) == c["wants_training"]


def test_unknown_template_or_item_is_a_clear_error():
    with pytest.raises(KeyError, match="no variant template 'nope'; known: compensation, capstone"):
        variants.facts("nope", "s001")
    with pytest.raises(KeyError, match="is not a variant item"):
        variants.expected("compensation-provision", variants.facts("compensation", "s001"))


def test_no_second_generator_or_arithmetic_in_the_assignments():
    folder = Path(variants.__file__).parent
    for path in folder.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import random" not in text and "random.Random" not in text, path
    assert not (folder / "calculations.py").exists()


def test_hidden_tests_import_stays_light():
    """Every student's kernel imports variants in a hidden test: the bank's schema checker
    (jsonschema, seconds to import) must not come with it."""
    import subprocess
    import sys

    from exercises.sections import REPO

    code = ("import sys; from exercises.assignments.variants import expected, facts;"
            "expected('capstone-support-provisions', facts('capstone', 's1', 1));"
            "print(sorted(m for m in ('jsonschema', 'exercises.bank', 'exercises.scenarios.templates') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
