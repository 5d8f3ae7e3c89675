"""On the built site: a checked self-check answer, right or wrong, shows why and the module passage
it rests on, and the passage's link opens that heading of the module (the box or section), in light
and dark mode, at a phone's width."""

from __future__ import annotations

import re

import pytest
from browser_pages import PAGES

from exercises.bank import load_bank

pytestmark = pytest.mark.browser

QUIZ = "book/self-check/compensation.html"
ITEM = "comp-tvpa-restitution"  # a numeric question whose passage is Box 7, on the Compensation page


@pytest.fixture(autouse=True)
def _pages_built():
    if QUIZ not in PAGES:
        pytest.skip(f"{QUIZ} is not in the built site")


@pytest.fixture(scope="module")
def item():
    return next(i for i in load_bank(use="self-check") if i.id == ITEM)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("answer, verdict", [("9000", "Correct."), ("16500", "Not quite.")])
def test_an_answer_shows_why_and_its_passage_opens(site_page, item, answer, verdict, theme):
    page = site_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    site_page.goto(QUIZ)
    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    form = page.locator(f"#sc-{ITEM}")
    form.locator("input[type=text]").fill(answer)
    form.locator("button.sc-check").click()

    region = form.locator(".sc-result[role=status][aria-live=polite]")
    text = " ".join(region.inner_text().split())
    assert text.startswith(verdict)
    assert f"Why: {' '.join(item.feedback_why.split())}" in text
    assert f"\u201c{item.section.quote}\u201d" in text
    link = region.locator("a.sc-passage-link")
    assert link.inner_text() == f"Compensation: {item.section.heading}"
    # The why fits the phone's width: nothing in it is wider than the result box.
    assert page.evaluate("el => el.scrollWidth <= el.clientWidth", region.element_handle())

    link.click()
    page.wait_for_url(re.compile(r"/book/compensation\.html#box-7$"))
    target = page.locator("#box-7")
    assert target.count() == 1 and "Box 7" in target.inner_text()
    assert target.is_visible() and page.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }",
        target.element_handle())
    site_page.watch.assert_clean()


def test_every_passage_link_on_the_self_check_pages_opens_its_heading(site_page):
    """Each distinct passage link of every self-check page leads to an element of that id, whose
    text names the heading the link names (its box number, or the section title)."""
    page = site_page.page
    quizzes = [p for p in PAGES if p.startswith("book/self-check/")]
    assert quizzes
    seen = {}
    for quiz in quizzes:
        site_page.goto(quiz)
        for href, text in page.evaluate(
                "() => [...document.querySelectorAll('.sc-why a.sc-passage-link')]"
                ".map(a => [a.href, a.textContent])"):
            seen[href] = text
    assert seen
    for href, text in seen.items():
        page.goto(href)
        anchor = href.split("#", 1)[1]
        target = page.locator(f"[id='{anchor}']")
        assert target.count() == 1, href
        heading = text.split(": ", 1)[-1]
        box = re.match(r"Box(?:es)? (\d+)", heading)
        assert (f"Box {box.group(1)}" if box else heading) in target.inner_text(), (href, text)
    # Pages opened one after another cut off each other's late loads (an icon): those are no fault.
    assert site_page.watch.blocked == [] and site_page.watch.page_errors == []
