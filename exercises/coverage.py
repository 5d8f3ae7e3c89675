"""How well the bank covers the provisions (items per provision, by type and Bloom level) and the
learning outcomes (items per outcome, and how many reach the outcome's level)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

import protocol
from exercises import spreadsheet
from exercises.items import BLOOM, TYPES, Item
from exercises.outcomes import Outcome, load_outcomes

MINIMUM = 3  # items per provision the course promises, at least one applying it to facts


@dataclass
class Row:
    provision: str
    items: int = 0
    applied: int = 0
    self_check: int = 0
    graded: int = 0
    by_type: Counter = field(default_factory=Counter)
    by_bloom: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return self.items >= MINIMUM and self.applied >= 1


def coverage(items: list[Item]) -> list[Row]:
    rows = {pid: Row(pid) for pid in protocol.provision_ids()}
    for item in items:
        for pid in item.provisions:
            r = rows[pid]
            r.items += 1
            r.applied += item.applies_to_facts
            r.self_check += item.public
            r.graded += not item.public
            r.by_type[item.type] += 1
            r.by_bloom[item.bloom] += 1
    return list(rows.values())


def columns() -> list[str]:
    return (["provision", "title", "items", "applied", "self_check", "graded", "ok"]
            + [f"type_{t}" for t in TYPES] + [f"bloom_{b}" for b in BLOOM])


def _record(r: Row) -> list:
    return ([r.provision, protocol.get(r.provision).title, r.items, r.applied, r.self_check, r.graded,
             "yes" if r.ok else "no"]
            + [r.by_type[t] for t in TYPES] + [r.by_bloom[b] for b in BLOOM])


def to_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns())
    w.writerows(_record(r) for r in rows)
    return out.getvalue()


def to_table(rows: list[Row]) -> str:
    short_types = {"single": "sc", "multiple": "ms", "truefalse": "tf", "numeric": "num", "matching": "mat",
                   "ordering": "ord", "citation": "cit", "essay": "ess"}
    head = ["provision", "items", "applied", "public", "graded"] + list(short_types.values()) + ["ok"]
    body = [[r.provision, r.items, r.applied, r.self_check, r.graded]
            + [r.by_type[t] for t in short_types] + ["yes" if r.ok else "NO"] for r in rows]
    lines = _table(head, body)
    short = ", ".join(f"{v}={k}" for k, v in short_types.items())
    lines.append(f"\n{short}; applied = items at Bloom level apply or above; "
                 f"ok = at least {MINIMUM} items and one applied")
    return "\n".join(lines)


def _table(head: list, body: list[list], left: int = 1) -> list[str]:
    """Lines of a plain-text table: the first `left` columns aligned left, the figures right."""
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]

    def fmt(row):
        return "  ".join(str(x).ljust(w) if i < left else str(x).rjust(w) for i, (x, w) in enumerate(zip(row, widths)))

    return [fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in body]


# ---- By learning outcome ----------------------------------------------------------------------------

# Items per outcome at the outcome's level or above that the course promises; fewer is a
# warning of `check` (an outcome taught but hardly assessed at the level it names).
OUTCOME_MINIMUM = 3


@dataclass
class OutcomeRow:
    outcome: Outcome
    items: int = 0
    at_level: int = 0  # items whose Bloom level is the outcome's or above
    self_check: int = 0
    self_check_at_level: int = 0
    graded: int = 0
    graded_at_level: int = 0
    by_bloom: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return self.at_level >= OUTCOME_MINIMUM

    def add(self, item: Item) -> None:
        reached = self.outcome.reached_by(item.bloom)
        self.items += 1
        self.at_level += reached
        if item.public:
            self.self_check += 1
            self.self_check_at_level += reached
        else:
            self.graded += 1
            self.graded_at_level += reached
        self.by_bloom[item.bloom] += 1


def by_outcome(items: list[Item], outcomes: dict[str, Outcome] | None = None) -> list[OutcomeRow]:
    """One row per declared outcome, in the order of exercises/outcomes.yaml (an item naming an
    undeclared outcome is a `check` error, so it is not counted here)."""
    rows = {oid: OutcomeRow(o) for oid, o in (outcomes or load_outcomes()).items()}
    for item in items:
        for oid in item.outcomes:
            if oid in rows:
                rows[oid].add(item)
    return list(rows.values())


def outcome_columns() -> list[str]:
    return (["outcome", "level", "items", "at_level", "self_check", "self_check_at_level", "graded",
             "graded_at_level", "ok", "text"] + [f"bloom_{b}" for b in BLOOM])


def _outcome_record(r: OutcomeRow) -> list:
    return ([r.outcome.id, r.outcome.level, r.items, r.at_level, r.self_check, r.self_check_at_level,
             r.graded, r.graded_at_level, "yes" if r.ok else "no", r.outcome.text]
            + [r.by_bloom[b] for b in BLOOM])


def outcomes_to_csv(rows: list[OutcomeRow]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(outcome_columns())
    # The texts come from a file lecturers edit: no cell may run as a formula in a spreadsheet.
    w.writerows(spreadsheet.inert_rows(_outcome_record(r) for r in rows))
    return out.getvalue()


def outcomes_to_table(rows: list[OutcomeRow]) -> str:
    head = ["outcome", "level", "items", "at level", "public", "public at level", "graded", "graded at level", "ok"]
    body = [[r.outcome.id, r.outcome.level, r.items, r.at_level, r.self_check, r.self_check_at_level,
             r.graded, r.graded_at_level, "yes" if r.ok else "NO"] for r in rows]
    lines = _table(head, body, left=2)
    lines.append(f"\nat level = items whose Bloom level is the outcome's level or above; "
                 f"ok = at least {OUTCOME_MINIMUM} items at level")
    return "\n".join(lines)
