"""What a reader sees of the three case-study tools, driven over their inputs in chromium.

Each tool is driven over every stage, every choice and its edge values, and after each step the
page is read as a reader reads it: no ``null``, ``undefined``, ``NaN``, Python repr (``True``,
``None``, ``{'a': ...}``, ``30.437500``), code cell or raw dataframe anywhere on the page, folded
parts included; nothing wider than the screen at 320 px; no label or table cell narrower than
its longest word; and in the dark theme no light box left in a tool. Savannakhet keeps no score,
and each of its readings says something of its own.

Needs the built site (``jupyter-book build .``; or COURSE_SITE_DIR) with the three pages.
"""

from __future__ import annotations

import re

import pytest
from test_browser import PAGES, open_widget

from case_studies.little_rose_shelter import model as rose
from case_studies.sabhnani import model as sab
from case_studies.savannakhet import model as sav

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 320, "height": 700}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1280, "height": 900}}

# Read in the page: returns the problems found, each as a short sentence naming the element.
SURFACE = r"""() => {
  const problems = [];
  const main = document.querySelector('main') || document.body;
  const describe = (el) => el.tagName.toLowerCase() + [...el.classList].slice(0, 2).map(c => '.' + c).join('')
    + (el.dataset.key ? `[data-key=${el.dataset.key}]` : '');
  // Text a reader can reach, folded parts included (textContent, not innerText).
  const texts = [...main.querySelectorAll('.cs-widget, article')].map(e => e.textContent);
  const BAD = [
    [/\bnull\b/, 'null'], [/\bundefined\b/, 'undefined'], [/\bNaN\b/, 'NaN'], [/\bInfinity\b/, 'Infinity'],
    [/\[object \w+\]/, 'an [object ...] text'], [/\b(True|False|None)\b/, 'a Python True/False/None'],
    [/\{'|'\}|\['|'\]/, 'a Python dict or list'], [/\bdtype\b|<[\w.]+ object at 0x/, 'a Python repr'],
    [/\d\.\d{4,}/, 'an unrounded number'], [/Score:|\b[Ss]core \d|\d+ points?\b/, 'a score'],
  ];
  for (const text of texts) {
    for (const [re, what] of BAD) {
      const m = text.match(re);
      if (m) problems.push(`${what}: "...${text.slice(Math.max(0, m.index - 60), m.index + 40).replace(/\s+/g, ' ')}..."`);
    }
  }
  for (const el of main.querySelectorAll('.cell_input, div.highlight-ipython3, table.dataframe, .cell_output pre'))
    problems.push(`a code cell or raw output on the page: ${describe(el)}`);
  // Nothing wider than the screen, unless inside its own scrolling box that fits.
  const root = document.scrollingElement;
  const vw = root.clientWidth;
  if (root.scrollWidth > vw) problems.push(`the page scrolls sideways: ${root.scrollWidth} > ${vw}`);
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  for (const w of document.querySelectorAll('.cs-widget')) {
    const box = w.getBoundingClientRect();
    if (box.right > vw + 1) problems.push(`a tool wider than the screen: ${Math.round(box.right)} > ${vw}`);
    for (const el of w.querySelectorAll('*')) {
      if (!shown(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)) problems.push(`outside its tool: ${describe(el)} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    // No label or cell narrower than its longest word (a column squeezed to a letter a line).
    const ctx = document.createElement('canvas').getContext('2d');
    for (const el of w.querySelectorAll('th, td, label, legend, summary, .cs-stepper-position')) {
      const head = el.closest('thead');
      if (!shown(el) || (head && head.getBoundingClientRect().width <= 1)) continue; // a header kept for screen readers only
      const s = getComputedStyle(el);
      ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
      const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      const before = getComputedStyle(el, '::before').content;
      const words = (el.textContent + ' ' + (before && before.startsWith('"') ? before.slice(1, -1) : '')).split(/\s+/).filter(Boolean);
      const longest = words.reduce((a, b) => (ctx.measureText(b).width > ctx.measureText(a).width ? b : a), '');
      if (longest && ctx.measureText(longest).width > room + 2)
        problems.push(`a word wider than its ${describe(el)}: "${longest}" needs ${Math.round(ctx.measureText(longest).width)} px, has ${Math.round(room)}`);
    }
  }
  // Dark theme: no light box left in a tool, nor around it.
  if (document.documentElement.dataset.theme === 'dark') {
    const light = (c) => {
      const m = c.match(/rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)/);
      if (!m || (m[4] !== undefined && Number(m[4]) < 0.5)) return false;
      const [r, g, b] = [m[1], m[2], m[3]].map(Number);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b > 140;
    };
    for (const w of document.querySelectorAll('.cs-widget')) {
      const frame = w.closest('.widget-subarea');
      for (const el of [frame, w, ...w.querySelectorAll('*')].filter(Boolean)) {
        if (!shown(el) || el.matches('input[type=checkbox], input[type=radio], .cs-swatch, svg *')) continue;
        if (light(getComputedStyle(el).backgroundColor)) problems.push(`a light box in the dark theme: ${describe(el)} ${getComputedStyle(el).backgroundColor}`);
      }
    }
  }
  return [...new Set(problems)];
}"""


def open_all_folds(page):
    page.evaluate("() => document.querySelectorAll('.cs-widget details').forEach(d => { d.open = true; })")


def assert_surface(page, where):
    problems = page.evaluate(SURFACE)
    assert not problems, f"{where}:\n  " + "\n  ".join(problems)


def open_tool(site_page, name, theme):
    page = open_widget(site_page, name)
    page.evaluate("t => document.documentElement.setAttribute('data-theme', t)", theme)
    return page


# --- Sabhnani --------------------------------------------------------------------------------


def sabhnani_edits():
    """(field selector, value) pairs over every field: its bounds, a fraction, below the minimum, nothing."""
    doc = sab.data()
    edits = []
    for spec in doc["assumptions"]:
        if spec.get("type") == "boolean":
            continue
        sel = f".cs-rules input[data-field={spec['id']}]"
        edits += [(sel, v) for v in (str(spec["min"]), str(spec["max"]), "", str(spec["default"]))]
    for victim in doc["victims"]:
        for spec in doc["victim_fields"]:
            sel = f"fieldset[data-victim={victim['id']}] input[data-field={spec['id']}]"
            if spec.get("type") == "date":
                values = ["2006-12-31" if spec["id"] == "start" else "2005-01-01", "", str(spec["default"])]
            else:
                values = [str(spec["min"]), str(spec["max"]), "12.345", "", "-1", str(spec["default"])]
            edits += [(sel, v) for v in values]
    return edits


@pytest.mark.parametrize("site_context_options", [PHONE, DESK], ids=["320px", "1280px"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_sabhnani_surface_over_its_inputs(site_page, theme):
    page = open_tool(site_page, "sabhnani", theme)
    open_all_folds(page)
    assert_surface(page, "sabhnani as it opens")
    for credit in (False, True):
        page.set_checked("input[data-field=credit_family_payments]", credit)
        assert_surface(page, f"sabhnani, family payments counted: {credit}")
    for sel, value in sabhnani_edits():
        page.fill(sel, value)
        assert_surface(page, f"sabhnani after {sel} = {value!r}")
    # Back to the defaults, the figures show and the working is there, for each victim.
    assert page.locator(".cs-widget [role=alert] li").count() == 0
    working = page.text_content(".cs-sabhnani details.cs-working")
    for victim in sab.default_inputs()["victims"]:
        assert victim["label"] in working
    assert "Box 7's rule takes the greater of the two" in working
    site_page.watch.assert_clean()


def test_sabhnani_results_are_cards_on_a_phone_and_a_table_on_a_desk(site_page):
    """Below a width each component is a card that names each victim beside her amount; the
    second victim's figures are on the screen, not cut off."""
    for options, stacked in ((PHONE, True), (DESK, False)):
        page = site_page.page
        page.set_viewport_size(options["viewport"])
        open_widget(site_page, "sabhnani")
        display = page.eval_on_selector(".cs-restitution tr", "e => getComputedStyle(e).display")
        assert (display == "block") == stacked, (options, display)
        second = page.locator("td[data-victim=second][data-key=total]")
        box = second.bounding_box()
        assert box and box["x"] + box["width"] <= options["viewport"]["width"], box
        label = page.eval_on_selector("td[data-victim=second][data-key=total]", "e => getComputedStyle(e, '::before').content")
        assert (label == '"Second victim (aged 47)"') == stacked, label
    site_page.watch.assert_clean()


# --- Savannakhet -----------------------------------------------------------------------------


@pytest.mark.parametrize("site_context_options", [PHONE, DESK], ids=["320px", "1280px"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_savannakhet_every_stage_and_choice(site_page, theme):
    page = open_tool(site_page, "savannakhet", theme)
    stages = sav.stages()
    everything = [o["id"] for o in sav.provision_options()]
    assert_surface(page, "savannakhet as it opens")
    # On a phone the list of stages is folded, so the stage itself comes first.
    phone = page.viewport_size["width"] < 600
    assert page.eval_on_selector(".cs-stage-list", "d => d.open") is (not phone)
    for number, stage in enumerate(stages, start=1):
        assert page.text_content(".cs-stepper-position") == f"Stage {number} of {len(stages)}"
        assert page.is_disabled(".cs-stepper button[data-action=previous]") == (number == 1)
        assert page.is_disabled(".cs-stepper button[data-action=next]") == (number == len(stages))
        for chosen in ([], *([p] for p in everything), everything):
            # Ticked as a reader ticks them (a click each, which fires the tool's own handlers).
            page.eval_on_selector_all(".cs-stage input[data-provision]",
                                      "(els, chosen) => els.filter(e => e.checked !== chosen.includes(e.dataset.provision)).forEach(e => e.click())",
                                      chosen)
            page.click("button[data-action=compare]")
            expected = sav.compare(stage["id"], chosen)
            shown = page.eval_on_selector_all(
                ".cs-feedback li", "els => els.map(e => [e.dataset.provision, e.dataset.verdict, e.querySelector('.cs-reading-why').textContent])")
            assert [tuple(x) for x in shown] == [(r.provision, r.verdict, r.why) for r in expected.readings], (stage["id"], chosen)
            # Each reading says something of its own; what holds for the stage is said once.
            whys = [why for _, _, why in shown]
            assert len(set(whys)) == len(whys), (stage["id"], chosen)
            assert page.text_content(".cs-feedback").count(expected.about) == 1
            if len(chosen) <= 1 or chosen == everything:
                assert_surface(page, f"savannakhet stage {stage['id']}, chosen {chosen}")
        if number < len(stages):
            page.click(".cs-stepper button[data-action=next]")
    # Back through the stages with the stepper, and the list of stages still names each one.
    for _ in stages[1:]:
        page.click(".cs-stepper button[data-action=previous]")
    assert page.text_content(".cs-stepper-position") == f"Stage 1 of {len(stages)}"
    assert page.text_content(".cs-stage-list summary") == f"All {len(stages)} stages ({len(stages)} compared)"
    open_all_folds(page)
    assert_surface(page, "savannakhet with every stage compared")
    # No score or game over her account, anywhere in the tool or what it prints.
    text = page.text_content(".cs-widget")
    assert "There is no score" in text
    assert not re.search(r"(?<!no )score:|\bpoints?\b|\b(in)?correct\b|\bwrong\b|well done|you got", text, re.I), text
    site_page.watch.assert_clean()


@pytest.mark.parametrize("site_context_options", [PHONE], ids=["320px"])
def test_savannakhet_compensation_edges(site_page):
    page = open_tool(site_page, "savannakhet", "light")
    comp = ".cs-compensation"
    doc = sav.data()
    fields = [a for a in doc["assumptions"]] + [h for h in doc["heads_of_loss"] if not h.get("computed")]
    for spec in fields:
        for value in ("0", str(spec.get("max", 1_000_000)), "2.5", "", "-1", str(spec.get("default", 0))):
            page.fill(f"{comp} input[data-field={spec['id']}]", value)
            assert_surface(page, f"savannakhet compensation {spec['id']} = {value!r}")
    page.fill(f"{comp} input[data-field=award]", "0")  # an award below the losses: said in words, no sign
    cell = page.locator(f"{comp} td[data-key=award_less_heads]")
    assert cell.text_content().startswith("EUR\u00a0")
    assert cell.locator("xpath=preceding-sibling::th").text_content().startswith("The losses entered are more than")
    site_page.watch.assert_clean()


# --- Little Rose Shelter -------------------------------------------------------------------


@pytest.mark.parametrize("site_context_options", [PHONE, DESK], ids=["320px", "1280px"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_little_rose_over_its_inputs(site_page, theme):
    page = open_tool(site_page, "little-rose-shelter", theme)
    assert_surface(page, "little rose as it opens")
    # The checklist is folded behind a summary that says how much of it the plan covers.
    assert page.eval_on_selector(".cs-checklist", "d => d.open") is False
    rows = rose.rows(rose.default_profile(), [])
    assert page.text_content(".cs-coverage-summary") == f"Her plan covers 0 of the {len(rows)} obligations that apply to her."
    assert page.text_content(".cs-checklist summary") == f"Each obligation: 0 covered, {len(rows)} not yet covered"
    assert len(page.text_content(".cs-live").split()) < 20  # announced briefly, not the whole list
    # The three answers to the return question sit together, in one box of their own.
    radios = page.eval_on_selector_all("input[data-return]", "els => els.map(e => e.closest('.cs-choices') && e.closest('.cs-choices').dataset)")
    assert len(radios) == 3 and all(r is not None for r in radios)
    page.click(".cs-checklist summary")
    for value in ("yes", "no", "undecided"):
        page.check(f"input[data-return={value}]")
        assert_surface(page, f"little rose, return {value}")
    for need in rose.data()["needs"]:
        page.set_checked(f"input[data-need={need['id']}]", True)
        assert_surface(page, f"little rose, need {need['id']}")
    plan = []
    for service in rose.data()["services"]:
        page.check(f"input[data-service={service['id']}]")
        plan.append(service["id"])
        profile = {**rose.default_profile(), "return_home": "undecided", "needs": [n["id"] for n in rose.data()["needs"]]}
        met = sum(r["met"] for r in rose.rows(profile, plan))
        assert page.get_attribute(".cs-coverage-summary", "data-value") == str(met)
        assert_surface(page, f"little rose, plan {plan}")
    for field, values in (("age", ["0", "17", "17.5", "18", "120", "121", "", "15"]),
                          ("girls", ["0", "1", "16", "10000", "2.5", "", "15"]),
                          ("extra_months", ["24", "25", "1", "0"])):
        for value in values:
            page.fill(f"input[data-field={field}]", value)
            assert_surface(page, f"little rose, {field} = {value!r}")
    assert page.eval_on_selector(".cs-checklist", "d => d.open") is True  # kept open across redraws
    open_all_folds(page)
    assert_surface(page, "little rose with every fold open")
    site_page.watch.assert_clean()


# --- Every tool as it opens, at the narrowest width, in both themes ------------------------------


@pytest.mark.parametrize("site_context_options", [PHONE], ids=["320px"])
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_each_page_reads_cleanly_at_320px(site_page, name, theme):
    page = open_tool(site_page, name, theme)
    open_all_folds(page)
    assert_surface(page, f"{name} at 320 px, {theme}")
    site_page.watch.assert_clean()
