"""Per-student variants of the graded assignments: each student's facts and the answers they imply.

The facts come from the question bank's scenario generator (``exercises.scenarios``): the
same seed + student + template give the same facts on any machine, different students get
different facts. The answers come from its rule table (which provisions the facts bring into
play) and, for sums of money, from the Sabhnani model (``case_studies.sabhnani.model``).
Nothing here draws a random number or does the arithmetic itself.

The student id ``"common"`` gets the shared facts that the bank items' own answers are
written for, so the instructor notebook, the bank and the self-learner's version agree
(``tests/exercises/test_assignment_variants.py`` checks that they do).

Used by the autograder (``facts``, ``render``, ``COMMON``) and by the hidden tests of the
generated notebooks (``expected``).
"""

from __future__ import annotations

import dataclasses
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from case_studies.sabhnani import model as sabhnani
from exercises.scenarios import Facts, applicable, derived_provisions, draw_facts

COMMON = "common"

# Teaching assumption of compensation-liquidated-damages: liquidated damages equal the back wages.
LIQUIDATED_RATIO = 1

# How the capstone shows each need that a rule of the rule table answers from article 6(3).
NEED_TEXT = {
    "housing": "a safe place to stay",
    "language": "counselling on her legal rights in a language she understands",
    "health": "medical care",
    "training": "training so that she can find work",
}


def _needs(f: Facts) -> list[str]:
    return [NEED_TEXT[r.id] for r in applicable(f) if r.id in NEED_TEXT]


def _render_compensation(f: Facts) -> str:
    return (
        "**The facts of your case** (teaching figures in the style of the Sabhnani case, Box 9)\n\n"
        f"- She was promised **{f.promised_per_month} US dollars a month**, which she never received.\n"
        f"- Instead, **{f.paid_per_month} US dollars a month** were sent to her family.\n"
        f"- She worked for **{f.months_worked} months**."
    )


def _render_capstone(f: Facts) -> str:
    needs = "\n".join(f"  - {n}" for n in _needs(f))
    national = (f" (she is a national of {f.nationality})" if f.nationality != f.residence_at_entry else "")
    threat = ("- She has received threats from the people who exploited her.\n" if f.threatened
              else "- Nobody has threatened her since she left.\n")
    return (
        f"**The facts of your case** (invented for teaching)\n\n"
        f"- {f.name} is **{f.age} years old**. She was recruited in {f.residence_at_entry}{national} with the "
        f"promise of a job in {f.present_state}, where she is now.\n"
        f"- She needs:\n{needs}\n"
        f"{threat}"
        f"- She worked for **{f.months_worked} months**, was promised **{f.promised_per_month} "
        f"US dollars a month** and was paid **{f.paid_per_month} US dollars a month**."
    )


@dataclass(frozen=True)
class VariantTemplate:
    """What an assignment's facts must satisfy, its shared facts, and how the student reads them."""

    require: Callable[[Facts], bool]
    common: Facts
    render: Callable[[Facts], str]


_DANA = Facts(
    name="Dana", age=16, nationality="State A", residence_at_entry="State A", present_state="State B",
    has_documents=False, proceedings_running=False, testifying=False, media_interest=False,
    wish="undecided", risk_on_return=True, threatened=True, needs_housing=True,
    speaks_local_language=False, health_needs=True, wants_training=False,
    months_worked=10, promised_per_month=300, paid_per_month=50, medical_costs=0)

# The graded cases are written for a woman, in the style of the Sabhnani case: their bank
# items say "she", so these facts keep the facts' own name (the self-check scenarios, whose
# texts are all generated, vary the person: exercises.scenarios.draw_person).
TEMPLATES: dict[str, VariantTemplate] = {
    # Sabhnani-style wages: a smaller sum is sent to her family each month (the items say so).
    "compensation": VariantTemplate(
        require=lambda f: f.paid_per_month > 0,
        common=dataclasses.replace(_DANA, months_worked=24, promised_per_month=200,
                                   paid_per_month=100),
        render=_render_compensation),
    # The capstone advises a receiving State (articles 7, 8 and 14), so she is abroad, and asks
    # which points of article 6(3) answer her needs, so she has at least one.
    "capstone": VariantTemplate(
        require=lambda f: f.foreign and bool(_needs(f)),
        common=_DANA,
        render=_render_capstone),
}

VARIANT_ITEMS = frozenset({"compensation-unpaid-wages", "compensation-liquidated-damages",
                           "capstone-support-provisions", "capstone-unpaid-wages"})
# Items whose question refers to the facts of a case ("the person in your case") though their
# answer does not depend on them: they too need the template's facts in the notebook.
CASE_ITEMS = {"capstone-return": "capstone", "capstone-essay": "capstone"}


def _template(template: str) -> VariantTemplate:
    try:
        return TEMPLATES[template]
    except KeyError:
        raise KeyError(f"no variant template {template!r}; known: {', '.join(TEMPLATES)}") from None


def facts(template: str, student_id: str, seed: str | int = 0) -> dict[str, Any]:
    """The facts of `template` for one student: a plain, JSON-ready dict of the drawn facts only
    (nothing derived from them, since it is written beside the student's notebook)."""
    t = _template(template)
    f = t.common if student_id == COMMON else draw_facts(seed, student_id, template, require=t.require)
    return dataclasses.asdict(f)


def _facts(f: dict[str, Any] | Facts) -> Facts:
    return f if isinstance(f, Facts) else Facts(**f)


@cache
def _asked(item_id: str) -> tuple[str, ...]:
    """The provisions a bank item asks about, read from its one file. Hidden tests call this in
    every student's kernel: loading the bank, or even importing it (its schema checker), takes
    seconds, so the bank's folder is found without running its package."""
    bank = Path(importlib.util.find_spec("exercises.bank").submodule_search_locations[0])
    path = next((bank / "graded").rglob(f"{item_id}.yaml"), None)
    if path is None:
        raise KeyError(f"no graded bank item {item_id!r} under {bank / 'graded'}")
    return tuple(yaml.safe_load(path.read_text(encoding="utf-8"))["provisions"])


def expected(item_id: str, f: dict[str, Any] | Facts) -> Any:
    """The right answer to a variant item for these facts (lecturer side only)."""
    f = _facts(f)
    if item_id in ("compensation-unpaid-wages", "capstone-unpaid-wages"):
        return f.unpaid_wages
    if item_id == "compensation-liquidated-damages":
        return f.unpaid_wages + sabhnani.liquidated_damages(f.unpaid_wages, LIQUIDATED_RATIO)
    if item_id == "capstone-support-provisions":
        asked = set(_asked(item_id))
        return [pid for pid in derived_provisions(f) if pid in asked]
    raise KeyError(f"{item_id!r} is not a variant item")


def render(template: str, f: dict[str, Any] | Facts) -> str:
    """The facts as the student reads them (markdown)."""
    return _template(template).render(_facts(f))
