"""The canonical list of provisions, loaded once from ``data/provisions.yaml``."""

from __future__ import annotations

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
    text: str  # verbatim, as the module quotes it

    @property
    def parent(self) -> str | None:
        """The paragraph a sub-paragraph belongs to ("6(3)" for "6(3)(b)")."""
        return f"{self.article}({self.paragraph})" if self.subparagraph else None

    @property
    def label(self) -> str:
        """How the module writes it in running text: "article 6(3)(b)"."""
        return f"article {self.id}"


@cache
def _load() -> tuple[dict[int, str], dict[str, Provision]]:
    doc = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    provisions = {
        p["id"]: Provision(
            id=p["id"],
            article=p["article"],
            paragraph=p["paragraph"],
            subparagraph=p.get("subparagraph"),
            title=p["title"],
            text=p["text"],
        )
        for p in doc["provisions"]
    }
    return dict(doc["articles"]), provisions


ARTICLES: dict[int, str] = _load()[0]
"""Article number -> the module's heading for it."""

PROVISIONS: dict[str, Provision] = _load()[1]
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
