"""Helpers for this assignment: check(), show(), facts() and the Protocol's provisions.

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

# ---------------------------------------------------------------------------------------------
# The provisions (from protocol/data/provisions.yaml).

@dataclass(frozen=True)
class Provision:
    """One citable unit: a paragraph, or a lettered sub-paragraph of one."""

    id: str  # canonical citation: "6(3)(b)", "7(1)", "14"
    article: int
    paragraph: int
    subparagraph: str | None
    title: str
    text: str  # verbatim, as the module quotes it

    @property
    def parent(self) -> str | None:
        """The paragraph a sub-paragraph belongs to ("6(3)" for "6(3)(b)")."""
        return f"{self.article}({self.paragraph})" if self.subparagraph else None

    @property
    def label(self) -> str:
        """How the module writes it in running text: "article 6(3)(b)"."""
        return f"article {self.id}"


ARTICLES: dict[int, str] = {6: 'Protection and assistance',
 7: 'Status of victims',
 8: 'Repatriation',
 14: "The Protocol's savings clause"}

_DATA = [{'id': '6(1)',
  'article': 6,
  'paragraph': 1,
  'subparagraph': None,
  'title': 'Privacy and identity of victims',
  'text': 'In appropriate cases and to the extent possible under its domestic law, each State '
          'Party shall protect the privacy and identity of victims of trafficking in persons, '
          'including, inter alia, by making legal proceedings relating to such trafficking '
          'confidential.'},
 {'id': '6(2)',
  'article': 6,
  'paragraph': 2,
  'subparagraph': None,
  'title': 'Information and participation in proceedings',
  'text': 'Each State Party shall ensure that its domestic legal or administrative system contains '
          'measures that provide to victims of trafficking in persons, in appropriate cases:'},
 {'id': '6(2)(a)',
  'article': 6,
  'paragraph': 2,
  'subparagraph': 'a',
  'title': 'Information on court and administrative proceedings',
  'text': 'Information on relevant court and administrative proceedings;'},
 {'id': '6(2)(b)',
  'article': 6,
  'paragraph': 2,
  'subparagraph': 'b',
  'title': 'Views and concerns presented in criminal proceedings',
  'text': 'Assistance to enable their views and concerns to be presented and considered at '
          'appropriate stages of criminal proceedings against offenders, in a manner not '
          'prejudicial to the right of the defence.'},
 {'id': '6(3)',
  'article': 6,
  'paragraph': 3,
  'subparagraph': None,
  'title': 'Physical, psychological and social recovery',
  'text': 'Each State Party shall consider implementing measures to provide for the physical, '
          'psychological and social recovery of victims of trafficking in persons, including, in '
          'appropriate cases, in cooperation with non-governmental organizations, other relevant '
          'organizations and other elements of civil society, and, in particular, the provision '
          'of:'},
 {'id': '6(3)(a)',
  'article': 6,
  'paragraph': 3,
  'subparagraph': 'a',
  'title': 'Appropriate housing',
  'text': 'Appropriate housing;'},
 {'id': '6(3)(b)',
  'article': 6,
  'paragraph': 3,
  'subparagraph': 'b',
  'title': 'Counselling and information on legal rights',
  'text': 'Counselling and information, in particular as regards their legal rights, in a language '
          'that the victims of trafficking in persons can understand;'},
 {'id': '6(3)(c)',
  'article': 6,
  'paragraph': 3,
  'subparagraph': 'c',
  'title': 'Medical, psychological and material assistance',
  'text': 'Medical, psychological and material assistance;'},
 {'id': '6(3)(d)',
  'article': 6,
  'paragraph': 3,
  'subparagraph': 'd',
  'title': 'Employment, educational and training opportunities',
  'text': 'Employment, educational and training opportunities.'},
 {'id': '6(4)',
  'article': 6,
  'paragraph': 4,
  'subparagraph': None,
  'title': 'Age, gender and special needs, in particular of children',
  'text': 'Each State Party shall consider, in applying the provisions of this article, the age, '
          'gender and special needs of victims of trafficking in persons, in particular the '
          'special needs of children, including appropriate housing, education and care.'},
 {'id': '6(5)',
  'article': 6,
  'paragraph': 5,
  'subparagraph': None,
  'title': 'Physical safety',
  'text': 'Each State Party shall endeavour to provide for the physical safety of victims of '
          'trafficking in persons while they are within its territory.'},
 {'id': '6(6)',
  'article': 6,
  'paragraph': 6,
  'subparagraph': None,
  'title': 'Possibility of obtaining compensation',
  'text': 'Each State Party shall ensure that its domestic legal system contains measures that '
          'offer victims of trafficking in persons the possibility of obtaining compensation for '
          'damages suffered.'},
 {'id': '7(1)',
  'article': 7,
  'paragraph': 1,
  'subparagraph': None,
  'title': 'Permission to remain, temporarily or permanently',
  'text': 'In addition to taking measures pursuant to article 6 of this Protocol, each State Party '
          'shall consider adopting legislative or other appropriate measures that permit victims '
          'of trafficking in persons to remain in its territory, temporarily or permanently, in '
          'appropriate cases.'},
 {'id': '7(2)',
  'article': 7,
  'paragraph': 2,
  'subparagraph': None,
  'title': 'Humanitarian and compassionate factors',
  'text': 'In Implementing the provision contained in paragraph 1 of this article, each State '
          'Party shall consider humanitarian and compassionate factors.'},
 {'id': '8(1)',
  'article': 8,
  'paragraph': 1,
  'subparagraph': None,
  'title': 'Facilitate and accept return without undue delay',
  'text': 'The State Party of which a victim of trafficking in persons is a national, or in which '
          'the person had the right of permanent residence at the time of entry into the territory '
          'of the receiving State Party shall facilitate and accept, with due regard for the '
          'safety of that person, the return of that person without undue or unreasonable delay.'},
 {'id': '8(2)',
  'article': 8,
  'paragraph': 2,
  'subparagraph': None,
  'title': 'Return with due regard for safety, preferably voluntary',
  'text': 'When a State Party returns a victim of trafficking in persons to a State Party of which '
          'that person is a national or in which he or she had, at the time of entry into the '
          'territory of the receiving State Party, the right of Permanent residence, such return '
          'shall be with due regard for the safety of that person and for the status of any legal '
          'proceedings related to the fact that the person is a victim of trafficking and shall '
          'preferably be voluntary.'},
 {'id': '8(3)',
  'article': 8,
  'paragraph': 3,
  'subparagraph': None,
  'title': 'Verification of nationality or residence',
  'text': 'At the request of a receiving State Party, a requested State Party shall, without undue '
          'or unreasonable delay, verify whether a person who is a victim of trafficking in '
          'persons is its national or had the right of permanent residence in its territory at the '
          'time of entry into the territory of the receiving State Party.'},
 {'id': '8(4)',
  'article': 8,
  'paragraph': 4,
  'subparagraph': None,
  'title': 'Travel documents for return',
  'text': 'In order to facilitate the return of a victim of trafficking in persons who is without '
          'proper documentation, the State Party of which that person is a national or in which he '
          'or she had the right of permanent residence at the time of entry into the territory of '
          'the receiving State Party shall agree to issue, at the request of the receiving State '
          'Party, such travel documents or other authorization as may be necessary to enable the '
          'person to travel to and re-enter its territory.'},
 {'id': '8(5)',
  'article': 8,
  'paragraph': 5,
  'subparagraph': None,
  'title': 'Without prejudice to domestic law rights',
  'text': 'This article shall be without prejudice to any right afforded to victims of trafficking '
          'in persons by any domestic law of the receiving State Party.'},
 {'id': '8(6)',
  'article': 8,
  'paragraph': 6,
  'subparagraph': None,
  'title': 'Without prejudice to return agreements',
  'text': 'This article shall be without prejudice to any applicable bilateral or multilateral '
          'agreement or arrangement that governs, in whole or in part, the return of victims of '
          'trafficking in persons.'},
 {'id': '14',
  'article': 14,
  'paragraph': 1,
  'subparagraph': None,
  'title': 'Savings clause',
  'text': '" Nothing in this Protocol shall affect the rights, obligations and responsibilities of '
          'States and individuals under international law, including international humanitarian '
          'law and international human rights law and in particular, where applicable, the 1951 '
          'Convention and the 1967 Protocol relating to the Status of Refugees and the principle '
          'of non-refoulment as contained therein".'}]

PROVISIONS: dict[str, Provision] = {d['id']: Provision(**d) for d in _DATA}


def in_article(article: int) -> list[Provision]:
    return [p for p in PROVISIONS.values() if p.article == article]


def children(provision_id: str) -> list[Provision]:
    """Sub-paragraphs of a paragraph: children("6(3)") -> 6(3)(a) to 6(3)(d)."""
    return [p for p in PROVISIONS.values() if p.parent == provision_id]


# ---------------------------------------------------------------------------------------------
# The citation parser (from protocol/citations.py).

# Words people put around the numbers; they carry no information for the id.
_NOISE = {
    "art", "arts", "article", "articles", "para", "paras", "paragraph", "paragraphs",
    "sub", "subpara", "subparagraph", "point", "points", "letter", "lit", "no",
    "of", "the", "protocol", "trafficking", "in", "persons",
}
# A citation is written in ASCII: digits 0-9, letters a-z, and spaces or punctuation between
# them. Anything else (full-width or other scripts' digits, accented letters) is refused rather
# than guessed at; _static/self-check.js reads citations with the same three classes.
_SCAN = re.compile(r"([0-9]+|[A-Za-z]+)|([\t\n\x0b\x0c\r\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+)|(.)",
                   re.ASCII | re.DOTALL)
_EXAMPLE = "such as '6(3)(b)'"


class CitationError(ValueError):
    """A citation that does not name a provision covered by the course.

    `reason` is the message without the citation itself (what the site's reader shows)."""

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = reason if reason is not None else message


def _ranges(article: int) -> str:
    paragraphs = sorted({p.paragraph for p in in_article(article)})
    if len(paragraphs) == 1:
        return f"article {article} is cited as a whole: write 'article {article}'"
    return f"article {article} has paragraphs {paragraphs[0]} to {paragraphs[-1]}"


def _tokens(citation: str) -> list[str]:
    """The words and numbers of a citation, lower-cased, noise words dropped."""
    tokens = []
    for m in _SCAN.finditer(citation):
        word, _, other = m.groups()
        if other is not None:
            reason = (f"it contains '{other}' (U+{ord(other):04X}), a character citations do not use: "
                      f"write them with the digits 0-9, the letters a-z and punctuation, {_EXAMPLE}")
            raise CitationError(f"{citation!r}: {reason}", reason)
        if word is not None and word.lower() not in _NOISE:
            tokens.append(word.lower())
    return tokens


def parse(citation: str) -> str:
    """Return the canonical id ("6(3)(b)") for a citation, or raise CitationError."""
    if not isinstance(citation, str):
        raise CitationError(
            f"a citation is text {_EXAMPLE}, not {type(citation).__name__} {citation!r}"
        )
    tokens = _tokens(citation)
    if not tokens:
        reason = f"not a citation: write an article and paragraph, {_EXAMPLE}"
        raise CitationError(f"{citation!r} is {reason}", reason)
    numbers = [t for t in tokens if t.isdigit()]
    letters = [t for t in tokens if not t.isdigit()]
    if not tokens[0].isdigit() or len(numbers) > 2 or len(letters) > 1 or (
        letters and tokens[-1] != letters[0]
    ):
        reason = ("not a citation this course can read: "
                  "write article, paragraph and sub-paragraph, such as '6(3)(b)' or 'article 8(2)'")
        raise CitationError(f"{citation!r} is {reason}", reason)
    article = int(numbers[0])
    if article not in ARTICLES:
        covered = ", ".join(str(a) for a in list(ARTICLES)[:-1]) + f" and {list(ARTICLES)[-1]}"
        reason = f"article {article} is not covered by this module (it covers articles {covered})"
        raise CitationError(f"{citation!r}: {reason}", reason)
    paragraph = int(numbers[1]) if len(numbers) > 1 else None
    letter = letters[0] if letters else None

    if article == 14:
        # The module quotes article 14 as one savings clause: "14" and "14(1)" both name it.
        if paragraph in (None, 1) and letter is None:
            return "14"
        reason = "the module quotes article 14 as a single savings clause; write 'article 14'"
        raise CitationError(f"{citation!r}: {reason}", reason)
    if paragraph is None:
        reason = f"this names a whole article: {_ranges(article)}; cite one"
        raise CitationError(f"{citation!r} names a whole article: {_ranges(article)}; cite one", reason)
    pid = f"{article}({paragraph})"
    if pid not in PROVISIONS:
        raise CitationError(f"{citation!r}: {_ranges(article)}", _ranges(article))
    if letter is None:
        return pid
    points = [p.subparagraph for p in children(pid)]
    if not points:
        reason = f"article {pid} has no lettered points"
        raise CitationError(f"{citation!r}: {reason}", reason)
    if letter not in points:
        reason = f"article {pid} has points ({points[0]}) to ({points[-1]})"
        raise CitationError(f"{citation!r} is not a provision: {reason}", f"this is not a provision: {reason}")
    return f"{pid}({letter})"


def parse_many(citations: Iterable[str]) -> list[str]:
    """Parse several citations; keep their order, drop repeats."""
    seen: dict[str, None] = {}
    for c in citations:
        seen[parse(c)] = None
    return list(seen)


# What kind of value each question expects.
QUESTIONS = {'q1': {'kind': 'citations'},
 'q2': {'kind': 'number', 'unit': 'USD'},
 'q3': {'kind': 'letter', 'options': 'ABC'},
 'q4': {'kind': 'essay'}}

COMMON_FACTS = {'name': 'Dana',
 'age': 16,
 'nationality': 'State A',
 'residence_at_entry': 'State A',
 'present_state': 'State B',
 'has_documents': False,
 'proceedings_running': False,
 'testifying': False,
 'media_interest': False,
 'wish': 'undecided',
 'risk_on_return': True,
 'threatened': True,
 'needs_housing': True,
 'speaks_local_language': False,
 'health_needs': True,
 'wants_training': False,
 'months_worked': 10,
 'promised_per_month': 300,
 'paid_per_month': 50,
 'medical_costs': 0}


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
            return f"{question}: write one letter between quotes, such as \"{letters[0]}\" (you wrote {answer!r})"
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
            return f"{question}: write a list of provisions such as [\"6(1)\", \"7(2)\"] (you wrote {answer!r})"
        if not answer:
            return f"{question}: not answered yet: put at least one provision in the list, such as [\"6(1)\"]"
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
        print(f"Article {p.id}: {p.title}\n  {p.text}")


def facts() -> dict:
    """The facts of your case: from variant.json beside the notebook, else the shared ones."""
    here = Path("variant.json")
    if here.is_file():
        return json.loads(here.read_text(encoding="utf-8"))["facts"]
    if COMMON_FACTS is None:
        raise LookupError("this assignment has no case facts")
    return dict(COMMON_FACTS)
