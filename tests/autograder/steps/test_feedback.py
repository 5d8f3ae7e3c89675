"""Feedback as a step (autograder/steps/feedback.py): the student's page, with the scores
`score` left and without the hidden tests, unless the course shows them."""

from __future__ import annotations

from nbformat.v4 import new_output
from step_support import HIDDEN, NAME, cell, work

from autograder.settings import GradingSettings
from autograder.steps import feedback, restore, score

FAILED = new_output("error", ename="AssertionError", evalue="the hidden check",
                    traceback=[f"----> 3 {HIDDEN}", "AssertionError: the hidden check"])


def _page(settings: GradingSettings = GradingSettings()) -> str:
    w = work(settings=settings)
    restore.run(w)
    cell(w.notebook, "q1_test").outputs = [FAILED]
    score.run(w)
    feedback.run(w)
    assert list(w.result.feedback) == [f"{NAME}.html"]
    return w.result.feedback[f"{NAME}.html"].decode("utf-8")


def test_the_page_shows_the_scores_and_not_the_hidden_tests():
    page = _page()
    assert "the hidden check" not in page and feedback.HIDDEN_FAILED in page
    assert f"<h4>{NAME} (Score: 0.0 / 3.0)</h4>" in page
    assert '<a href="#q1_test">Test cell</a> (Score: 0.0 / 1.0)' in page


def test_a_course_that_shows_its_hidden_tests_shows_them():
    page = _page(GradingSettings(show_hidden_tests=True))
    assert "the hidden check" in page


def test_the_courses_own_delimiters_decide_what_is_hidden():
    """A course whose hidden tests are marked otherwise: the kit's markers hide nothing."""
    own = (("begin_test_delimeter", "BEGIN SECRET"), ("end_test_delimeter", "END SECRET"))
    assert "the hidden check" in _page(GradingSettings(delimiters=own))


LIGHT_BOXES = """() => [...document.querySelectorAll('body, body *')]
  .filter(el => el.getClientRects().length)
  .map(el => [el, getComputedStyle(el)])
  .filter(([, cs]) => {
    const m = cs.backgroundColor.match(/\\d+(\\.\\d+)?/g);
    return m && (m.length < 4 || Number(m[3]) > 0) && (Number(m[0]) + Number(m[1]) + Number(m[2])) / 3 > 160;
  })
  .map(([el]) => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'))"""


def test_the_page_is_dark_on_a_dark_system(browser, tmp_path):
    """No light box (a panel, a code cell, a table) is left on the page of a reader whose
    system is dark; in light mode the page stays as nbgrader draws it."""
    from benchmarks.site_browser import StaticServer

    (tmp_path / "page.html").write_text(_page(), encoding="utf-8")
    with StaticServer(tmp_path) as server:
        seen = {}
        for scheme in ("dark", "light"):
            ctx = browser.new_context(color_scheme=scheme)
            page = ctx.new_page()
            page.goto(server.url + "page.html")
            seen[scheme] = page.evaluate(LIGHT_BOXES)
            ctx.close()
    assert seen["dark"] == [], seen["dark"]
    assert "body." in seen["light"]


# What a phone shows: a panel heading's floated score and (Top) link outside its heading (drawn
# over the code below), and a printed line running past its box.
PHONE_FAULTS = """() => {
  const out = [];
  for (const h of document.querySelectorAll('.panel-heading')) {
    const box = h.getBoundingClientRect();
    for (const f of h.querySelectorAll('.pull-right'))
      if (f.getBoundingClientRect().bottom > box.bottom + 0.5) out.push('heading: ' + h.textContent.trim());
  }
  for (const pre of document.querySelectorAll('div.output_area pre'))
    if (pre.scrollWidth > pre.clientWidth + 1) out.push('output: ' + pre.textContent.trim().slice(0, 40));
  return out;
}"""


def test_on_a_phone_the_scores_stay_in_their_headings_and_messages_wrap(browser, tmp_path):
    from benchmarks.site_browser import StaticServer

    w = work()
    restore.run(w)
    # A message as long as the kit's own: a phone's width cuts it unless it wraps.
    long = new_output("stream", name="stdout", text="Not readable yet. q1: '6(3)(e)' is not a provision: "
                      "article 6(3) has points (a) to (d)\n")
    cell(w.notebook, "q1_test").outputs = [FAILED]
    cell(w.notebook, "q1").outputs = [long]
    score.run(w)
    feedback.run(w)
    (tmp_path / "page.html").write_bytes(w.result.feedback[f"{NAME}.html"])
    with StaticServer(tmp_path) as server:
        ctx = browser.new_context(viewport={"width": 390, "height": 800})
        page = ctx.new_page()
        page.goto(server.url + "page.html")
        faults = page.evaluate(PHONE_FAULTS)
        shown = page.locator("div.output_area pre", has_text="has points (a) to (d)").count()
        ctx.close()
    assert shown == 1
    assert faults == [], faults
