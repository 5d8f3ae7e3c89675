"""What the three cases share: loading sourced data, input errors, links to the treaty text."""

from __future__ import annotations

import decimal
import math
import posixpath
import re
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
            raise ValueError(
                f"case_studies/data/{name}.yaml: fact {fact.get('id')!r} has no source; "
                "add a `source:` naming the module Box or paragraph it comes from (for example `source: Box 9`)."
            )
    for item in doc.get("assumptions", []):
        if not item.get("note"):
            raise ValueError(
                f"case_studies/data/{name}.yaml: assumption {item.get('id')!r} has no note; "
                "add a `note:` saying why it is assumed (for example \"Teaching assumption: the module gives no dates.\")."
            )
    return doc


def facts(name: str) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in load(name).get("facts", [])}


def fact(name: str, fact_id: str) -> Any:
    known = facts(name)
    if fact_id not in known:
        raise KeyError(
            f"case_studies/data/{name}.yaml has no fact {fact_id!r}; use one of {', '.join(known)}, "
            "or add it there with the module Box it comes from."
        )
    return known[fact_id]["value"]


def assumptions(name: str) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in load(name).get("assumptions", [])}


# A number as a person types it: digits with an optional sign, decimal point and exponent.
# The browser (static/common.js, csNumber) accepts exactly the same text.
NUMBER_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
# A date as a date field gives it; the browser's csDay reads exactly this form.
DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def show(x: float) -> str:
    """A number as the messages show it, the way JavaScript's String(x) does (so the browser's
    messages are the same): 25 not 25.0, 0.00001 not 1e-05, 1e-7 not 1e-07."""
    x = float(x)
    if x == 0:
        return "0"
    if 1e-6 <= abs(x) < 1e21:
        return str(int(x)) if x.is_integer() else format(decimal.Decimal(repr(x)), "f")
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", repr(x))


def allowed(minimum: float | None = None, maximum: float | None = None, what: str = "a number") -> str:
    """How to fix it: "enter a number from 0 to 24" (or "of 0 or more", "of 24 or less")."""
    if minimum is not None and maximum is not None:
        return f"enter {what} from {show(minimum)} to {show(maximum)}"
    if minimum is not None:
        return f"enter {what} of {show(minimum)} or more"
    if maximum is not None:
        return f"enter {what} of {show(maximum)} or less"
    return f"enter {what}"


def number(field: str, value: Any, label: str, *, minimum: float | None = None, maximum: float | None = None) -> float:
    """``value`` as a finite number within bounds, or an InputError that names ``label``, says
    what is wrong with the value and how to fix it, e.g. "Hours worked per day: 25 is more than
    24; enter a number from 0 to 24." The browser's csNumber gives the same messages."""
    fix = allowed(minimum, maximum)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(field, f"{label}: nothing is entered; {fix}.")
    if isinstance(value, bool):  # True is not 1 here: a yes/no answer in a number field is a mistake
        raise InputError(field, f"{label}: {value} is a yes/no value, not a number; {fix}.")
    text = str(value).strip()
    if isinstance(value, str) and not NUMBER_TEXT.fullmatch(text):
        raise InputError(field, f'{label}: "{text}" is not a number; {fix}.')
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(field, f'{label}: "{text}" is not a number; {fix}.') from None
    if not math.isfinite(x):
        raise InputError(field, f'{label}: "{text}" is not a number; {fix}.')
    if minimum is not None and x < minimum:
        raise InputError(field, f"{label}: {show(x)} is less than {show(minimum)}; {fix}.")
    if maximum is not None and x > maximum:
        raise InputError(field, f"{label}: {show(x)} is more than {show(maximum)}; {fix}.")
    return x


def whole(field: str, x: float, label: str, *, minimum: float | None = None, maximum: float | None = None) -> int:
    """A checked number that must be whole (a count of people or months)."""
    if not float(x).is_integer():
        raise InputError(field, f"{label}: {show(x)} is not a whole number; {allowed(minimum, maximum, 'a whole number')}.")
    return int(x)


def bounded(spec: dict[str, Any], value: Any) -> float:
    """Check ``value`` against an assumption's declared bounds (the same bounds the browser uses)."""
    return number(spec["id"], value, spec["label"], minimum=spec.get("min"), maximum=spec.get("max"))


def choose(field: str, label: str, values: list[str], known: list[str], what: str) -> None:
    """Refuse ids that are not among ``known``, naming them and listing the ones to choose from."""
    unknown = [v for v in values if v not in known]
    if unknown:
        names = ", ".join(repr(v) for v in unknown)
        raise InputError(
            field,
            f"{label}: {names} {'is not a' if len(unknown) == 1 else 'are not'} {what}{'' if len(unknown) == 1 else 's'} "
            f"this page knows; choose from {', '.join(known)}.",
        )


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


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def figure(x: float, digits: int = 2) -> str:
    """A number for people, as the browser's csFigure writes it: grouped, at most ``digits``
    decimals, no trailing zeros ("30.44", "1,500", "7.15")."""
    text = f"{float(x):,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def quantity(value: Any, unit: str | None = None, currency: str | None = None) -> str:
    """A starting value as a person writes it, as the browser's csQuantity does: "US$ 7.15",
    "1.5×", "15 hours", "1 day", "yes", "1 January 2005"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        if DATE_TEXT.fullmatch(value):
            y, m, d = (int(part) for part in value.split("-"))
            return f"{d} {MONTHS[m - 1]} {y}"
        return value
    if unit and unit == currency:
        return f"{unit}\u00a0{float(value):,.2f}"  # no break between the currency and its amount
    if unit == "×":
        return f"{figure(value)}×"
    if not unit:
        return figure(value)
    return f"{figure(value)}\u00a0{unit[:-1] if float(value) == 1 and unit.endswith('s') else unit}"


def sources_markdown(quotes: list[tuple[str, str]], starting: list[tuple[str, str, str]]) -> str:
    """Where each figure comes from, as Markdown for the book page: what the module says (its
    words, with the Box), then each starting value of the tool with its source or the reason it
    is assumed. Two lists, not a table: they read on a phone as well as on a desk."""
    lines = ["**What the module says**", ""]
    lines += [f"- \u201c{text.strip()}\u201d \u2014 {source}" for text, source in quotes]
    lines += ["", "**Starting values in the tool, and where each comes from**", ""]
    lines += [f"- **{label}**: {value}. {note}" for label, value, note in starting]
    return "\n".join(lines) + "\n"
