"""Restitution for the two victims in United States v. Sabhnani (Box 9), by Box 7's rule.

A teaching exercise: the module does not say the court applied Box 7's restitution rule
in this case; it reports only that back wages plus liquidated damages under the Fair
Labour Standards Act were upheld and that "substantial damages" were ordered (Box 9).

Box 7 (United States, Trafficking Victims Protection Act 2000): restitution is the
"full amount of the victim's losses", its lost-income part calculated as "the greater
of the gross income or value to the defendant of the victim's services or labour or
the value of the victim's labour as guaranteed under the minimum wage and overtime
guarantees". Box 9: the appeals court upheld back wages plus liquidated damages.

A teaching model, not legal advice: the module gives no hours, dates or wage rates,
so those are assumptions (``data/sabhnani.yaml``) the reader sets.

The browser widget runs the same arithmetic (``static/sabhnani.js``, ``compute``);
``tests/case_studies`` drive both over a grid and compare. The graded compensation questions
use the same rule through ``back_wages`` (a period in months instead of two dates).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from case_studies import common

NAME = "sabhnani"
OTHER_HEADS = ("medical", "therapy", "transport_housing_childcare", "attorney_fees", "other_losses")


def data() -> dict[str, Any]:
    return common.load(NAME)


def default_inputs() -> dict[str, Any]:
    """The explorer's starting point: the module's facts, and assumptions where it is silent."""
    doc = data()
    base = {f["id"]: f["default"] for f in doc["victim_fields"]}
    return {
        "rules": {a["id"]: a["default"] for a in doc["assumptions"]},
        "victims": [{"id": v["id"], "label": v["label"], **base, **v["defaults"]} for v in doc["victims"]],
    }


@dataclass(frozen=True)
class Restitution:
    """One victim's amounts, in US$ (unrounded; round only to show them)."""

    days: int
    hours_per_week: float
    regular_hours_per_week: float
    overtime_hours_per_week: float
    minimum_wage_value: float  # value of the labour under the minimum wage and overtime guarantees
    value_to_defendant: float
    greater_of: float  # Box 7's rule: the larger of the two above
    rule_applied: str  # "minimum wage and overtime" or "value to the defendants"
    promised: float  # what she was promised over the period (for comparison only)
    paid: float  # what counts as paid to her
    lost_income: float  # greater_of less what was paid, not below zero
    unpaid_minimum_wage: float  # minimum-wage value less what was paid: the back wages
    liquidated_damages: float
    other_heads: float
    total: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


DATE_TEXT = common.DATE_TEXT
DATE_FIX = "enter a date as YYYY-MM-DD, for example 2005-01-31"


def _date(field: str, value: Any, label: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        raise common.InputError(field, f"{label}: nothing is entered; {DATE_FIX}.")
    try:
        if not DATE_TEXT.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise common.InputError(field, f'{label}: "{text}" is not a date; {DATE_FIX}.') from None


def validate(inputs: dict[str, Any]) -> list[common.InputError]:
    """Every problem with ``inputs``, as messages a learner can act on (empty when all is well).

    Each message names the field (with the victim), says what is wrong with the value and how
    to fix it; the browser (``static/sabhnani.js``, ``check``) gives the same messages.
    """
    errors: list[common.InputError] = []
    doc = data()
    for spec in doc["assumptions"]:
        if spec.get("type") == "boolean":
            continue
        try:
            common.bounded(spec, inputs["rules"][spec["id"]])
        except common.InputError as e:
            errors.append(e)
    fields = {spec["id"]: spec for spec in doc["victim_fields"]}
    for victim in inputs["victims"]:
        who = victim.get("label", victim["id"])
        for spec in doc["victim_fields"]:
            field = f"{victim['id']}.{spec['id']}"
            label = f"{who} — {spec['label']}"
            try:
                if spec.get("type") == "date":
                    _date(field, victim[spec["id"]], label)
                else:
                    common.number(field, victim[spec["id"]], label, minimum=spec.get("min"), maximum=spec.get("max"))
            except common.InputError as e:
                errors.append(e)
        try:
            start = _date(f"{victim['id']}.start", victim["start"], who)
            end = _date(f"{victim['id']}.end", victim["end"], who)
        except common.InputError:
            continue
        if end < start:
            errors.append(common.InputError(
                f"{victim['id']}.end",
                f"{who} — {fields['end']['label']}: {end.isoformat()} is before the {fields['start']['label'].lower()}, "
                f"{start.isoformat()}; enter a date on or after {start.isoformat()}.",
            ))
    return errors


def restitution(victim: dict[str, Any], rules: dict[str, Any]) -> Restitution:
    """One victim's restitution under Box 7's greater-of rule, with liquidated damages (Box 9)."""
    problems = validate({"rules": rules, "victims": [victim]})
    if problems:
        raise problems[0]
    f = {k: v for k, v in victim.items() if k not in ("id", "label", "start", "end")}
    f = {k: float(v) for k, v in f.items()}
    r = {k: float(v) for k, v in rules.items()}
    days = (_date("start", victim["end"], "end") - _date("start", victim["start"], "start")).days + 1  # both days worked
    weeks = days / 7
    months = days / r["days_per_month"]

    hours_per_week = f["hours_per_day"] * f["days_per_week"]
    regular, overtime = _split_hours(hours_per_week, r)
    minimum_wage_value = _minimum_wage_value(hours_per_week, weeks, r)
    value_to_defendant = f["value_to_defendant_per_month"] * months
    greater_of = max(minimum_wage_value, value_to_defendant)

    paid_per_month = f["paid_to_victim_per_month"] + (f["paid_to_family_per_month"] if rules["credit_family_payments"] else 0.0)
    paid = paid_per_month * months
    unpaid_minimum_wage = max(0.0, minimum_wage_value - paid)
    lost_income = max(0.0, greater_of - paid)
    liquidated = liquidated_damages(unpaid_minimum_wage, r["liquidated_ratio"])
    other = sum(f[h] for h in OTHER_HEADS)
    return Restitution(
        days=days,
        hours_per_week=hours_per_week,
        regular_hours_per_week=regular,
        overtime_hours_per_week=overtime,
        minimum_wage_value=minimum_wage_value,
        value_to_defendant=value_to_defendant,
        greater_of=greater_of,
        rule_applied="minimum wage and overtime" if minimum_wage_value >= value_to_defendant else "value to the defendants",
        promised=f["promised_per_month"] * months,
        paid=paid,
        lost_income=lost_income,
        unpaid_minimum_wage=unpaid_minimum_wage,
        liquidated_damages=liquidated,
        other_heads=other,
        total=lost_income + liquidated + other,
    )


def _split_hours(hours_per_week: float, rules: dict[str, float]) -> tuple[float, float]:
    """(regular, overtime) hours of a week: overtime is every hour past the threshold."""
    regular = min(hours_per_week, rules["overtime_after_hours"])
    return regular, hours_per_week - regular


def _minimum_wage_value(hours_per_week: float, weeks: float, rules: dict[str, float]) -> float:
    """The value of the labour "as guaranteed under the minimum wage and overtime guarantees"
    (Box 7): regular hours at the minimum wage, overtime hours at the overtime rate."""
    regular, overtime = _split_hours(hours_per_week, rules)
    return (regular + overtime * rules["overtime_multiplier"]) * rules["minimum_wage"] * weeks


BACK_WAGE_RULES = ("minimum_wage", "overtime_after_hours", "overtime_multiplier", "days_per_month")


def back_wages(months: float, paid_per_month: float, hours_per_week: float, rules: dict[str, Any]) -> float:
    """Back wages by the measure Box 7 quotes (the value of the labour under the Fair Labour
    Standards Act's minimum wage and overtime guarantees; Box 9 says only that the court awarded
    back wages under that Act after "reassessing the hours worked", so applying this measure is a
    teaching assumption): the value of the hours, less what was paid, not below zero. This is restitution()'s unpaid_minimum_wage for
    a period counted in months rather than between two dates (weeks = months * days_per_month / 7);
    the promised wage plays no part. ``rules`` holds the explorer's rules named in BACK_WAGE_RULES,
    checked against the same bounds the explorer uses.
    """
    specs = {a["id"]: a for a in data()["assumptions"]}
    r = {k: common.bounded(specs[k], rules[k]) for k in BACK_WAGE_RULES}
    m = common.number("months", months, "Months worked", minimum=0)
    paid = common.number("paid_per_month", paid_per_month, "Paid per month", minimum=0)
    hours = common.number("hours_per_week", hours_per_week, "Hours worked per week", minimum=0, maximum=168)
    weeks = m * r["days_per_month"] / 7
    return max(0.0, _minimum_wage_value(hours, weeks, r) - paid * m)


def liquidated_damages(back_wages: float, ratio: float) -> float:
    """Liquidated damages under the Fair Labor Standards Act (Box 9): ``ratio`` times the back wages."""
    return back_wages * ratio


def unpaid_wages(months: float, promised_per_month: float, paid_per_month: float) -> float:
    """Promised wages never paid: for every month, the promised wage less what was paid, not below zero.

    Box 9: she was promised "$US200 a month which she never received"; "the defendant paid
    her daughter in Indonesia $100 per month". This is the shortfall against the promise, which
    the self-check scenarios ask about; it is not how the court measured back wages, which is
    back_wages() (and restitution(), in days), against the minimum wage and overtime.
    Inputs may be numbers or numeric text ("3"); yes/no values (True, False) are refused.
    The sum is computed from the checked numbers, so whole numbers in give a whole number out.
    """
    checked = []
    for field, value, label in (("months", months, "Months worked"),
                                ("promised_per_month", promised_per_month, "Wage promised per month"),
                                ("paid_per_month", paid_per_month, "Paid per month")):
        x = common.number(field, value, label, minimum=0)
        checked.append(int(x) if x.is_integer() else x)
    m, promised, paid = checked
    return max(0, m * (promised - paid))


def all_victims(inputs: dict[str, Any]) -> dict[str, Restitution]:
    return {v["id"]: restitution(v, inputs["rules"]) for v in inputs["victims"]}


def sources() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Where each figure comes from: the module's own words with their Box, and every starting
    value of the explorer, written for people, with its Box or the reason it is assumed."""
    doc = data()
    quotes = [(f["text"], f["source"]) for f in doc["facts"]]
    starting = [(a["label"], common.quantity(a["default"], a.get("unit"), doc["currency"]), a["note"]) for a in doc["assumptions"]]
    starting += [(f["label"], common.quantity(f["default"], f.get("unit"), doc["currency"]), f["note"])
                 for f in doc["victim_fields"] if f.get("default") not in (0, None)]
    return quotes, starting


def sources_markdown() -> str:
    """``sources()`` as the book page shows it."""
    return common.sources_markdown(*sources())
