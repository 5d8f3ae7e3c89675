"""The self-check script in a real browser: keyboard only, feedback announced in the live region.

Runs the markup of real bank items, as the site renders it, with _ext/self-check.js and .css in
the session's shared headless Chromium (the `browser` fixture of tests/conftest.py), no server and
no network (every request is refused)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exercises.render.selfcheck import page_html
from exercises.sections import REPO

bs = pytest.importorskip("browser_support")
pytest.importorskip("playwright.sync_api")
if not Path(bs.CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)

pytestmark = pytest.mark.browser

IDS = ["privacy-in-judgments", "a6-shall-ensure", "privacy-not-absolute", "comp-sabhnani-unpaid",
       "a6-cite-language", "a8-paragraphs-match", "a8-return-ordering"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def page(bank, offline_page):
    """One page for the module (the session's shared chromium: tests/exercises/conftest.py)."""
    items = [i for i in bank if i.id in IDS]
    body = page_html(items, "book/self-check/test")
    doc = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Self-check test</title>"
           f"<style>{(REPO / '_ext' / 'self-check.css').read_text()}</style></head>"
           f"<body><main><h1>Self-check</h1>{body}</main>"
           f"<script>{(REPO / '_ext' / 'self-check.js').read_text()}</script></body></html>")
    opened = offline_page(doc, viewport={"width": 360, "height": 800})
    yield opened.page
    assert opened.requests == [], f"the self-check made requests: {opened.requests}"


def result(page, item_id):
    return page.locator(f"#sc-{item_id} .sc-result").inner_text()


def test_single_choice_by_keyboard(page):
    form = page.locator("#sc-privacy-in-judgments")
    correct = form.locator("input[data-correct=true]")
    correct.focus()
    page.keyboard.press("Space")
    form.locator("button.sc-check").focus()
    page.keyboard.press("Enter")
    text = result(page, "privacy-in-judgments")
    assert text.startswith("Correct.") and "redacting court judgements" in text


def test_wrong_choice_gets_its_own_feedback(page):
    form = page.locator("#sc-privacy-in-judgments")
    wrong = form.locator("input[data-correct=false]").first
    wrong.check()
    form.locator("button.sc-check").click()
    assert result(page, "privacy-in-judgments").startswith("Not quite.")


def test_nothing_chosen_asks_for_an_answer(page):
    page.locator("#sc-a6-shall-ensure button.sc-check").click()
    assert "Select at least one answer" in result(page, "a6-shall-ensure")


def test_multiple_select(page):
    form = page.locator("#sc-a6-shall-ensure")
    for box in form.locator("input[data-correct=true]").all():
        box.check()
    form.locator("button.sc-check").click()
    assert result(page, "a6-shall-ensure").startswith("Correct")


def test_true_false(page):
    form = page.locator("#sc-privacy-not-absolute")
    form.locator("input[value=true]").check()
    form.locator("button.sc-check").click()
    assert result(page, "privacy-not-absolute").startswith("Not quite.")


def test_numeric_accepts_thousands_separator(page):
    field = page.locator("#sc-comp-sabhnani-unpaid-answer")
    field.fill("1,200")
    page.locator("#sc-comp-sabhnani-unpaid button.sc-check").click()
    assert result(page, "comp-sabhnani-unpaid").startswith("Correct.")
    field.fill("twelve hundred")
    page.locator("#sc-comp-sabhnani-unpaid button.sc-check").click()
    assert "Enter a number" in result(page, "comp-sabhnani-unpaid")


def test_citation_read_like_the_parser(page):
    field = page.locator("#sc-a6-cite-language-answer")
    field.fill("Art. 6.3.b")
    field.press("Enter")  # Enter in the field submits the form
    assert "Correct: article 6(3)(b)" in result(page, "a6-cite-language")
    field.fill("6(3)(e)")
    field.press("Enter")
    assert "article 6(3) has points (a) to (d)" in result(page, "a6-cite-language")
    field.fill("６(3)")  # full-width digit: refused by name, as protocol.parse refuses it
    field.press("Enter")
    assert "U+FF16" in result(page, "a6-cite-language")


def test_matching_reports_lines_right(page, bank):
    item = next(i for i in bank if i.id == "a8-paragraphs-match")
    form = page.locator("#sc-a8-paragraphs-match")
    selects = form.locator("select").all()
    for sel, pair in zip(selects, item.pairs):
        sel.select_option(pair.answer)
    selects[0].select_option("8(6)")
    form.locator("button.sc-check").click()
    text = result(page, "a8-paragraphs-match")
    assert text.startswith(f"{len(item.pairs) - 1} of {len(item.pairs)} right")


def test_ordering(page):
    form = page.locator("#sc-a8-return-ordering")
    for sel in form.locator("select").all():
        sel.select_option(sel.get_attribute("data-answer"))
    form.locator("button.sc-check").click()
    assert result(page, "a8-return-ordering").startswith("Correct")


def test_live_regions_and_axe(page):
    assert page.locator(".sc-result[aria-live=polite][role=status]").count() == len(IDS)
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    page.add_script_tag(content=AXE.read_text())
    found = page.evaluate("async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
                          + json.dumps(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]) + "}})).violations"
                          ".map(v => v.id + ': ' + v.nodes.length)")
    assert found == []


@pytest.fixture(scope="module")
def scenario_page(offline_page):
    """A scenario question with other facts, as the site's build writes it."""
    from exercises.build import other_facts

    alternates = other_facts()
    variants = alternates["which-provisions-self-learner"]
    body = page_html([variants[0]], "book/self-check/test", alternates)
    doc = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Scenario test</title>"
           f"<style>{(REPO / '_ext' / 'self-check.css').read_text()}</style></head>"
           f"<body><main><h1>Self-check</h1>{body}</main>"
           f"<script>{(REPO / '_ext' / 'self-check.js').read_text()}</script></body></html>")
    opened = offline_page(doc, viewport={"width": 360, "height": 800})
    yield opened.page, variants
    assert opened.requests == []


def test_other_facts_move_through_every_variant_each_checked_by_its_own_key(scenario_page):
    page, variants = scenario_page
    button = page.locator("button.sc-other-facts")
    assert button.is_visible()
    for n, variant in enumerate(variants + variants[:1]):
        form = page.locator("form.self-check")
        assert form.count() == 1 and form.get_attribute("id") == f"sc-{variant.id}"
        if n:
            assert page.evaluate("document.activeElement.classList.contains('sc-stem')")
            assert f"set {n % len(variants) + 1} of {len(variants)}" in page.locator(".sc-variant-status").inner_text()
        # This variant's right answers, as Python worked them out, are right in the browser.
        right = {o.text for o in variant.options if o.correct}
        for choice in form.locator(".sc-choice").all():
            if choice.locator("label").inner_text() in right:
                choice.locator("input").check()
        form.locator("button.sc-check").click()
        assert form.locator(".sc-result").inner_text().startswith("Correct")
        button.focus()
        page.keyboard.press("Enter")


def test_without_the_script_the_first_facts_stand_alone():
    from exercises.build import other_facts

    variants = other_facts()["which-provisions-self-learner"]
    html = page_html([variants[0]], "book/self-check/test", {variants[0].id: variants})
    assert 'class="sc-other-facts" hidden' in html  # shown only by the script
    assert html.count("<template") == len(variants) - 1  # the first is the form shown
    assert html.count(f'id="sc-{variants[0].id}"') == 1


def test_right_and_wrong_answers_both_show_why_and_the_passage_in_the_live_region(page, bank):
    item = next(i for i in bank if i.id == "privacy-in-judgments")
    form = page.locator("#sc-privacy-in-judgments")
    why = " ".join(item.feedback_why.split())
    for correct, verdict in (("true", "Correct."), ("false", "Not quite.")):
        form.locator(f"input[data-correct={correct}]").first.check()
        form.locator("button.sc-check").click()
        region = form.locator(".sc-result[role=status][aria-live=polite]")
        text = " ".join(region.inner_text().split())
        assert text.startswith(verdict)
        assert f"Why: {why}" in text
        assert f"In the module: Privacy and legal proceedings \u201c{item.section.quote}\u201d" in text
        assert region.locator(".sc-why").is_visible()


def test_nothing_chosen_shows_no_why(page):
    form = page.locator("#sc-a8-return-ordering")
    form.locator("select").first.select_option("")
    form.locator("button.sc-check").click()
    assert "Why:" not in result(page, "a8-return-ordering")


def test_a_citation_as_a_civil_lawyer_writes_it(page):
    field = page.locator("#sc-a6-cite-language-answer")
    field.fill("Art. 6 § 3 lit. b")
    field.press("Enter")
    assert "Correct: article 6(3)(b)" in result(page, "a6-cite-language")
    field.fill("6(III)(b)")
    field.press("Enter")
    assert "Correct: article 6(3)(b)" in result(page, "a6-cite-language")
    field.fill("6(v)")
    field.press("Enter")
    text = result(page, "a6-cite-language")
    assert "ambiguous" in text and "'6(5)'" in text and "Why:" not in text  # not an answer yet


def test_the_feedback_is_readable_in_dark_mode(page):
    """The theme's switch sets data-theme="dark" on <html>: every shown result, its why and its
    links keep WCAG AA contrast (axe's colour-contrast rule)."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    page.evaluate("document.documentElement.dataset.theme = 'dark'; document.body.style.background = '#121212';"
                  "document.body.style.color = '#e6e6e6'")
    try:
        shown = page.locator(".sc-result .sc-why")
        assert shown.count() >= 1
        page.add_script_tag(content=AXE.read_text())
        found = page.evaluate("async () => (await axe.run('.sc-result', {runOnly: {type: 'rule', values: "
                              "['color-contrast']}})).violations.map(v => v.id + ': ' + v.nodes.length)")
        assert found == []
    finally:
        page.evaluate("delete document.documentElement.dataset.theme; document.body.removeAttribute('style')")
