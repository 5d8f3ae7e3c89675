"""CSV cells that a spreadsheet would run as a formula, made plain text, in every CSV the kit writes.

Student ids come from folder names and LMS downloads, answers from notebooks, names and comments
from LMS worksheets, stems and answers from the bank: a cell such as
``=HYPERLINK("http://...","click")`` is a formula when the lecturer opens grades.csv in a
spreadsheet. Such a cell (one that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return and is not a number, nor the lone "-" that LMS worksheets write for "no value") is written with a leading apostrophe, which spreadsheets take as
"this is text" and do not show; the kit's own readers take the apostrophe off again
(``plain``), so a CSV read back is what was written.
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# Moodle's worksheet writes "-" for a date never set; a spreadsheet shows it as text.
PLACEHOLDER = "-"
GUARD = "'"


def _formula(text: str) -> bool:
    return text.startswith(TRIGGERS) and text != PLACEHOLDER and not NUMBER.fullmatch(text.strip())


def inert(value):
    """A cell's value as it is written: a would-be formula behind an apostrophe."""
    if isinstance(value, str) and _formula(value):
        return GUARD + value
    return value


def plain(value):
    """A cell's value as it was before `inert`."""
    if isinstance(value, str) and value.startswith(GUARD) and _formula(value[1:]):
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


def inert_rows(rows):
    """Rows of cells (lists) with every text cell made inert, for ``csv.writer``."""
    return [[inert(cell) for cell in row] for row in rows]


SEPARATORS = (",", ";", "\t")


def delimiter(text: str) -> str:
    """The separator of a CSV that a spreadsheet or an LMS saved, read from its header line: a
    comma, or a semicolon or a tab (a spreadsheet in a locale whose decimal mark is a comma saves
    "CSV" with semicolons)."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","
