"""Light pages (_ext/light_pages.py, _ext/lean_assets.py): what decides that a theme rule stays, custom properties and
icon glyphs no rule needs, and a small site built with the theme: bundles named by content,
feature scripts only where their feature is, the search index on the search page alone."""

from __future__ import annotations

import gzip
import hashlib
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import lean_assets as lean  # _ext/, on the path as for the build (conftest.py)
import pytest

EXT = Path(__file__).resolve().parents[2] / "_ext"


def usage(tags=(), classes=(), ids=(), attrs=(), words=()):
    return {"tags": set(tags), "classes": set(classes), "ids": set(ids), "attrs": set(attrs),
            "words": set(words), "script_words": set(words)}


@pytest.mark.parametrize("selector, kept", [
    (".btn", True),
    (".btn.carousel-item", False),              # one class no page uses: the rule cannot match
    ("html[data-theme=dark] .btn:hover", True),  # states and attributes the pages have
    ("[data-bs-popper] .btn", False),
    (".btn:not(.carousel-item)", True),          # what :not() names need not exist
    (":is(.btn, .nothing) > span", True),
    ("dialog#pst-search-dialog .btn", True),
    ("#missing", False),
    ("table td", False),                         # no table on any page
    ("::selection", True),
    (".sm\\:wide", False),
])
def test_a_rule_stays_when_a_page_could_match_it(selector, kept):
    used = usage(tags={"html", "body", "span", "dialog", "button"}, classes={"btn"}, ids={"pst-search-dialog"},
                 attrs={"data-theme"})
    assert lean.selector_used(selector, used) is kept


def test_words_of_scripts_keep_the_classes_they_add():
    assert lean.selector_used(".dropdown-menu.show", usage(classes={"dropdown-menu"}, words={"show"}))
    assert not lean.selector_used(".dropdown-menu.show", usage(classes={"dropdown-menu"}))


def test_stylesheet_keeps_used_rules_inside_media_and_rewrites_urls(tmp_path):
    (tmp_path / "_static" / "styles").mkdir(parents=True)
    (tmp_path / "_static" / "styles" / "theme.css").write_text(textwrap.dedent("""
        @import "../basic.css";
        .used { background: url(../img/a.png) }
        .unused { color: red }
        @media (min-width: 960px) { .used { margin: 0 } .unused { margin: 1px } }
        @media print { .unused { display: none } }
        @keyframes spin { to { transform: rotate(1turn) } }
        """), encoding="utf-8")
    (tmp_path / "_static" / "basic.css").write_text("div.body { margin: 0 } /* a comment */ p { x: 1 }", encoding="utf-8")
    sheet = lean.Stylesheet(tmp_path, "_static/light/theme.css")
    sheet.add_file("_static/styles/theme.css", usage(tags={"p"}, classes={"used"}))
    text = sheet.text()
    assert "url(../img/a.png)" in text  # still the same file, from the bundle's folder
    assert ".unused" not in text and "@media print" not in text and "div.body" not in text
    assert "@media (min-width: 960px){.used{margin: 0}}" in text and "p{x: 1}" in text
    assert "comment" not in text
    assert "spin" not in lean.prune_keyframes([text], [])[0]


def test_custom_properties_nothing_reads_are_dropped():
    sheets = [":root{--a: 1px;--b: var(--c);--c: red;--unused: 2px;--read-by-script: 0}.x{margin:var(--a);color:var(--b)}"]
    out = lean.prune_custom_properties(sheets, readers=[".y{padding: var(--from-page, 0)}"], words={"--read-by-script"})[0]
    assert "--unused" not in out
    assert all(name in out for name in ("--a:", "--b:", "--c:", "--read-by-script:"))


def test_icon_font_subset_to_the_glyphs_drawn(tmp_path):
    import pydata_sphinx_theme

    webfonts = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "vendor" / "fontawesome" / "webfonts"
    (tmp_path / "_static" / "light").mkdir(parents=True)
    face = '@font-face{font-family:"Font Awesome 6 Free";font-weight:%s;src:url(' + str(webfonts) + '/%s) format("woff2")}'
    sheet = (face.replace("%s", "900", 1).replace("%s", "fa-solid-900.woff2", 1)
             + face.replace("%s", "400", 1).replace("%s", "fa-regular-400.woff2", 1)
             + '.fa-solid{font-family:"Font Awesome 6 Free";font-weight:900}.fa-arrow-up:before{content:"\uf062"}')
    out = lean.subset_fonts(sheet, tmp_path, "_static/light/theme.css", usage(classes={"fa-solid", "fa-arrow-up"}))
    assert "fa-regular-400" not in out  # no page uses the regular style
    subset = tmp_path / "_static" / "light" / "fa-solid-900.woff2"
    digest = hashlib.sha256(subset.read_bytes()).hexdigest()[:10]
    assert f"url(fa-solid-900.woff2?v={digest})" in out
    assert subset.stat().st_size < (webfonts / "fa-solid-900.woff2").stat().st_size / 20
    from fontTools.ttLib import TTFont

    assert 0xF062 in TTFont(subset).getBestCmap()
    again = lean.subset_fonts(sheet, tmp_path, "_static/light/theme.css", usage(classes={"fa-solid", "fa-arrow-up"}))
    assert again == out  # the same bytes each build: no new name, nothing for browsers to fetch again


def _build(src: Path, out: Path, light_pages: bool) -> None:
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "-D", f"light_pages={int(light_pages)}",
                    str(src), str(out)], check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    src = tmp_path_factory.mktemp("light-src")
    (src / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(EXT)!r})
        extensions = ["light_pages", "sphinx_copybutton", "sphinx_togglebutton"]
        html_theme = "sphinx_book_theme"
        templates_path = [{str(EXT.parent / "_templates")!r}]
        """), encoding="utf-8")
    (src / "index.rst").write_text("Course\n======\n\nText.\n\n.. toctree::\n\n   code\n", encoding="utf-8")
    (src / "code.rst").write_text("Code\n====\n\n.. code-block:: python\n\n   print(1)\n", encoding="utf-8")
    sites = {}
    for on in (False, True):
        out = tmp_path_factory.mktemp("light-on" if on else "light-off")
        _build(src, out, on)
        sites[on] = out
    return sites


def _assets(page: Path) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]+\.(?:css|js)[^"]*)"', page.read_text(encoding="utf-8"))


def test_small_site_bundles_are_named_by_their_content(small_site):
    site = small_site[True]
    for page in ("index.html", "code.html", "search.html"):
        for url in _assets(site / page):
            if "_static/light/" in url:
                path, version = url.split("?v=")
                assert hashlib.sha256((site / path).read_bytes()).hexdigest()[:10] == version, url
    index = _assets(site / "index.html")
    assert not [u for u in index if re.search(r"searchindex|searchtools|bootstrap|pydata-sphinx-theme\.css|copybutton", u)]
    assert [u for u in _assets(site / "code.html") if "copybutton.js" in u]  # the page with code has its button
    assert [u for u in _assets(site / "search.html") if "searchindex.js" in u]


def test_small_site_is_much_lighter(small_site):
    def weight(site, page):
        total = 0
        for url in _assets(site / page):
            data = (site / url.split("?")[0]).read_bytes()
            total += len(gzip.compress(data))
        return total

    assert weight(small_site[True], "index.html") < weight(small_site[False], "index.html") / 3
