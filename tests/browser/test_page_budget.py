"""What a reader's phone downloads: a first visit to each page within its budget, and a later
page costing only its own HTML and what it alone needs.

Bytes are counted as a static host sends them gzipped (benchmarks/page_weight.py counts them
the same way); the first visit is a cold load (no cache, no service worker yet)."""

from __future__ import annotations

import sys

import browser_support as bs
import pytest
from browser_pages import PAGES, settle
from offline_support import SAVE_DATA, SiteServer, extension, gzipped, worker_manifest

sys.path.insert(0, str(bs.ROOT / "benchmarks"))
import page_weight  # noqa: E402

pytestmark = pytest.mark.browser
OFFLINE = extension("offline_site")

KB = 1024
# (gzipped bytes, requests) for a first visit
BUDGETS = {"text": (100 * KB, 10), "self-check": (150 * KB, 12), "case study": (150 * KB, 12)}


def kind_of(site, path: str) -> str:
    html = (site / path).read_text(encoding="utf-8", errors="replace")
    if page_weight.uses_widgets(html):
        return "case study"
    return "self-check" if page_weight.uses_quiz(path, html) else "text"


@pytest.mark.parametrize("path", PAGES or ["<no built site>"])
def test_first_visit_within_budget(built_site, browser, site_server, path):
    kind = kind_of(built_site, path)
    row = page_weight.measure(browser, site_server, built_site, path)
    gz_budget, request_budget = BUDGETS[kind]
    where = f"{path} ({kind} page): {row['gzip_bytes'] / KB:.1f} KB gzipped in {row['requests']} requests"
    assert not row["problems"], where + "\n  " + "\n  ".join(row["problems"])
    assert row["gzip_bytes"] <= gz_budget, f"{where}; budget {gz_budget / KB:.0f} KB"
    assert row["requests"] <= request_budget, f"{where}; budget {request_budget} requests"


def _loads(site, path: str) -> set[str]:
    """The files a page loads, by the worker manifest's keys (path and query)."""
    return OFFLINE.references(site, path) | {path}


@pytest.mark.parametrize("later", ["book/article-8.html", "book/self-check/article-7.html", "book/case-studies/savannakhet.html"])
def test_a_later_page_costs_its_own_html_and_what_it_alone_needs(built_site, browser, later):
    first = "book/article-6.html"
    if first not in PAGES or later not in PAGES:
        pytest.skip("page not in the built site")
    with SiteServer(built_site) as server:
        context = browser.new_context()
        context.add_init_script(SAVE_DATA)  # no background saving of the course to blur the count
        watch = bs.watch_context(context, server)
        page = context.new_page()
        try:
            page.goto(server.url + first)
            page.wait_for_function("() => navigator.serviceWorker.controller")
            server.log.clear()
            page.goto(server.url + later)
            settle(page)
            asked = set(server.log)
            watch.assert_clean()
        finally:
            context.close()
    own = (_loads(built_site, later) - _loads(built_site, first)) | {later}
    assert asked <= own, f"{later} after {first} asked for shared files again: {sorted(asked - own)}"
    assert later in asked  # from the network first: never a stale page
    manifest = worker_manifest(built_site)
    cost = sum(gzipped(built_site, k) for k in asked)
    assert cost <= sum(gzipped(built_site, k) for k in own if k in manifest["files"] or k == later)
