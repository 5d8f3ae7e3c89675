"""The small wage helpers of the Sabhnani model that the graded compensation exercises use."""

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
    ((-1, 200, 100), "Months worked cannot be less than 0"),
    ((12, -5, 0), "Wage promised per month cannot be less than 0"),
    ((12, 200, "a lot"), "Paid per month: enter a number"),
])
def test_unpaid_wages_refuses_bad_input_clearly(args, message):
    with pytest.raises(InputError, match=message):
        sab.unpaid_wages(*args)


def test_liquidated_damages_are_the_ratio_times_back_wages_as_restitution_uses_them():
    assert sab.liquidated_damages(2400, 1) == 2400
    assert sab.liquidated_damages(2400, 0.5) == 1200
    inputs = sab.default_inputs()
    victim, rules = inputs["victims"][0], dict(inputs["rules"], liquidated_ratio=2)
    res = sab.restitution(victim, rules)
    assert res.liquidated_damages == pytest.approx(sab.liquidated_damages(res.unpaid_minimum_wage, 2))
