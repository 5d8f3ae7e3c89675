"""The module's pages and headings an item's answer can rest on, and the module text itself."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import protocol

REPO = Path(__file__).resolve().parents[1]

# Key-issue pages of the book (docname book/<page>) -> the module's heading for them.
# Each one gets a self-check page at book/self-check/<page>.md.
PAGES: dict[str, str] = {
    "article-6": "Protection and assistance (article 6)",
    "privacy-and-legal-proceedings": "Privacy and legal proceedings",
    "recovery-of-victims": "Recovery of victims",
    "physical-safety": "Physical safety",
    "compensation": "Compensation",
    "child-victims": "Child victims",
    "article-7": "Status of victims (article 7)",
    "article-8": "Repatriation (article 8)",
    "article-14": "The Protocol's savings clause",
}

# The module text ships with the repository (protocol.MODULE_TEXT); EXERCISES_MODULE_TEXT
# points checks at another copy.
_CANDIDATES = (protocol.MODULE_TEXT,)


def module_text_path() -> Path | None:
    env = os.environ.get("EXERCISES_MODULE_TEXT")
    if env:
        return Path(env)
    return next((p for p in _CANDIDATES if p.is_file()), None)


def _normalise(text: str) -> str:
    # The module's own spacing and quote marks vary; compare words, not layout.
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


@cache
def module_text() -> str | None:
    path = module_text_path()
    return _normalise(path.read_text(encoding="utf-8")) if path else None


def quote_in_module(quote: str) -> bool | None:
    """True if the quote is verbatim in the module; None when the module text is absent."""
    text = module_text()
    if text is None:
        return None
    return _normalise(quote) in text


def page_docname(page: str) -> str:
    return f"book/{page}"


def selfcheck_docname(page: str) -> str:
    return f"book/self-check/{page}"
