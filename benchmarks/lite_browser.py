"""Driving the site's JupyterLite app (lite/) in chromium: for benchmarks/lite.py and the browser
tests (tests/lite_support.py, tests/browser/test_lite.py).

- ``RecordingServer``: the built site served as ``site_browser.StaticServer`` does, with a log
  of every request it answered (path, status, body bytes, time): what the browser really
  transferred, the kernel's worker and the service worker included.
- ``OutsideProxy``: the browser's proxy for every host but this machine. It answers nothing and
  records the host asked for, so a request to another host is blocked and seen wherever it comes
  from (a page, a web worker, a service worker), which page routing alone does not see.
- ``open_notebook``, ``wait_for_kernel``, ``set_cell``, ``run_cell``: a student's steps.
"""

from __future__ import annotations

import gzip
import http.server
import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import site_browser as bs

LITE = "lite"
# JupyterLab's own indicator, or the course's state in words (the one a phone's toolbar keeps).
KERNEL_READY = ("() => !!document.querySelector('.jp-KernelStatus-success, "
                ".course-kit-kernel-state[data-state=\"ready\"]')")
NO_SERVICE_WORKER = "delete Navigator.prototype.serviceWorker;"  # as in a browser without one


def notebook_path(assignment: str) -> str:
    return f"{LITE}/notebooks/index.html?path={assignment}/{assignment}.ipynb"


# ---- The site, with a log ---------------------------------------------------------------------

@dataclass
class Hit:
    t: float
    path: str
    status: int
    bytes: int


class _RecordingHandler(bs._QuietHandler):
    log: list[Hit] = []

    def send_response(self, code, message=None):
        self._status, self._length = code, 0
        super().send_response(code, message)

    def send_header(self, keyword, value):
        if keyword.lower() == "content-length":
            self._length = int(value)
        super().send_header(keyword, value)

    def end_headers(self):
        super().end_headers()
        self.log.append(Hit(time.monotonic(), self.path, self._status,
                            self._length if self.command != "HEAD" and self._status == 200 else 0))


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):  # the browser hung up
            super().handle_error(request, client_address)


class RecordingServer(bs.StaticServer):
    def __init__(self, directory: Path, prefix: str = bs.SITE_PREFIX):
        import functools

        self.log: list[Hit] = []
        handler = type("Handler", (_RecordingHandler,), {"prefix": prefix, "log": self.log})
        self.httpd = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
        self.host, self.port = self.httpd.server_address[:2]
        self.url = f"http://{self.host}:{self.port}{prefix}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.directory = Path(directory)
        self.running = False

    def __enter__(self):
        self.running = True
        return super().__enter__()

    def stop(self) -> None:
        """Take the site off the network (the browser keeps what it has)."""
        if self.running:
            self.running = False
            self.httpd.shutdown()
            self.httpd.server_close()

    def __exit__(self, *exc) -> None:
        self.stop()

    def mark(self) -> int:
        return len(self.log)

    def since(self, mark: int) -> list[Hit]:
        return list(self.log[mark:])

    def gzipped(self, hits: list[Hit]) -> int:
        """What the same responses weigh compressed, as most static hosts send them."""
        total = 0
        for h in hits:
            path = self.file_of(h.path)
            if h.status == 200 and path is not None:
                total += len(gzip.compress(path.read_bytes(), 6))
        return total

    def file_of(self, url_path: str) -> Path | None:
        from urllib.parse import unquote, urlsplit

        rel = unquote(urlsplit(url_path).path)
        if not rel.startswith(bs.SITE_PREFIX):
            return None
        path = self.directory / rel[len(bs.SITE_PREFIX):]
        if path.is_dir():
            path = path / "index.html"
        return path if path.is_file() else None


# ---- Every other host: blocked and recorded ---------------------------------------------------

# Hosts Chromium itself calls for its own services (updates, clock, sign-in, autofill), with no
# page open: refused like every other, but not the site's doing.
CHROMIUM_OWN = ("update.googleapis.com", "clients2.google.com", "accounts.google.com",
                "content-autofill.googleapis.com")
QUIET_ARGS = ["--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter,Translate",
              "--no-pings", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
              "--disable-default-apps", "--no-service-autorun"]


def _host(asked: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(asked).hostname or "") if "://" in asked else asked.rsplit(":", 1)[0]


class OutsideProxy:
    """An HTTP proxy that refuses everything and records what was asked (host or URL)."""

    def outside(self) -> list[str]:
        """What the site asked of other hosts (Chromium's own calls left out)."""
        return [a for a in self.asked if _host(a) not in CHROMIUM_OWN]

    def __init__(self):
        self.asked: list[str] = []
        asked = self.asked

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _refuse(self):
                asked.append(self.path)
                self.send_error(403, "outside requests are blocked in this test")

            do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = do_CONNECT = _refuse

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def launch_chromium(browser_type, proxy: OutsideProxy):
    """Chromium whose every request to another host goes to ``proxy`` (``browser_type``:
    ``playwright.chromium``, or ``browser.browser_type`` of a running one)."""
    # Loopback is never proxied: the site on 127.0.0.1 is reached directly, every other host
    # only through the proxy, which refuses it.
    return browser_type.launch(executable_path=bs.CHROMIUM, headless=True,
                               args=[*bs.CHROMIUM_ARGS, *QUIET_ARGS, f"--proxy-server=http://127.0.0.1:{proxy.port}"])


def watch(context, server) -> bs.PageWatch:
    """``browser_support.watch_context`` without its request routing: Playwright's routing makes
    Chromium bypass service workers and the HTTP cache, the app's offline layer included.
    Requests for other hosts are the proxy's to see (``OutsideProxy.outside``)."""
    seen = bs.PageWatch()

    def on_page(page):
        # ERR_ABORTED: cancelled by the browser, as a page's icon is when the test navigates away.
        page.on("requestfailed", lambda r: server.is_local(r.url) and "ERR_ABORTED" not in (r.failure or "")
                and seen.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and seen.failed.append(f"{r.url} (HTTP {r.status})"))
        page.on("console", lambda m: m.type == "error" and seen.console_errors.append(
            f"{m.text} @ {m.location.get('url', '')}"))
        page.on("pageerror", lambda exc: seen.page_errors.append(str(exc)))

    context.on("page", on_page)
    return seen


# ---- A student's steps ------------------------------------------------------------------------

@dataclass
class Notebook:
    page: object
    opened_at: float
    visible_at: float = 0.0
    ready_at: float = 0.0
    console: list[str] = field(default_factory=list)


def open_notebook(page, server, assignment: str, timeout: float = 120) -> Notebook:
    """Open the assignment's notebook and wait until its kernel is ready."""
    nb = Notebook(page=page, opened_at=time.monotonic())
    page.on("console", lambda m: nb.console.append(f"{m.type}: {m.text}"))
    page.goto(server.url + notebook_path(assignment), wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout * 1000)
    nb.visible_at = time.monotonic()
    wait_for_kernel(page, timeout)
    nb.ready_at = time.monotonic()
    return nb


def wait_for_kernel(page, timeout: float = 120) -> None:
    page.wait_for_function(KERNEL_READY, timeout=timeout * 1000)


def code_cells(page):
    return page.locator(".jp-Notebook .jp-CodeCell")


def cell_text(cell) -> str:
    """The cell's code as shown (blank lines dropped: the editor renders them as two newlines).
    Scrolled into view first: the notebook draws only the cells near the screen."""
    cell.scroll_into_view_if_needed()
    return lines(cell.locator(".cm-content").inner_text())


def lines(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def set_cell(page, cell, source: str) -> None:
    """Replace a cell's text as a student would (select all, type), without auto-closing quotes."""
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)


def run_cell(page, cell, timeout: float = 60) -> tuple[str, float]:
    """Shift+Enter in ``cell``; return its output text and the seconds until it finished (its
    prompt went to [*] and then to an execution number: the output is there)."""
    cell.locator(".cm-content").click()
    handle = cell.element_handle()
    page.evaluate("""(el) => { const p = el.querySelector('.jp-InputPrompt'); el.__courseRan = false;
        el.__courseBusy = false;
        new MutationObserver(() => { const t = p.textContent;
            if (t.includes('*')) el.__courseBusy = true;
            else if (el.__courseBusy && /\\[\\d+\\]/.test(t)) el.__courseRan = true;
        }).observe(p, {subtree: true, childList: true, characterData: true}); }""", handle)
    start = time.monotonic()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("(el) => el.__courseRan", arg=handle, timeout=timeout * 1000)
    elapsed = time.monotonic() - start
    return cell.locator(".jp-OutputArea").inner_text(), elapsed


ANSWER_LINE = re.compile(r"^(q\d+)\s*=\s*(.*)$", re.M)


def answer_for(source: str) -> tuple[str, str, str]:
    """(question, value to write, new cell source) for an answer cell: a well-formed answer of
    the kind its placeholder shows ("?" a letter, [] provisions, a number)."""
    m = ANSWER_LINE.search(source)
    if not m:
        raise ValueError(f"no `qN = ...` line in {source!r}")
    question, placeholder = m.group(1), m.group(2).strip()
    if placeholder.startswith(("\"", "'")):
        value = '"A"'
    elif placeholder.startswith("["):
        value = '["6(1)"]'
    else:
        value = "1000"
    return question, value, source[:m.start(2)] + value + source[m.end(2):]


def released_answer_cells(notebook: dict) -> list[dict]:
    """The cells a student edits, as nbgrader marks them (solution, not locked)."""
    out = []
    for cell in notebook["cells"]:
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if nbg.get("solution") and not nbg.get("locked") and cell["cell_type"] == "code":
            out.append(cell)
    return out


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
