"""Reusable pieces for browser tests against the built site.

The site is served from 127.0.0.1 by a throw-away HTTP server, under a sub-path
(as a GitHub Pages project site is), and opened in Debian's chromium through
Playwright.  Every request that is not for that server is aborted and recorded,
so a test can assert the page asks nothing of third parties; failed requests,
HTTP errors, console errors and uncaught exceptions are recorded too.

The pytest fixtures wrapping these live in ``tests/conftest.py``.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
BUILT_SITE = Path(os.environ.get("COURSE_SITE_DIR", ROOT / "_build" / "html"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Project sites on GitHub Pages live under /<repo>/; serving there catches URLs
# that only work at the domain root.
SITE_PREFIX = "/course-kit/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass

    def translate_path(self, path):
        # Only paths under the prefix exist; everything else is a 404, as on a project site.
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside-the-site-prefix__" / "missing")
        return super().translate_path("/" + path[len(self.prefix):])


class StaticServer:
    """Serve ``directory`` at ``http://127.0.0.1:<free port><prefix>`` in a background thread."""

    def __init__(self, directory: Path, prefix: str = SITE_PREFIX):
        if not prefix.startswith("/") or not prefix.endswith("/"):
            raise ValueError(f"prefix must start and end with '/': {prefix!r}")
        handler = type("Handler", (_QuietHandler,), {"prefix": prefix})
        handler = functools.partial(handler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.host, self.port = self.httpd.server_address[:2]
        self.url = f"http://{self.host}:{self.port}{prefix}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> StaticServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return parts.hostname == self.host and parts.port == self.port


@dataclass
class PageWatch:
    """What a page did that a clean page must not do."""

    blocked: list[str] = field(default_factory=list)  # requests outside the site, aborted
    failed: list[str] = field(default_factory=list)  # network failures and HTTP >= 400
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions

    def problems(self) -> list[str]:
        return (
            [f"outside request: {u}" for u in self.blocked]
            + [f"failed request: {u}" for u in self.failed]
            + [f"console error: {m}" for m in self.console_errors]
            + [f"uncaught exception: {m}" for m in self.page_errors]
        )

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "the page was not clean:\n  " + "\n  ".join(problems)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def watch_context(context, server: StaticServer) -> PageWatch:
    """Abort and record every request outside ``server``; record errors of every page opened."""
    watch = PageWatch()

    def route(route):
        url = route.request.url
        if server.is_local(url):
            route.continue_()
        else:
            watch.blocked.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", route)

    def on_page(page):
        def on_failed(request):
            if server.is_local(request.url):
                watch.failed.append(f"{request.url} ({request.failure})")

        def on_response(response):
            if response.status >= 400:
                watch.failed.append(f"{response.url} (HTTP {response.status})")

        def on_console(msg):
            if msg.type == "error":
                # Blocked outside requests log a console error too; they are reported as blocked.
                if "ERR_BLOCKED_BY_CLIENT" in msg.text:
                    return
                watch.console_errors.append(f"{msg.text} @ {msg.location.get('url', '')}")

        page.on("requestfailed", on_failed)
        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))

    context.on("page", on_page)
    return watch


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
