"""The site navigation and the page's contents work at every width, by touch, mouse and keyboard.

Below 992 px the theme opens the navigation (menu button) and the page's contents ("Contents"
button) as modal drawers; from 992 px the navigation sits beside the article and the menu
button folds it. Either way a reader opens it, sees and reaches its links, follows one to a
case study, and gets focus back on the button when the drawer closes. There is exactly one
menu button and one search control on the screen: the theme's scripts bind to the first
element with the button's classes, so a hidden second copy left the visible one dead."""

from __future__ import annotations

import pytest
from browser_pages import PAGES, open_page

WIDTHS = (320, 390, 900, 1280)
DOCKED = 992  # from this width sphinx-book-theme docks the navigation beside the article
START = "book/index.html"
CASE_STUDIES = [p for p in PAGES if p.startswith("book/case-studies/")]
CASE_STUDY = CASE_STUDIES[0] if CASE_STUDIES else "book/case-studies/<none built>"
needs_site = pytest.mark.skipif(START not in PAGES or not CASE_STUDIES, reason="no built site with a case study")


def context_for(width: int) -> dict:
    options = {"viewport": {"width": width, "height": 800}}
    if width < DOCKED:  # a phone or a tablet: touch
        options.update(is_mobile=width < 600, has_touch=True)
    return options


def press(page, locator, width: int) -> None:
    locator.tap() if width < DOCKED else locator.click()


# What a reader can see and reach of the navigation: whether its links lie on the screen and
# are the topmost thing where they are drawn (nothing covers them), and where focus is.
STATE = """() => {
  const toggle = document.querySelector('.primary-toggle');
  const dialog = document.getElementById('pst-primary-sidebar-modal');
  const nav = document.querySelector('nav.bd-docs-nav');
  const links = [...nav.querySelectorAll('a[href]')].filter(a => {
    const r = a.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.left < 0 || r.right > innerWidth || r.top < 0 || r.bottom > innerHeight) return false;
    if (!a.checkVisibility({visibilityProperty: true, opacityProperty: true})) return false;
    const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 20), r.top + r.height / 2);
    return !!hit && (hit === a || a.contains(hit));
  });
  const active = document.activeElement;
  return {
    toggles: document.querySelectorAll('.primary-toggle').length,
    dialogOpen: !!dialog && dialog.open,
    visibleLinks: links.length,
    focusInDrawer: !!active && !!dialog && dialog.open && dialog.contains(active) && active !== dialog,
    focusOnToggle: active === toggle,
    focused: active ? active.outerHTML.slice(0, 80) : null,
    expanded: toggle.getAttribute('aria-expanded'),
  };
}"""


def state(page) -> dict:
    page.wait_for_timeout(350)  # the theme's 0.25 s slide
    return page.evaluate(STATE)


def case_study_link(page):
    return page.locator(f'nav.bd-docs-nav a[href$="{CASE_STUDY.rsplit("/", 2)[-2]}/{CASE_STUDY.rsplit("/", 1)[-1]}"]').first


def arrived(page) -> bool:
    return page.url.split("?")[0].split("#")[0].endswith(CASE_STUDY) and page.locator("main h1").count() > 0


@needs_site
@pytest.mark.parametrize("width", WIDTHS)
def test_one_menu_button_one_search_and_no_top_bar(built_site, browser, site_server, width):
    loaded = open_page(browser, site_server, START, "light", **context_for(width))
    try:
        found = loaded.page.evaluate("""() => {
          const shown = (el) => el.getClientRects().length > 0 && el.checkVisibility({visibilityProperty: true});
          const header = document.getElementById('pst-header');
          return {
            toggles: document.querySelectorAll('.primary-toggle').length,
            shownToggles: [...document.querySelectorAll('.primary-toggle')].filter(shown).length,
            contents: document.querySelectorAll('.secondary-toggle').length,
            searches: [...document.querySelectorAll('.search-button, .search-button-field')].filter(shown).length,
            topBar: header ? Math.round(header.getBoundingClientRect().height) : 0,
          };
        }""")
        loaded.watch.assert_clean()
    finally:
        loaded.page.context.close()
    assert found["toggles"] == 1 and found["shownToggles"] == 1, f"at {width} px: {found['toggles']} menu buttons, {found['shownToggles']} shown (one of each expected)"
    assert found["contents"] <= 1, f"at {width} px: {found['contents']} Contents buttons"
    assert found["searches"] == 1, f"at {width} px: {found['searches']} search controls on the screen"
    assert found["topBar"] == 0, f"at {width} px: a {found['topBar']} px top bar above the article"


@needs_site
@pytest.mark.parametrize("width", WIDTHS)
def test_menu_by_touch_or_mouse_leads_to_a_case_study(built_site, browser, site_server, width):
    loaded = open_page(browser, site_server, START, "light", **context_for(width))
    page = loaded.page
    try:
        toggle = page.locator(".primary-toggle:visible")
        before = state(page)
        if width < DOCKED:
            assert not before["dialogOpen"] and before["visibleLinks"] == 0 and before["expanded"] == "false", before
            press(page, toggle, width)
            opened = state(page)
            assert opened["dialogOpen"] and opened["visibleLinks"] >= 5, f"at {width} px the menu did not open: {opened}"
            assert opened["focusInDrawer"] and opened["expanded"] == "true", opened
            press(page, page.locator("dialog[open] .course-drawer-close"), width)
            closed = state(page)
            assert not closed["dialogOpen"] and closed["visibleLinks"] == 0, f"Close left the drawer open: {closed}"
            assert closed["focusOnToggle"] and closed["expanded"] == "false", f"focus did not return to the menu button: {closed}"
            press(page, toggle, width)
            assert state(page)["dialogOpen"]
        else:
            assert before["visibleLinks"] >= 5 and before["expanded"] == "true", before
            press(page, toggle, width)
            folded = state(page)
            assert folded["visibleLinks"] == 0 and folded["expanded"] == "false", f"the menu button did not fold the navigation: {folded}"
            assert folded["focusOnToggle"], f"focus left the menu button: {folded}"
            press(page, toggle, width)
            unfolded = state(page)
            assert unfolded["visibleLinks"] >= 5 and unfolded["expanded"] == "true" and unfolded["focusOnToggle"], unfolded
        link = case_study_link(page)
        link.scroll_into_view_if_needed()
        with page.expect_navigation():
            press(page, link, width)
        assert arrived(page), f"the navigation's link led to {page.url}, not {CASE_STUDY}"
        loaded.watch.assert_clean()
    finally:
        page.context.close()


def tab_to(page, selector: str, key: str = "Tab", limit: int = 120) -> bool:
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return True
    return False


@needs_site
@pytest.mark.parametrize("width", WIDTHS)
def test_menu_by_keyboard_and_focus_comes_back(built_site, browser, site_server, width):
    loaded = open_page(browser, site_server, START, "light", **context_for(width))
    page = loaded.page
    target = f'nav.bd-docs-nav a[href$="{CASE_STUDY.rsplit("/", 1)[-1]}"]'
    try:
        assert tab_to(page, ".primary-toggle"), "Tab never reaches the menu button"
        if width < DOCKED:
            page.keyboard.press("Enter")
            opened = state(page)
            assert opened["dialogOpen"] and opened["visibleLinks"] >= 5 and opened["focusInDrawer"], f"Enter did not open the menu with focus in it: {opened}"
            page.keyboard.press("Tab")
            assert state(page)["focusInDrawer"], "Tab left the open drawer"
            page.keyboard.press("Escape")
            closed = state(page)
            assert not closed["dialogOpen"] and closed["visibleLinks"] == 0, f"Escape did not close the menu: {closed}"
            assert closed["focusOnToggle"] and closed["expanded"] == "false", f"focus did not return to the menu button: {closed}"
            page.keyboard.press("Space")
            assert state(page)["dialogOpen"], "Space did not open the menu"
            assert tab_to(page, target), "Tab never reaches the case study's link in the drawer"
        else:
            page.keyboard.press("Enter")
            folded = state(page)
            assert folded["visibleLinks"] == 0 and folded["focusOnToggle"] and folded["expanded"] == "false", f"Enter did not fold the navigation, focus kept: {folded}"
            page.keyboard.press("Enter")
            unfolded = state(page)
            assert unfolded["visibleLinks"] >= 5 and unfolded["focusOnToggle"] and unfolded["expanded"] == "true", unfolded
            # The navigation comes before the article: back from the button into its links.
            assert tab_to(page, target, key="Shift+Tab"), "Shift+Tab never reaches the case study's link"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert arrived(page), f"Enter on the navigation's link led to {page.url}, not {CASE_STUDY}"
        loaded.watch.assert_clean()
    finally:
        page.context.close()


CONTENTS = """() => {
  const toggle = document.querySelector('.secondary-toggle');
  const dialog = document.getElementById('pst-secondary-sidebar-modal');
  const toc = [...document.querySelectorAll('#pst-page-toc-nav a[href]')];
  const onScreen = toc.filter(a => {
    const r = a.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 20), r.top + r.height / 2);
    return r.width > 0 && r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight && !!hit && (hit === a || a.contains(hit));
  });
  const active = document.activeElement;
  return {
    toggleShown: !!toggle && toggle.getClientRects().length > 0 && toggle.checkVisibility({visibilityProperty: true}),
    dialogOpen: !!dialog && dialog.open, links: onScreen.length,
    focusInDrawer: !!dialog && dialog.open && dialog.contains(active), focusOnToggle: active === toggle,
    name: toggle ? toggle.getAttribute('aria-label') : null,
  };
}"""


@needs_site
@pytest.mark.parametrize("width", WIDTHS)
def test_contents_open_and_close(built_site, browser, site_server, width):
    loaded = open_page(browser, site_server, CASE_STUDY, "light", **context_for(width))
    page = loaded.page
    try:
        page.wait_for_timeout(350)
        first = page.evaluate(CONTENTS)
        if not first["toggleShown"]:
            assert width >= DOCKED and first["links"] >= 2, f"at {width} px the page's contents are neither beside the article nor behind a button: {first}"
            return
        assert first["name"] == "Contents" and not first["dialogOpen"], first
        press(page, page.locator(".secondary-toggle:visible"), width)
        page.wait_for_timeout(350)
        opened = page.evaluate(CONTENTS)
        assert opened["dialogOpen"] and opened["links"] >= 2 and opened["focusInDrawer"], f"Contents did not open with focus in it: {opened}"
        if width < DOCKED:  # a tap beside the drawer (it opens on the right) closes it
            page.touchscreen.tap(8, 400)
        else:
            page.keyboard.press("Escape")
        page.wait_for_timeout(350)
        closed = page.evaluate(CONTENTS)
        assert not closed["dialogOpen"] and closed["focusOnToggle"], f"Contents did not close with focus back on its button: {closed}"
        page.locator(".secondary-toggle:visible").focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(350)
        assert page.evaluate(CONTENTS)["focusInDrawer"], "Enter did not open the contents"
        page.keyboard.press("Escape")
        page.wait_for_timeout(350)
        assert page.evaluate(CONTENTS)["focusOnToggle"], "Escape did not give focus back to the Contents button"
        loaded.watch.assert_clean()
    finally:
        page.context.close()
