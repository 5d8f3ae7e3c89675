"""Calculations behind the numeric answers of the graded assignments.

One function per calculation, so that each can be pointed at the case-studies model
(`case_studies/`, written for the case-studies issue) once it exists. Until then the
arithmetic is here, in one place; the hidden tests and the variant answers both call it.
"""

from __future__ import annotations


def unpaid_wages(months: int, promised_per_month: float, paid_per_month: float) -> float:
    """Promised wages not paid: for every month, the promised wage less what was paid."""
    try:  # The case-studies model, when it provides this calculation.
        from case_studies.sabhnani import unpaid_wages as model  # type: ignore[import-not-found]
    except ImportError:
        model = None
    if model is not None:
        return float(model(months=months, promised_per_month=promised_per_month,
                           paid_per_month=paid_per_month))
    if months < 0 or promised_per_month < 0 or paid_per_month < 0:
        raise ValueError("months and monthly sums cannot be negative")
    return float(months * (promised_per_month - paid_per_month))


def back_wages_and_liquidated_damages(back_wages: float) -> float:
    """Back wages plus liquidated damages taken (for teaching) as equal to them."""
    return 2.0 * back_wages
