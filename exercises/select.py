"""`--select` filters: key=value terms; terms on the same key are alternatives, different keys all apply."""

from __future__ import annotations

import random
from collections import defaultdict

import protocol
from exercises.items import Item

KEYS = {
    "id": lambda i, v: i.id == v,
    "use": lambda i, v: i.use == v,
    "type": lambda i, v: i.type == v,
    "page": lambda i, v: i.section.page == v,
    "bloom": lambda i, v: i.bloom == v,
    "difficulty": lambda i, v: i.difficulty == v,
    "provision": lambda i, v: protocol.parse(v) in i.provisions,
}


class SelectError(ValueError):
    pass


def parse_terms(terms: list[str]) -> dict[str, list[str]]:
    wanted: dict[str, list[str]] = defaultdict(list)
    for term in terms:
        for part in filter(None, (p.strip() for p in term.split(","))):
            key, sep, value = part.partition("=")
            if not sep or key not in KEYS or not value:
                raise SelectError(f"--select {part!r}: write key=value with key one of {', '.join(KEYS)} "
                                  "(e.g. --select use=graded --select provision=6(6))")
            if key == "provision":
                try:
                    protocol.parse(value)
                except protocol.CitationError as e:
                    raise SelectError(f"--select {part!r}: {e}") from None
            wanted[key].append(value)
    return wanted


def select(items: list[Item], terms: list[str]) -> list[Item]:
    wanted = parse_terms(terms)
    return [i for i in items if all(any(KEYS[k](i, v) for v in vs) for k, vs in wanted.items())]


def sample(items: list[Item], count: int, seed: str = "0") -> list[Item]:
    """`count` of the items, the same ones for the same seed on any machine (a quiz or an
    assignment drawn again next year is the same one). Fewer items than `count`: all of them."""
    if count < 1:
        raise SelectError(f"--count {count}: ask for at least one question")
    ordered = sorted(items, key=lambda i: i.id)
    if count >= len(ordered):
        return ordered
    return random.Random(f"{seed}\x1f{count}").sample(ordered, count)  # str seeds hash the same everywhere
