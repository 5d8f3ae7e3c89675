"""What the three cases share: loading sourced data, input errors, links to the treaty text."""

from __future__ import annotations

import math
import posixpath
from functools import cache
from pathlib import Path
from typing import Any

import yaml

import protocol

DATA = Path(__file__).with_name("data")
STATIC = Path(__file__).with_name("static")


class InputError(ValueError):
    """An input a learner can fix; the message says which input and why, in plain words."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@cache
def load(name: str) -> dict[str, Any]:
    """A case's data file, checked: every fact names its source, every assumption says so."""
    doc = yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    for fact in doc.get("facts", []):
        if not fact.get("source"):
            raise ValueError(f"{name}.yaml: fact {fact.get('id')!r} has no source (module Box or paragraph)")
    for item in doc.get("assumptions", []):
        if not item.get("note"):
            raise ValueError(f"{name}.yaml: assumption {item.get('id')!r} must say why it is assumed")
    return doc


def facts(name: str) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in load(name).get("facts", [])}


def fact(name: str, fact_id: str) -> Any:
    return facts(name)[fact_id]["value"]


def assumptions(name: str) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in load(name).get("assumptions", [])}


def number(field: str, value: Any, label: str, *, minimum: float | None = None, maximum: float | None = None) -> float:
    """``value`` as a finite number within bounds, or an InputError naming ``label``."""
    if isinstance(value, bool):  # True is not 1 here: a yes/no answer in a number field is a mistake
        raise InputError(field, f"{label}: enter a number.")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(field, f"{label}: enter a number.") from None
    if not math.isfinite(x):
        raise InputError(field, f"{label}: enter a number.")
    if minimum is not None and x < minimum:
        raise InputError(field, f"{label} cannot be less than {minimum:g}.")
    if maximum is not None and x > maximum:
        raise InputError(field, f"{label} cannot be more than {maximum:g}.")
    return x


def bounded(spec: dict[str, Any], value: Any) -> float:
    """Check ``value`` against an assumption's declared bounds (the same bounds the browser uses)."""
    return number(spec["id"], value, spec["label"], minimum=spec.get("min"), maximum=spec.get("max"))


def page_link(from_docname: str, to_docname: str, fragment: str = "") -> str:
    """A link from one book page to another, relative, so the site works under any sub-path."""
    href = posixpath.relpath(to_docname + ".html", posixpath.dirname(from_docname) or ".")
    return href + (f"#{fragment}" if fragment else "")


def provision_link(from_docname: str, provision_id: str) -> str:
    """Link to a provision's text on its article page, e.g. ``../article-6.html#art-6-3-a``."""
    return page_link(from_docname, protocol.treaty_page(provision_id), protocol.anchor(provision_id))


def provision_label(provision_id: str) -> str:
    p = protocol.get(provision_id)
    return f"Art. {p.id}: {p.title}"


def sources_table(name: str, rows: list[tuple[str, Any, str]]):
    """A pandas table of figures with their value and where each comes from (for the book page)."""
    import pandas as pd

    table = pd.DataFrame(rows, columns=["Figure", "Starting value", "Source, or why it is assumed"])
    table.attrs["case"] = name
    return table.style.hide(axis="index")
