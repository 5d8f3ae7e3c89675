"""Search works offline (the theme's search page and the site's own searchindex.js, every
outside request blocked), and a plain text page loads no widget or quiz machinery."""

from __future__ import annotations

import re

import pytest
from browser_pages import PAGES, open_page

TEXT_PAGE = "book/physical-safety.html"
# Scripts that only pages with widgets or self-check questions need.
HEAVY_SCRIPTS = re.compile(r"/widgets/|widget-host|self-?check", re.I)


def _results(page) -> list[str]:
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary, #search-results p');"
        " return s && !/Searching|Preparing/i.test(document.querySelector('#search-results h2')?.textContent || 'Searching'); }",
        timeout=20_000,
    )
    return page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.textContent.trim())")


@pytest.mark.parametrize("word", ["compensation", "repatriation"])
def test_search_page_finds_module_words_offline(built_site, browser, site_server, word):
    loaded = open_page(browser, site_server, f"search.html?q={word}")
    try:
        titles = _results(loaded.page)
        loaded.watch.assert_clean()
    finally:
        loaded.page.context.close()
    assert titles, f"searching {word!r} returned nothing"


def test_search_from_a_page_with_the_keyboard(built_site, browser, site_server):
    """Ctrl+K opens the theme's search dialog; typing and Enter land on results, offline."""
    loaded = open_page(browser, site_server, "book/article-6.html")
    try:
        page = loaded.page
        page.keyboard.press("Control+k")
        field = page.locator("dialog#pst-search-dialog input[name=q], .search-button__search-container input[name=q]").first
        field.wait_for(state="visible")
        assert page.evaluate("() => document.activeElement && document.activeElement.name") == "q"
        page.keyboard.type("victims")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "search.html" in page.url
        assert _results(page), "no results for 'victims'"
        loaded.watch.assert_clean()
    finally:
        loaded.page.context.close()


@pytest.mark.skipif(TEXT_PAGE not in PAGES, reason=f"{TEXT_PAGE} is not in the built site")
def test_text_page_loads_no_widget_or_quiz_scripts(built_site, browser, site_server):
    loaded = open_page(browser, site_server, TEXT_PAGE)
    try:
        urls = loaded.page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
        loaded.watch.assert_clean()
    finally:
        loaded.page.context.close()
    heavy = sorted({u for u in urls if HEAVY_SCRIPTS.search(u)})
    assert not heavy, f"{TEXT_PAGE} loads widget/quiz assets it does not use:\n  " + "\n  ".join(heavy)


def _tab_to(page, selector: str, limit: int = 200) -> bool:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return True
    return False


@pytest.mark.parametrize("path", [p for p in ("book/article-6.html",) if p in PAGES] or ["<no built site>"])
def test_theme_controls_work_with_the_keyboard(built_site, browser, site_server, path):
    """The theme's own controls do what they say from the keyboard alone: the colour-mode
    button changes the mode, a chapter's section toggle opens and closes, the search
    button opens the search dialog and Escape closes it."""
    loaded = open_page(browser, site_server, path, "light")
    page = loaded.page
    try:
        assert _tab_to(page, ".bd-sidebar-primary details > summary"), "no section toggle reached with Tab"
        was_open = page.evaluate("() => document.activeElement.parentElement.open")
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.parentElement.open") != was_open, "Enter did not toggle the sections"
        page.keyboard.press("Space")
        assert page.evaluate("() => document.activeElement.parentElement.open") == was_open, "Space did not toggle the sections"

        assert _tab_to(page, ".theme-switch-button"), "colour-mode button not reached with Tab"
        before = page.evaluate("() => document.documentElement.dataset.mode")
        page.keyboard.press("Enter")
        after = page.evaluate("() => document.documentElement.dataset.mode")
        assert after != before, "Enter on the colour-mode button did not change the mode"

        page.keyboard.press("Shift+Tab")  # away and back, then open search from its button
        assert _tab_to(page, ".search-button__button, .search-button"), "search button not reached with Tab"
        page.keyboard.press("Enter")
        field = page.locator("input[name=q]:visible").first
        field.wait_for(state="visible")
        assert page.evaluate("() => document.activeElement && document.activeElement.name") == "q", "search dialog did not take focus"
        page.keyboard.press("Escape")
        page.wait_for_function("() => !document.querySelector('input[name=q]:focus')")
        loaded.watch.assert_clean()
    finally:
        loaded.page.context.close()
