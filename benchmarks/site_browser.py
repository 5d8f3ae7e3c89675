"""The built site in a browser, for the benchmarks (page_weight.py): served from 127.0.0.1 under
a sub-path (as a GitHub Pages project site is), opened in Debian's chromium through Playwright,
every request that is not for that server aborted and recorded, with failed requests, HTTP
errors, console errors and uncaught exceptions; the pages a reader can open; waiting for what
renders after 'load'.

The browser tests use the same (tests/browser_support.py, tests/browser/browser_pages.py).
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


# ---- The pages of the built site ------------------------------------------------------------------

LITE_APP = "lite"  # the folder of the site's JupyterLite app (_ext/lite/)


def is_redirect_stub(path: Path) -> bool:
    """Jupyter Book's root index.html is a meta-refresh to the landing page, not a page."""
    head = path.read_text(encoding="utf-8", errors="replace")[:600].lower()
    return 'http-equiv="refresh"' in head


def discover_pages(site: Path = BUILT_SITE) -> list[str]:
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


# ---- What renders after 'load' --------------------------------------------------------------------

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
