"""Turn a citation as people write it into a canonical provision id.

Accepted, for example: "Art. 6(3)(b)", "article 6, paragraph 3 (b)", "6.3.b",
"Article 8 para 2", "art 6 (3) b", "Article 14", "14(2)", and the ways civil-law writing cites a
paragraph: "Art. 6 § 3 (b)", "art. 6 para. 3 lit. b", "Art. 6 Abs. 3 lit. b", "art. 6 al. 3 let. b",
"6(III)(b)" (a paragraph in Roman numerals). Anything that names a provision the module does not
contain is refused with a message that says what does exist.

A provision whose id is an article number alone ("14") is the paragraph the module calls by
the article's name: the module quotes paragraph 1 of article 14, the savings clause, as
"article 14". So "article 14", "Art. 14" and "14(1)" all name it, and "14(2)" names the
paragraph after it.

    reader = Citations(provisions)      # the provisions it knows: .id .article .paragraph .subparagraph
    reader.parse("Art. 6(3)(b)")        # -> "6(3)(b)"

The course reads citations with ``protocol.parse``, a reader of the provisions in
``protocol/data/provisions.yaml``. This file imports nothing but the standard library, and
takes the provisions as an argument, because the student bundle released beside every graded
notebook carries a byte-identical copy of it (``course_tools.py`` imports it there, with the
provisions of its ``assignment.json``): a student's check reads an answer with this very
code, and there is no second parser to drift from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

# Words people put around the numbers; they carry no information for the id. Besides the
# English ones, the abbreviations of civil-law citation: "Abs." (Absatz), "al." (alinea), "par.",
# "let."/"lett."/"litt." (letter).
_NOISE = {
    "art", "arts", "article", "articles", "para", "paras", "paragraph", "paragraphs", "par", "pars",
    "abs", "al", "sub", "subpara", "subparas", "subparagraph", "subparagraphs", "point", "points",
    "letter", "lit", "litt", "let", "lett", "no",
    "of", "the", "protocol", "trafficking", "in", "persons",
}
# A citation is written in ASCII: digits 0-9, letters a-z, and spaces or punctuation between
# them, and the paragraph signs of legal writing (§, ¶) and the no-break spaces word processors
# put after them and after "Art." (U+00A0, U+202F), which separate as a space does. Anything else
# (full-width or other scripts' digits, accented letters) is refused rather than guessed at;
# _ext/self-check.js reads citations with the same three classes.
_SCAN = re.compile(r"([0-9]+|[A-Za-z]+)"
                   r"|([\t\n\x0b\x0c\r\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e\u00a0\u00a7\u00b6\u202f]+)|(.)",
                   re.ASCII | re.DOTALL)
# A paragraph in Roman numerals, I to XXXIX: "6(III)(b)" is 6(3)(b).
_ROMAN = re.compile(r"(x{0,3})(ix|iv|v?i{0,3})")
_ROMAN_VALUES = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
_EXAMPLE = "such as '6(3)(b)'"


class CitationError(ValueError):
    """A citation that does not name a provision covered by the course.

    `reason` is the message without the citation itself (what the site's reader shows)."""

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = reason if reason is not None else message


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


def _roman(word: str) -> int | None:
    """The value of a Roman numeral written with i, v and x ("iii" -> 3), or None."""
    m = _ROMAN.fullmatch(word)
    if not word or m is None:
        return None
    return 10 * len(m.group(1)) + _ROMAN_VALUES.get(m.group(2), 0)


def _roman_paragraph(citation: str, tokens: list[str]) -> list[str]:
    """Read a paragraph written in Roman numerals, where it stands right after the article
    ("6(III)(b)", "8 vi"), as its number. A lone i, v or x with nothing after it could as well be
    a lettered point, and is refused; letters that are no Roman numeral stay letters."""
    if len(tokens) < 2 or not tokens[0].isdigit() or tokens[1].isdigit() or set(tokens[1]) - set("ivx"):
        return tokens
    if len(tokens) > 2 and tokens[2].isdigit():
        return tokens  # "6 v 3": not a paragraph followed by its point; the reader refuses it
    word, article = tokens[1], int(tokens[0])
    value = _roman(word)
    if value is None:
        reason = (f"'{word.upper()}' is not a Roman numeral: write the paragraph in digits, "
                  f"such as '{article}(3)', or in Roman numerals, such as '{article}(III)'")
        raise CitationError(f"{citation!r}: {reason}", reason)
    if len(word) == 1 and len(tokens) == 2:
        reason = (f"'{word}' after article {article} can be read as paragraph {value} in Roman numerals "
                  f"or as a lettered point: write the paragraph in digits, such as '{article}({value})'")
        raise CitationError(f"{citation!r} is ambiguous: {reason}", f"this is ambiguous: {reason}")
    return [tokens[0], str(value)] + tokens[2:]


class Citable(Protocol):
    """What a reader of citations needs of a provision (protocol.Provision, or course_tools'
    own table in the student bundle)."""

    @property
    def id(self) -> str: ...
    @property
    def article(self) -> int: ...
    @property
    def paragraph(self) -> int: ...
    @property
    def subparagraph(self) -> str | None: ...


class Citations:
    """A reader of citations for one table of provisions, in treaty order: any objects with
    ``id`` ("6(3)(b)"), ``article`` (6), ``paragraph`` (3) and ``subparagraph`` ("b" or None)."""

    def __init__(self, provisions: Iterable[Citable]):
        self._ids: list[str] = []
        self._paragraphs: dict[int, list[int]] = {}  # article -> its paragraphs, in order
        self._points: dict[str, list[str]] = {}  # "6(3)" -> ["a", "b", "c", "d"]
        self._named: dict[int, tuple[str, int]] = {}  # 14 -> ("14", 1): the paragraph cited by the article's name
        for p in provisions:
            self._ids.append(p.id)
            paragraphs = self._paragraphs.setdefault(p.article, [])
            if p.paragraph not in paragraphs:
                paragraphs.append(p.paragraph)
            if p.subparagraph:
                self._points.setdefault(f"{p.article}({p.paragraph})", []).append(p.subparagraph)
            if p.id == str(p.article):
                self._named[p.article] = (p.id, p.paragraph)
        self._known = set(self._ids)

    def children(self, provision_id: str) -> list[str]:
        """The ids of a paragraph's lettered points: children("6(3)") -> 6(3)(a) to 6(3)(d)."""
        return [f"{provision_id}({letter})" for letter in self._points.get(provision_id, [])]

    def _ranges(self, article: int) -> str:
        paragraphs = sorted(self._paragraphs[article])
        if len(paragraphs) == 1:
            return f"article {article} is cited as a whole: write 'article {article}'"
        return f"article {article} has paragraphs {paragraphs[0]} to {paragraphs[-1]}"

    def parse(self, citation: str) -> str:
        """Return the canonical id ("6(3)(b)") for a citation, or raise CitationError."""
        if not isinstance(citation, str):
            raise CitationError(
                f"a citation is text {_EXAMPLE}, not {type(citation).__name__} {citation!r}"
            )
        tokens = _roman_paragraph(citation, _tokens(citation))
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
        if article not in self._paragraphs:
            articles = list(self._paragraphs)
            covered = ", ".join(str(a) for a in articles[:-1]) + f" and {articles[-1]}"
            reason = f"article {article} is not covered by this module (it covers articles {covered})"
            raise CitationError(f"{citation!r}: {reason}", reason)
        paragraph = int(numbers[1]) if len(numbers) > 1 else None
        letter = letters[0] if letters else None

        named = self._named.get(article)
        if paragraph is None:
            if named is None:
                reason = f"this names a whole article: {self._ranges(article)}; cite one"
                raise CitationError(f"{citation!r} names a whole article: {self._ranges(article)}; cite one", reason)
            if letter is None:
                return named[0]  # "article 14": the paragraph the module cites by that name
            paragraph = named[1]
        pid = f"{article}({paragraph})"
        canonical = named[0] if named and paragraph == named[1] else pid  # "14(1)" is "14"
        if canonical not in self._known:
            raise CitationError(f"{citation!r}: {self._ranges(article)}", self._ranges(article))
        if letter is None:
            return canonical
        points = self._points.get(pid, [])
        if not points:
            reason = f"article {pid} has no lettered points"
            raise CitationError(f"{citation!r}: {reason}", reason)
        if letter not in points:
            reason = f"article {pid} has points ({points[0]}) to ({points[-1]})"
            raise CitationError(f"{citation!r} is not a provision: {reason}", f"this is not a provision: {reason}")
        return f"{pid}({letter})"

    def parse_many(self, citations: Iterable[str]) -> list[str]:
        """Parse several citations; keep their order, drop repeats."""
        seen: dict[str, None] = {}
        for c in citations:
            seen[self.parse(c)] = None
        return list(seen)
