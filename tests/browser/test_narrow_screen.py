"""At 360 px wide (a small phone) no page scrolls sideways, and every control of the
article (widgets, quiz questions) lies within the screen or inside its own scrolling box."""

from __future__ import annotations

import pytest
from browser_pages import PAGES, open_page

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}

NARROW_STATE = """() => {
  const root = document.scrollingElement || document.documentElement;
  const vw = root.clientWidth;
  window.scrollTo(10000, window.scrollY);
  const scrolledX = window.scrollX;
  window.scrollTo(0, window.scrollY);
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + [...el.classList].slice(0, 3).join('.');
  // An element inside a box that scrolls or clips horizontally, and itself fits the screen,
  // does not widen the page (a wide table in its own scrolling box is fine).
  const contained = (el) => {
    for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) {
      const o = getComputedStyle(n).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') {
        const r = n.getBoundingClientRect();
        return r.right <= vw + 1 && r.left >= -1;
      }
    }
    return false;
  };
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if ((r.right > vw + 1 || r.left < -1) && r.width > 0 && shown(el) && !contained(el)) wide.push(describe(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  const main = document.querySelector('main') || document.body;
  const controls = [...main.querySelectorAll('button, input:not([type=hidden]), select, textarea, [role=slider], [role=button], [role=radio], [role=checkbox], [role=tab]')].filter(shown);
  const unusable = controls.filter(el => {
    const r = el.getBoundingClientRect();
    if (contained(el)) return false;
    return r.right > vw + 1 || r.left < -1 || r.width < 1 || r.height < 1;
  }).map(el => describe(el) + ' ' + JSON.stringify(el.getBoundingClientRect().toJSON()));
  return { vw, docWidth: root.scrollWidth, bodyWidth: document.body.scrollWidth, scrolledX, wide: wide.slice(0, 12), controls: controls.length, unusable };
}"""


@pytest.mark.parametrize("path", PAGES or ["<no built site>"])
def test_no_sideways_scrolling_at_360px(built_site, browser, site_server, path):
    loaded = open_page(browser, site_server, path, "light", **PHONE)
    try:
        state = loaded.page.evaluate(NARROW_STATE)
        loaded.watch.assert_clean()
    finally:
        loaded.page.context.close()
    where = f"{path} at 360 px (layout width {state['vw']}, document {state['docWidth']}, body {state['bodyWidth']})"
    assert state["scrolledX"] == 0 and state["docWidth"] <= state["vw"], (
        f"{where}: the page scrolls sideways by {state['docWidth'] - state['vw']} px; wider elements:\n  " + "\n  ".join(state["wide"]))
    assert not state["unusable"], f"{where}: controls outside the screen or squashed:\n  " + "\n  ".join(state["unusable"])
