"""Reusable pieces for browser tests against the built site.

The site is served from 127.0.0.1 by a throw-away HTTP server, under a sub-path
(as a GitHub Pages project site is), and opened in Debian's chromium through
Playwright.  Every request that is not for that server is aborted and recorded,
so a test can assert the page asks nothing of third parties; failed requests,
HTTP errors, console errors and uncaught exceptions are recorded too. The server
and the watch are benchmarks/site_browser.py's, which the benchmarks use too.

The pytest fixtures wrapping these live in ``tests/conftest.py``.
"""

from __future__ import annotations

from benchmarks.site_browser import (  # noqa: F401  (the browser tests' names for them)
    BUILT_SITE,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SITE_PREFIX,
    PageWatch,
    StaticServer,
    _QuietHandler,
    launch_chromium,
    watch_context,
)


def font_face_urls(page) -> list[str]:
    """Absolute URLs of every font file the page's style sheets declare (used or not)."""
    return page.evaluate(
        """() => {
        const urls = new Set();
        const visit = (rules, base) => {
          for (const rule of rules) {
            if (rule.cssRules) { visit(rule.cssRules, base); continue; }
            if (rule.constructor.name !== 'CSSFontFaceRule') continue;
            const src = rule.style.getPropertyValue('src');
            for (const m of src.matchAll(/url\\(\\s*["']?([^"')]+)["']?\\s*\\)/g)) {
              if (m[1].startsWith('data:')) continue;
              urls.add(new URL(m[1], rule.parentStyleSheet.href || document.baseURI).href.split('#')[0]);
            }
          }
        };
        for (const sheet of document.styleSheets) {
          try { visit(sheet.cssRules, sheet.href); } catch (e) { /* cross-origin sheet */ }
        }
        return [...urls];
      }"""
    )


def fetch_status(page, url: str) -> int:
    """HTTP status of ``url`` fetched from within the page (so routing and blocking apply)."""
    return page.evaluate("async (u) => { try { return (await fetch(u)).status } catch (e) { return -1 } }", url)
