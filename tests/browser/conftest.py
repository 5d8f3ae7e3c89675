"""Fixtures of the reader's-experience suite, on top of ``tests/browser_support.py``.

Pages are discovered from the build output when the tests are collected, so a
page added to ``_toc.yml`` later (case studies, self-check pages) is checked
without touching this suite.  Each (page, theme) pair is opened ONCE, in a fresh
browser context that blocks and records every request outside the site; the
tests of ``test_pages.py`` then share that loaded page (module-scoped fixtures,
which pytest groups by parameter), so the suite loads 2 x N pages, not 8 x N.
"""

from __future__ import annotations

import pytest
from browser_pages import AXE_JS, PAGES, THEMES, open_page
from known_issues import reason_for


def pytest_generate_tests(metafunc):
    # Module scope: tests sharing (page_path, theme) run together on one loaded page.
    if "loaded_page" in metafunc.fixturenames:
        # With no built site, one placeholder: the built_site fixture then skips with the reason.
        metafunc.parametrize("page_path", PAGES or ["<no built site>"], scope="module")
        metafunc.parametrize("theme", THEMES, scope="module")


@pytest.fixture(scope="module")
def loaded_page(built_site, browser, site_server, page_path, theme):
    """The page ``page_path`` in ``theme``, loaded once for every test of the module that asks for it."""
    loaded = open_page(browser, site_server, page_path, theme)
    yield loaded
    loaded.page.context.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` (axe-core is pinned in package.json devDependencies)")
    return AXE_JS


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" not in str(item.fspath).replace("\\", "/"):
            continue
        item.add_marker(pytest.mark.browser)
        params = getattr(item, "callspec", None)
        params = params.params if params else {}
        path = params.get("page_path") or params.get("path") or ""
        reason = reason_for(item.originalname, path, params.get("theme"))
        if reason:
            item.add_marker(pytest.mark.xfail(reason=f"KNOWN, owned elsewhere: {reason}", strict=False))
