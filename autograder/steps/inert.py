"""Untrusted output made inert before anyone opens it.

Everything in a graded notebook came from the student or ran their code: an output's HTML or
JavaScript, a markdown cell's ``<script>``, an ``onerror=`` attribute, a ``javascript:`` link.
The lecturer opens the autograded notebook in formgrader, in their own Jupyter server's origin,
and the feedback page in a browser; the student opens the feedback page. So, once a notebook
is scored, every cell goes through nbconvert's own sanitiser (``SanitizeHTML``, bleach, the
one nbviewer uses): outputs of a type that can run code are removed (JavaScript, widget views,
SVG), HTML and markdown keep the markup of ordinary documents and tables and lose the rest,
which stays as visible, inert text. What the student's code printed as text is untouched.

Scoring comes first: a test cell's outputs decide its points, and removing an output must
never change them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograder.steps import NotebookWork

# What ordinary results and written answers use (pandas tables, headings, lists, emphasis,
# links, images): kept. Everything else is escaped to text.
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "s",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
ATTRIBUTES = {"*": ["class", "title", "align", "colspan", "rowspan", "scope"], "a": ["href"],
              "img": ["src", "alt", "width", "height"]}
# What can run code, or fetch and frame another page: its presence is what the status reports.
ACTIVE = re.compile(r"<\s*/?\s*(script|iframe|frame|object|embed|applet|base|form|meta|link|style|svg|math)\b"
                    r"|\bon[a-z]+\s*=|javascript\s*:|vbscript\s*:", re.IGNORECASE)
SAFE_OUTPUTS = frozenset({"metadata", "text/plain", "text/latex", "application/json", "image/png", "image/jpeg",
                          "application/vnd.course.answer+json"})
MARKUP_OUTPUTS = frozenset({"text/html", "text/markdown"})


def run(work: NotebookWork) -> None:
    """The step, after scoring (what is removed never changes points): the notebook made inert,
    the status told which cells held active content, and the autograded notebook kept."""
    import nbformat

    work.result.notes += make_inert(work.notebook)
    work.result.autograded[f"{work.name}.ipynb"] = nbformat.writes(work.notebook).encode("utf-8")


def _sanitiser():
    from nbconvert.preprocessors.sanitize import SanitizeHTML

    return SanitizeHTML(tags=sorted(TAGS), attributes=ATTRIBUTES, safe_output_keys=set(SAFE_OUTPUTS),
                        sanitized_output_types=set(MARKUP_OUTPUTS), strip=False, strip_comments=True)


def _active(cell) -> bool:
    """Did this cell hold anything that could run or load: active markup, or an output type
    the sanitiser removes?"""
    if cell.cell_type in ("markdown", "raw") and ACTIVE.search(cell.source):
        return True
    for output in cell.get("outputs", []):
        for mime, value in output.get("data", {}).items():
            if mime not in SAFE_OUTPUTS and mime not in MARKUP_OUTPUTS:
                return True
            text = "".join(value) if isinstance(value, list) else str(value)
            if mime in MARKUP_OUTPUTS and ACTIVE.search(text):
                return True
    return False


def _name(cell, index: int) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"


def make_inert(nb) -> list[str]:
    """Sanitise every cell of `nb` in place; returns a note naming the cells whose scripts or
    active HTML were removed (none when there were none)."""
    sanitiser = _sanitiser()
    touched = []
    for index, cell in enumerate(nb.cells):
        if _active(cell):
            touched.append(_name(cell, index))
        sanitiser.preprocess_cell(cell, {}, index)
    if not touched:
        return []
    return [f"scripts or active HTML removed from {', '.join(touched)} (shown as text)"]
