"""Helpers of the reader's-experience suite (tests/browser/), on top of ``tests/browser_support.py``:
page discovery from the build output, opening a page in a theme, running axe-core."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import browser_support as bs

from benchmarks.site_browser import (  # noqa: F401  (the suite's names for them)
    LITE_APP,
    UNRENDERED_WIDGETS,
    WIDGET_STATE,
    discover_pages,
    is_redirect_stub,
    settle,
)

AXE_JS = bs.ROOT / "node_modules" / "axe-core" / "axe.min.js"
THEMES = ("light", "dark")
# WCAG 2.1 A and AA, the level the site promises.  No rule is disabled.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def redirect_stubs(site: Path = bs.BUILT_SITE) -> list[str]:
    if not site.is_dir():
        return []
    return sorted(p.relative_to(site).as_posix() for p in site.glob("*.html") if is_redirect_stub(p))


PAGES = discover_pages()


def theme_init_script(theme: str) -> str:
    """Runs before any page script: the theme reads localStorage in its first inline <script>."""
    value = json.dumps(theme)
    return f"try {{ localStorage.setItem('mode', {value}); localStorage.setItem('theme', {value}); }} catch (e) {{}}"


def unrendered_widgets(page) -> int:
    return page.evaluate("() => " + UNRENDERED_WIDGETS + ".length")


@dataclass
class LoadedPage:
    page: object
    watch: bs.PageWatch
    server: bs.StaticServer
    path: str
    theme: str

    def run_axe(self) -> list[dict]:
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        return self.page.evaluate(
            """async (tags) => {
              const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
              return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                          summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300)}))
              }));
            }""",
            AXE_TAGS,
        )


def open_page(browser, server, path: str, theme: str = "light", viewport=None, **context_options) -> LoadedPage:
    context_options.setdefault("viewport", viewport or {"width": 1280, "height": 900})
    context = browser.new_context(color_scheme=theme, **context_options)
    context.add_init_script(theme_init_script(theme))
    watch = bs.watch_context(context, server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server.url + path, wait_until="load")
    settle(page)
    return LoadedPage(page=page, watch=watch, server=server, path=path, theme=theme)
