"""Read the built site as a reader sees it: text per page, links, assets."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import protocol

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("COURSE_SITE_DIR", ROOT / "_build" / "html"))
SEED = protocol.MODULE_TEXT

# Chrome around the article that is the same on every page; the module text lives in <article>.
_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "template"}


def normalise(text: str) -> str:
    """Compare words, not typography: one space, straight quotes, no bullet marks."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u00a0", " ").replace("•", " ").replace("¶", " ")
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Page:
    path: Path
    text: str = ""
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    assets: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)


class _Reader(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page, self.skip, self.in_article, self.chunks = page, 0, 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.page.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.page.links.append(a["href"])
        for attr in ("src", "href", "data"):
            if a.get(attr) and tag in {"script", "link", "img", "iframe", "source", "video", "audio", "object", "embed"}:
                self.page.assets.append((tag, a[attr]))
        if tag in _SKIP:
            self.skip += 1
        if tag == "article":
            self.in_article += 1
        if tag in {"p", "li", "div", "br", "tr", "td", "th", "h1", "h2", "h3", "dt", "dd", "caption"}:
            self.chunks.append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIP and self.skip:
            self.skip -= 1
        if tag == "article" and self.in_article:
            self.in_article -= 1

    def handle_data(self, data):
        if self.in_article and not self.skip:
            self.chunks.append(data)


def read_page(path: Path) -> Page:
    page = Page(path)
    reader = _Reader(page)
    reader.feed(path.read_text(encoding="utf-8"))
    page.text = normalise("".join(reader.chunks))
    return page


def site_pages() -> list[Path]:
    # lite/ is the JupyterLite app (_ext/lite/), not pages of the book: tests/browser/test_lite.py.
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts
                  and p.relative_to(SITE).parts[0] != "lite")


def seed_sentences() -> list[tuple[int, str]]:
    """Every sentence of the module text, with its line number in the seed file."""
    out = []
    for lineno, line in enumerate(SEED.read_text(encoding="utf-8").splitlines(), 1):
        line = normalise(line)
        if not line:
            continue
        # Split after . ? ! followed by a space and a capital; keep short lines whole.
        for sentence in re.split(r"(?<=[.?!\"])\s+(?=[A-Z\"])", line):
            if sentence.strip():
                out.append((lineno, sentence.strip()))
    return out
