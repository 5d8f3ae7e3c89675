"""Every page fits a phone (320 and 390 px wide, touch): the page never scrolls sideways,
no table cell is narrower than its longest word (a line may break after a hyphen, as print
does, never inside a word: no "mi/ssi/ng"), and every form control lies on the screen (or in
its own scrolling box) with its label whole. The search field's icon does not cover the query.

Words are measured where they are drawn: a DOM Range over each word gives one box per line it
spans, so a word cut over two lines is seen as such, whatever the font."""

from __future__ import annotations

import pytest
from browser_pages import PAGES, open_page

WIDTHS = (320, 390)


def phone(width: int) -> dict:
    return {"viewport": {"width": width, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


FIT = r"""() => {
  const root = document.scrollingElement || document.documentElement;
  const vw = root.clientWidth;
  window.scrollTo(10000, window.scrollY);
  const scrolledX = window.scrollX;
  window.scrollTo(0, window.scrollY);
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].slice(0, 2).map(c => '.' + c).join('');
  const where = (el) => {
    const parts = [];
    for (let n = el; n && n !== document.body && parts.length < 4; n = n.parentElement) parts.unshift(describe(n));
    return parts.join(' > ');
  };
  const shown = (el) => el.getClientRects().length > 0 &&
    el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true});
  // Inside a visually hidden box (a stacked table's header row kept for screen readers)?
  const hiddenBox = (el) => {
    for (let n = el; n && n !== document.body; n = n.parentElement) {
      const r = n.getBoundingClientRect();
      if ((r.width <= 1 || r.height <= 1) && getComputedStyle(n).overflow !== 'visible') return true;
    }
    return false;
  };
  // The nearest ancestor that scrolls or clips sideways, if it fits the screen itself.
  const inOwnBox = (el) => {
    for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) {
      if (/auto|scroll|hidden|clip/.test(getComputedStyle(n).overflowX)) {
        const r = n.getBoundingClientRect();
        return r.left >= -1 && r.right <= vw + 1;
      }
    }
    return false;
  };
  // Each word of el's text (split at white space, and after a hyphen), with the lines it is drawn on.
  const brokenWords = (el) => {
    const out = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\s-]+-?/g)) {
        if (m[0].length < 2) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top / 4)));
        if (tops.size > 1) out.push(m[0]);
      }
    }
    return out;
  };
  const cells = [];
  for (const cell of document.querySelectorAll('td, th')) {
    if (!shown(cell) || hiddenBox(cell)) continue;
    const broken = brokenWords(cell);
    if (broken.length) {
      const cs = getComputedStyle(cell);
      const inner = cell.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      cells.push(`${where(cell)} "${cell.textContent.trim().slice(0, 40)}": ${JSON.stringify(broken.slice(0, 3))} cut over lines in ${Math.round(inner)} px`);
    }
  }
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;left:-9999px;top:0;white-space:nowrap;visibility:hidden';
  document.body.appendChild(probe);
  const longestWord = (text, el) => {
    const cs = getComputedStyle(el);
    probe.style.font = cs.font;
    probe.style.letterSpacing = cs.letterSpacing;
    let widest = 0;
    for (const w of (text || '').split(/\s+/).filter(Boolean)) {
      probe.textContent = w;
      widest = Math.max(widest, probe.getBoundingClientRect().width);
    }
    return widest;
  };
  const controls = [];
  for (const el of document.querySelectorAll('button, select, textarea, input:not([type=hidden])')) {
    if (!shown(el) || hiddenBox(el)) continue;
    const r = el.getBoundingClientRect();
    const problems = [];
    if ((r.left < -1 || r.right > vw + 1) && !inOwnBox(el)) problems.push(`off the screen (${Math.round(r.left)}..${Math.round(r.right)} of ${vw})`);
    if (r.width < 1 || r.height < 1) problems.push('squashed to nothing');
    const cs = getComputedStyle(el);
    const inner = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    if (el.tagName === 'BUTTON') {
      if (el.scrollWidth > el.clientWidth + 1) problems.push(`label wider than the button (${el.scrollWidth} > ${el.clientWidth} px)`);
      const broken = brokenWords(el);
      if (broken.length) problems.push(`label words cut over lines: ${JSON.stringify(broken.slice(0, 3))}`);
    } else if (el.tagName === 'SELECT') {
      const option = el.options[el.selectedIndex];
      const need = longestWord(option ? option.text : '', el);
      if (need > inner + 1) problems.push(`a word of its choice "${option.text.slice(0, 30)}" needs ${Math.round(need)} px, has ${Math.round(inner)}`);
    } else if (!['checkbox', 'radio', 'range', 'color', 'file'].includes(el.type)) {
      const need = longestWord(el.value || el.placeholder, el);
      if (need > inner + 1) problems.push(`its text needs ${Math.round(need)} px, has ${Math.round(inner)}`);
    }
    if (problems.length) controls.push(`${where(el)} "${(el.getAttribute('aria-label') || el.textContent || el.name || '').trim().slice(0, 30)}": ${problems.join('; ')}`);
  }
  probe.remove();
  return {vw, docWidth: root.scrollWidth, scrolledX, cells, controls};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES or ["<no built site>"])
def test_page_fits_a_phone(built_site, browser, site_server, path, width):
    loaded = open_page(browser, site_server, path, "light", **phone(width))
    try:
        fit = loaded.page.evaluate(FIT)
        loaded.watch.assert_clean()
    finally:
        loaded.page.context.close()
    where = f"{path} at {width} px"
    problems = []
    if fit["scrolledX"] or fit["docWidth"] > fit["vw"]:
        problems.append(f"the page scrolls sideways ({fit['docWidth']} px of content in {fit['vw']} px)")
    problems += [f"table cell narrower than its longest word: {c}" for c in fit["cells"]]
    problems += [f"form control: {c}" for c in fit["controls"]]
    assert not problems, f"{where}:\n  " + "\n  ".join(problems)


ICON_AND_QUERY = """() => {
  const form = document.querySelector('.bd-search-container form.bd-search');
  const icon = form.querySelector('.fa-magnifying-glass');
  const input = form.querySelector('input[name=q]');
  const text = input.getBoundingClientRect().left + parseFloat(getComputedStyle(input).paddingLeft);
  return {iconRight: icon.getBoundingClientRect().right, textLeft: text, query: input.value};
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_search_icon_leaves_the_query_readable(built_site, browser, site_server, width):
    loaded = open_page(browser, site_server, "search.html?q=compensation", "light", **phone(width))
    try:
        box = loaded.page.evaluate(ICON_AND_QUERY)
    finally:
        loaded.page.context.close()
    assert box["query"] == "compensation"
    assert box["iconRight"] <= box["textLeft"] + 0.5, (
        f"at {width} px the search icon ends at {box['iconRight']:.1f} px, over the query's first letter at {box['textLeft']:.1f} px")
