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

``light_pages = False`` (Sphinx config) builds the stock pages, for comparison
(``benchmarks/page_weight.py --compare``). The templates that emit the bundles are
``_templates/layout.html`` and ``_templates/static/webpack-macros.html``.
"""

from __future__ import annotations

import hashlib
import html.parser
import os
import posixpath
import re
import shutil
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

FOLDER = "_static/light"
# The theme's deferred scripts and pre-assets stylesheets, read from its own macros file.
MACROS = "static/webpack-macros.html"
SEARCH_ONLY = ("_static/searchtools.js", "_static/language_data.js", "searchindex.js")
BUNDLE_REF = re.compile(r"(_static/light/(?:theme|site|search)\.(?:css|js))(?:\?v=[0-9a-zA-Z]*)?")
# The search page's scripts, one file there (_templates/search.html); the index stays Sphinx's.
SEARCH_SCRIPTS = ("_static/searchtools.js", "_static/language_data.js")
# The theme's Bootstrap bundle, for the two behaviours its pages use (see theme-components.js).
REPLACED = {"_static/scripts/bootstrap.js": Path(__file__).with_name("theme-components.js")}
SOURCE_MAP = re.compile(r"^\s*(//|/\*)# sourceMappingURL=.*$", re.M)


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


def _page_context(app, pagename, templatename, context, doctree):
    if not app.config.light_pages or app.builder.format != "html":
        return
    from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

    builder = app.builder
    site_css = set(getattr(builder, "_orig_css_files", []))
    site_js = set(getattr(builder, "_orig_js_files", []))
    body = context.get("body", "")

    css, shared_css = [], []
    for asset in context["css_files"]:
        if asset in site_css and "://" not in os.fspath(asset.filename):
            shared_css.append(os.fspath(asset.filename))
            if len(shared_css) == 1:
                css.append(_CascadingStyleSheet(f"{FOLDER}/site.css", priority=asset.priority))
        else:
            css.append(asset)
    js, shared_js = [], []
    for asset in context["script_files"]:
        name = os.fspath(asset.filename or "")
        if name in FEATURE_SCRIPTS:
            if FEATURE_SCRIPTS[name](body):
                js.append(asset)
        elif asset in site_js and name and "://" not in name and not set(asset.attributes) - {"body"}:
            shared_js.append(name)
            if len(shared_js) == 1:
                js.append(_JavaScript(f"{FOLDER}/site.js", priority=asset.priority))
        else:
            js.append(asset)
    context["css_files"], context["script_files"] = css, js
    context["light_assets"] = True

    recorded = getattr(app, "_light_sources", None)
    sources = {"css": shared_css, "js": shared_js}
    if recorded is None:
        app._light_sources = sources
    elif recorded != sources:  # site-wide files are the same on every page, by definition
        logger.warning(f"light_pages: {pagename} has other site-wide files than the first page: {sources} / {recorded}",
                       type="light_pages")


# ---- What the built pages use ------------------------------------------------------------------

WORD = re.compile(r"-{0,2}[A-Za-z_][\w-]*")


class _Usage(html.parser.HTMLParser):
    """Tags, classes, ids and attribute names of a page, and the words of its inline scripts."""

    def __init__(self, usage: dict[str, set[str]]):
        super().__init__(convert_charrefs=True)
        self.usage = usage
        self.in_script = False
        self.assets: list[tuple[str, str]] = []  # (kind, url) of local scripts and stylesheets

    def handle_starttag(self, tag, attrs):
        u = self.usage
        u["tags"].add(tag)
        for name, value in attrs:
            u["attrs"].add(name)
            if name == "class" and value:
                u["classes"].update(value.split())
            elif name == "id" and value:
                u["ids"].add(value)
            elif name == "style" and value:
                u["words"].update(WORD.findall(value))
        a = dict(attrs)
        if tag == "script":
            self.in_script = True
            if a.get("src"):
                self.assets.append(("js", a["src"]))
        elif tag == "link" and "stylesheet" in (a.get("rel") or "") and a.get("href"):
            self.assets.append(("css", a["href"]))

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script:  # widget front ends and their CSS travel in the page as JSON
            self.usage["words"].update(WORD.findall(data))


# Apps published with the site that bring their own pages and assets (JupyterLite's under lite/):
# not the theme's pages, so neither read for what the theme's pages use nor renamed.
OTHER_APPS = ("lite",)


def site_pages(outdir: Path) -> list[Path]:
    pages = []
    for p in sorted(outdir.rglob("*.html")):
        folders = p.relative_to(outdir).parts[:-1]
        if folders and folders[0] in OTHER_APPS or any(part.startswith(("_", ".")) for part in folders):
            continue
        pages.append(p)
    return pages


def _local(outdir: Path, page: Path, url: str) -> Path | None:
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.I):
        return None
    path = (page.parent / url.split("?")[0].split("#")[0]).resolve()
    return path if path.is_file() and path.is_relative_to(outdir.resolve()) else None


def usage_of(outdir: Path, pages: list[Path], bundle_js: list[Path]) -> tuple[dict[str, set[str]], list[Path]]:
    """Everything a page or a script that runs on it may name, and the page-specific stylesheets."""
    usage = {k: set() for k in ("tags", "classes", "ids", "attrs", "words", "script_words")}
    scripts, styles = set(bundle_js), set()
    light = (outdir / FOLDER).resolve()
    for page in pages:
        parser = _Usage(usage)
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for kind, url in parser.assets:
            path = _local(outdir, page, url)
            # The search index is the pages' words, not code: it names no class.
            if path and not path.is_relative_to(light) and path.name != "searchindex.js":
                (scripts if kind == "js" else styles).add(path)
    for path in scripts:
        usage["script_words"].update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    usage["words"] |= usage["script_words"]
    return usage, sorted(styles)


# ---- CSS: keep what is used ----------------------------------------------------------------------

def _split_top(text: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside brackets, parentheses and strings."""
    parts, depth, quote, start = [], 0, None, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _drop_functional(selector: str) -> str:
    """Remove :not(), :is(), :where(), :has() and other functional pseudo-classes with their
    arguments: what they name need not be on the page for the rule to apply."""
    out, i = [], 0
    while i < len(selector):
        m = re.match(r"::?[\w-]+\(", selector[i:])
        if m:
            depth, j = 1, i + m.end()
            while j < len(selector) and depth:
                depth += {"(": 1, ")": -1}.get(selector[j], 0)
                j += 1
            i = j
            continue
        out.append(selector[i])
        i += 1
    return "".join(out)


def _unescape(name: str) -> str:
    return re.sub(r"\\([0-9a-fA-F]{1,6}\s?|.)", lambda m: chr(int(m[1], 16)) if re.match(r"[0-9a-fA-F]", m[1]) else m[1], name)


IDENT = r"(?:\\.|[\w-])+"


def selector_used(selector: str, usage: dict[str, set[str]]) -> bool:
    s = _drop_functional(selector)
    s = re.sub(r"\[\s*(" + IDENT + r")[^\]]*\]", lambda m: f" @attr_{m[1]} ", s)  # no ":" a pseudo-class could take
    s = re.sub(r"::?" + IDENT, " ", s)  # pseudo-classes and pseudo-elements
    known = usage["words"]
    for attr in re.findall(r"@attr_(" + IDENT + ")", s):
        attr = _unescape(attr).lower()
        if attr not in usage["attrs"] and attr not in known:
            return False
    s = re.sub(r"@attr_" + IDENT, " ", s)
    for cls in re.findall(r"\.(" + IDENT + ")", s):
        cls = _unescape(cls)
        if cls not in usage["classes"] and cls not in known:
            return False
    for ident in re.findall(r"#(" + IDENT + ")", s):
        ident = _unescape(ident)
        if ident not in usage["ids"] and ident not in known:
            return False
    for compound in re.split(r"[\s>+~]+", s):
        m = re.match(r"([a-zA-Z][\w-]*)", compound)
        if m:
            tag = m[1].lower()
            if tag not in usage["tags"] and tag not in known and tag not in ("html", "body"):
                return False
    return True


def _text(tokens) -> str:
    import tinycss2

    return re.sub(r"\s+", " ", tinycss2.serialize([t for t in tokens if t.type != "comment"])).strip()


class Stylesheet:
    """A bundle being made: rules kept from its sources, URLs made relative to the bundle."""

    def __init__(self, outdir: Path, target: str):
        self.outdir, self.target = outdir, target
        self.parts: list[str] = []

    def add_file(self, name: str, usage, seen=None) -> None:
        import tinycss2

        seen = seen if seen is not None else set()
        path = self.outdir / name
        if name in seen or not path.is_file():
            return
        seen.add(name)
        rules = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True)
        for rule in rules:
            if rule.type == "at-rule" and rule.lower_at_keyword == "import":
                ref = re.search(r"""["']([^"']+)["']|url\(\s*["']?([^"')]+)""", _text(rule.prelude))
                if ref:
                    self.add_file(posixpath.normpath(posixpath.join(posixpath.dirname(name), ref[1] or ref[2])), usage, seen)
                continue
            kept = self._rule(rule, usage, posixpath.dirname(name))
            if kept:
                self.parts.append(kept)

    def _rule(self, rule, usage, base: str) -> str:
        import tinycss2

        if rule.type == "qualified-rule":
            selectors = [s for s in _split_top(_text(rule.prelude)) if selector_used(s, usage)]
            if not selectors:
                return ""
            return ",".join(selectors) + "{" + self._declarations(rule.content, base) + "}"
        if rule.type != "at-rule":
            return ""
        keyword = rule.lower_at_keyword
        if keyword == "charset":
            return ""
        if keyword in ("media", "supports", "layer", "container", "document") and rule.content is not None:
            inner = "".join(self._rule(r, usage, base) for r in
                            tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
            return f"@{rule.at_keyword} {_text(rule.prelude)}{{{inner}}}" if inner else ""
        if rule.content is None:
            return f"@{rule.at_keyword} {_text(rule.prelude)};"
        if keyword == "font-face" or keyword.endswith("keyframes") or keyword == "page":
            body = self._declarations(rule.content, base) if keyword in ("font-face", "page") else _text(rule.content)
            return f"@{rule.at_keyword} {_text(rule.prelude)}{{{body}}}".replace(" {", "{")
        return f"@{rule.at_keyword} {_text(rule.prelude)}{{{_text(rule.content)}}}"

    def _declarations(self, content, base: str) -> str:
        text = _text(content)
        return re.sub(r"url\(\s*([\"']?)([^\"')]+)\1\s*\)", lambda m: f"url({self._url(m[2], base)})", text)

    def _url(self, url: str, base: str) -> str:
        if re.match(r"^([a-z][a-z0-9+.-]*:|//|#)", url, re.I):
            return url
        path, _, query = url.partition("?")
        resolved = posixpath.normpath(posixpath.join(base, path))
        rel = posixpath.relpath(resolved, posixpath.dirname(self.target))
        return rel + (f"?{query}" if query else "")

    def text(self) -> str:
        return "\n".join(self.parts) + "\n"


def prune_custom_properties(sheets: list[str], readers: list[str], words: set[str]) -> list[str]:
    """Drop ``--name: value`` declarations nothing reads (var(--name) in a kept rule, another
    kept custom property, a page-specific stylesheet, or a script), repeated until stable."""
    decl = re.compile(r"(?<=[{;])\s*(--[\w-]+)\s*:(?:[^;{}()]|\((?:[^()]|\([^()]*\))*\))*(?:;|(?=}))")
    script_vars = {w for w in words if w.startswith("--")}
    while True:
        joined = "\n".join(sheets)
        reads = set(re.findall(r"var\(\s*(--[\w-]+)", joined + "\n".join(readers))) | script_vars
        defined = set(m[1] for m in decl.finditer(joined))
        unread = defined - reads
        if not unread:
            break
        def drop(m, unread=unread):
            return "" if m[1] in unread else m[0]
        sheets = [decl.sub(drop, s) for s in sheets]
    # Rules and blocks left empty
    empty = re.compile(r"(?:^|(?<=[{}\n]))[^{}@\n][^{}]*\{\s*\}|@(?:media|supports|layer|container)[^{}]*\{\s*\}")
    out = []
    for s in sheets:
        previous = None
        while previous != s:
            previous, s = s, empty.sub("", s)
        out.append(s)
    return out


# ---- Icon fonts: only the glyphs drawn -----------------------------------------------------------

FONT_FACE = re.compile(r"@font-face\{([^{}]*)\}")
# Font Awesome's faces and the classes that select each; a face none of them is used for is dropped.
FA_STYLES = (("Brands", None, {"fab", "fa-brands"}), ("Free", "900", {"fas", "fa-solid"}),
             ("Free", "400", {"far", "fa-regular"}))


def _fa_classes(family: str, weight: str) -> set[str] | None:
    if "Font Awesome" not in family:
        return None
    for name, w, classes in FA_STYLES:
        if name in family and (w is None or w == weight):
            return classes
    return set()


def subset_fonts(sheet: str, outdir: Path, target: str, usage) -> str:
    """Subset each Font Awesome face of ``sheet`` to the characters its kept ``content:`` rules
    draw, as woff2; drop a face whose style no page uses. Other faces are left as they are."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    drawn = set()  # every string of the kept rules: content: values, and --pst-icon-* properties read by them
    for value in re.findall(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')", FONT_FACE.sub("", sheet)):
        drawn.update(_unescape(value[1:-1]))
    codepoints = {ord(c) for c in drawn if ord(c) > 0x7f}
    # Classes on the pages, and the long names in script files: "far" or "fab" in a script is as
    # likely prose or a variable as an icon, "fa-regular" is not.
    used = usage["classes"] | {w for w in usage["script_words"] if w.startswith("fa-")}

    def face(match):
        body = match[1]
        family = re.search(r"font-family:\s*([^;]+)", body)[1].strip()
        weight = (re.search(r"font-weight:\s*(\d+)", body) or [None, "400"])[1]
        classes = _fa_classes(family, weight)
        src = re.search(r"url\(([^)?]+\.woff2)[^)]*\)", body)
        if classes is None or not src:
            return match[0]
        if not classes & used:
            return ""
        source = (outdir / posixpath.dirname(target) / src[1]).resolve()
        font = TTFont(source, recalcTimestamp=False)  # no build time inside: same glyphs, same bytes
        wanted = sorted(c for c in codepoints if c in font.getBestCmap())
        if not wanted:
            return ""
        options = subset.Options()
        options.flavor = "woff2"
        options.name_IDs = ["*"]  # keep the copyright and licence records
        options.name_languages = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(font)
        out = outdir / FOLDER / source.name
        font.save(out)
        digest = hashlib.sha256(out.read_bytes()).hexdigest()[:10]
        return "@font-face{" + re.sub(r"src:[^;}]*", f'src:url({source.name}?v={digest}) format("woff2")', body) + "}"

    return FONT_FACE.sub(face, sheet)


def ascii_css(sheet: str) -> str:
    """Non-ASCII characters as CSS escapes: the file then reads the same whatever charset a
    host declares for it."""
    return re.sub(r"[^\x00-\x7f]", lambda m: f"\\{ord(m[0]):06x}", sheet)


KEYFRAMES = re.compile(r"@(?:-webkit-)?keyframes\s+([\w-]+)\s*\{(?:[^{}]|\{[^{}]*\})*\}")


def prune_keyframes(sheets: list[str], readers: list[str]) -> list[str]:
    rest = KEYFRAMES.sub("", "\n".join(sheets + readers))
    return [KEYFRAMES.sub(lambda m: m[0] if re.search(rf"(?<![\w-]){re.escape(m[1])}(?![\w-])", rest) else "", s)
            for s in sheets]


# ---- Scripts -------------------------------------------------------------------------------------

def script_source(outdir: Path, name: str) -> Path:
    return REPLACED.get(name, outdir / name)


def join_scripts(outdir: Path, names: list[str]) -> str:
    parts = []
    for name in names:
        source = script_source(outdir, name)
        text = SOURCE_MAP.sub("", source.read_text(encoding="utf-8"))
        parts.append(f"/* {name if source.is_relative_to(outdir) else source.name} */\n{text.rstrip()}\n;")
    return "\n".join(parts) + "\n"


# ---- Build finished: make the bundles, name them in every page -----------------------------------

def _finish(app, exception):
    if exception is not None or not app.config.light_pages or app.builder.format != "html":
        return
    sources = getattr(app, "_light_sources", None)
    outdir = Path(app.outdir)
    pages = site_pages(outdir)
    folder = outdir / FOLDER
    if sources is None:  # no page was written: the bundles of the last build stand
        if folder.is_dir():
            return
        sources = {"css": [], "js": []}
    theme = _theme_assets(app)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)

    search = [n for n in SEARCH_SCRIPTS if (outdir / n).is_file()]
    bundle_js = [script_source(outdir, n) for n in theme["js"] + sources["js"] + search]
    usage, page_styles = usage_of(outdir, pages, bundle_js)
    sheets = []
    for target, names in (("theme.css", theme["css"]), ("site.css", sources["css"])):
        sheet = Stylesheet(outdir, f"{FOLDER}/{target}")
        for name in names:
            sheet.add_file(name, usage)
        sheets.append(sheet.text())
    readers = [p.read_text(encoding="utf-8", errors="replace") for p in page_styles]
    sheets = prune_keyframes(prune_custom_properties(sheets, readers, usage["words"]), readers)
    contents = {}
    for target, sheet in zip(("theme.css", "site.css"), sheets, strict=True):
        contents[target] = ascii_css(subset_fonts(sheet, outdir, f"{FOLDER}/{target}", usage))
    contents["theme.js"] = join_scripts(outdir, theme["js"])
    contents["site.js"] = join_scripts(outdir, sources["js"])
    if search:
        contents["search.js"] = join_scripts(outdir, search)
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
    # After the extensions that add page-specific files (default priority 500).
    app.connect("html-page-context", _page_context, priority=900)
    # After the theme and myst-nb, which write pygments.css and mystnb.css when the build finishes.
    app.connect("build-finished", _finish, priority=700)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
