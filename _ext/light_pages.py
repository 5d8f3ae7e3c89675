"""Light pages: every page loads only the theme's styles, scripts and icons the site uses.

A stock page of the theme is about 930 KB on a cold load (316 KB compressed) in 28 requests,
most of it stylesheets for components the site never shows, an icon font of 2,000 glyphs drawn
for a dozen, and the search machinery on pages that have no search. For a reader on a phone and
a metered link, at build time this extension

- joins the theme's stylesheets into ``_static/light/theme.css`` and the site-wide ones
  (Sphinx's, the extensions' and the course's own, in their order) into ``site.css``, keeping
  only the rules whose classes, ids, elements and attributes occur in a built page or a script
  that runs on one, and only the custom properties something still reads;
- subsets each Font Awesome webfont to the glyphs those rules draw (fontTools) and drops the
  faces no page uses;
- joins the site-wide scripts into ``site.js`` (head, as they were), the theme's deferred
  ones into ``theme.js`` and the search page's into ``search.js``; leaves a feature's script (copy button, toggles, tabs) only on the
  pages that have that feature, and the search index only on the search page, which is the
  only one that reads it.

Each bundle is named with a hash of its content (``?v=``), written into every page once the
bundles are made (they depend on every page), so a browser never pairs a page with an old
bundle. Page-specific files (self-check, widget host) stay separate and load where used.

The pruning, subsetting and joining are plain functions in ``lean_assets.py``; this module is
the Sphinx side (which files a page names, the bundles in their place, when they are made).

``light_pages = False`` (Sphinx config) builds the stock pages, for comparison
(``benchmarks/page_weight.py --compare``). The templates that emit the bundles are
``_templates/layout.html`` and ``_templates/static/webpack-macros.html``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

from lean_assets import (
    Stylesheet,
    ascii_css,
    join_scripts,
    prune_custom_properties,
    prune_keyframes,
    script_source,
    site_pages,
    subset_fonts,
    usage_of,
)
from sphinx.util import logging

logger = logging.getLogger(__name__)

FOLDER = "_static/light"
# The theme's deferred scripts and pre-assets stylesheets, read from its own macros file.
MACROS = "static/webpack-macros.html"
BUNDLE_REF = re.compile(r"(_static/light/(?:theme|site|search)\.(?:css|js))(?:\?v=[0-9a-zA-Z]*)?")
# The search page's scripts, one file there (_templates/search.html); the index stays Sphinx's.
SEARCH_SCRIPTS = ("_static/searchtools.js", "_static/language_data.js")
# The theme's Bootstrap bundle, for the two behaviours its pages use (see theme-components.js).
REPLACED = {"_static/scripts/bootstrap.js": Path(__file__).with_name("theme-components.js")}
# Apps published with the site that bring their own pages and assets (JupyterLite's under lite/):
# not the theme's pages, so neither read for what the theme's pages use nor renamed.
OTHER_APPS = ("lite",)


# ---- Which page needs which feature script --------------------------------------------------

def _classes(body: str) -> set[str]:
    return {c for attr in re.findall(r'\bclass="([^"]*)"', body) for c in attr.split()}


def _has_code(body: str) -> bool:  # sphinx-copybutton's selector: div.highlight pre
    return "highlight" in _classes(body)


def _has_toggle(body: str) -> bool:  # sphinx-togglebutton's: .toggle, .admonition.dropdown
    classes = _classes(body)
    return "toggle" in classes or "dropdown" in classes


def _has_tabs(body: str) -> bool:  # sphinx-design's tab sets
    return "sd-tab-set" in _classes(body)


FEATURE_SCRIPTS = {
    "_static/clipboard.min.js": _has_code,
    "_static/copybutton.js": _has_code,
    "_static/togglebutton.js": _has_toggle,
    "_static/design-tabs.js": _has_tabs,
}


# ---- Page context: bundles in place of the site-wide files ----------------------------------

def _theme_assets(app) -> dict[str, list[str]]:
    """The files the theme's macros load on every page: pre-assets stylesheets, deferred scripts."""
    for folder in app.builder.theme.get_theme_dirs():
        macros = Path(folder, MACROS)
        if macros.is_file():
            text = macros.read_text(encoding="utf-8")
            pre = text.split("{% macro head_pre_assets() %}", 1)[1].split("{% endmacro %}", 1)[0]
            post = text.split("{% macro body_post() %}", 1)[1].split("{% endmacro %}", 1)[0]
            found = re.compile(r"pathto\('(_static/[^']+)'")
            return {"css": found.findall(pre), "js": found.findall(post)}
    raise RuntimeError(f"light_pages: the theme has no {MACROS}; switch light_pages off or update the extension")


class LightPages:
    """One build's light pages: the site-wide files, as the pages name them, and the bundles."""

    def __init__(self):
        self.site_files: tuple[list, list] = ([], [])
        self.sources: dict[str, list[str]] | None = None  # the first page's site-wide files, by name

    def note_site_files(self, app, pagename, templatename, context, doctree):
        """First of the page's handlers: the page's files before any extension adds its own.
        Sphinx keeps this list only in a private attribute of the builder (_orig_css_files)."""
        if app.builder.format == "html":
            self.site_files = (list(context["css_files"]), list(context["script_files"]))

    def page_context(self, app, pagename, templatename, context, doctree):
        if not app.config.light_pages or app.builder.format != "html":
            return
        site_css, site_js = (set(files) for files in self.site_files)
        body = context.get("body", "")

        css, shared_css = [], []
        for asset in list(context["css_files"]):
            if asset in site_css and "://" not in os.fspath(asset.filename):
                shared_css.append(os.fspath(asset.filename))
                if len(shared_css) == 1:
                    css.append(_bundle(context["css_files"], app.builder.add_css_file, "site.css", asset.priority))
            else:
                css.append(asset)
        js, shared_js = [], []
        for asset in list(context["script_files"]):
            name = os.fspath(asset.filename or "")
            if name in FEATURE_SCRIPTS:
                if FEATURE_SCRIPTS[name](body):
                    js.append(asset)
            elif asset in site_js and name and "://" not in name and not set(asset.attributes) - {"body"}:
                shared_js.append(name)
                if len(shared_js) == 1:
                    js.append(_bundle(context["script_files"], app.builder.add_js_file, "site.js", asset.priority))
            else:
                js.append(asset)
        context["css_files"], context["script_files"] = css, js
        context["light_assets"] = True

        sources = {"css": shared_css, "js": shared_js}
        if self.sources is None:
            self.sources = sources
        elif self.sources != sources:  # site-wide files are the same on every page, by definition
            logger.warning(f"light_pages: {pagename} has other site-wide files than the first page: "
                           f"{sources} / {self.sources}", type="light_pages")

    def finish(self, app, exception):
        if exception is None and app.config.light_pages and app.builder.format == "html":
            _make_bundles(app, self.sources)


def _bundle(files: list, add, name: str, priority: int):
    """The bundle ``name`` as an asset of the page, in place of the first file it joins.

    Sphinx's asset classes are private (sphinx.builders.html._assets); its public way to make
    one is the builder's add_css_file/add_js_file, which appends it to the page's list (the
    context's list is the builder's): made there, and taken back to be put in its place."""
    before = len(files)
    add(f"light/{name}", priority=priority)
    if len(files) != before + 1 or os.fspath(files[-1].filename) != f"{FOLDER}/{name}":
        raise RuntimeError(f"light_pages: could not make the asset of {name}: the page's list of files is not the "
                           "builder's (an extension replaced it?); switch light_pages off or update the extension")
    return files.pop()


# ---- Build finished: make the bundles, name them in every page -----------------------------------

def _make_bundles(app, sources: dict[str, list[str]] | None) -> None:
    outdir = Path(app.outdir)
    pages = site_pages(outdir, OTHER_APPS)
    folder = outdir / FOLDER
    if sources is None:  # no page was written: the bundles of the last build stand
        if folder.is_dir():
            return
        sources = {"css": [], "js": []}
    theme = _theme_assets(app)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)

    search = [n for n in SEARCH_SCRIPTS if (outdir / n).is_file()]
    bundle_js = [script_source(outdir, n, REPLACED) for n in theme["js"] + sources["js"] + search]
    usage, page_styles = usage_of(outdir, pages, bundle_js, FOLDER)
    sheets = []
    for target, names in (("theme.css", theme["css"]), ("site.css", sources["css"])):
        sheet = Stylesheet(outdir, f"{FOLDER}/{target}")
        for name in names:
            sheet.add_file(name, usage)
        sheets.append(sheet.text())
    readers = [p.read_text(encoding="utf-8", errors="replace") for p in page_styles]
    sheets = prune_keyframes(prune_custom_properties(sheets, readers, usage["words"]), readers)
    contents = {}
    for target, css in zip(("theme.css", "site.css"), sheets, strict=True):
        contents[target] = ascii_css(subset_fonts(css, outdir, f"{FOLDER}/{target}", usage))
    contents["theme.js"] = join_scripts(outdir, theme["js"], REPLACED)
    contents["site.js"] = join_scripts(outdir, sources["js"], REPLACED)
    if search:
        contents["search.js"] = join_scripts(outdir, search, REPLACED)
    versions = {}
    for name, text in contents.items():
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        versions[f"{FOLDER}/{name}"] = hashlib.sha256(data).hexdigest()[:10]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        named = BUNDLE_REF.sub(lambda m: f"{m[1]}?v={versions.get(m[1], '0')}", text)
        if named != text:
            page.write_text(named, encoding="utf-8")
    logger.info(f"[light_pages] {', '.join(f'{n} {len(t) // 1024} KB' for n, t in contents.items())}")


def setup(app):
    app.add_config_value("light_pages", True, "html", types=(bool,))
    light = LightPages()
    # Before any extension adds a page's own files, and after all of them (default priority 500).
    app.connect("html-page-context", light.note_site_files, priority=0)
    app.connect("html-page-context", light.page_context, priority=900)
    # After the theme and myst-nb, which write pygments.css and mystnb.css when the build finishes.
    app.connect("build-finished", light.finish, priority=700)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
