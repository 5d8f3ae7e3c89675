"""Named answers: how the right answer of a question about each student's own case follows
from that student's facts.

A graded item whose answer differs from student to student says so in its YAML, by name:

    case:
      facts: compensation                         # the facts template it reads
      answer: back_wages_and_liquidated_damages   # one of ANSWERS, below
      parameters: {ratio: 1}                      # what that answer takes from the item

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


ANSWERS: dict[str, NamedAnswer] = {a.name: a for a in (
    NamedAnswer(
        "unpaid_wages", "number", {},
        lambda f, asked: f.unpaid_wages,
        "The promised wages never paid, by the Sabhnani model's arithmetic "
        "(case_studies/sabhnani/model.py: unpaid_wages): the fact unpaid_wages."),
    NamedAnswer(
        "back_wages_and_liquidated_damages", "number",
        {"ratio": "liquidated damages as a multiple of the back wages (the item's teaching assumption)"},
        lambda f, asked, ratio: f.unpaid_wages + sabhnani.liquidated_damages(f.unpaid_wages, ratio),
        "The back wages plus the liquidated damages of the Sabhnani model "
        "(case_studies/sabhnani/model.py: liquidated_damages) at the item's ratio."),
    NamedAnswer(
        "derived_provisions", "citations", {},
        lambda f, asked: [pid for pid in derived_provisions(f) if pid in asked],
        "The provisions the rule table derives from the facts (exercises/scenarios/rules.py: "
        "derived_provisions), restricted to the provisions the item asks about, in treaty order."),
)}


class UnknownAnswer(KeyError):
    def __str__(self) -> str:
        return self.args[0]


def named(name: str) -> NamedAnswer:
    try:
        return ANSWERS[name]
    except KeyError:
        raise UnknownAnswer(f"no named answer {name!r}; known: {', '.join(ANSWERS)} "
                            "(exercises/graded/answers.py)") from None


def answer(name: str, facts: Facts | Mapping[str, Any], *, asked: Iterable[str] = (), **parameters) -> Any:
    """The right answer `name` gives for these facts: `asked`, the provisions the item asks
    about; `parameters`, those the item declares."""
    f = facts if isinstance(facts, Facts) else Facts(**facts)
    return named(name).compute(f, tuple(asked), **parameters)
