"""The case-study widgets on the built site, offline, in chromium: render, respond, agree with the models.

Needs the built site (``jupyter-book build .``; or COURSE_SITE_DIR) with the three pages.
"""

import itertools
import re
from pathlib import Path

import browser_support as bs
import pytest

from case_studies import InputError
from case_studies.little_rose_shelter import model as rose
from case_studies.sabhnani import model as sab
from case_studies.savannakhet import model as sav

pytestmark = pytest.mark.browser

PAGES = {
    "sabhnani": "book/case-studies/sabhnani.html",
    "savannakhet": "book/case-studies/savannakhet.html",
    "little-rose-shelter": "book/case-studies/little-rose-shelter.html",
}
AXE = Path(bs.ROOT) / "node_modules" / "axe-core" / "axe.min.js"


def open_widget(site_page, name):
    path = PAGES[name]
    if not (site_page.server.url and (bs.BUILT_SITE / path).is_file()):
        pytest.skip(f"{path} is not in the built site (is it in _toc.yml?)")
    page = site_page.goto(path)
    page.wait_for_selector(".cs-widget .cs-results, .cs-widget .cs-stage", timeout=30_000)
    return page


def values(page, selector):
    return page.eval_on_selector_all(selector, "els => els.map(e => [e.dataset.key, Number(e.dataset.value)])")


@pytest.mark.parametrize("name", PAGES)
def test_widget_renders_offline_cleanly(site_page, name):
    page = open_widget(site_page, name)
    assert page.locator(".cs-widget").count() == 1
    # Rendered by the site's own host: no widget manager, no loader, nothing from npm.
    scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.src)")
    assert [s for s in scripts if "/widgets/" in s] == [s for s in scripts if s.split("?")[0].endswith("/widgets/widget-host.js")]
    assert not any(re.search(r"require\.js|embed-amd|html-manager", s) for s in scripts)
    site_page.watch.assert_clean()


@pytest.mark.parametrize("name", PAGES)
def test_every_control_is_labelled_and_contrast_passes_in_both_themes(site_page, name):
    page = open_widget(site_page, name)
    unlabelled = page.eval_on_selector_all(
        ".cs-widget input, .cs-widget select, .cs-widget button",
        "els => els.filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim()).map(e => e.outerHTML)",
    )
    assert unlabelled == []
    assert page.locator(".cs-widget [aria-live]").count() >= 1
    page.add_script_tag(path=str(AXE))
    for theme in ("light", "dark"):
        page.evaluate("t => document.documentElement.setAttribute('data-theme', t)", theme)
        violations = page.evaluate(
            """async () => (await axe.run('.cs-widget', {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}}))
                 .violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"""
        )
        assert violations == [], f"{theme} theme: {violations}"
    site_page.watch.assert_clean()


@pytest.mark.parametrize("site_context_options", [{"viewport": {"width": 360, "height": 740}}])
@pytest.mark.parametrize("name", PAGES)
def test_usable_at_360_px(site_page, name):
    page = open_widget(site_page, name)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, ...[...document.querySelectorAll('.cs-widget')].map(w => w.getBoundingClientRect().right)]"
    )
    assert max(widths) <= 361, widths


@pytest.mark.parametrize("name", PAGES)
def test_prints_a_summary(site_page, name):
    page = open_widget(site_page, name)
    page.emulate_media(media="print")
    summary = page.locator(".cs-widget .cs-print-summary")
    assert summary.is_visible()
    assert len(summary.inner_text()) > 40
    assert not page.locator(".cs-widget .cs-controls").first.is_visible()


# --- Sabhnani ------------------------------------------------------------------------------

SAB_GRID = list(itertools.product([0, 8, 15.5, 24], [1, 6, 7], [0, 1500, 9000], [True, False]))


def test_sabhnani_matches_model_over_grid(site_page):
    page = open_widget(site_page, "sabhnani")
    first = "fieldset[data-victim=first]"
    inputs = sab.default_inputs()
    for hours, days, value, credit in SAB_GRID:
        page.fill(f"{first} input[data-field=hours_per_day]", str(hours))
        page.fill(f"{first} input[data-field=days_per_week]", str(days))
        page.fill(f"{first} input[data-field=value_to_defendant_per_month]", str(value))
        page.set_checked("input[data-field=credit_family_payments]", credit)
        v = {**inputs["victims"][0], "hours_per_day": hours, "days_per_week": days, "value_to_defendant_per_month": value}
        expected = sab.restitution(v, {**inputs["rules"], "credit_family_payments": credit}).as_dict()
        shown = dict(values(page, "td[data-victim=first][data-value]"))
        for key, got in shown.items():
            assert got == pytest.approx(expected[key], rel=1e-9, abs=1e-6), (hours, days, value, credit, key)
        assert page.text_content("td[data-victim=first][data-key=rule_applied]") == expected["rule_applied"]
    assert "First victim (aged 53): total" in page.text_content(".cs-live")
    site_page.watch.assert_clean()


def test_sabhnani_other_heads_and_keyboard(site_page):
    page = open_widget(site_page, "sabhnani")
    first = "fieldset[data-victim=first]"
    page.click(f"{first} summary")
    field = page.locator(f"{first} input[data-field=medical]")
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("1234.5")
    page.keyboard.press("Tab")  # keyboard only
    got = dict(values(page, "td[data-victim=first][data-value]"))
    assert got["other_heads"] == pytest.approx(1234.5)
    site_page.watch.assert_clean()


def python_messages(make):
    """The messages the Python model gives for the same bad input (the browser must show the same)."""
    try:
        problems = make()
    except InputError as e:
        problems = [e]
    return [e.message for e in problems]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("hours_per_day", "-2", "Hours worked per day: -2 is less than 0; enter a number from 0 to 24."),
        ("hours_per_day", "25", "Hours worked per day: 25 is more than 24; enter a number from 0 to 24."),
        ("hours_per_day", "", "Hours worked per day: nothing is entered; enter a number from 0 to 24."),
        ("end", "2004-01-01", "Last day worked: 2004-01-01 is before the first day worked, 2005-01-01; enter a date on or after 2005-01-01."),
    ],
)
def test_sabhnani_bad_input_shows_message(site_page, field, value, message):
    page = open_widget(site_page, "sabhnani")
    page.fill(f"fieldset[data-victim=first] input[data-field={field}]", value)
    shown = [li.strip() for li in page.eval_on_selector_all(".cs-widget [role=alert] li", "els => els.map(e => e.textContent)")]
    inputs = sab.default_inputs()
    inputs["victims"][0][field] = value
    expected = python_messages(lambda: sab.validate(inputs))
    assert shown == expected and message in expected[0], (shown, expected)
    assert "correct the inputs" in page.text_content(".cs-live")
    site_page.watch.assert_clean()  # a message, never an exception


# --- Savannakhet ---------------------------------------------------------------------------


def choice_sets(stage):
    engaged, arguable = list(stage["engaged"]), list(stage["arguable"])
    other = next(p for p in ["6(1)", "8(6)", "14"] if p not in engaged and p not in arguable)
    return [[], engaged, engaged[:1] + arguable[:1] + [other]]


def test_savannakhet_matches_model_over_grid(site_page):
    page = open_widget(site_page, "savannakhet")
    for stage in sav.stages():
        page.click(f"nav button[data-stage={stage['id']}]")
        for chosen in choice_sets(stage):
            for box in page.locator(".cs-stage input[data-provision]").all():
                box.set_checked(box.get_attribute("data-provision") in chosen)
            page.click("button[data-action=compare]")
            expected = sav.compare(stage["id"], chosen)
            shown = page.eval_on_selector_all(".cs-feedback li", "els => els.map(e => [e.dataset.provision, e.dataset.verdict])")
            assert [tuple(x) for x in shown] == [(r.provision, r.verdict) for r in expected.readings]
            # Every reading links to its treaty text, relative to the page.
            for href in page.eval_on_selector_all(".cs-feedback li a", "els => els.map(e => e.getAttribute('href'))"):
                assert href.startswith("../article-") and "#art-" in href
            assert expected.reflect in page.text_content(".cs-feedback [data-key=reflect]")
        assert "(compared)" in page.text_content(f"nav button[data-stage={stage['id']}]")
    # No score anywhere over her account: not on the widget, not in what it prints.
    text = page.text_content(".cs-widget")
    assert not re.search(r"(?<!no )\bscore\b|\bpoints?\b|\bmissed\b", text, re.I), text
    assert "null" not in text
    assert page.locator(".cs-score").count() == 0
    site_page.watch.assert_clean()


SAV_COMP_GRID = list(itertools.product([0, 7, 30], [0, 75, 120], [0, 500], [0, 250]))


def test_savannakhet_compensation_matches_model(site_page):
    page = open_widget(site_page, "savannakhet")
    comp = ".cs-compensation"
    for days, wage, award, medical in SAV_COMP_GRID:
        page.fill(f"{comp} input[data-field=days_worked]", str(days))
        page.fill(f"{comp} input[data-field=promised_per_month]", str(wage))
        page.fill(f"{comp} input[data-field=award]", str(award))
        page.fill(f"{comp} input[data-field=medical_expenses]", str(medical))
        expected = sav.compensation({**sav.default_compensation_inputs(), "days_worked": days, "promised_per_month": wage,
                                     "award": award, "medical_expenses": medical}).as_dict()
        for key, got in values(page, f"{comp} td[data-value]"):
            assert got == pytest.approx(expected[key], abs=1e-9), (days, wage, award, medical, key)
    page.fill(f"{comp} input[data-field=days_worked]", "-1")
    expected = python_messages(lambda: sav.compensation({**sav.default_compensation_inputs(), "days_worked": "-1"}))
    assert expected == ["Days worked unpaid: -1 is less than 0; enter a number from 0 to 3660."]
    assert page.text_content(".cs-widget [role=alert] li").strip() == expected[0]
    site_page.watch.assert_clean()


# --- Little Rose Shelter ------------------------------------------------------------------

PLANS = [[], ["residency", "counselling", "literacy"], [s["id"] for s in rose.data()["services"]], ["health_care", "vocational_training", "reintegration_grant"]]
PROFILES = [
    {"age": a, "return_home": r, "needs": n}
    for a, r, n in itertools.product([15, 19], ["yes", "no", "undecided"], [[], ["health", "trauma", "job"]])
]


def set_profile(page, profile):
    page.fill("input[data-field=age]", str(profile["age"]))
    page.check(f"input[data-return={profile['return_home']}]")
    for need in rose.data()["needs"]:
        page.set_checked(f"input[data-need={need['id']}]", need["id"] in profile["needs"])


def test_little_rose_matches_model_over_grid(site_page):
    page = open_widget(site_page, "little-rose-shelter")
    for profile in PROFILES:
        set_profile(page, profile)
        for plan in PLANS:
            for s in rose.data()["services"]:
                page.set_checked(f"input[data-service={s['id']}]", s["id"] in plan)
            full = {**rose.default_profile(), **profile}
            expected = [(r["id"], str(r["met"]).lower()) for r in rose.rows(full, plan)]
            shown = page.eval_on_selector_all(".cs-coverage tbody tr", "els => els.map(e => [e.dataset.row, e.dataset.met])")
            assert [tuple(x) for x in shown] == expected, (profile, plan)
            prog = rose.programme(full, plan)
            got = dict(page.eval_on_selector_all(".cs-figures [data-key]", "els => els.map(e => [e.dataset.key, e.dataset.value])"))
            assert got == {"groups": str(prog["groups"]), "months": str(prog["months"]), "grant_eligible": str(prog["grant_eligible"]).lower()}
    for girls, extra in [(1, 0), (15, 2), (16, 0), (31, 5)]:
        page.fill("input[data-field=girls]", str(girls))
        page.fill("input[data-field=extra_months]", str(extra))
        prog = rose.programme({**rose.default_profile(), "girls": girls, "extra_months": extra}, PLANS[-1])
        got = dict(values(page, ".cs-figures [data-key=groups], .cs-figures [data-key=months]"))
        assert got == {"groups": prog["groups"], "months": prog["months"]}
    page.fill("input[data-field=girls]", "2.5")
    expected = python_messages(lambda: rose.rows({**rose.default_profile(), "girls": "2.5"}, []))
    assert expected == ["Girls arriving in this intake: 2.5 is not a whole number; enter a whole number from 0 to 10000."]
    assert page.text_content(".cs-widget [role=alert] li").strip() == expected[0]
    site_page.watch.assert_clean()


# --- Inputs kept in the browser (widget-host.js with progress.js) ------------------------------


def test_inputs_survive_a_reload_and_forgetting_restores_the_defaults(site_page):
    page = open_widget(site_page, "savannakhet")
    comp = ".cs-compensation"
    default = page.input_value(f"{comp} input[data-field=days_worked]")
    page.fill(f"{comp} input[data-field=days_worked]", "30")
    page.locator("nav button[data-stage]").nth(1).click()  # the second stage
    page.reload()
    page.wait_for_selector(".cs-widget .cs-stage")
    assert page.input_value(f"{comp} input[data-field=days_worked]") == "30"
    assert page.locator("nav button[data-stage]").nth(1).get_attribute("aria-current") == "step"
    expected = sav.compensation({**sav.default_compensation_inputs(), "days_worked": 30}).as_dict()
    assert dict(values(page, f"{comp} td[data-value]"))["unpaid_wages"] == pytest.approx(expected["unpaid_wages"])

    page.evaluate("() => window.courseProgress.forgetAll()")
    page.reload()
    page.wait_for_selector(".cs-widget .cs-stage")
    assert page.input_value(f"{comp} input[data-field=days_worked]") == default
    site_page.watch.assert_clean()


def test_kept_inputs_a_widget_cannot_take_are_dropped_not_shown_broken(site_page):
    page = open_widget(site_page, "little-rose-shelter")
    page.fill("input[data-field=age]", "19")
    # As if the kept entry had been written by a widget of another shape.
    page.evaluate("""() => { const key = Object.keys(localStorage).find(k => k.startsWith('course-progress:'));
        const doc = JSON.parse(localStorage.getItem(key));
        for (const w of Object.values(doc.widgets['book/case-studies/little-rose-shelter'])) w.state.profile = null;
        localStorage.setItem(key, JSON.stringify(doc)); }""")
    page.reload()
    page.wait_for_selector(".cs-widget .cs-results")
    assert page.input_value("input[data-field=age]") == str(rose.default_profile()["age"])
    kept = page.evaluate("() => window.courseProgress.read().widgets['book/case-studies/little-rose-shelter'] || {}")
    assert kept == {}
    site_page.watch.assert_clean()


# --- Every tool: a bad entry is marked where it was typed ----------------------------------


@pytest.mark.parametrize("name, field, value", [
    ("savannakhet", ".cs-compensation input[data-field=days_worked]", "-5"),
    ("sabhnani", "fieldset[data-victim=second] input[data-field=hours_per_day]", "25"),
    ("little-rose-shelter", "input[data-field=extra_months]", "2.5"),
])
def test_a_bad_entry_is_marked_at_its_field_and_the_results_say_why_they_wait(site_page, name, field, value):
    """The list of problems sits at the top of the tool, on a phone a screen or more away from
    the field: the field itself is marked (aria-invalid, its message under it), and the results
    held back say why they did not change."""
    page = open_widget(site_page, name)
    page.set_viewport_size({"width": 390, "height": 844})
    box = page.locator(field)
    box.fill(value)
    alert = [t.strip() for t in page.locator(".cs-widget [role=alert] li").all_text_contents()]
    assert len(alert) == 1, alert
    assert box.get_attribute("aria-invalid") == "true"
    described = box.get_attribute("aria-describedby").split()
    under = page.locator(f"#{described[-1]}")
    assert under.text_content() == alert[0]
    # Under the field it names, within sight of it.
    assert 0 <= under.bounding_box()["y"] - box.bounding_box()["y"] < 200
    assert "Not updated" in page.locator(".cs-not-updated").first.text_content()
    assert page.locator("[aria-invalid=true]").count() == 1  # the other fields stay as they were
    box.fill("1")
    assert page.locator("[aria-invalid], .cs-field-error, .cs-not-updated").count() == 0
    site_page.watch.assert_clean()


def test_savannakhet_says_which_is_larger_the_award_or_the_losses(site_page):
    """The difference is said in words, never as "award less losses" over a figure a reader
    must read the sign of (with the heads of loss at 0 the award looked larger than her losses)."""
    page = open_widget(site_page, "savannakhet")
    comp = ".cs-compensation"
    cell = page.locator(f"{comp} td[data-key=award_less_heads]")
    page.fill(f"{comp} input[data-field=award]", "500")
    page.fill(f"{comp} input[data-field=medical_expenses]", "0")
    assert cell.locator("xpath=preceding-sibling::th").inner_text().startswith("The award is more than the losses")
    page.fill(f"{comp} input[data-field=medical_expenses]", "2000")
    assert cell.locator("xpath=preceding-sibling::th").inner_text().startswith("The losses entered are more than")
    assert not cell.inner_text().strip().startswith("-")
    assert "counts as no loss" in page.locator(f"{comp} caption").inner_text()
    site_page.watch.assert_clean()
