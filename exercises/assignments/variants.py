"""Per-student variants: facts drawn for each student, and the answers those facts imply.

Same seed + student + template = same facts, on any machine (``random.Random`` seeded with
a string is stable across runs and platforms). The student id ``"common"`` gets the shared
facts that the bank items' own answers are written for, so the instructor notebook, the
bank and the self-learner's version agree.

The bank's scenario templates (``exercises/bank/templates/``, issue 4) are meant to replace
the two templates below; `facts()` is the one place to switch over.
"""

from __future__ import annotations

import random
from typing import Any

import protocol
from exercises.assignments import calculations

COMMON = "common"

# Needs a person may have, and the lettered point of article 6(3) that answers each one.
NEEDS = {
    "a safe place to stay": "6(3)(a)",
    "counselling on her legal rights in a language she understands": "6(3)(b)",
    "medical care": "6(3)(c)",
    "training so that she can find work": "6(3)(d)",
}
NAMES = ["Dana", "Lina", "Mira", "Noor", "Sara", "Tala", "Yara", "Amal"]

COMMON_FACTS: dict[str, dict[str, Any]] = {
    "compensation": {"months": 24, "promised_per_month": 200, "paid_per_month": 100},
    "capstone": {
        "name": "Dana", "age": 16, "threatened": True,
        "needs": list(NEEDS)[:3],
        "months": 10, "promised_per_month": 300, "paid_per_month": 50,
    },
}


def _rng(template: str, student_id: str, seed: str | int) -> random.Random:
    return random.Random(f"{seed}|{template}|{student_id}")


def facts(template: str, student_id: str, seed: str | int = 0) -> dict[str, Any]:
    """The facts of `template` for one student (a plain, JSON-ready dict)."""
    if template not in COMMON_FACTS:
        raise KeyError(f"no variant template {template!r}; known: {', '.join(COMMON_FACTS)}")
    if student_id == COMMON:
        return dict(COMMON_FACTS[template])
    r = _rng(template, student_id, seed)
    if template == "compensation":
        return {"months": r.randrange(12, 61), "promised_per_month": r.choice([150, 200, 250, 300]),
                "paid_per_month": r.choice([0, 50, 100])}
    age = r.choice([15, 16, 17, 19, 24, 31])
    return {
        "name": r.choice(NAMES), "age": age, "threatened": r.random() < 0.5,
        "needs": sorted(r.sample(list(NEEDS), r.randint(1, 3)), key=list(NEEDS).index),
        "months": r.randrange(3, 25), "promised_per_month": r.choice([250, 300, 350, 400]),
        "paid_per_month": r.choice([0, 50, 100]),
    }


def expected(item_id: str, f: dict[str, Any]) -> Any:
    """The right answer to a variant item for these facts (lecturer side only)."""
    if item_id in ("compensation-unpaid-wages", "capstone-unpaid-wages"):
        return calculations.unpaid_wages(f["months"], f["promised_per_month"], f["paid_per_month"])
    if item_id == "compensation-liquidated-damages":
        return calculations.back_wages_and_liquidated_damages(
            calculations.unpaid_wages(f["months"], f["promised_per_month"], f["paid_per_month"]))
    if item_id == "capstone-support-provisions":
        ids = [NEEDS[n] for n in f["needs"]]
        if f["age"] < 18:
            ids.append("6(4)")
        if f["threatened"]:
            ids.append("6(5)")
        return [pid for pid in protocol.provision_ids() if pid in ids]
    raise KeyError(f"{item_id!r} is not a variant item")


VARIANT_ITEMS = frozenset({"compensation-unpaid-wages", "compensation-liquidated-damages",
                           "capstone-support-provisions", "capstone-unpaid-wages"})


def render(template: str, f: dict[str, Any]) -> str:
    """The facts as the student reads them (markdown)."""
    if template == "compensation":
        return (
            "**The facts of your case** (teaching figures in the style of the Sabhnani case, Box 9)\n\n"
            f"- She was promised **{f['promised_per_month']} US dollars a month**, which she never received.\n"
            f"- Instead, **{f['paid_per_month']} US dollars a month** were sent to her family.\n"
            f"- She worked for **{f['months']} months**."
        )
    pronoun = "She"
    needs = "\n".join(f"  - {n}" for n in f["needs"])
    threat = ("- She has received threats from the people who exploited her.\n" if f["threatened"]
              else "- Nobody has threatened her since she left.\n")
    return (
        f"**The facts of your case** (invented for teaching)\n\n"
        f"- {f['name']} is **{f['age']} years old**. {pronoun} was recruited in State A with the "
        f"promise of a job in State B, where she is now.\n"
        f"- {pronoun} needs:\n{needs}\n"
        f"{threat}"
        f"- {pronoun} worked for **{f['months']} months**, was promised **{f['promised_per_month']} "
        f"US dollars a month** and was paid **{f['paid_per_month']} US dollars a month**."
    )
