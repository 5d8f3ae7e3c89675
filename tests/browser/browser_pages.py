"""Helpers of the reader's-experience suite (tests/browser/), on top of ``tests/browser_support.py``:
page discovery from the build output, opening a page in a theme, running axe-core."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import browser_support as bs

AXE_JS = bs.ROOT / "node_modules" / "axe-core" / "axe.min.js"
THEMES = ("light", "dark")
# WCAG 2.1 A and AA, the level the site promises.  No rule is disabled.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LITE_APP = "lite"  # the folder of the site's JupyterLite app (_ext/lite/)


def is_redirect_stub(path: Path) -> bool:
    """Jupyter Book's root index.html is a meta-refresh to the landing page, not a page."""
    head = path.read_text(encoding="utf-8", errors="replace")[:600].lower()
    return 'http-equiv="refresh"' in head


def discover_pages(site: Path = bs.BUILT_SITE) -> list[str]:
    """Every HTML page a reader can open, relative to the site root (static assets excluded)."""
    if not site.is_dir():
        return []
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if any(part.startswith(("_", ".")) for part in rel.parts[:-1]):  # _static, _sources, _images...
            continue
        if rel.parts[0] == LITE_APP:  # the JupyterLite app, not a course page: tests/browser/test_lite.py
            continue
        if is_redirect_stub(path):
            continue
        pages.append(rel.as_posix())
    return pages


def redirect_stubs(site: Path = bs.BUILT_SITE) -> list[str]:
    if not site.is_dir():
        return []
    return sorted(p.relative_to(site).as_posix() for p in site.glob("*.html") if is_redirect_stub(p))


PAGES = discover_pages()


def theme_init_script(theme: str) -> str:
    """Runs before any page script: the theme reads localStorage in its first inline <script>."""
    value = json.dumps(theme)
    return f"try {{ localStorage.setItem('mode', {value}); localStorage.setItem('theme', {value}); }} catch (e) {{}}"


WIDGET_STATE = 'script[type="application/vnd.jupyter.widget-state+json"], script[type="application/vnd.jupyter.widget-view+json"]'


def settle(page) -> None:
    """Wait for what renders after 'load': web fonts and, on widget pages, the widgets
    (the site's widget host renders saved state once the page is parsed)."""
    if page.locator(WIDGET_STATE).count():
        try:
            page.wait_for_load_state("networkidle", timeout=15_000)
        except Exception:  # a page that keeps polling still gets checked; its requests are recorded
            pass
        try:  # the widget host renders each view into a .widget-subarea just before its script
            page.wait_for_function(UNRENDERED_WIDGETS + ".length === 0", timeout=15_000)
        except Exception:  # test_widgets_render reports which ones
            pass
    page.evaluate("() => document.fonts ? document.fonts.ready.then(() => true) : true")


UNRENDERED_WIDGETS = """[...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
  .filter(s => !(s.previousElementSibling && s.previousElementSibling.matches('.widget-subarea')
                 && s.previousElementSibling.childElementCount > 0))"""


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
