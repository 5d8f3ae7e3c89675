"""Every page of the built site, in light and dark theme, as a reader's browser gets it.

One load per (page, theme), shared by the tests below in this order:
axe-core (WCAG 2.1 A and AA), the keyboard walk, print (``print_check.py``), then the
request/console watch, which so also covers anything the earlier tests set off.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_pages import unrendered_widgets
from print_check import print_problems

KEYBOARD_JS = (Path(__file__).parent / "keyboard.js").read_text(encoding="utf-8")
NO_PRINT_CHECK = ("search.html", "genindex.html")  # generated pages with no article text


def test_page_opens_in_the_requested_theme(loaded_page):
    page = loaded_page.page
    assert page.evaluate("() => document.documentElement.dataset.theme") == loaded_page.theme
    assert page.title(), "the page has no <title>"


def test_widgets_render(loaded_page):
    """Every saved widget view on the page is rendered by the site's own widget manager."""
    missing = unrendered_widgets(loaded_page.page)
    assert missing == 0, f"{loaded_page.path} ({loaded_page.theme}): {missing} widget view(s) not rendered"


def test_no_axe_violations_of_wcag21_a_and_aa(loaded_page, axe_source):
    violations = loaded_page.run_axe()
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} element(s)]")
        lines += [f"    {n['target']}  {n['html']}\n      {n['summary']}" for n in v["nodes"][:8]]
    assert not violations, f"{loaded_page.path} ({loaded_page.theme}):\n" + "\n".join(lines)


def _keyboard_walk(page, max_steps: int) -> dict:
    page.evaluate(KEYBOARD_JS)
    total = page.evaluate("() => window.__kbd.prepare()")
    page.mouse.move(0, 0)  # no hover styles in the comparison
    limit = min(max_steps, 2 * total + 20)
    steps = 0
    while steps < limit:
        for _ in range(10):
            page.keyboard.press("Tab")
        steps += 10
        progress = page.evaluate("() => window.__kbd.progress()")
        if progress["reached"] == progress["total"] or progress["wrapped"]:
            break
    return page.evaluate("() => window.__kbd.report()")


def test_every_control_is_reached_by_tab_and_shows_focus(loaded_page):
    """Tab alone reaches every rendered control (links, buttons, summaries, form fields,
    widget and quiz controls, ARIA widgets), and each shows a visible focus indicator
    (a new outline with 3:1 contrast against what is behind it, or a changed box-shadow,
    border, background or underline on it, its label or its container)."""
    page = loaded_page.page
    report = _keyboard_walk(page, max_steps=1500)
    where = f"{loaded_page.path} ({loaded_page.theme}), {report['reached']}/{report['total']} controls in {report['steps']} Tab presses"
    assert report["total"] > 0, where
    problems = (
        [f"not reachable with Tab: {d}" for d in report["unreached"]]
        + [f"no visible focus indicator: {d}" for d in report["noIndicator"]]
        + [f"focus outline below 3:1: {d}" for d in report["lowContrast"]]
    )
    assert not problems, where + ":\n  " + "\n  ".join(problems)


def test_print_is_the_article_alone_in_dark_ink(loaded_page):
    """Printing gives the article (title and text) with no navigation chrome, widget containers
    not hidden, and text dark enough for white paper whatever the reader's colour mode."""
    if loaded_page.path in NO_PRINT_CHECK:
        pytest.skip("generated page with no article")
    problems = print_problems(loaded_page.page, f"{loaded_page.path} ({loaded_page.theme}) in print")
    assert not problems, "\n  ".join(problems)


def test_no_outside_request_no_failed_request_no_console_error(loaded_page):
    """Runs last on each loaded page: includes what the axe run and keyboard walk set off."""
    problems = loaded_page.watch.problems()
    assert not problems, f"{loaded_page.path} ({loaded_page.theme}):\n  " + "\n  ".join(problems)
