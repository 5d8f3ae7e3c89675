"""LMS exports of the bank: Moodle XML, GIFT, and a QTI 1.2 package for Canvas."""

from __future__ import annotations

from pathlib import Path

from exercises.items import Item

FORMATS = ("moodle", "gift", "qti")
SUFFIX = {"moodle": ".xml", "gift": ".gift.txt", "qti": ".zip"}


def export(items: list[Item], fmt: str, out: Path, title: str = "Protecting victims: articles 6, 7, 8 and 14",
           moodle_version: str | None = None) -> Path:
    """Write `items` as an LMS file. Citation items that need several provisions become
    multiple-select questions and items the format cannot carry are left out (see
    exercises/export/lms.py; `lms.prepare(items, fmt)` says which and why).

    `moodle_version` ("4.4", "4.5", "5.0"...; Moodle XML only): the oldest Moodle the file must
    import into. Unset, the file imports into any Moodle and ordering items become matching
    questions; from "4.4" on they use Moodle's ordering question (see exercises/export/moodle.py)."""
    from exercises.export.lms import prepare

    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    ordering = False
    if moodle_version is not None:
        if fmt != "moodle":
            raise ValueError(f"moodle_version applies to the moodle format only, not {fmt!r}")
        from exercises.export import moodle

        ordering = moodle.has_ordering(moodle_version)
    ready, _ = prepare(items, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "moodle":
        from exercises.export import moodle

        moodle.write(ready, out, title=title, ordering=ordering)
    elif fmt == "gift":
        from exercises.export import gift

        gift.write(ready, out, title=title)
    else:
        from exercises.export import qti

        qti.write(ready, out, title=title)
    return out
