"""Named answers: how the right answer of a question about each student's own case follows
from that student's facts.

A graded item whose answer differs from student to student says so in its YAML, by name:

    case:
      facts: compensation                         # the facts template it reads
      answer: back_wages                          # one of ANSWERS, below
      parameters: {hours_per_week: 105, ...}      # what that answer takes from the item

The calculations are not here: they are the case studies' models (``case_studies/``) and the
scenarios' rule table (``exercises/scenarios/rules.py``). A named answer only says which one,
with which inputs: the student's facts, the provisions the item asks about, and the
parameters the item declares. ``python -m exercises check`` refuses an unknown name, a missing
or unknown parameter, an answer of the wrong kind for the item, and an item whose own answer
is not what its named answer gives on the shared facts.

The hidden tests of the instructor notebooks call ``answer()`` in a kernel, so this module
stays light: no bank, no schema checker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from case_studies.sabhnani import model as sabhnani
from exercises.scenarios import Facts, derived_provisions


@dataclass(frozen=True)
class NamedAnswer:
    name: str
    kind: str  # the kind of answer it gives: "number" or "citations" (exercises/graded/kinds.py)
    parameters: Mapping[str, str]  # name -> what it means; each item that uses it gives them all
    compute: Callable[..., Any]  # (facts, asked provisions, **parameters) -> the right answer
    doc: str


# Back wages measured as Box 7 quotes the United States rule (the value of the labour under the
# Fair Labour Standards Act's minimum wage and overtime guarantees), as the Sabhnani explorer
# computes it. The module says the Sabhnani court awarded back wages and liquidated damages
# under that Act after reassessing the hours worked, not how it measured them: applying Box 7's
# measure is a teaching assumption each item states, with the figures it needs, declared here.
BACK_WAGE_PARAMETERS = {
    "hours_per_week": "hours worked each week (a teaching assumption the item states)",
    "minimum_wage": "the minimum wage per hour, in US dollars (a teaching assumption)",
    "overtime_after_hours": "the weekly hours after which overtime is paid (the Act's usual rule: 40)",
    "overtime_multiplier": "the overtime rate, as a multiple of the minimum wage (the Act's usual rule: 1.5)",
    "days_per_month": "days in a month, to turn months worked into weeks (the explorer's: 30.4375)",
}


def _back_wages(f: Facts, hours_per_week: float, **rules: float) -> float:
    """What the student's facts give by Box 7's measure: what was paid each month counts as paid."""
    return sabhnani.back_wages(f.months_worked, f.paid_per_month, hours_per_week, rules)


def _with_liquidated_damages(f: Facts, ratio: float, **parameters: float) -> float:
    back = _back_wages(f, **parameters)
    return back + sabhnani.liquidated_damages(back, ratio)


# The keys are whole US dollars, as the items ask for them; the model stays unrounded and each
# item's tolerance takes an answer that is rounded differently, or not at all.


ANSWERS: dict[str, NamedAnswer] = {a.name: a for a in (
    NamedAnswer(
        "back_wages", "number", BACK_WAGE_PARAMETERS,
        lambda f, asked, **parameters: round(_back_wages(f, **parameters)),
        "Back wages by the minimum-wage-and-overtime measure Box 7 quotes (case_studies/sabhnani/model.py: "
        "back_wages; a teaching assumption, the module does not say how the Sabhnani court measured "
        "them): the value of the hours worked, less what was paid, in whole US dollars; the promised "
        "wage plays no part."),
    NamedAnswer(
        "back_wages_and_liquidated_damages", "number",
        {**BACK_WAGE_PARAMETERS,
         "ratio": "liquidated damages as a multiple of the back wages (the Act's usual rule: 1)"},
        lambda f, asked, ratio, **parameters: round(_with_liquidated_damages(f, ratio, **parameters)),
        "Those back wages plus the liquidated damages of the Sabhnani model "
        "(case_studies/sabhnani/model.py: liquidated_damages) at the item's ratio."),
    NamedAnswer(
        "derived_provisions", "citations", {},
        lambda f, asked: [pid for pid in derived_provisions(f) if pid in asked],
        "The provisions the rule table derives from the facts (exercises/scenarios/rules.py: "
        "derived_provisions), restricted to the provisions the item asks about, in treaty order."),
)}


class UnknownAnswer(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])  # the message as written: KeyError's own str() is its repr


def named(name: str) -> NamedAnswer:
    try:
        return ANSWERS[name]
    except KeyError:
        raise UnknownAnswer(f"no named answer {name!r}; known: {', '.join(ANSWERS)} "
                            "(exercises/graded/answers.py)") from None


def answer(name: str, facts: Facts | Mapping[str, Any], *, asked: Iterable[str] = (), **parameters: float) -> Any:
    """The right answer `name` gives for these facts: `asked`, the provisions the item asks
    about; `parameters`, those the item declares."""
    f = facts if isinstance(facts, Facts) else Facts(**facts)
    return named(name).compute(f, tuple(asked), **parameters)
