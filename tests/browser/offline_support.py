"""Helpers of the offline and page-weight tests: a site server that can be stopped and started
again on the same address (a service worker belongs to its origin), with a log of what it
served; the worker's manifest; bytes as a static host would send them gzipped."""

from __future__ import annotations

import functools
import gzip
import http.server
import importlib.util
import json
import re
import threading
from pathlib import Path

import browser_support as bs


def extension(name: str):
    """One of the site's extensions (_ext/<name>.py), imported for its helpers."""
    spec = importlib.util.spec_from_file_location(f"course_ext_{name}", bs.ROOT / "_ext" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _LoggingHandler(bs._QuietHandler):
    log: list[str]

    def do_GET(self):  # noqa: N802 - the base class's name
        if self.path.startswith(self.prefix):
            self.log.append(self.path[len(self.prefix):].split("#")[0])
        super().do_GET()


class SiteServer:
    """``directory`` at ``http://127.0.0.1:<port><prefix>``; ``stop()`` takes the site off line,
    ``start(directory)`` puts it (or a republished copy) back at the same address."""

    def __init__(self, directory: Path, prefix: str = bs.SITE_PREFIX):
        self.prefix, self.port, self.httpd, self.log = prefix, 0, None, []
        self.start(directory)

    def start(self, directory: Path) -> None:
        handler = type("Handler", (_LoggingHandler,), {"prefix": self.prefix, "log": self.log})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), functools.partial(handler, directory=str(directory)))
        self.host, self.port = self.httpd.server_address[:2]
        self.url = f"http://{self.host}:{self.port}{self.prefix}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def is_local(self, url: str) -> bool:
        return bs.StaticServer.is_local(self, url)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def worker_manifest(site: Path) -> dict:
    text = (site / "sw.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"^const MANIFEST = (\{.*\});$", text, re.M)[1])


def gzipped(site: Path, key: str) -> int:
    """A file's size gzipped (level 6) as most static hosts send text; fonts and images as they are."""
    path = site / key.split("?")[0]
    if path.is_dir():
        path = path / "index.html"
    data = path.read_bytes()
    return min(len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))


SAVE_DATA = """Object.defineProperty(Navigator.prototype, 'connection',
  {configurable: true, get() { return {saveData: true, effectiveType: '3g'}; }});"""


def wait_until_saved(page, timeout_s: float = 90) -> dict:
    """Poll the page's worker until the whole course is saved; its last status."""
    status = None
    for _ in range(int(timeout_s * 2)):
        status = page.evaluate("() => (window.courseOffline && navigator.serviceWorker.controller)"
                               " ? courseOffline.status() : null")
        if status and status["saved"] >= status["total"]:
            return status
        page.wait_for_timeout(500)
    raise AssertionError(f"the course was not saved for offline reading in {timeout_s} s: {status}")
