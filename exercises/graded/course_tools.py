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

import ast
import difflib
import json
import linecache
import os
import re
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar

# An answer as the student's line made it: any Python value. problem() says whether the grader
# can read it; read() and describe() are only ever given one it can.
Answer = Any

if TYPE_CHECKING or __package__:  # imported from the course's own packages (the grader, the tests, mypy)
    from protocol.citations import CitationError, Citations
else:  # the student bundle: protocol/citations.py, copied beside this file as citations.py
    from citations import CitationError, Citations

DATA = Path(__file__).with_name("assignment.json")
# Where show()'s official text is from: protocol.OFFICIAL_SOURCE, which a test keeps this equal to.
OFFICIAL_SOURCE = ("Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children, "
                   "supplementing the United Nations Convention against Transnational Organized Crime, 2000 "
                   "(United Nations, Treaty Series, vol. 2237, p. 319)")
OWN_FACTS = "variant.json"  # beside the notebook: this student's facts, written at release
# How an answer the grader cannot read is introduced; the browser notebook's hand-in dialog finds
# such answers by it.
NOT_READABLE = "Not readable yet."


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
    departs: Sequence[Sequence[str]] = ()  # [module's words, official words] at each place where they differ


# ---------------------------------------------------------------------------------------------
# Kinds of answer: what kind of value a question expects, and how it is read.

# Quotes a word processor or a phone's keyboard types for " and ': Python reads none of them.
CURLY = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
         "\u2018": "'", "\u2019": "'", "\u201a": "'"}
_STRAIGHT = str.maketrans(CURLY)


def _unquoted(text: str) -> str:
    """`text` with straight quotes, and without the quotes and spaces around it."""
    return text.translate(_STRAIGHT).strip().strip("\"'").strip()


class Kind:
    """One kind of answer. `spec` is what assignment.json says of the question ({"kind": ...})."""

    name: ClassVar[str]
    quoted: ClassVar[bool] = True  # written between quotes (a number is not)
    # How a value of this kind is written, for a line Python cannot read: never an example
    # that could be an answer.
    form: ClassVar[str] = "write your answer as the comment above it says"

    def __init__(self, question: str, spec: dict[str, Any], assignment: Assignment):
        self.question, self.spec, self.assignment = question, spec, assignment

    def problem(self, answer: Answer, written: str | None = None) -> str | None:
        """Why the grader cannot read `answer`, or None if it can. `written` is the text after
        the = sign of the answer line, when the notebook's cell is at hand."""
        return None

    def read(self, answer: Answer) -> object:
        """The answer as it is marked (only for an answer without a problem)."""
        return answer

    def describe(self, answer: Answer) -> str:
        return "your answer"

    def suggest(self, written: str) -> str | None:
        """What the student meant by `written` (text Python could not read, or read as something
        else), as a value of this kind the grader reads; None if that is not clear. It only ever
        rewrites the student's own answer, so it says nothing of the right one."""
        return None

    def fix(self) -> str:
        """What to change when `suggest` finds the student's answer: one short clause."""
        return self.form


class Letter(Kind):
    """One of the letters of a multiple-choice question, between quotes: "B"."""

    name = "letter"
    form = 'write one letter between quotes, such as "A"'

    def problem(self, answer: Answer, written: str | None = None) -> str | None:
        q, letters = self.question, list(self.spec["options"])
        choices = ", ".join(letters[:-1]) + " or " + letters[-1]
        if not isinstance(answer, str):
            return f'{q}: write one letter between quotes, such as "{letters[0]}" (you wrote {answer!r})'
        if answer.strip() in ("", "?"):
            return f"{q}: not answered yet: replace ? with {choices}, keeping the quotes"
        if answer.strip().upper() not in letters:
            return f"{q}: {answer!r} is not one of the choices: write {choices}"
        return None

    def read(self, answer: Answer) -> str:
        letter: str = answer
        return letter.strip().upper()

    def describe(self, answer: Answer) -> str:
        return f"choice {self.read(answer)}"

    def suggest(self, written: str) -> str | None:
        letter = _unquoted(written).strip("().:").strip()
        return json.dumps(letter) if letter.upper() in self.spec["options"] else None

    def fix(self) -> str:
        return "put the letter between quotes"


class CitationList(Kind):
    """A list of provisions, each as people write it: ["6(3)(a)", "Art. 6(4)"]."""

    name = "citations"
    form = 'write a list: square brackets around it, each provision between quotes, commas between them: ["…", "…"]'

    def problem(self, answer: Answer, written: str | None = None) -> str | None:
        q = self.question
        if isinstance(answer, str):
            meant = self.suggest(answer)
            if meant is not None and json.loads(meant) != [answer.strip()]:  # several in one string
                return f"{q}: put each provision between its own quotes: {q} = {meant}"
            return (f"{q}: write a list, even for one provision: {q} = {meant or json.dumps([answer])} "
                    "(square brackets around, quotes around each provision)")
        if not isinstance(answer, (list, tuple)):
            return f'{q}: write a list of provisions: ["…", "…"] (you wrote {answer!r})'
        if not answer:
            return f'{q}: not answered yet: put at least one provision between the square brackets, between quotes'
        seen: dict[str, object] = {}
        for i, a in enumerate(answer):
            try:
                pid = self.assignment.citations.parse(a)
            except CitationError as e:
                parts = [self._parts(b) for b in answer]
                if len(parts[i]) > 1:  # ["6(3)(a), 6(3)(b)"]
                    split = [p for one in parts for p in one]
                    return f"{q}: put each provision between its own quotes: {q} = {json.dumps(split)}"
                return f"{q}: {e}"
            if pid in seen:
                return f"{q}: {a!r} names the same provision as {seen[pid]!r}; list it once"
            seen[pid] = a
        return None

    def _parts(self, value: object) -> list[object]:
        """The provisions one value of the list holds: several when one string names several."""
        meant = self.suggest(value) if isinstance(value, str) else None
        return json.loads(meant) if meant is not None else [value]

    def read(self, answer: Answer) -> list[str]:
        """Canonical ids, in treaty order."""
        ids = set(self.assignment.citations.parse_many(answer))
        return [pid for pid in self.assignment.provisions if pid in ids]

    def describe(self, answer: Answer) -> str:
        ids = self.assignment.citations.parse_many(answer)
        return f"{len(ids)} provision{'s' if len(ids) != 1 else ''}: " + ", ".join(ids)

    def suggest(self, written: str) -> str | None:
        text = written.translate(_STRAIGHT).strip()
        text = text[1:] if text.startswith("[") else text
        text = text[:-1] if text.endswith("]") else text
        for parts in (re.split(r"\s*(?:[,;\n]|\band\b)\s*", text), [text]):
            parts = [_unquoted(p) for p in parts]
            parts = [p for p in parts if p]
            try:
                if parts and len(set(self.assignment.citations.parse_many(parts))) == len(parts):
                    return json.dumps(parts)
            except CitationError:
                continue
        return None

    def fix(self) -> str:
        return "put each provision between quotes, and square brackets around the list"


class Number(Kind):
    """A number, without quotes, commas or units: 1250."""

    name = "number"
    quoted = False
    form = ("write the number in digits only, without quotes, a currency sign, a unit, or commas "
            "or spaces between the thousands, and a point before any decimals")

    def problem(self, answer: Answer, written: str | None = None) -> str | None:
        q = self.question
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            meant = self.suggest(written if written is not None else answer if isinstance(answer, str) else "")
            if meant is not None:
                return f"{q}: {self.fix()}: {q} = {meant}"
            return f"{q}: {self.form} (you wrote {written if written is not None else repr(answer)})"
        if answer != answer:  # NaN
            return f"{q}: write a number"
        return None

    def read(self, answer: Answer) -> float:
        return float(answer)

    def describe(self, answer: Answer) -> str:
        return f"the number {answer:g}"

    def suggest(self, written: str) -> str | None:
        """The number in "USD 1,250", "$1 250.50", "1.250,50 EUR", "1'250"; None where the
        separators leave it unclear which is the decimal point ("1,25")."""
        text = re.sub(r"[^0-9.,' \u00a0\u202f]", "", _unquoted(written)).strip(" .,")
        text = re.sub(r"(?<=\d)['\s\u00a0\u202f](?=\d{3}\b)", "", text)  # 1 250, 1'250
        if not re.fullmatch(r"\d[\d.,]*", text or "-"):
            return None
        if "," in text and "." in text:  # the last one is the decimal point
            thousands = "," if text.rfind(".") > text.rfind(",") else "."
            text = text.replace(thousands, "").replace(",", ".")
        elif "," in text:
            if not re.fullmatch(r"\d{1,3}(,\d{3})+", text):
                return None
            text = text.replace(",", "")
        elif text.count(".") > 1:
            if not re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
                return None
            text = text.replace(".", "")
        try:
            float(text)
        except ValueError:
            return None
        return text

    def fix(self) -> str:
        return "write the number in digits only, without quotes, a currency sign, a unit or thousands separators"


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

    def _unknown(self, question: str) -> str:
        return f"there is no question {question!r} in this notebook (questions: {', '.join(self.questions)})"

    def format_problem(self, question: str, answer: Answer, written: str | None = None) -> str | None:
        kind = self.kind(question)
        if kind is None:
            return self._unknown(question)
        return kind.problem(answer, written)

    def check(self, question: str, answer: Answer, cell: list[str] | None = None) -> None:
        """Print whether `answer` is readable. `cell` is the lines of the notebook cell that
        called, when they are at hand: its answer line says more than the value alone (a
        misspelt name left the value of an earlier run; 1,250 became two numbers)."""
        line = answer_line(cell, question) if cell else None
        if (cell and line is not None and line.name != question
                and (_looks_like(line.name, question) or line.name in self.questions)):
            print(f"{NOT_READABLE} {self.slip(question, cell)}")
            return
        kind = self.kind(question)
        problem = self.format_problem(question, answer, line.value if line is not None else None)
        if problem or kind is None:  # a question not in the notebook has a problem, that one
            print(f"{NOT_READABLE} {problem or self._unknown(question)}")
        else:
            print(f"{question}: the grader can read this answer ({kind.describe(answer)}). "
                  "Whether it is right is decided after you hand in.")

    def assert_format(self, question: str, answer: Answer) -> None:
        problem = self.format_problem(question, answer)
        if problem:
            raise AnswerFormatError(problem)
        print(f"{question}: answer readable")

    def normalise(self, question: str, answer: Answer) -> object:
        self.assert_format(question, answer)
        kind = self.kind(question)
        if kind is None:  # assert_format has refused it already
            raise AnswerFormatError(self._unknown(question))
        return kind.read(answer)

    def slip(self, question: str, cell: list[str]) -> str:
        """What to type, in one sentence, for an answer cell Python could not run: its answer
        line has a misspelt name, curly quotes, a missing bracket or quote, or a value without
        the quotes and brackets its kind needs. Never the right answer: at most the student's
        own answer, written so the grader can read it."""
        kind, line = self.kind(question), answer_line(cell, question)
        if line is None:
            return f"{question}: keep the line that starts with {question} = and write your answer after the = sign"
        if line.name != question and line.name in self.questions:  # a q1 line, then check("q2", ...)
            return (f'{line.name}: this cell answers {line.name}, so keep its last line as it was: '
                    f'check("{line.name}", {line.name})')
        if line.name != question:
            return (f"{question}: the answer line must start with {question} = as it did (you wrote {line.name} =): "
                    "change only what comes after the = sign")
        if kind is None:
            return f"{question}: {self._unknown(question)}"
        meant = kind.suggest(line.value)
        if line.indented:
            reason = f"remove the spaces before {line.name}, so that the line starts at the left edge"
            meant = None
        elif kind.quoted and any(c in line.value for c in CURLY):
            reason = ("type straight quotes \" from the keyboard, not the curly quotes \u201c \u201d or \u2018 \u2019 "
                      "a word processor or phone puts in")
        elif _unclosed(line.value, "[", "]"):
            reason = "a square bracket is missing: a list starts with [ and ends with ]"
        elif kind.quoted and (line.value.count('"') % 2 or line.value.count("'") % 2):
            reason = 'a quote is missing: each value needs one " before it and one after it'
        elif _valid(line.value):  # the answer reads: what Python could not run is the check line
            return f'{question}: keep the last line of the cell as it was: check("{question}", {question})'
        elif (isinstance(kind, CitationList) and line.value.startswith("[") and ";" in line.value
              and _valid(line.value.replace(";", ","))):
            reason, meant = "separate the values with commas, not semicolons", line.value.replace(";", ",")
        elif meant is not None:
            reason = kind.fix()
        else:
            return f"{question}: {kind.form}"
        return f"{question}: {reason}" + (f": {question} = {meant}" if meant else "")

    def show(self, *citations: object) -> None:
        for citation in citations:
            self._show_one(citation if isinstance(citation, str) else str(citation))  # show(14) as "14"

    def _show_one(self, citation: str) -> None:
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

    def facts(self) -> CaseFacts:
        here = Path(OWN_FACTS)
        if here.is_file():
            return CaseFacts(json.loads(here.read_text(encoding="utf-8"))["facts"])
        if self.shared_facts is None:
            raise LookupError("this assignment has no case facts")
        return CaseFacts(self.shared_facts)


# The facts of a case, said in sentences. The notebook's own facts cell uses the same sentences
# (exercises/assignments/student_facts.py): what facts() shows and what the notebook says agree.
SPECIAL_NEED_TEXT = {
    "pregnant": "She is pregnant.",
    "disability": "She has a disability.",
    "woman counsellor": "She has asked to be counselled by a woman.",
}


def case_sentences(f: dict[str, Any]) -> dict[str, str]:
    """One sentence for each fact of `f` (a dict of drawn facts), by the fact's name; a fact
    that adds nothing when it is absent (journalists, a special need) has none then."""
    national = f" (she is a national of {f['nationality']})" if f["nationality"] != f["residence_at_entry"] else ""
    out = {
        "age": f"{f['name']} is {f['age']} years old.",
        "present_state": (f"She was recruited in {f['residence_at_entry']}{national} with the promise of a job "
                          f"in {f['present_state']}, where she is now."),
        "needs_housing": "She has nowhere safe to stay." if f["needs_housing"] else "She has a safe place to stay.",
        "health_needs": "She needs medical care." if f["health_needs"] else "She has no need of medical care.",
        "wants_training": ("She would like training so that she can find work." if f["wants_training"]
                           else "She has not asked for training."),
        "threatened": ("She has received threats from the people who exploited her." if f["threatened"]
                       else "Nobody has threatened her since she left."),
        "speaks_local_language": (f"She speaks the language of {f['present_state']}." if f["speaks_local_language"]
                                  else f"She does not speak the language of {f['present_state']}."),
        "has_documents": ("She has her passport with her." if f["has_documents"]
                          else "She has no passport or other identity papers."),
        "wish": {"return": "She wants to go home.", "stay": f"She wants to stay in {f['present_state']}.",
                 "undecided": "She has not decided whether she wants to stay or go home."}.get(f["wish"], ""),
        "risk_on_return": ("She has good reason to fear that she would be harmed if she went home."
                           if f["risk_on_return"] else "Nothing suggests that she would be in danger if she went home."),
        "proceedings_running": (("A criminal case against the people who exploited her is under way"
                                 + (", and she has been asked to give evidence." if f["testifying"] else "."))
                                if f["proceedings_running"]
                                else "No criminal case has been opened against the people who exploited her."),
        "media_interest": "Journalists are following her case." if f["media_interest"] else "",
        "special_needs": SPECIAL_NEED_TEXT.get(f.get("special_needs", ""), ""),
        "exploiters_nearby": ("The people who exploited her are at large and know where she is."
                              if f.get("exploiters_nearby") else ""),
        "months_worked": (f"She worked for {f['months_worked']} months, was promised {f['promised_per_month']} "
                          f"US dollars a month and was paid {f['paid_per_month']} US dollars a month."),
    }
    return {k: v for k, v in out.items() if v}


class CaseFacts(dict[str, Any]):
    """The facts of your case: each by its name (facts()["months_worked"]), shown as sentences."""

    def __repr__(self) -> str:
        try:
            return "The facts of your case:\n" + "\n".join(f"- {s}" for s in case_sentences(self).values())
        except (KeyError, TypeError):  # facts of another shape: show them as they are
            return dict.__repr__(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython's display of a result
        printer.text(repr(self))


_assignment: Assignment | None = None


def _this() -> Assignment:
    """The assignment of the notebook beside this file (read once)."""
    global _assignment
    if _assignment is None:
        _assignment = Assignment.read(DATA)
    return _assignment


# ---------------------------------------------------------------------------------------------
# What the notebook calls.

def check(question: str, answer: Answer) -> None:
    """Say whether `answer` is written in a form the grader can read (not whether it is right)."""
    cell = _lines(sys._getframe(1).f_code.co_filename)  # the notebook cell that called, if it is one
    _this().check(question, answer, cell if answer_cell(cell) == question else None)


def assert_format(question: str, answer: Answer) -> None:
    """Like check(), but stops with the message: used by the notebook's test cells."""
    _this().assert_format(question, answer)


def normalise(question: str, answer: Answer) -> object:
    """The answer in the form it is marked in: a capital letter, canonical ids, a number."""
    return _this().normalise(question, answer)


def show(*citations: object) -> None:
    """Print each provision, with its sub-paragraphs, in the Protocol's official text, and say
    where the module's quotation of it differs: show("6(3)"), show("8(1)", "8(2)")."""
    _this().show(*citations)


def facts() -> CaseFacts:
    """The facts of your case: from variant.json beside the notebook, else the shared ones."""
    return _this().facts()


# ---------------------------------------------------------------------------------------------
# Slips: an answer cell Python cannot run ends in one sentence that says what to type.
#
# Why here, and why this way: the answer cell's first line imports check() from this file, so
# the first cell a student runs, whichever it is, installs the help (the setup cell at the top
# does too). IPython's own hook for exceptions, set_custom_exc, is in every kernel the notebook
# meets: ipykernel in Jupyter, and the Pyodide kernel in the browser, whose shell is IPython's;
# an IPython startup file or extension would need files outside the notebook's folder, which
# neither a student's Jupyter nor the browser has. The hook answers only for an answer cell
# (one that calls check("qN", ...) and not assert_format) and for a show(...) line that gives a
# provision without quotes; in any other cell an error is shown as IPython shows it. Under
# grading (NBGRADER_EXECUTION set, by nbgrader and by the course's grader alike) nothing is
# installed: every cell fails as it always has, and scores the same.
# The grader's own test cells (assert_format("qN", qN)) are the one exception in a student's
# session: run before the answer (Run All, say), their error becomes a sentence that points to
# the answer cell, since a red traceback there reads as a fault of the student's.
# The limit: a cell whose own text Python cannot read (curly quotes, a missing bracket) fails
# before its first line runs, so in a kernel where no cell has run yet Python's own message
# shows, until any cell that imports this file (the setup cell, another answer) has run.

SLIPS = (SyntaxError, NameError, TypeError, AttributeError, ValueError)
# check("qN", ...), its name as written: a misspelt check (chek, Check) still marks an answer cell.
_CHECK_CALL = re.compile(r"""\b([A-Za-z_]\w*)\(\s*["'](q\d+)["']""")


def _check_call(text: str) -> re.Match[str] | None:
    """The first call of check("qN", ...) in `text`, its name as written, misspelt or not."""
    for m in _CHECK_CALL.finditer(text):
        name = m.group(1)
        if name == "check" or (name.lower() not in ("show", "facts", "assert_format", "normalise")
                               and difflib.SequenceMatcher(None, name.lower(), "check").ratio() >= 0.75):
            return m
    return None
_TEST_CALL = re.compile(r"""\bassert_format\(\s*["'](q\d+)["']""")


@dataclass(frozen=True)
class AnswerLine:
    name: str  # what stands before the = sign, as written
    value: str  # what follows it
    indented: bool = False  # spaces before it, which Python refuses


def answer_line(cell: list[str], question: str) -> AnswerLine | None:
    """The line of an answer cell that gives the answer: the first that does not read as
    Python (or names the question wrongly), else the last that gives a value."""
    found = None
    for text in cell:
        line = text.strip()
        if not line or line.startswith(("#", "from ", "import ")) or _check_call(line):
            continue
        name, eq, value = line.partition("=")
        if not eq or value.startswith("="):
            return AnswerLine("", line) if not found else found
        found = AnswerLine(name.strip(), value.strip(), text[:1].isspace())
        if found.name != question or found.indented or not _valid(found.value):
            return found
    return found


def answer_cell(cell: list[str]) -> str | None:
    """The question of an answer cell (it calls check("qN", ...)); None for any other cell,
    the test cells among them (the grader's, which check with assert_format)."""
    text = "".join(cell)
    m = _check_call(text)
    return m.group(2) if m and "assert_format" not in text and "normalise" not in text else None


def _valid(value: str) -> bool:
    try:
        ast.literal_eval(value)
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
        return False
    return True


def _unclosed(value: str, opening: str, closing: str) -> bool:
    return value.count(opening) != value.count(closing)


def _looks_like(name: str, question: str) -> bool:
    """`Q1`, `q 1`, `q_1`: the question's name, misspelt."""
    return re.sub(r"[\s_.\-]", "", name).lower() == question


def _lines(filename: str) -> list[str]:
    """The text of a notebook cell (IPython keeps each cell's in linecache), or []."""
    try:
        return linecache.getlines(filename)
    except Exception:  # a help, never a new error
        return []


def test_cell(cell: list[str]) -> str | None:
    """The question of one of the grader's test cells (it calls assert_format("qN", ...))."""
    m = _TEST_CALL.search("".join(cell))
    return m.group(1) if m else None


def _test_question(tb: TracebackType | None) -> str | None:
    """The question of the grader's test cell an error came from, or None."""
    while tb is not None:
        question = test_cell(_lines(tb.tb_frame.f_code.co_filename))
        if question is not None:
            return question
        tb = tb.tb_next
    return None


def _test_cell_says(question: str, value: BaseException) -> str | None:
    """The sentence for the grader's test cell of `question`, run before its answer is readable."""
    if isinstance(value, AnswerFormatError):
        return (f"{NOT_READABLE} {value}. Write your answer in the cell above; "
                "this cell is the grader's and needs no change.")
    if isinstance(value, NameError):
        return (f"Not answered yet. {question}: run your answer cell above first (click in it, Shift + Enter); "
                "this cell is the grader's and needs no change.")
    return None


def _sources(value: BaseException, tb: TracebackType | None) -> Iterator[tuple[str, list[str]]]:
    """(code name, lines) of each place an error came through, outermost first: for a
    SyntaxError, the text Python could not read, as the cell's top level."""
    if isinstance(value, SyntaxError):
        yield "<module>", _lines(value.filename or "")
        return
    while tb is not None:
        yield tb.tb_frame.f_code.co_name, _lines(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next


def _cell_of(value: BaseException, tb: TracebackType | None) -> list[str]:
    """The lines of the answer cell an error came from, or []."""
    return next((lines for _, lines in _sources(value, tb) if answer_cell(lines)), [])


_SHOW_LINE = re.compile(r"^\s*show\((.*)\)\s*$")


def _top_level_parts(text: str) -> list[str]:
    """`6(3)(b), 6(6)` split at the commas outside brackets."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(c, 0)
        if c == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return [p.strip() for p in [*parts, text[start:]] if p.strip()]


def _show_slip(value: BaseException, tb: TracebackType | None) -> str | None:
    """The sentence for a cell whose show(...) line gives a provision without quotes
    (show(8(1)), show(6(3)(b), 6(6)), show(art 7)): Python fails before show() runs."""
    # The cell's own top level, where 8(1) failed, not a function of this file.
    lines = next((lines for name, lines in _sources(value, tb) if name == "<module>"), [])
    for text in lines:
        m = _SHOW_LINE.match(text)
        given = m.group(1).strip() if m else ""
        if any(c in given for c in CURLY):
            return ('show: type straight quotes " from the keyboard, not the curly quotes a word processor or '
                    f"phone puts in: show({given.translate(_STRAIGHT)})")
        if given and '"' not in given and "'" not in given:
            quoted = ", ".join(json.dumps(p) for p in _top_level_parts(given))
            return f"show: put each provision between quotes: show({quoted})"
    return None


def _on_slip(shell: Any, etype: type[BaseException], value: BaseException, tb: TracebackType | None,
             tb_offset: int | None = None) -> None:
    """IPython's custom exception handler: one sentence for an answer cell, else IPython's own
    display of the error."""
    try:
        question = _test_question(tb)
        said = _test_cell_says(question, value) if question in _this().questions else None
        if said is not None:
            sys.stdout.write(said + "\n")
            return None
        cell = _cell_of(value, tb)
        question = answer_cell(cell) if cell else None
        if question is not None and question in _this().questions:
            sys.stdout.write(f"{NOT_READABLE} {_this().slip(question, cell)}\n")  # one write: one output
            return None
        said = _show_slip(value, tb) if question is None else None
        if said is not None:
            sys.stdout.write(said + "\n")
            return None
    except Exception:  # noqa: S110 - the help failed: show the error as IPython would
        pass
    if issubclass(etype, SyntaxError):
        shell.showsyntaxerror()
    else:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
    return None


def install(shell: Any = None) -> bool:
    """Install the help for slips in the running IPython shell; False where there is none, or
    under grading. Importing this file calls it."""
    if os.environ.get("NBGRADER_EXECUTION"):
        return False
    if shell is None:
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    shell.set_custom_exc((*SLIPS, AnswerFormatError), _on_slip)
    # q2 = 6(3)(a) makes Python warn, before the cell runs, that 6 is not a function: the
    # sentence after it says what to type.
    warnings.filterwarnings("ignore", r"'\w+' object is not (callable|subscriptable)", SyntaxWarning)
    return True


install()
