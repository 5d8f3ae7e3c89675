"""CSV cells that a spreadsheet would run as a formula, made plain text.

Student ids come from folder names and LMS downloads, answers from notebooks: a cell such as
``=HYPERLINK("http://...","click")`` is a formula when the lecturer opens grades.csv in a
spreadsheet. Such a cell (one that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return and is not a number) is written with a leading apostrophe, which spreadsheets take as
"this is text" and do not show; the kit's own readers take the apostrophe off again
(``plain``), so a CSV read back is what was written.
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
GUARD = "'"


def inert(value):
    """A cell's value as it is written: a would-be formula behind an apostrophe."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not NUMBER.fullmatch(value.strip()):
        return GUARD + value
    return value


def plain(value):
    """A cell's value as it was before `inert`."""
    if isinstance(value, str) and value.startswith(GUARD) and value[1:].startswith(TRIGGERS) \
            and not NUMBER.fullmatch(value[1:].strip()):
        return value[1:]
    return value


def _text(col) -> bool:
    from pandas.api.types import is_object_dtype, is_string_dtype

    return is_object_dtype(col.dtype) or is_string_dtype(col.dtype)


def inert_frame(df):
    """A DataFrame with every text cell made inert, for ``to_csv``."""
    return df.apply(lambda col: col.map(inert) if _text(col) else col)


def plain_frame(df):
    """A DataFrame read from a CSV the kit wrote, its text cells as they were."""
    return df.apply(lambda col: col.map(plain) if _text(col) else col)
