"""Progress kept in the browser (_ext/progress.js, self-check.js, widget-host.js): self-check
answers and results survive a reload and are shown on the page and on "Your progress"; "Forget"
removes them; a file exported and imported brings them back; opened pages are marked; nothing
is sent anywhere (every request is a GET for one of the site's own files)."""

from __future__ import annotations

import json

import pytest
from browser_pages import PAGES

pytestmark = pytest.mark.browser

QUIZ = "book/self-check/physical-safety.html"
PROGRESS = "book/progress.html"


@pytest.fixture(autouse=True)
def _pages_built():
    if QUIZ not in PAGES or PROGRESS not in PAGES:
        pytest.skip("the self-check and progress pages are not in the built site")


def _answer_first_question_right(page) -> str:
    form = page.locator("form.self-check[data-type=single], form.self-check[data-type=truefalse]").first
    form_id = form.get_attribute("id")
    form.locator("input[data-correct=true]").first.check()
    form.locator("button.sc-check").click()
    assert form.locator(".sc-result").inner_text().startswith("Correct")
    return form_id


def _progress_row(page, quiz=QUIZ) -> tuple[str, str]:
    row = page.locator(f'[data-progress-list=self-check] tr[data-page="{quiz[:-5]}"]')
    return row.locator(".cp-answered").inner_text(), row.locator(".cp-right").inner_text()


def _requests(page) -> list[tuple[str, str]]:
    seen = []
    page.on("request", lambda r: seen.append((r.method, r.url)))
    return seen


def test_answers_survive_a_reload_and_forget_removes_them(site_page):
    page = site_page.goto(QUIZ)
    requests = _requests(page)
    form_id = _answer_first_question_right(page)
    panel = page.locator(".cp-panel")
    assert "answered 1 question of" in panel.inner_text() and "1 right" in panel.inner_text()
    assert "kept in this browser only" in panel.inner_text()

    page.reload()
    form = page.locator(f"#{form_id}")
    assert form.locator("input[data-correct=true]").first.is_checked()
    assert form.locator(".sc-result").inner_text().startswith("Correct")  # the result shown again

    page.goto(site_page.server.url + PROGRESS)
    assert _progress_row(page) == ("1", "1")
    assert page.locator(f'[data-progress-list=pages] li[data-page="{QUIZ[:-5]}"] .cp-mark').inner_text() == "opened"

    page.goto(site_page.server.url + QUIZ)
    panel = page.locator(".cp-panel")
    panel.get_by_role("button", name="Forget my answers on this page").click()
    panel.get_by_role("button", name="Keep them").click()  # asked first; keeping changes nothing
    assert page.locator(f"#{form_id} input[data-correct=true]").first.is_checked()
    panel.get_by_role("button", name="Forget my answers on this page").click()
    panel.get_by_role("button", name="Yes, forget them").click()
    assert "Forgotten" in panel.locator(".cp-status").inner_text()
    assert not page.locator(f"#{form_id} input:checked").count()  # the form is as it was built
    page.reload()
    assert not page.locator(f"#{form_id} input:checked").count()
    assert "not answered any question here yet" in page.locator(".cp-panel").inner_text()

    outside = [(m, u) for m, u in requests if m != "GET" or not site_page.server.is_local(u)]
    assert outside == [], "progress must never leave the browser"
    site_page.watch.assert_clean()


def test_export_then_import_restores_them(site_page, tmp_path):
    page = site_page.goto(QUIZ)
    form_id = _answer_first_question_right(page)
    page.goto(site_page.server.url + PROGRESS)
    assert _progress_row(page) == ("1", "1")
    with page.expect_download() as download:
        page.get_by_role("button", name="Save my progress to a file").click()
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "course-progress.json"
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["format"] == "course-kit-progress" and QUIZ[:-5] in data["answers"]

    actions = page.locator("[data-progress-actions]")
    actions.get_by_role("button", name="Forget my answers").click()
    actions.get_by_role("button", name="Yes, forget everything").click()
    assert _progress_row(page) == ("0", "0")

    not_ours = tmp_path / "other.json"
    not_ours.write_text('{"answers": {}}', encoding="utf-8")
    page.set_input_files("#cp-import-file", str(not_ours))
    page.wait_for_function("() => /not a progress file/.test(document.querySelector('.cp-actions .cp-status').textContent)")
    assert _progress_row(page) == ("0", "0")

    page.set_input_files("#cp-import-file", str(saved))
    page.wait_for_function("() => /is read from/.test(document.querySelector('.cp-actions .cp-status').textContent)")
    assert _progress_row(page) == ("1", "1")
    page.goto(site_page.server.url + QUIZ)
    assert page.locator(f"#{form_id} input[data-correct=true]").first.is_checked()
    site_page.watch.assert_clean()


def test_a_changed_question_does_not_get_an_old_answer(site_page):
    page = site_page.goto(QUIZ)
    form_id = _answer_first_question_right(page)
    # As if the lecturer had changed the question since: the kept fingerprint no longer matches.
    page.evaluate("""(id) => { const key = Object.keys(localStorage).find(k => k.startsWith('course-progress:'));
        const doc = JSON.parse(localStorage.getItem(key));
        for (const q of Object.values(doc.answers['book/self-check/physical-safety'])) q.check = 'changed';
        localStorage.setItem(key, JSON.stringify(doc)); }""", form_id)
    page.reload()
    assert not page.locator(f"#{form_id} input:checked").count()
    assert page.locator(f"#{form_id} .sc-result").inner_text() == ""
    site_page.watch.assert_clean()


def test_storage_switched_off_the_pages_still_work(browser, site_server):
    context = browser.new_context()
    context.add_init_script("""Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied', 'SecurityError'); }});""")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(site_server.url + QUIZ)
        _answer_first_question_right(page)
        assert page.locator(".cp-panel").count() == 0
        page.goto(site_server.url + PROGRESS)
        assert page.locator("[data-progress-unavailable]").is_visible()
        assert not page.locator("[data-progress-actions]").is_visible()
        assert [e for e in errors if "localStorage" not in e and "denied" not in e] == []
    finally:
        context.close()


def test_a_typed_answer_checked_at_once_is_kept_as_checked(site_page):
    """Enter pressed straight after typing: the save that typing schedules (400 ms after the last
    key) must not overwrite the checked result with an unchecked one."""
    quiz = "book/self-check/article-6.html"
    if quiz not in PAGES:
        pytest.skip("the article 6 self-check page is not in the built site")
    page = site_page.goto(quiz)
    form = page.locator("form.self-check[data-type=citation]").first
    form_id = form.get_attribute("id")
    answer = form.locator("input[data-accept]").first
    answer.fill("")
    answer.press_sequentially(answer.get_attribute("data-accept").split(" ")[0])
    answer.press("Enter")  # at once, as a quick typist does
    assert form.locator(".sc-result").inner_text().startswith("Correct")
    page.wait_for_timeout(800)  # past the typing save
    page.reload()
    assert page.locator(f"#{form_id} .sc-result").inner_text().startswith("Correct")
    page.goto(site_page.server.url + PROGRESS)
    assert _progress_row(page, quiz) == ("1", "1")
