"""Each student's facts for a graded assignment: the case their questions are about.

An assignment with a facts template (``facts: compensation`` in its front matter) shows every
student a case of their own, and its items about that case say which template they read and
how their answer follows from it (``case:`` in the item's YAML; the named answers are in
``exercises/graded/answers.py``).

The facts come from the question bank's scenario generator (``exercises.scenarios``): the
same seed + student + template give the same facts on any machine, different students get
different facts. Nothing here draws a random number or does any arithmetic.

The student id ``"common"`` gets the shared facts that the bank items' own answers are
written for, so the instructor notebook, the bank and the self-learner's version agree
(``python -m exercises check`` checks that they do).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from exercises.graded.course_tools import case_sentences
from exercises.scenarios import Facts, applicable, draw_facts

COMMON = "common"

def _needs(f: Facts) -> list[str]:
    """The points of article 6(3) a rule of the rule table answers for these facts (the capstone
    gives each student at least one)."""
    return [r.id for r in applicable(f) if r.need]


def _render_compensation(f: Facts) -> str:
    return (
        "**The facts of your case** (teaching figures in the style of the Sabhnani case, Box 9)\n\n"
        f"- She was promised **{f.promised_per_month} US dollars a month**, which she never received.\n"
        f"- Instead, **{f.paid_per_month} US dollars a month** were sent to her family.\n"
        f"- She worked for **{f.months_worked} months**."
    )


def _render_capstone(f: Facts) -> str:
    # Every drawn fact, in the sentences facts() shows, in the same order: the notebook and facts()
    # say the same, and neither names a need in a provision's words (the student reads the facts
    # and finds the provisions).
    said = case_sentences(dataclasses.asdict(f))
    figures = {"age": [f"{f.age} years old"],
               "months_worked": [f"{f.months_worked} months", f"{f.promised_per_month} US dollars a month",
                                 f"{f.paid_per_month} US dollars a month"]}
    lines = []
    for key, sentence in said.items():
        for figure in figures.get(key, []):
            sentence = sentence.replace(f" {figure}", f" **{figure}**", 1)
        lines.append(f"- {sentence}")
    return "**The facts of your case** (invented for teaching)\n\n" + "\n".join(lines)


@dataclass(frozen=True)
class FactsTemplate:
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
TEMPLATES: dict[str, FactsTemplate] = {
    # Sabhnani-style wages: a smaller sum is sent to her family each month (the items say so).
    "compensation": FactsTemplate(
        require=lambda f: f.paid_per_month > 0,
        # The shared version is an adult who has not been threatened: the notebook's questions
        # from 5 on measure her work at the minimum wage, as an adult's.
        common=dataclasses.replace(_DANA, name="Tala", age=29, threatened=False, months_worked=24,
                                   promised_per_month=200, paid_per_month=100),
        render=_render_compensation),
    # The capstone advises a receiving State (articles 7, 8 and 14), so she is abroad, and asks
    # which points of article 6(3) answer her needs, so she has at least one.
    "capstone": FactsTemplate(
        require=lambda f: f.foreign and bool(_needs(f)),
        common=_DANA,
        render=_render_capstone),
}


def _template(template: str) -> FactsTemplate:
    try:
        return TEMPLATES[template]
    except KeyError:
        raise KeyError(f"no facts template {template!r}; known: {', '.join(TEMPLATES)}") from None


def facts(template: str, student_id: str, seed: str | int = 0) -> dict[str, Any]:
    """The facts of `template` for one student: a plain, JSON-ready dict of the drawn facts only
    (nothing derived from them, since it is written beside the student's notebook)."""
    t = _template(template)
    f = t.common if student_id == COMMON else draw_facts(seed, student_id, template, require=t.require)
    return dataclasses.asdict(f)


def _facts(f: dict[str, Any] | Facts) -> Facts:
    return f if isinstance(f, Facts) else Facts(**f)


def render(template: str, f: dict[str, Any] | Facts) -> str:
    """The facts as the student reads them (markdown)."""
    return _template(template).render(_facts(f))
