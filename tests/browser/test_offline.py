"""The whole course offline after one visit (_ext/offline_site.py, _ext/offline-sw.js).

A reader opens the landing page once, online; the service worker saves the course in the
background. Then the site goes off line (the server stops) and every page of the table of
contents opens, a self-check question is answered and checked, a case-study tool responds and
the search finds words. lite/ (another app's, with its own worker) is never saved or answered
for. With the browser asking sites to save data only the open page is saved, until the reader
presses "Save the course for offline reading"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import browser_support as bs
import pytest
from browser_pages import PAGES, settle
from offline_support import SAVE_DATA, SiteServer, wait_until_saved, worker_manifest

pytestmark = pytest.mark.browser

OFFLINE_TITLE = "Not saved for offline reading"


@pytest.fixture
def server(built_site):
    with SiteServer(built_site) as s:
        yield s


def _context(browser, server, **options):
    context = browser.new_context(**options)
    watch = bs.watch_context(context, server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page, watch


def _wait_for_pages(page, n: int, timeout_s: float = 20) -> dict:
    page.wait_for_function("() => navigator.serviceWorker.controller")
    status = None
    for _ in range(int(timeout_s * 4)):
        status = page.evaluate("() => courseOffline.status()")
        if status["pages"] >= n:
            return status
        page.wait_for_timeout(250)
    raise AssertionError(f"fewer than {n} pages saved after {timeout_s} s: {status}")


def test_every_page_search_and_questions_work_offline_after_one_visit(built_site, browser, server):
    manifest = worker_manifest(built_site)
    assert set(PAGES) <= set(manifest["pages"]), "pages the worker does not know of"
    context, page, watch = _context(browser, server)
    try:
        page.goto(server.url)  # the landing page, as a reader types the address
        page.wait_for_url("**/book/index.html")
        status = wait_until_saved(page)
        assert status["version"] == manifest["version"] and status["pages"] == len(manifest["pages"])
        server.stop()

        for path in PAGES:
            page.goto(server.url + path)
            settle(page)
            assert page.title() != OFFLINE_TITLE, f"{path} was not saved"
            assert page.locator("article, main").first.inner_text().strip(), f"{path} is empty offline"
            assert page.evaluate("() => !!document.querySelector('link[href*=\"theme.css\"]').sheet"), path
        watch.assert_clean()

        page.goto(server.url + "book/self-check/physical-safety.html")
        form = page.locator("form.self-check[data-type=single], form.self-check[data-type=truefalse]").first
        form.locator("input[data-correct=true]").first.check()
        form.locator("button.sc-check").click()
        assert form.locator(".sc-result").inner_text().startswith("Correct")

        page.goto(server.url + "book/case-studies/little-rose-shelter.html")
        page.wait_for_selector(".cs-widget .cs-results")
        before = page.text_content(".cs-coverage-summary")
        page.locator("input[data-service]").first.check()
        assert page.text_content(".cs-coverage-summary") != before, "the case-study tool did not respond offline"

        page.goto(server.url + "search.html?q=repatriation")
        page.wait_for_function("() => document.querySelectorAll('#search-results ul.search li').length > 0", timeout=20_000)
        watch.assert_clean()
    finally:
        context.close()


def test_a_page_never_saved_says_so_calmly_offline(built_site, browser, server):
    context, page, watch = _context(browser, server)
    context.add_init_script(SAVE_DATA)  # only the pages opened are saved
    try:
        page.goto(server.url + "book/article-6.html")
        _wait_for_pages(page, 1)  # the worker keeps this page once the page is idle
        server.stop()
        page.goto(server.url + "book/article-6.html")
        assert page.title() != OFFLINE_TITLE
        page.goto(server.url + "book/article-8.html")
        assert page.title() == OFFLINE_TITLE
        assert "will open when you are back online" in page.inner_text("main")
        links = page.eval_on_selector_all("main a", "els => els.map(a => a.getAttribute('href'))")
        assert any(h.endswith("book/index.html") for h in links)
    finally:
        context.close()


def test_save_data_keeps_only_the_open_page_until_the_reader_asks(built_site, browser, server):
    manifest = worker_manifest(built_site)
    context, page, watch = _context(browser, server)
    context.add_init_script(SAVE_DATA)
    try:
        page.goto(server.url + "book/progress.html")
        status = _wait_for_pages(page, 1)
        page.wait_for_timeout(1000)  # nothing more comes
        assert status["pages"] == 1 and status["saved"] < status["total"], status
        text = page.inner_text(".offline-status")
        assert "save data" in text and "1 of" in text, text
        button = page.get_by_role("button", name="Save the course for offline reading")
        assert button.is_visible()
        button.click()
        status = wait_until_saved(page)
        assert status["pages"] == len(manifest["pages"])
        page.wait_for_function("() => /whole course is saved/.test(document.querySelector('.offline-status').textContent)")
        assert not button.is_visible()
        watch.assert_clean()
    finally:
        context.close()


def test_lite_is_never_saved_or_answered_for(built_site, browser, server):
    manifest = worker_manifest(built_site)
    assert not [k for k in manifest["files"] if k.startswith("lite/")]
    context, page, watch = _context(browser, server)
    try:
        page.goto(server.url + "book/index.html")
        wait_until_saved(page)
        saved = page.evaluate("""async () => {
          const urls = [];
          for (const name of await caches.keys()) {
            if (!name.startsWith('course-offline ')) continue;
            for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
          }
          return urls; }""")
        assert saved and not [u for u in saved if "/lite/" in u]
        server.stop()
        # Offline, a request under lite/ fails as it would with no worker: nothing here answers it.
        status = page.evaluate("async () => { try { return (await fetch('../lite/index.html')).status } catch (e) { return 'network error' } }")
        assert status == "network error"
    finally:
        context.close()



def test_the_notebook_app_opened_from_a_course_page_gets_its_own_worker(built_site, browser, server):
    if not (built_site / "lite" / "service-worker.js").is_file():
        pytest.skip("no notebook app in this build (course_lite off)")
    context = browser.new_context()  # no routing: the app's own worker must see its requests
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(server.url + "book/work-in-your-browser.html")
        wait_until_saved(page)
        href = page.locator("a[href*='lite/']").first.get_attribute("href")
        page.goto(server.url + "book/" + href, wait_until="domcontentloaded")
        page.wait_for_function("() => navigator.serviceWorker.controller"
                               " && navigator.serviceWorker.controller.scriptURL.includes('/lite/')", timeout=60_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
        assert errors == []
    finally:
        context.close()

def test_from_files_no_worker_and_the_page_works(built_site, browser):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto((built_site / "book" / "physical-safety.html").as_uri())
        settle(page)
        assert page.evaluate("() => window.courseOffline.supported") is False
        assert page.evaluate("() => !(navigator.serviceWorker && navigator.serviceWorker.controller)")
        assert page.evaluate("() => courseProgress.available && courseProgress.summary('book/physical-safety').opened")
        page.goto((built_site / "book" / "progress.html").as_uri())
        assert "from files on this device" in page.inner_text(".offline-status")
        assert errors == []
    finally:
        context.close()


# ---- Republished: a lecturer changes a paragraph and builds the site again ----------------------

NEW_SENTENCE = "This sentence was added when the course was published again."
CHANGED_PAGE = "book/physical-safety.html"


@pytest.fixture(scope="module")
def republished(built_site, tmp_path_factory):
    """The course built again from a copy of its files with one paragraph changed (its notebooks
    from the first build's execution cache, so they are not run again)."""
    copy = tmp_path_factory.mktemp("republished") / "course"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=bs.ROOT, capture_output=True, text=True, check=True).stdout.split("\0")
    for name in listed:
        source = bs.ROOT / name
        if name and source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    page = copy / "book" / "physical-safety.md"
    text = page.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line and not line.startswith(("#", "(", ":", "`")))
    page.write_text(text.replace(first, f"{first} {NEW_SENTENCE}", 1), encoding="utf-8")
    cache = built_site.parent / ".jupyter_cache"
    if cache.is_dir():
        shutil.copytree(cache, copy / "_build" / ".jupyter_cache")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run([str(jupyter_book), "build", str(copy), "-n", "-W", "--keep-going"], cwd=copy,
                            capture_output=True, text=True, timeout=1800, env={**os.environ, "COURSE_LITE": "0"})  # the notebook app is not what is tested
    assert result.returncode == 0, (result.stdout[-3000:], result.stderr[-3000:])
    return copy / "_build" / "html"


@pytest.mark.integration
def test_a_republished_page_is_seen_at_once_and_only_changed_files_are_fetched(built_site, republished, browser):
    old, new = worker_manifest(built_site), worker_manifest(republished)
    changed = {k for k, h in new["files"].items() if old["files"].get(k) != h}
    assert CHANGED_PAGE in changed and old["version"] != new["version"]
    assert len(changed) < len(new["files"]) / 2, f"most files changed: {sorted(changed)}"
    with SiteServer(built_site) as server:
        context, page, watch = _context(browser, server)
        try:
            page.goto(server.url + "book/index.html")
            wait_until_saved(page)
            page.goto(server.url + CHANGED_PAGE)
            assert NEW_SENTENCE not in page.inner_text("article")

            server.stop()
            server.log.clear()
            server.start(republished)  # the same address, the new build
            page.goto(server.url + CHANGED_PAGE)
            assert NEW_SENTENCE in page.inner_text("article"), "a stale page was shown online"

            status = None
            for _ in range(120):  # the new worker takes over once it has what it needs
                status = page.evaluate("() => courseOffline.status()")
                if status["version"] == new["version"] and status["saved"] >= status["total"]:
                    break
                page.reload()
                page.wait_for_timeout(500)
            assert status["version"] == new["version"] and status["saved"] >= status["total"], status
            fetched = {k for k in server.log if k != "sw.js"}
            assert fetched <= changed, f"unchanged files fetched again: {sorted(fetched - changed)}"

            server.stop()
            page.goto(server.url + CHANGED_PAGE)
            assert NEW_SENTENCE in page.inner_text("article"), "offline, the saved copy is the old page"
            page.goto(server.url + "book/article-7.html")
            assert page.title() != OFFLINE_TITLE
        finally:
            context.close()
