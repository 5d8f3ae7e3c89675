"""The canonical list of provisions, loaded once from ``data/provisions.yaml``.

Each provision carries two texts: the module's quotation (``text``, verbatim: the source the
site renders) and the Protocol's official text (``official``). Where they differ, the
differences are worked out here (``differences``), so every place that prints a provision can
say which text it prints and show the official words beside the module's.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data") / "provisions.yaml"


@dataclass(frozen=True)
class Provision:
    """One citable unit: a paragraph, or a lettered sub-paragraph of one."""

    id: str  # canonical citation: "6(3)(b)", "7(1)", "14"
    article: int
    paragraph: int
    subparagraph: str | None
    title: str
    text: str | None  # verbatim, as the module quotes it; None where the module does not quote it
    official: str  # the Protocol's official text (OFFICIAL_SOURCE)

    @property
    def quoted(self) -> bool:
        """Whether the module quotes this provision at all."""
        return self.text is not None

    @property
    def departs(self) -> bool:
        """Whether the module's quotation differs from the official text, in any word or mark
        (the quotation marks the module puts around a whole provision aside)."""
        return self.text is not None and _as_quoted(self.text) != self.official

    @property
    def treaty_id(self) -> str:
        """The provision's number in the Protocol: "14(1)" for the module's "article 14"."""
        return f"{self.article}({self.paragraph})" + (f"({self.subparagraph})" if self.subparagraph else "")

    def differences(self, context: int = 2) -> list[Difference]:
        """Where the module's quotation departs from the official text, place by place, each
        with `context` words either side. Empty when they agree or the module does not quote it."""
        if self.text is None or not self.departs:
            return []
        return _differences(_as_quoted(self.text), self.official, context)

    @property
    def parent(self) -> str | None:
        """The paragraph a sub-paragraph belongs to ("6(3)" for "6(3)(b)")."""
        return f"{self.article}({self.paragraph})" if self.subparagraph else None

    @property
    def label(self) -> str:
        """How the module writes it in running text: "article 6(3)(b)"."""
        return f"article {self.id}"


Span = tuple[str, bool]  # a piece of text, and whether it is where the two texts differ


@dataclass(frozen=True)
class Difference:
    """One place where the module's quotation departs from the official text."""

    module: tuple[Span, ...]  # the module's words there, with their context
    official: tuple[Span, ...]  # the official words there, with the same context
    at_start: bool  # the place begins the provision (no "..." before it)
    at_end: bool  # the place ends the provision (no "..." after it)

    def excerpt(self, spans: tuple[Span, ...], mark: tuple[str, str] = ("", "")) -> str:
        """The words as plain text, changed ones between `mark` ("[", "]"), with "..." where
        the provision goes on."""
        text = "".join(f"{mark[0]}{t}{mark[1]}" if changed else t for t, changed in spans)
        return ("" if self.at_start else "...") + text + ("" if self.at_end else "...")

# A word, or one mark of punctuation: a comma or a hyphen is a difference a reader can be shown.
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _as_quoted(text: str) -> str:
    """The module's quotation without the quotation marks it puts around a whole provision
    (article 14 in Box 18: '" Nothing ... therein".'): those marks are the module's, not the
    Protocol's wording."""
    t = text.strip()
    if t.startswith('"'):
        t = t[1:].lstrip()
        if t.endswith('".'):
            t = t[:-2] + "."
        elif t.endswith('"'):
            t = t[:-1]
    return t


def _differences(module: str, official: str, context: int) -> list[Difference]:
    a = [(m.start(), m.end()) for m in _TOKEN.finditer(module)]
    b = [(m.start(), m.end()) for m in _TOKEN.finditer(official)]
    words_a = [module[s:e] for s, e in a]
    words_b = [official[s:e] for s, e in b]
    changes = [op for op in difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).get_opcodes()
               if op[0] != "equal"]
    # Changes whose context would overlap are shown as one place.
    groups: list[list[tuple[str, int, int, int, int]]] = []
    for op in changes:
        if groups and op[1] - groups[-1][-1][2] <= 2 * context:
            groups[-1].append(op)
        else:
            groups.append([op])

    def spans(text: str, tokens: list[tuple[int, int]], ranges: list[tuple[int, int]], lo: int, hi: int) -> list[Span]:
        lo, hi = max(lo, 0), min(hi, len(tokens))
        changed = [any(r0 <= i < r1 for r0, r1 in ranges) for i in range(lo, hi)]
        pieces: list[Span] = []
        for k, i in enumerate(range(lo, hi)):
            pieces.append((text[tokens[i][0]:tokens[i][1]], changed[k]))
            if i + 1 < hi:  # the space before the next word: part of a change only inside one
                pieces.append((text[tokens[i][1]:tokens[i + 1][0]], changed[k] and changed[k + 1]))
        out: list[Span] = []
        for piece, flag in pieces:
            if out and out[-1][1] == flag:
                out[-1] = (out[-1][0] + piece, flag)
            elif piece:
                out.append((piece, flag))
        return out

    places = []
    for group in groups:
        a_lo, a_hi = group[0][1] - context, group[-1][2] + context
        b_lo, b_hi = group[0][3] - context, group[-1][4] + context
        places.append(Difference(
            module=tuple(spans(module, a, [(op[1], op[2]) for op in group], a_lo, a_hi)),
            official=tuple(spans(official, b, [(op[3], op[4]) for op in group], b_lo, b_hi)),
            at_start=a_lo <= 0 and b_lo <= 0, at_end=a_hi >= len(a) and b_hi >= len(b)))
    return places


@cache
def _load() -> tuple[dict[int, str], dict[int, str], str, dict[str, Provision]]:
    doc = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    provisions = {
        p["id"]: Provision(
            id=p["id"],
            article=p["article"],
            paragraph=p["paragraph"],
            subparagraph=p.get("subparagraph"),
            title=p["title"],
            text=p["text"],
            official=p["official"],
        )
        for p in doc["provisions"]
    }
    return dict(doc["articles"]), dict(doc["official_titles"]), doc["official_source"], provisions


ARTICLES: dict[int, str] = _load()[0]
"""Article number -> the module's heading for it."""

OFFICIAL_TITLES: dict[int, str] = _load()[1]
"""Article number -> the Protocol's own heading for it ("Saving clause")."""

OFFICIAL_SOURCE: str = _load()[2]
"""Where the official text is from: the Protocol, United Nations, Treaty Series, vol. 2237, p. 319."""

PROVISIONS: dict[str, Provision] = _load()[3]
"""Canonical id -> provision, in treaty order."""


def provision_ids() -> list[str]:
    return list(PROVISIONS)


def get(provision_id: str) -> Provision:
    try:
        return PROVISIONS[provision_id]
    except KeyError:
        raise KeyError(
            f"{provision_id!r} is not a canonical provision id; "
            f"use protocol.parse() for free-form citations"
        ) from None


def in_article(article: int) -> list[Provision]:
    return [p for p in PROVISIONS.values() if p.article == article]


def children(provision_id: str) -> list[Provision]:
    """Sub-paragraphs of a paragraph: children("6(3)") -> 6(3)(a) to 6(3)(d)."""
    return [p for p in PROVISIONS.values() if p.parent == provision_id]


def anchor(provision_id: str) -> str:
    """HTML id of the provision on the treaty-text pages: "6(3)(b)" -> "art-6-3-b"."""
    get(provision_id)
    parts = provision_id.replace("(", " ").replace(")", " ").split()
    return "art-" + "-".join(parts)


def treaty_page(provision_id: str) -> str:
    """The book page (Sphinx docname) that sets out the provision's text."""
    return f"book/article-{get(provision_id).article}"


MODULE_TEXT = Path(__file__).with_name("data") / "module-text.txt"
"""The module text the site renders (UNODC E4J), kept verbatim as the reference for tests and checks."""
