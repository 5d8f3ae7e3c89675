"""The case models: facts carry sources, calculations follow the module's rules, bad input is refused clearly."""

import re

import pytest

from case_studies import InputError, common
from case_studies.little_rose_shelter import model as rose
from case_studies.sabhnani import model as sab


@pytest.mark.parametrize("name", ["sabhnani", "savannakhet", "little_rose_shelter"])
def test_every_fact_has_a_source_and_every_assumption_a_reason(name):
    doc = common.load(name)
    assert all(f["source"].startswith("Box") for f in doc["facts"])
    assert all(a["note"] for a in doc["assumptions"])


def test_module_facts_reach_the_models():
    assert common.fact("sabhnani", "promised_wage_per_month") == 200
    assert common.fact("sabhnani", "paid_to_daughter_per_month") == 100
    assert common.fact("savannakhet", "promised_wage_per_month") == 75
    assert common.fact("savannakhet", "award") == 500
    assert common.fact("little_rose_shelter", "group_size") == 15
    assert common.fact("little_rose_shelter", "rehabilitation_months") == 4


# --- Sabhnani -------------------------------------------------------------------------


def one_victim(**changes):
    inputs = sab.default_inputs()
    v = inputs["victims"][0]
    v.update(changes)
    return v, inputs["rules"]


def test_minimum_wage_and_overtime_value():
    v, r = one_victim(hours_per_day=10, days_per_week=5, start="2020-01-01", end="2020-01-14", value_to_defendant_per_month=0,
                      paid_to_family_per_month=0)
    res = sab.restitution(v, r)
    # 50 h a week: 40 at the minimum wage, 10 at time and a half, for two weeks.
    assert res.days == 14
    assert res.minimum_wage_value == pytest.approx((40 + 10 * 1.5) * 7.15 * 2)
    assert res.rule_applied == "minimum wage and overtime"


def test_greater_of_takes_value_to_defendant_when_larger():
    v, r = one_victim(value_to_defendant_per_month=10_000)
    res = sab.restitution(v, r)
    assert res.greater_of == res.value_to_defendant > res.minimum_wage_value
    assert res.rule_applied == "value to the defendants"
    # Liquidated damages follow the unpaid minimum wage and overtime, not the greater-of figure.
    assert res.liquidated_damages == pytest.approx(res.unpaid_minimum_wage)


def test_liquidated_damages_equal_back_wages_and_total_adds_up():
    v, r = one_victim(medical=1000, attorney_fees=500)
    res = sab.restitution(v, r)
    assert res.liquidated_damages == pytest.approx(res.unpaid_minimum_wage)
    assert res.total == pytest.approx(res.lost_income + res.liquidated_damages + 1500)


def test_family_payments_count_only_when_chosen():
    v, r = one_victim()
    counted = sab.restitution(v, r)
    r = {**r, "credit_family_payments": False}
    not_counted = sab.restitution(v, r)
    assert counted.paid > 0 and not_counted.paid == 0
    assert not_counted.lost_income > counted.lost_income


def test_both_victims_are_modelled():
    results = sab.all_victims(sab.default_inputs())
    assert set(results) == {"first", "second"}
    assert results["second"].paid == 0  # Box 9 mentions no payment to her family


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"hours_per_day": -1}, "First victim (aged 53) — Hours worked per day: -1 is less than 0; enter a number from 0 to 24."),
        ({"hours_per_day": 25}, "First victim (aged 53) — Hours worked per day: 25 is more than 24; enter a number from 0 to 24."),
        ({"days_per_week": 8}, "First victim (aged 53) — Days worked per week: 8 is more than 7; enter a number from 0 to 7."),
        ({"hours_per_day": "many"}, 'First victim (aged 53) — Hours worked per day: "many" is not a number; enter a number from 0 to 24.'),
        ({"hours_per_day": " "}, "First victim (aged 53) — Hours worked per day: nothing is entered; enter a number from 0 to 24."),
        ({"hours_per_day": "0x10"}, 'First victim (aged 53) — Hours worked per day: "0x10" is not a number; enter a number from 0 to 24.'),
        ({"start": "2006-01-01", "end": "2005-01-01"},
         "First victim (aged 53) — Last day worked: 2005-01-01 is before the first day worked, 2006-01-01; enter a date on or after 2006-01-01."),
        ({"start": "2006-02-30"}, 'First victim (aged 53) — First day worked: "2006-02-30" is not a date; enter a date as YYYY-MM-DD, for example 2005-01-31.'),
        ({"start": "20060101"}, 'First victim (aged 53) — First day worked: "20060101" is not a date; enter a date as YYYY-MM-DD, for example 2005-01-31.'),
    ],
)
def test_sabhnani_bad_input_is_a_clear_message(changes, message):
    """Which field (and whose), what is wrong with the value, and how to fix it."""
    v, r = one_victim(**changes)
    with pytest.raises(InputError) as e:
        sab.restitution(v, r)
    assert e.value.message == message
    inputs = sab.default_inputs()
    inputs["victims"][0].update(changes)
    assert [e.message for e in sab.validate(inputs)] == [message]


def test_sabhnani_bad_rule_is_refused():
    inputs = sab.default_inputs()
    inputs["rules"]["minimum_wage"] = -2
    problems = sab.validate(inputs)
    assert [e.field for e in problems] == ["minimum_wage"]
    assert problems[0].message == "Minimum wage per hour: -2 is less than 0; enter a number from 0 to 1000."


# --- Savannakhet: tests/case_studies/test_savannakhet.py --------------------------------


# --- Little Rose Shelter --------------------------------------------------------------


def test_full_plan_meets_every_obligation():
    plan = list(rose.services())
    table = rose.coverage(rose.default_profile(), plan)
    assert set(table["Status"]) == {"met"}


def test_empty_plan_misses_every_obligation_and_says_what_to_add():
    table = rose.coverage(rose.default_profile(), [])
    assert set(table["Status"]) == {"missing"}
    assert (table["Could add"] != "").all()


def test_profile_decides_which_obligations_apply():
    child = {**rose.default_profile(), "return_home": "yes"}
    adult_staying = {**child, "age": 19, "return_home": "no"}
    ids = lambda p: {r["id"] for r in rose.rows(p, [])}  # noqa: E731
    assert {"g8-return", "6(4)-children", "g8-views"} <= ids(child)
    assert "g8-care" not in ids(child)
    assert "6(4)-children" not in ids(adult_staying)
    child_staying = {**child, "return_home": "no"}
    assert "g8-care" in ids(child_staying) and "g8-return" not in ids(child_staying)


G8_ROWS = {o["id"] for o in rose.data()["obligations"] if "Guideline 8" in o["source"]}


@pytest.mark.parametrize("age", [18, 19, 30, 70])
@pytest.mark.parametrize("return_home", rose.RETURN_CHOICES)
def test_guideline_8_and_child_rows_apply_to_children_only(age, return_home):
    """Guideline 8 (Box 10) and 6(4)'s child-specific part concern children: no such row for an adult."""
    adult = {**rose.default_profile(), "age": age, "return_home": return_home}
    ids = {r["id"] for r in rose.rows(adult, list(rose.services()))}
    assert not ids & (G8_ROWS | {"6(4)-children"}), ids
    child = {**adult, "age": 17}
    child_ids = {r["id"] for r in rose.rows(child, [])}
    assert {"g8-views", "g8-assistance", "6(4)-children"} <= child_ids
    assert ("g8-return" in child_ids) == (return_home in ("yes", "undecided"))
    assert ("g8-care" in child_ids) == (return_home in ("no", "undecided"))


def test_every_obligation_names_known_conditions_and_guideline_8_needs_a_child():
    assert G8_ROWS == {"g8-return", "g8-care", "g8-views", "g8-assistance"}
    for o in rose.data()["obligations"]:
        conditions = [o["applies"]] if isinstance(o["applies"], str) else o["applies"]
        assert conditions and set(conditions) <= set(rose.CONDITIONS), o["id"]
        if o["id"] in G8_ROWS:
            assert "child" in conditions, o["id"]


def test_programme_figures():
    profile = {**rose.default_profile(), "girls": 31, "extra_months": 2}
    assert rose.programme(profile, ["residency"]) == {"groups": 3, "girls_in_last_group": 1, "months": 6, "grant_eligible": True}
    assert rose.programme(rose.default_profile(), [])["grant_eligible"] is False


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"age": -3}, "Her age: -3 is less than 0; enter a number from 0 to 120."),
        ({"girls": 2.5}, "Girls arriving in this intake: 2.5 is not a whole number; enter a whole number from 0 to 10000."),
        ({"return_home": "maybe"}, "Does she wish to return to her family: 'maybe' is not one of the answers; choose one of yes, no, undecided."),
        ({"needs": ["wings"]}, "Her needs: 'wings' is not a need this page knows; choose from health, trauma, literacy, job, rights, income."),
    ],
)
def test_little_rose_bad_input(changes, message):
    with pytest.raises(InputError) as e:
        rose.rows({**rose.default_profile(), **changes}, [])
    assert e.value.message == message


def test_little_rose_unknown_service_is_named_with_the_choices():
    with pytest.raises(InputError, match=r"Her plan: 'spa' is not a service this page knows; choose from residency, ") as e:
        rose.rows(rose.default_profile(), ["residency", "spa"])
    assert e.value.field == "plan"


def test_models_import_no_widget_library():
    import subprocess
    import sys

    code = (
        "import sys; import case_studies.sabhnani.model, case_studies.savannakhet.model, case_studies.little_rose_shelter.model;"
        "bad = [m for m in ('anywidget', 'ipywidgets', 'traitlets') if m in sys.modules]; print(bad); sys.exit(bool(bad))"
    )
    root = common.DATA.parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


# --- Messages (common) ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value, minimum, maximum, message",
    [
        (25, 0, 24, "Hours worked per day: 25 is more than 24; enter a number from 0 to 24."),
        ("25.0", 0, 24, "Hours worked per day: 25 is more than 24; enter a number from 0 to 24."),
        (-0.5, 0, None, "Hours worked per day: -0.5 is less than 0; enter a number of 0 or more."),
        (30, None, 24, "Hours worked per day: 30 is more than 24; enter a number of 24 or less."),
        ("", 0, 24, "Hours worked per day: nothing is entered; enter a number from 0 to 24."),
        (None, 0, 24, "Hours worked per day: nothing is entered; enter a number from 0 to 24."),
        (True, 0, 24, "Hours worked per day: True is a yes/no value, not a number; enter a number from 0 to 24."),
        ("ten", None, None, 'Hours worked per day: "ten" is not a number; enter a number.'),
        ("inf", 0, 24, 'Hours worked per day: "inf" is not a number; enter a number from 0 to 24.'),
        ("1_000", 0, None, 'Hours worked per day: "1_000" is not a number; enter a number of 0 or more.'),
        ("\u0663", 0, None, 'Hours worked per day: "\u0663" is not a number; enter a number of 0 or more.'),
    ],
)
def test_number_messages_name_the_field_the_problem_and_the_fix(value, minimum, maximum, message):
    with pytest.raises(InputError) as e:
        common.number("hours_per_day", value, "Hours worked per day", minimum=minimum, maximum=maximum)
    assert (e.value.field, e.value.message) == ("hours_per_day", message)


@pytest.mark.parametrize("text, x", [("12", 12), (" 7.5 ", 7.5), ("+3", 3), (".5", 0.5), ("5.", 5), ("1e3", 1000)])
def test_number_reads_what_people_type(text, x):
    assert common.number("f", text, "F") == x


def test_data_file_problems_say_which_file_and_how_to_fix():
    with pytest.raises(KeyError, match=r"case_studies/data/sabhnani.yaml has no fact 'wage'; use one of victims, "):
        common.fact("sabhnani", "wage")


@pytest.mark.parametrize(
    "x, js",  # what JavaScript's String(x) gives, which the browser's messages use
    [(25, "25"), (25.0, "25"), (-0.0, "0"), (7.15, "7.15"), (-0.5, "-0.5"), (1e-05, "0.00001"), (1.5e-05, "0.000015"),
     (1e-07, "1e-7"), (1e16, "10000000000000000"), (1e21, "1e+21"), (0.1 + 0.2, "0.30000000000000004")],
)
def test_numbers_in_messages_are_shown_as_the_browser_shows_them(x, js):
    assert common.show(x) == js


# --- Figures written for people ----------------------------------------------------------


def test_figures_are_written_for_people():
    assert [common.figure(x) for x in (30.4375, 1500, 7.15, 0.5, 2.0)] == ["30.44", "1,500", "7.15", "0.5", "2"]
    assert common.quantity(7.15, "US$", "US$") == "US$\u00a07.15"
    assert common.quantity(1.5, "×") == "1.5×"
    assert (common.quantity(1, "days"), common.quantity(15, "hours")) == ("1\u00a0day", "15\u00a0hours")
    assert (common.quantity(True), common.quantity("2005-01-01")) == ("yes", "1 January 2005")


def test_sabhnani_sources_show_no_raw_values():
    """The page's "Where each figure comes from": the module's words and each starting value,
    never a Python value (True, None, 30.437500) or an empty cell."""
    text = sab.sources_markdown()
    assert not re.search(r"\b(True|False|None|nan)\b|\d\.\d{3,}|\(\s*\)|:\s*\.", text), text
    assert "**Days in a month (for monthly amounts)**: 30.44\u00a0days. Teaching convention" in text
    assert "**Count payments to her family as paid to her**: yes. Teaching assumption" in text
    quotes, starting = sab.sources()
    assert all(source for _, source in quotes) and all(value and note for _, value, note in starting)
