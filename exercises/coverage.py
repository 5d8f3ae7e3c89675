"""How well the bank covers the provisions: items per provision, by type and Bloom level."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

import protocol
from exercises.items import BLOOM, TYPES, Item

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
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    def fmt(row):
        return "  ".join(str(x).rjust(w) if i else str(x).ljust(w) for i, (x, w) in enumerate(zip(row, widths)))

    lines = [fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in body]
    short = ", ".join(f"{v}={k}" for k, v in short_types.items())
    lines.append(f"\n{short}; applied = items at Bloom level apply or above; "
                 f"ok = at least {MINIMUM} items and one applied")
    return "\n".join(lines)
