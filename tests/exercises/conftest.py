"""Fixtures for the question bank tests: a scratch copy of the bank to break on purpose."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from exercises.bank import BANK_DIR, load_bank


@pytest.fixture(scope="session")
def bank():
    return load_bank()


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    root = tmp_path / "bank"
    shutil.copytree(BANK_DIR, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return root


def _with_why(text: str) -> str:
    """A self-check item needs feedback/why: added where the lines the test wrote do not move
    (in a flow mapping, at the end of a feedback block that ends the text, or as a new block)."""
    why = "Because the module says so."
    if (m := re.search(r"^feedback: \{(.*)\}$", text, re.MULTILINE)):
        return text[:m.start()] + f"feedback: {{{m.group(1)}, why: {why}}}" + text[m.end():]
    if (m := re.search(r"^feedback:\s*\n((?:[ \t].*\n?)*)", text, re.MULTILINE)) and not text[m.end():].strip():
        return text.rstrip("\n") + f"\n  why: {why}\n"
    if not re.search(r"^feedback:", text, re.MULTILINE):
        return text.rstrip("\n") + f"\nfeedback:\n  why: {why}\n"
    return text  # a feedback block in mid-text: the test writes its own why


@pytest.fixture
def write_item(bank_copy: Path):
    """Write an item file into the scratch bank; returns its path. A text that names no
    learning outcome gets one as its last line (`outcomes` is required): the lines of what
    the test wrote do not move, and the test breaks only what it is about."""
    def write(text: str, name: str = "broken-item", folder: str = "privacy-and-legal-proceedings",
              why: bool = True) -> Path:
        if why and re.search(r"^use: self-check", text, re.MULTILINE) and not re.search(r"^\s+why:|why:", text, re.MULTILINE):
            text = _with_why(text)
        if not re.search(r"^outcomes:", text, re.MULTILINE):
            text = text.rstrip("\n") + "\noutcomes: [explain-obligations]\n"
        path = bank_copy / folder / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path
    return write


# ---- Browser: markup rendered in the session's shared chromium, no server, no network --------

class OfflinePage:
    """A page of the shared browser holding HTML given as a string; every request is refused
    and recorded in `requests`."""

    def __init__(self, browser, html: str, **context_options):
        self.requests: list[str] = []
        self.context = browser.new_context(**context_options)
        self.context.route("**/*", lambda route: (self.requests.append(route.request.url), route.abort()))
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.page.set_content(html)

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def offline_page(browser):
    """Factory: `offline_page(html, viewport=...)` -> OfflinePage, built on the session `browser`
    fixture of tests/conftest.py (a second sync_playwright() in the same session fails with
    "Please use the Async API"). Contexts are closed at the end of the module."""
    opened: list[OfflinePage] = []

    def open_(html: str, **context_options) -> OfflinePage:
        p = OfflinePage(browser, html, **context_options)
        opened.append(p)
        return p

    yield open_
    for p in opened:
        p.close()
