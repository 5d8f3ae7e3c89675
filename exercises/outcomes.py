"""The course's learning outcomes, declared once in ``exercises/outcomes.yaml``.

    from exercises.outcomes import load_outcomes
    outcomes = load_outcomes()          # id -> Outcome, in the file's order; OutcomeError if the file is wrong
    outcomes["apply-to-facts"].level    # "apply": the Bloom level the outcome asks for

Every bank item names the outcomes it assesses (its ``outcomes:`` field); ``check`` reports an
id that is not declared here, as it reports a provision the Protocol does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from exercises.items import BLOOM
from exercises.problems import BankError, Problem, _shown
from exercises.sources import SourceError, read

OUTCOMES_PATH = Path(__file__).with_name("outcomes.yaml")
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FIELDS = ("id", "level", "text")
OPTIONAL = ("title",)  # a short name for tables; the id in words without it


@dataclass(frozen=True)
class Outcome:
    id: str
    text: str
    level: str  # a Bloom level (items.BLOOM): what the outcome asks the student to do
    line: int = 0  # where it is declared in the outcomes file
    title: str = ""  # a short name, for tables

    @property
    def label(self) -> str:
        return self.title or self.id.replace("-", " ").capitalize()

    def reached_by(self, bloom: str) -> bool:
        """Does an item asking for `bloom` assess this outcome at its level (or above)?"""
        return BLOOM.index(bloom) >= BLOOM.index(self.level)


class OutcomeError(BankError):
    """The outcomes file is wrong; `problems` name its lines. A BankError: nothing in the bank
    can be checked against outcomes that cannot be read."""


def load_outcomes(path: Path | None = None) -> dict[str, Outcome]:
    """The outcomes declared in `path` (default: exercises/outcomes.yaml), by id, in file order."""
    return dict(_load(Path(path or OUTCOMES_PATH).resolve()))


@cache
def _load(path: Path) -> tuple[tuple[str, Outcome], ...]:
    try:
        src = read(path)
    except FileNotFoundError:
        raise OutcomeError([Problem(path, 1, "the file of the course's learning outcomes is missing; "
                                             "restore it (each outcome: id, level, text)")]) from None
    except SourceError as e:
        raise OutcomeError([Problem(e.path, e.line, e.message)]) from None
    problems: list[Problem] = []

    def bad(where: tuple, message: str) -> None:
        problems.append(Problem(path, src.line_of(where), message))

    data = src.data
    entries = data.get("outcomes") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        bad(("outcomes",), "the file holds one key, 'outcomes:', with a list of outcomes "
                           "(each '- id: ...', 'level: ...', 'text: ...')")
        raise OutcomeError(problems)
    found: dict[str, Outcome] = {}
    for n, entry in enumerate(entries):
        here = ("outcomes", n)
        if not isinstance(entry, dict):
            bad(here, f"outcome {n + 1}: write it as a mapping with {', '.join(FIELDS)}")
            continue
        for key in sorted(set(entry) - set(FIELDS) - set(OPTIONAL)):
            bad(here + (key,), f"outcome {n + 1}: unknown field {key!r}; an outcome has "
                               f"{', '.join(FIELDS)} and may have {', '.join(OPTIONAL)}")
        for key in FIELDS:
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                bad(here + (key,) if key in entry else here, f"outcome {n + 1}: {key!r} is missing or empty")
        oid, level, text = (entry.get(k) for k in FIELDS)
        if isinstance(oid, str) and oid and not ID.match(oid):
            bad(here + ("id",), f"outcome id {oid!r}: write lower-case words joined by hyphens, "
                                "e.g. 'apply-to-facts'")
        elif isinstance(oid, str) and oid in found:
            bad(here + ("id",), f"duplicate outcome id {oid!r}: also declared at line {found[oid].line}")
        if isinstance(level, str) and level and level not in BLOOM:
            bad(here + ("level",), f"outcome {oid or n + 1}: level {level!r} is not one of {', '.join(BLOOM)}")
        if isinstance(oid, str) and ID.match(oid) and oid not in found:
            found[oid] = Outcome(id=oid, text=" ".join(str(text or "").split()), level=str(level),
                                 line=src.line_of(here + ("id",)), title=str(entry.get("title") or "").strip())
    if problems:
        raise OutcomeError(problems)
    return tuple(found.items())


def unknown_outcome(value: str, outcomes: dict[str, Outcome], path: Path | None = None) -> str | None:
    """None if `value` is a declared outcome id, else the message to show."""
    if value in outcomes:
        return None
    return (f"unknown outcome {value!r}; the outcomes declared in {_shown(Path(path or OUTCOMES_PATH))} "
            f"are: {', '.join(outcomes)}")
