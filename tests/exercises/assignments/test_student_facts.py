"""Each student's facts for the graded assignments: facts from the bank's scenario generator,
answers (the items' named answers) from its rule table and the Sabhnani model, shared facts
agreeing with the bank."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from case_studies.sabhnani import model as sabhnani
from exercises.assignments import student_facts
from exercises.bank import load_bank
from exercises.graded.kinds import question
from exercises.scenarios import Facts, derived_provisions, draw_facts

STUDENTS = [f"s{n:03d}" for n in range(60)]
ITEMS_OF = {"compensation": ["compensation-unpaid-wages", "compensation-liquidated-damages"],
            "capstone": ["capstone-support-provisions", "capstone-unpaid-wages"]}


@pytest.fixture(scope="module")
def bank():
    return {i.id: i for i in load_bank(use="graded")}


@pytest.fixture(scope="module")
def expected(bank):
    """The right answer of a bank item for a student's facts, as the grader works it out."""
    return lambda item_id, facts: question(bank[item_id]).right_answer(facts)


def test_the_items_about_each_students_case_say_so_in_their_yaml(bank):
    per_student = {i.id for i in bank.values() if i.per_student}
    assert per_student == {item for items in ITEMS_OF.values() for item in items}
    for template, items in ITEMS_OF.items():
        assert {bank[i].case.facts for i in items} == {template}
    assert bank["capstone-return"].case.facts == "capstone" and not bank["capstone-return"].per_student


@pytest.mark.parametrize("template", list(student_facts.TEMPLATES))
def test_facts_come_from_the_banks_generator(template):
    t = student_facts.TEMPLATES[template]
    for s in STUDENTS[:10]:
        f = student_facts.facts(template, s, "course-seed")
        assert f == dataclasses.asdict(draw_facts("course-seed", s, template, require=t.require))
        assert f == student_facts.facts(template, s, "course-seed")  # same seed + student + template
        assert t.require(Facts(**f))


@pytest.mark.parametrize("template", list(student_facts.TEMPLATES))
def test_students_and_seeds_get_different_facts(template):
    drawn = [json.dumps(student_facts.facts(template, s, 7), sort_keys=True) for s in STUDENTS]
    assert len(set(drawn)) == len(STUDENTS)
    assert student_facts.facts(template, "s001", 1) != student_facts.facts(template, "s001", 2)
    # The template is part of the seed: one student's two assignments are different cases.
    assert student_facts.facts("compensation", "s001", 1) != student_facts.facts("capstone", "s001", 1)


def test_facts_are_json_and_carry_no_answer():
    for template in student_facts.TEMPLATES:
        f = student_facts.facts(template, "s001", 3)
        assert json.loads(json.dumps(f)) == f
        assert set(f) == {field.name for field in dataclasses.fields(Facts)}  # drawn facts only
        assert "unpaid_wages" not in f


@pytest.mark.parametrize("template", list(student_facts.TEMPLATES))
def test_shared_facts_give_the_banks_own_answers(bank, expected, template):
    shared = student_facts.facts(template, student_facts.COMMON)
    for item_id in ITEMS_OF[template]:
        item = bank[item_id]
        got = expected(item_id, shared)
        if item.numeric:
            assert abs(got - item.numeric.value) <= item.numeric.tolerance, item_id
        else:
            assert got == list(item.citations), item_id


def test_sums_come_from_the_sabhnani_model(bank, expected):
    """Back wages by the court's rule (the model's back_wages), on each item's own assumptions."""
    def back_wages(item_id, f):
        rules = {k: v for k, v in bank[item_id].case.params.items() if k != "ratio"}
        hours = rules.pop("hours_per_week")
        return sabhnani.back_wages(f["months_worked"], f["paid_per_month"], hours, rules)

    for s in STUDENTS:
        f = student_facts.facts("compensation", s, 5)
        back = back_wages("compensation-unpaid-wages", f)
        assert expected("compensation-unpaid-wages", f) == round(back) > 0  # in whole dollars
        # Measured against the minimum wage, not the far lower promise.
        assert back > sabhnani.unpaid_wages(f["months_worked"], f["promised_per_month"], f["paid_per_month"])
        assert expected("compensation-liquidated-damages", f) == round(back + sabhnani.liquidated_damages(back, 1))
        c = student_facts.facts("capstone", s, 5)
        assert expected("capstone-unpaid-wages", c) == round(back_wages("capstone-unpaid-wages", c))


def test_support_provisions_follow_the_rule_table(bank, expected):
    asked = set(bank["capstone-support-provisions"].provisions)
    for s in STUDENTS:
        f = student_facts.facts("capstone", s, 5)
        got = expected("capstone-support-provisions", f)
        assert got == [pid for pid in derived_provisions(Facts(**f)) if pid in asked]
        assert any(pid.startswith("6(3)") for pid in got), s  # never an empty (unanswerable) list
        assert ("6(4)" in got) == (f["age"] < 18) and ("6(5)" in got) == f["threatened"]


def test_rendered_facts_show_what_the_answers_rest_on():
    for s in STUDENTS[:20]:
        f = student_facts.facts("compensation", s, 5)
        text = student_facts.render("compensation", f)
        for key in ("months_worked", "promised_per_month", "paid_per_month"):
            assert f"**{f[key]} " in text
        c = student_facts.facts("capstone", s, 5)
        text = student_facts.render("capstone", c)
        assert f"**{c['age']} years old**" in text and c["present_state"] in text
        assert ("nowhere safe to stay" in text) == c["needs_housing"]
        assert ("She needs medical care" in text) == c["health_needs"]
        assert ("would like training" in text) == c["wants_training"]

        # Every drawn fact the capstone's questions may rest on is stated in the notebook.
        assert ("no passport" in text) == (not c["has_documents"])
        assert ("harmed if she went home" in text) == c["risk_on_return"]
        assert ("does not speak the language" in text) == (not c["speaks_local_language"])


def test_the_capstone_notebook_and_facts_say_the_same_and_no_provisions_words():
    """What the notebook says of the case is what facts() shows, line for line; neither puts a need
    in the words of the provision it calls on (article 6(3)(b)'s "legal rights, in a language ...
    can understand" once stood in the list of her needs, for the student to match)."""
    from exercises.graded.course_tools import CaseFacts

    for s in [student_facts.COMMON, *STUDENTS[:20]]:
        f = student_facts.facts("capstone", s, 5)
        notebook = [line[2:].replace("**", "") for line in student_facts.render("capstone", f).splitlines()
                    if line.startswith("- ")]
        shown = [line[2:] for line in repr(CaseFacts(f)).splitlines()[1:]]
        assert notebook == shown, s
        assert not any("legal rights" in line or "counselling" in line for line in notebook), s


def test_facts_in_the_notebook_are_sentences_not_a_record_of_fields():
    """facts() in a student's notebook shows the case as the notebook says it, in sentences."""
    from exercises.graded.course_tools import CaseFacts

    for template in student_facts.TEMPLATES:
        f = CaseFacts(student_facts.facts(template, "s001", 5))
        shown = repr(f)
        assert shown.startswith("The facts of your case:\n- ") and f["name"] in shown
        assert "True" not in shown and "False" not in shown and "_" not in shown, shown
        assert f["months_worked"] == student_facts.facts(template, "s001", 5)["months_worked"]  # still read by name
    # The compensation notebook measures the shared worker's labour at an adult's minimum wage.
    shared = student_facts.facts("compensation", student_facts.COMMON)
    assert shared["age"] >= 18 and not shared["threatened"]


def test_unknown_template_or_answer_is_a_clear_error():
    from exercises.graded.answers import answer

    with pytest.raises(KeyError, match="no facts template 'nope'; known: compensation, capstone"):
        student_facts.facts("nope", "s001")
    with pytest.raises(KeyError, match="no named answer 'nope'; known: back_wages, "):
        answer("nope", student_facts.facts("compensation", "s001"))


def test_no_second_generator_or_arithmetic_in_the_assignments():
    folder = Path(student_facts.__file__).parent
    for path in [*folder.glob("*.py"), *(folder.parent / "graded").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "import random" not in text and "random.Random" not in text, path
    assert not (folder / "calculations.py").exists()


def test_hidden_tests_import_stays_light():
    """The hidden tests of the instructor notebooks import the named answers in the kernel: the
    bank's schema checker (jsonschema, seconds to import) must not come with them."""
    import subprocess
    import sys

    from exercises.sections import REPO

    code = ("import sys; from exercises.graded.answers import answer;"
            "from exercises.assignments.student_facts import facts;"
            "answer('derived_provisions', facts('capstone', 's1', 1), asked=['6(3)(a)', '6(4)']);"
            "print(sorted(m for m in ('jsonschema', 'exercises.bank', 'exercises.checks') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
