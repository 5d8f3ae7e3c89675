"""The small wage helpers of the Sabhnani model: back_wages, the court's measure that the graded
compensation exercises use, and unpaid_wages, the shortfall against the promise."""

import pytest

from case_studies import InputError, common
from case_studies.sabhnani import model as sab


def test_unpaid_wages_on_the_module_figures():
    promised = common.fact("sabhnani", "promised_wage_per_month")  # Box 9: 200
    to_daughter = common.fact("sabhnani", "paid_to_daughter_per_month")  # Box 9: 100
    assert sab.unpaid_wages(24, promised, to_daughter) == 2400
    assert sab.unpaid_wages(10, 300, 50) == 2500
    assert isinstance(sab.unpaid_wages(24, 200, 100), int)  # whole numbers stay whole
    assert sab.unpaid_wages(0, 200, 100) == 0
    assert sab.unpaid_wages(12, 100, 150) == 0  # paid more than promised: nothing unpaid


@pytest.mark.parametrize("args, message", [
    ((-1, 200, 100), "Months worked: -1 is less than 0; enter a number of 0 or more."),
    ((12, -5, 0), "Wage promised per month: -5 is less than 0; enter a number of 0 or more."),
    ((12, 200, "a lot"), 'Paid per month: "a lot" is not a number; enter a number of 0 or more.'),
])
def test_unpaid_wages_refuses_bad_input_clearly(args, message):
    with pytest.raises(InputError) as e:
        sab.unpaid_wages(*args)
    assert e.value.message == message


def test_liquidated_damages_are_the_ratio_times_back_wages_as_restitution_uses_them():
    assert sab.liquidated_damages(2400, 1) == 2400
    assert sab.liquidated_damages(2400, 0.5) == 1200
    inputs = sab.default_inputs()
    victim, rules = inputs["victims"][0], dict(inputs["rules"], liquidated_ratio=2)
    res = sab.restitution(victim, rules)
    assert res.liquidated_damages == pytest.approx(sab.liquidated_damages(res.unpaid_minimum_wage, 2))


def test_unpaid_wages_computes_with_the_checked_numbers():
    # Numeric text is read as the number it spells, not multiplied as a string.
    assert sab.unpaid_wages("3", 200, 100) == 300
    assert isinstance(sab.unpaid_wages("3", "200", " 100 "), int)
    assert sab.unpaid_wages(2.5, 200, 100) == pytest.approx(250.0)
    assert sab.unpaid_wages(24.0, 200.0, 100.0) == 2400


@pytest.mark.parametrize("args, label", [
    ((True, 200, 100), "Months worked"),
    ((12, False, 0), "Wage promised per month"),
    ((12, 200, True), "Paid per month"),
])
def test_unpaid_wages_refuses_yes_no_values(args, label):
    with pytest.raises(InputError, match=label) as e:
        sab.unpaid_wages(*args)
    assert e.value.field in ("months", "promised_per_month", "paid_per_month")


def test_number_fields_refuse_booleans_everywhere():
    with pytest.raises(InputError):
        common.number("x", True, "Some number", minimum=0)
    inputs = sab.default_inputs()
    inputs["victims"][0]["hours_per_day"] = True
    assert [e.field for e in sab.validate(inputs)] == ["first.hours_per_day"]


RULES = {"minimum_wage": 7.15, "overtime_after_hours": 40, "overtime_multiplier": 1.5, "days_per_month": 30.4375}


def test_back_wages_are_restitutions_unpaid_minimum_wage_for_a_period_in_months():
    """One rule: the graded questions' back wages are the explorer's, for the same period."""
    inputs = sab.default_inputs()
    rules = dict(inputs["rules"], days_per_month=30)
    victim = dict(inputs["victims"][0], start="2020-01-01", end="2020-02-29")  # 60 days: two months of 30
    res = sab.restitution(victim, rules)
    hours = victim["hours_per_day"] * victim["days_per_week"]
    paid = victim["paid_to_victim_per_month"] + victim["paid_to_family_per_month"]  # family payments credited
    assert res.unpaid_minimum_wage == pytest.approx(sab.back_wages(2, paid, hours, rules))
    overtime_rate = {**rules, "overtime_multiplier": 2}
    assert sab.restitution(victim, overtime_rate).unpaid_minimum_wage == pytest.approx(
        sab.back_wages(2, paid, hours, overtime_rate))


def test_back_wages_on_the_shared_compensation_figures():
    # 105 hours a week: 40 at 7.15, 65 at time and a half; 24 months of 30.4375 / 7 weeks; 100 a month paid.
    assert sab.back_wages(24, 100, 105, RULES) == pytest.approx((40 + 65 * 1.5) * 7.15 * 24 * 30.4375 / 7 - 2400)
    assert sab.back_wages(24, 100, 105, RULES) == pytest.approx(100196.12, abs=0.01)
    # The promise (200 a month) is far below the minimum wage: it is not the measure.
    assert sab.back_wages(24, 100, 105, RULES) > 40 * sab.unpaid_wages(24, 200, 100)
    assert sab.back_wages(24, 100, 30, RULES) == pytest.approx(30 * 7.15 * 24 * 30.4375 / 7 - 2400)  # no overtime
    assert sab.back_wages(1, 10_000, 105, RULES) == 0  # paid more than the hours were worth: nothing owed


@pytest.mark.parametrize("args, rules, message", [
    ((12, 100, 200), RULES, "Hours worked per week: 200 is more than 168; enter a number from 0 to 168."),
    ((-1, 100, 40), RULES, "Months worked: -1 is less than 0; enter a number of 0 or more."),
    ((12, "some", 40), RULES, 'Paid per month: "some" is not a number; enter a number of 0 or more.'),
    ((12, 100, 40), {**RULES, "minimum_wage": -2},
     "Minimum wage per hour: -2 is less than 0; enter a number from 0 to 1000."),
])
def test_back_wages_refuse_bad_input_clearly(args, rules, message):
    with pytest.raises(InputError) as e:
        sab.back_wages(*args, rules)
    assert e.value.message == message
