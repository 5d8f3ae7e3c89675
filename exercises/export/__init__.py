"""LMS exports of the bank: Moodle XML, GIFT, and a QTI 1.2 package for Canvas."""

from __future__ import annotations

from pathlib import Path

from exercises.items import Item

FORMATS = ("moodle", "gift", "qti")
SUFFIX = {"moodle": ".xml", "gift": ".gift.txt", "qti": ".zip"}


def export(items: list[Item], fmt: str, out: Path, title: str = "Protecting victims: articles 6, 7, 8 and 14") -> Path:
    """Write `items` as an LMS file. Citation items that need several provisions become
    multiple-select questions and per-student variant items are left out (see
    exercises/export/lms.py; `lms.prepare` says which)."""
    from exercises.export.lms import prepare

    if fmt == "moodle":
        from exercises.export import moodle as m
    elif fmt == "gift":
        from exercises.export import gift as m
    elif fmt == "qti":
        from exercises.export import qti as m
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    ready, _ = prepare(items)
    out.parent.mkdir(parents=True, exist_ok=True)
    m.write(ready, out, title=title)
    return out
