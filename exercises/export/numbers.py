"""Numbers as the LMS files carry them: exactly, in plain decimal notation.

An LMS compares a typed answer with the number in the file, so "12345.67" must stay
12345.67 (six significant digits would write 12345.7 and mark the right answer wrong), and
GIFT parsers read no exponent ("1e-05"). Every exporter writes its numbers through here.
"""

from __future__ import annotations

import math
from decimal import Decimal


def _decimal(x: float | int | Decimal) -> Decimal:
    if isinstance(x, bool) or not isinstance(x, (int, float, Decimal)):
        raise TypeError(f"not a number: {x!r}")
    if isinstance(x, float):
        if not math.isfinite(x):
            raise ValueError(f"an LMS file cannot carry {x!r}")
        return Decimal(repr(x))  # the shortest text that reads back as the same float
    return Decimal(x)


def number(x: float | int | Decimal) -> str:
    """`x` written exactly and without exponent: 60 -> "60", 6.7 -> "6.7", 1e-05 -> "0.00001"."""
    d = _decimal(x)
    return "0" if d == 0 else format(d.normalize(), "f")


def bounds(value: float | int, tolerance: float | int) -> tuple[str, str]:
    """(value - tolerance, value + tolerance), computed in decimal so that 6.7 ± 0.05 is
    exactly 6.65..6.75 (in binary floating point it is 6.6499999999999995..6.75)."""
    v, t = _decimal(value), _decimal(tolerance)
    return number(v - t), number(v + t)
