"""Generate ``course_tools.py``, the small module released beside each student notebook.

Students run their notebooks in a plain Jupyter with only the course's requirements, so the
module carries what they need: the provisions of articles 6, 7, 8 and 14, the citation
parser, ``check()`` for the format of an answer, ``show()`` and ``facts()``. It is generated
from ``protocol/`` (source code taken with ``inspect``, data from ``provisions.yaml``), never
kept by hand, and it carries no answer: only what kind of value each question expects.

Why ``exercises/source/<assignment>/course_tools.py`` is committed (five near-identical
copies) rather than written at release and grading time: nbgrader releases, and restores
at grading, the files it finds in the source folder, so the file must be there for
``nbgrader generate_assignment`` run by hand, for the autograder (which copies the source
folder and does not build), and for an instructor running the source notebook to test
it. The copies are outputs, not a second implementation: this module is their one source,
and ``tests/autograder/test_sources.py`` fails when any of them is stale (DESIGN.md 5).
Writing them on demand would mean a build step in the autograder's ``copy_source`` and
tests that read them from a build folder; worth it only if the copies start to differ by hand.
"""

from __future__ import annotations

import inspect
import pprint
import re
from typing import Any

import protocol
from protocol import citations, provisions

HEADER = '''"""Helpers for this assignment: check(), show(), facts() and the Protocol's provisions.

    check("q1", q1)      says whether an answer is written in a form the grader can read
    show("6(3)")         prints a provision as the module quotes it
    facts()              the facts of your case (when the assignment has them)

GENERATED from the course's protocol/ package by exercises/assignments; do not edit.
Your lecturer's grader restores the original of this file, so changes to it have no effect.
"""
# ruff: noqa
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
'''

HELPERS = '''

# ---------------------------------------------------------------------------------------------
# Answers: what kind of value each question expects (never the answer itself).

class AnswerFormatError(AssertionError):
    """An answer the grader cannot read, with a message that says how to write it."""


def _format_problem(question: str, answer) -> str | None:
    spec = QUESTIONS.get(question)
    if spec is None:
        return f"there is no question {question!r} in this notebook (questions: {', '.join(QUESTIONS)})"
    kind = spec["kind"]
    if kind == "letter":
        letters = spec["options"]
        choices = ", ".join(letters[:-1]) + " or " + letters[-1]
        if not isinstance(answer, str):
            return f"{question}: write one letter between quotes, such as \\"{letters[0]}\\" (you wrote {answer!r})"
        if answer.strip() in ("", "?"):
            return f"{question}: not answered yet: replace ? with {choices}, keeping the quotes"
        if answer.strip().upper() not in letters:
            return f"{question}: {answer!r} is not one of the choices: write {choices}"
        return None
    if kind == "citations":
        if isinstance(answer, str):
            return (f"{question}: write a list, even for one provision: [{answer!r}] "
                    "(square brackets around, quotes around each provision)")
        if not isinstance(answer, (list, tuple)):
            return f"{question}: write a list of provisions such as [\\"6(1)\\", \\"7(2)\\"] (you wrote {answer!r})"
        if not answer:
            return f"{question}: not answered yet: put at least one provision in the list, such as [\\"6(1)\\"]"
        seen = {}
        for a in answer:
            try:
                pid = parse(a)
            except CitationError as e:
                return f"{question}: {e}"
            if pid in seen:
                return f"{question}: {a!r} names the same provision as {seen[pid]!r}; list it once"
            seen[pid] = a
        return None
    if kind == "number":
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            hint = ""
            if isinstance(answer, str):
                digits = re.sub(r"[^0-9.]", "", answer)
                hint = f": remove the quotes{', commas and units' if digits != answer.strip() else ''}, e.g. {digits or '1250'}"
            return f"{question}: write a number without quotes{hint} (you wrote {answer!r})"
        if answer != answer:  # NaN
            return f"{question}: write a number"
        return None
    return None


def check(question: str, answer) -> None:
    """Say whether `answer` is written in a form the grader can read (not whether it is right)."""
    problem = _format_problem(question, answer)
    if problem:
        print("Not readable yet. " + problem)
    else:
        print(f"{question}: the grader can read this answer ({_describe(question, answer)}). "
              "Whether it is right is decided after you hand in.")


def assert_format(question: str, answer) -> None:
    """Like check(), but stops with the message: used by the notebook's test cells."""
    problem = _format_problem(question, answer)
    if problem:
        raise AnswerFormatError(problem)
    print(f"{question}: answer readable")


def normalise(question: str, answer):
    """The answer in the form it is marked in: a capital letter, canonical ids, a number."""
    assert_format(question, answer)
    kind = QUESTIONS[question]["kind"]
    if kind == "letter":
        return answer.strip().upper()
    if kind == "citations":
        ids = set(parse_many(answer))
        return [pid for pid in PROVISIONS if pid in ids]
    return float(answer)


def _describe(question: str, answer) -> str:
    kind = QUESTIONS[question]["kind"]
    if kind == "citations":
        ids = parse_many(answer)
        return f"{len(ids)} provision{'s' if len(ids) != 1 else ''}: " + ", ".join(ids)
    if kind == "letter":
        return f"choice {answer.strip().upper()}"
    return f"the number {answer:g}"


def show(citation: str) -> None:
    """Print a provision as the module quotes it, with its sub-paragraphs."""
    try:
        pid = parse(citation)
    except CitationError as e:
        print(e)
        return
    for p in [PROVISIONS[pid], *children(pid)]:
        print(f"Article {p.id}: {p.title}\\n  {p.text}")


def facts() -> dict:
    """The facts of your case: from variant.json beside the notebook, else the shared ones."""
    here = Path("variant.json")
    if here.is_file():
        return json.loads(here.read_text(encoding="utf-8"))["facts"]
    if COMMON_FACTS is None:
        raise LookupError("this assignment has no case facts")
    return dict(COMMON_FACTS)
'''


def _source(obj: Any) -> str:
    return inspect.getsource(obj).rstrip() + "\n"


def _citations_body() -> str:
    """citations.py without its docstring and imports: the parser exactly as the course runs it."""
    src = inspect.getsource(citations)
    body = src[src.index("# Words people put around"):]
    return body


def render(questions: dict[str, dict[str, Any]], common_facts: dict[str, Any] | None) -> str:
    data = [
        {"id": p.id, "article": p.article, "paragraph": p.paragraph,
         "subparagraph": p.subparagraph, "title": p.title, "text": p.text}
        for p in protocol.PROVISIONS.values()
    ]
    parts = [
        HEADER,
        "\n# ---------------------------------------------------------------------------------------------\n"
        "# The provisions (from protocol/data/provisions.yaml).\n\n",
        _source(provisions.Provision),
        f"\n\nARTICLES: dict[int, str] = {pprint.pformat(dict(protocol.ARTICLES), width=100)}\n",
        f"\n_DATA = {pprint.pformat(data, width=100, sort_dicts=False)}\n",
        "\nPROVISIONS: dict[str, Provision] = {d['id']: Provision(**d) for d in _DATA}\n\n\n",
        _source(provisions.in_article), "\n\n", _source(provisions.children),
        "\n\n# ---------------------------------------------------------------------------------------------\n"
        "# The citation parser (from protocol/citations.py).\n\n",
        _citations_body(),
        "\n\n# What kind of value each question expects.\n",
        f"QUESTIONS = {pprint.pformat(questions, width=100, sort_dicts=False)}\n",
        f"\nCOMMON_FACTS = {pprint.pformat(common_facts, width=100, sort_dicts=False)}\n",
        HELPERS,
    ]
    text = "".join(parts)
    return re.sub(r"\n{4,}", "\n\n\n", text)
