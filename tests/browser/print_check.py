"""Print checks, run by test_pages.py on each loaded page: printing a page gives the article
as clean, dark-on-white text with no navigation chrome (``_static/print.css`` on top of the
theme's own print rules), in either colour mode."""

from __future__ import annotations

# Navigation chrome: none of it may take space on paper.
CHROME = [
    ".bd-header", ".bd-header-article", ".bd-sidebar-primary", ".bd-sidebar-secondary",
    ".prev-next-area", "#pst-back-to-top", ".skip-link", "#jb-print-docs-body",
    ".theme-switch-button", ".search-button", ".search-button-field", ".sidebar-toggle", ".headerlink",
    "nav",
]
# Containers of case-study widgets and self-check questions: they print (their own summary of
# their state is the widget's business), so they must not be hidden.
WIDGET_CONTAINERS = ".cell_output, .jupyter-widgets, .widget-subarea, [class*='self-check'], [class*='selfcheck']"

PRINT_STATE = """(args) => {
  const [chrome, widgets] = args;
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const article = document.querySelector('article.bd-article') || document.querySelector('main article') || document.querySelector('main');
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + [...el.classList].slice(0, 3).join('.');
  const lum = (c) => { const p = (c.match(/[\\d.]+/g) || [0, 0, 0]).slice(0, 3).map(Number).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2]; };
  const faint = [];
  if (article) {
    for (const el of article.querySelectorAll('p, li, h1, h2, h3, h4, td, th, dt, dd, figcaption, caption, blockquote')) {
      if (!shown(el) || !el.textContent.trim()) continue;
      const ratio = 1.05 / (lum(getComputedStyle(el).color) + 0.05);  // against white paper
      if (ratio < 4.5) faint.push(describe(el) + ' ' + getComputedStyle(el).color + ' ' + ratio.toFixed(2) + ':1');
    }
  }
  return {
    chrome: chrome.flatMap(sel => [...document.querySelectorAll(sel)].filter(el => shown(el) && !(article && sel === 'nav' && article.contains(el))).map(el => sel + ' -> ' + describe(el))),
    articleShown: !!article && shown(article),
    articleText: article ? article.innerText.trim().length : 0,
    titleShown: !!(article && article.querySelector('h1') && shown(article.querySelector('h1'))),
    hiddenWidgets: [...document.querySelectorAll(widgets)].filter(el => !shown(el) && !el.closest('details:not([open])') && el.closest('main')).map(describe),
    faint: faint.slice(0, 10),
  };
}"""


def print_problems(page, where: str) -> list[str]:
    """Emulate print on an open page; return what is wrong with it on paper (then back to screen)."""
    page.emulate_media(media="print")
    try:
        state = page.evaluate(PRINT_STATE, [CHROME, WIDGET_CONTAINERS])
    finally:
        page.emulate_media(media="screen")
    problems = []
    if not (state["articleShown"] and state["articleText"] > 100):
        problems.append(f"{where}: the article text does not print")
    if not state["titleShown"]:
        problems.append(f"{where}: the page title does not print")
    problems += [f"{where}: navigation chrome prints: {c}" for c in state["chrome"]]
    problems += [f"{where}: widget container hidden: {w}" for w in state["hiddenWidgets"]]
    problems += [f"{where}: text too faint on white paper: {f}" for f in state["faint"]]
    return problems
