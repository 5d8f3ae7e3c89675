"""Helpers for this assignment: check(), show(), facts() and the Protocol's provisions.

    check("q1", q1)      says whether an answer is written in a form the grader can read
    show("6(3)")         prints a provision in the Protocol's official text, and the module's
                         quotation of it where the module's words differ
    facts()              the facts of your case (when the assignment has them)

The questions, the provisions and the shared facts are in assignment.json beside this file;
your own facts, when your lecturer gave you some, in variant.json beside your notebook. This
file knows what kind of value each question expects, never the answer. Your lecturer's grader
restores the original of these files, so changes to them have no effect.
"""

# The course's grader imports this same file to read an answer the way a student's check
# reads it. It uses nothing but the standard library, so that it runs in any Python a student
# has, Pyodide in a browser included.

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

if __package__:  # imported from the course's own packages (the grader, the tests)
    from protocol.citations import CitationError, Citations
else:  # the student bundle: protocol/citations.py, copied beside this file as citations.py
    from citations import CitationError, Citations

DATA = Path(__file__).with_name("assignment.json")
# Where show()'s official text is from: protocol.OFFICIAL_SOURCE, which a test keeps this equal to.
OFFICIAL_SOURCE = ("Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children, "
                   "supplementing the United Nations Convention against Transnational Organized Crime, 2000 "
                   "(United Nations, Treaty Series, vol. 2237, p. 319)")
OWN_FACTS = "variant.json"  # beside the notebook: this student's facts, written at release


class AnswerFormatError(AssertionError):
    """An answer the grader cannot read, with a message that says how to write it."""


@dataclass(frozen=True)
class Provision:
    id: str
    article: int
    paragraph: int
    subparagraph: str | None
    title: str
    text: str | None  # verbatim, as the module quotes it; None where the module does not quote it
    official: str = ""  # the Protocol's official text
    departs: tuple = ()  # [module's words, official words] at each place where they differ


# ---------------------------------------------------------------------------------------------
# Kinds of answer: what kind of value a question expects, and how it is read.

class Kind:
    """One kind of answer. `spec` is what assignment.json says of the question ({"kind": ...})."""

    name: ClassVar[str]

    def __init__(self, question: str, spec: dict[str, Any], assignment: Assignment):
        self.question, self.spec, self.assignment = question, spec, assignment

    def problem(self, answer) -> str | None:
        """Why the grader cannot read `answer`, or None if it can."""
        return None

    def read(self, answer):
        """The answer as it is marked (only for an answer without a problem)."""
        return answer

    def describe(self, answer) -> str:
        return "your answer"


class Letter(Kind):
    """One of the letters of a multiple-choice question, between quotes: "B"."""

    name = "letter"

    def problem(self, answer) -> str | None:
        q, letters = self.question, list(self.spec["options"])
        choices = ", ".join(letters[:-1]) + " or " + letters[-1]
        if not isinstance(answer, str):
            return f'{q}: write one letter between quotes, such as "{letters[0]}" (you wrote {answer!r})'
        if answer.strip() in ("", "?"):
            return f"{q}: not answered yet: replace ? with {choices}, keeping the quotes"
        if answer.strip().upper() not in letters:
            return f"{q}: {answer!r} is not one of the choices: write {choices}"
        return None

    def read(self, answer) -> str:
        return answer.strip().upper()

    def describe(self, answer) -> str:
        return f"choice {self.read(answer)}"


class CitationList(Kind):
    """A list of provisions, each as people write it: ["6(3)(a)", "Art. 6(4)"]."""

    name = "citations"

    def problem(self, answer) -> str | None:
        q = self.question
        if isinstance(answer, str):
            return (f"{q}: write a list, even for one provision: [{answer!r}] "
                    "(square brackets around, quotes around each provision)")
        if not isinstance(answer, (list, tuple)):
            return f'{q}: write a list of provisions such as ["6(1)", "7(2)"] (you wrote {answer!r})'
        if not answer:
            return f'{q}: not answered yet: put at least one provision in the list, such as ["6(1)"]'
        seen = {}
        for a in answer:
            try:
                pid = self.assignment.citations.parse(a)
            except CitationError as e:
                return f"{q}: {e}"
            if pid in seen:
                return f"{q}: {a!r} names the same provision as {seen[pid]!r}; list it once"
            seen[pid] = a
        return None

    def read(self, answer) -> list[str]:
        """Canonical ids, in treaty order."""
        ids = set(self.assignment.citations.parse_many(answer))
        return [pid for pid in self.assignment.provisions if pid in ids]

    def describe(self, answer) -> str:
        ids = self.assignment.citations.parse_many(answer)
        return f"{len(ids)} provision{'s' if len(ids) != 1 else ''}: " + ", ".join(ids)


class Number(Kind):
    """A number, without quotes, commas or units: 1250."""

    name = "number"

    def problem(self, answer) -> str | None:
        q = self.question
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            hint = ""
            if isinstance(answer, str):
                digits = re.sub(r"[^0-9.]", "", answer)
                hint = f": remove the quotes{', commas and units' if digits != answer.strip() else ''}, e.g. {digits or '1250'}"
            return f"{q}: write a number without quotes{hint} (you wrote {answer!r})"
        if answer != answer:  # NaN
            return f"{q}: write a number"
        return None

    def read(self, answer) -> float:
        return float(answer)

    def describe(self, answer) -> str:
        return f"the number {answer:g}"


class Essay(Kind):
    """A written answer in a markdown cell, marked by the lecturer: nothing to check here."""

    name = "essay"


KINDS: dict[str, type[Kind]] = {k.name: k for k in (Letter, CitationList, Number, Essay)}


# ---------------------------------------------------------------------------------------------
# The assignment: its questions, the provisions, the shared facts.

class Assignment:
    """What assignment.json says: each question's kind, the provisions' texts and the facts
    shared by everyone (the version a student sees without facts of their own)."""

    def __init__(self, data: dict[str, Any]):
        self.questions: dict[str, dict[str, Any]] = data["questions"]
        self.provisions = {p["id"]: Provision(**p) for p in data["provisions"]}
        self.citations = Citations(self.provisions.values())
        self.shared_facts: dict[str, Any] | None = data.get("shared_facts")

    @classmethod
    def read(cls, path: Path | str = DATA) -> Assignment:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def kind(self, question: str) -> Kind | None:
        spec = self.questions.get(question)
        return None if spec is None else KINDS[spec["kind"]](question, spec, self)

    def format_problem(self, question: str, answer) -> str | None:
        kind = self.kind(question)
        if kind is None:
            return f"there is no question {question!r} in this notebook (questions: {', '.join(self.questions)})"
        return kind.problem(answer)

    def check(self, question: str, answer) -> None:
        problem = self.format_problem(question, answer)
        if problem:
            print("Not readable yet. " + problem)
        else:
            print(f"{question}: the grader can read this answer ({self.kind(question).describe(answer)}). "
                  "Whether it is right is decided after you hand in.")

    def assert_format(self, question: str, answer) -> None:
        problem = self.format_problem(question, answer)
        if problem:
            raise AnswerFormatError(problem)
        print(f"{question}: answer readable")

    def normalise(self, question: str, answer):
        self.assert_format(question, answer)
        return self.kind(question).read(answer)

    def show(self, citation: str) -> None:
        try:
            pid = self.citations.parse(citation)
        except CitationError as e:
            print(e)
            return
        for p in [self.provisions[pid], *(self.provisions[c] for c in self.citations.children(pid))]:
            print(f"Article {p.id}: {p.title}")
            if p.id == str(p.article):  # the module's "article 14" is the Protocol's article 14(1)
                print(f"  (article {p.article}, paragraph {p.paragraph}, of the Protocol)")
            print(f"  Official text: {p.official}")
            if p.text is None:
                print("  The module does not quote this provision.")
            elif p.departs:
                print(f"  The module quotes it in other words: {p.text}")
                for module, official in p.departs:
                    print(f"    the module has \"{module}\" where the official text has \"{official}\"")
            else:
                print("  The module quotes it in the same words.")
        print(f"Source of the official text: {OFFICIAL_SOURCE}.")

    def facts(self) -> dict:
        here = Path(OWN_FACTS)
        if here.is_file():
            return json.loads(here.read_text(encoding="utf-8"))["facts"]
        if self.shared_facts is None:
            raise LookupError("this assignment has no case facts")
        return dict(self.shared_facts)


_assignment: Assignment | None = None


def _this() -> Assignment:
    """The assignment of the notebook beside this file (read once)."""
    global _assignment
    if _assignment is None:
        _assignment = Assignment.read(DATA)
    return _assignment


# ---------------------------------------------------------------------------------------------
# What the notebook calls.

def check(question: str, answer) -> None:
    """Say whether `answer` is written in a form the grader can read (not whether it is right)."""
    _this().check(question, answer)


def assert_format(question: str, answer) -> None:
    """Like check(), but stops with the message: used by the notebook's test cells."""
    _this().assert_format(question, answer)


def normalise(question: str, answer):
    """The answer in the form it is marked in: a capital letter, canonical ids, a number."""
    return _this().normalise(question, answer)


def show(citation: str) -> None:
    """Print a provision, with its sub-paragraphs, in the Protocol's official text, and say
    where the module's quotation of it differs."""
    _this().show(citation)


def facts() -> dict:
    """The facts of your case: from variant.json beside the notebook, else the shared ones."""
    return _this().facts()
