"""Shared fixtures.

Browser section: the built site served on 127.0.0.1 under a sub-path, one
headless chromium per session, and per test a fresh browser context whose
outside requests are blocked and recorded (see ``tests/browser_support.py``).

    def test_page(site_page):
        page = site_page.goto("book/case-studies/sabhnani.html")
        ...
        site_page.watch.assert_clean()
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# The project's packages (protocol, case_studies, ...) import from the repository root,
# however pytest was started.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import browser_support as bs  # noqa: E402  (tests/ is on sys.path: pytest put it there for this conftest)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives chromium against the built site")
    config.addinivalue_line("markers", "integration: builds the whole site once more (a copy of the course)")


@pytest.fixture(scope="session")
def built_site():
    """The built HTML site; tests that need it are skipped (with the reason) when it is absent."""
    if not (bs.BUILT_SITE / "index.html").is_file():
        pytest.skip(f"no built site at {bs.BUILT_SITE}: run `jupyter-book build .` first (or set COURSE_SITE_DIR)")
    return bs.BUILT_SITE


@pytest.fixture(scope="session")
def site_server(built_site):
    with bs.StaticServer(built_site) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = bs.launch_chromium(p)
        yield chromium
        chromium.close()


@dataclass
class SitePage:
    page: object
    watch: bs.PageWatch
    server: bs.StaticServer

    def goto(self, path: str, wait_until: str = "load"):
        """Open a page of the site by its path relative to the site root."""
        self.page.goto(self.server.url + path.lstrip("/"), wait_until=wait_until)
        return self.page


@pytest.fixture
def site_context_options():
    """Override in a test module (or parametrize indirectly) for other viewports, colour schemes..."""
    return {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def site_page(browser, site_server, site_context_options):
    context = browser.new_context(**site_context_options)
    watch = bs.watch_context(context, site_server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield SitePage(page=page, watch=watch, server=site_server)
    context.close()
