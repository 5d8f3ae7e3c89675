"""Lean assets: of a built site's stylesheets, icon fonts and scripts, keep what its pages use.

Plain functions over the files of a built site, with no Sphinx in them (``light_pages.py`` is
the Sphinx side): read what the pages and their scripts name (``usage_of``), keep the CSS rules
that could match (``selector_used``, ``Stylesheet``), drop custom properties and keyframes
nothing reads, subset Font Awesome faces to the glyphs the kept rules draw (``subset_fonts``),
and join scripts into one file (``join_scripts``).
"""

from __future__ import annotations

import hashlib
import html.parser
import posixpath
import re
from pathlib import Path

SOURCE_MAP = re.compile(r"^\s*(//|/\*)# sourceMappingURL=.*$", re.M)


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


def site_pages(outdir: Path, other_apps: tuple[str, ...] = ()) -> list[Path]:
    """The site's pages: not those under a folder starting with "_" or ".", nor those of the apps
    published with it (``other_apps``, top-level folders with their own pages and assets)."""
    pages = []
    for p in sorted(outdir.rglob("*.html")):
        folders = p.relative_to(outdir).parts[:-1]
        if folders and folders[0] in other_apps or any(part.startswith(("_", ".")) for part in folders):
            continue
        pages.append(p)
    return pages


def _local(outdir: Path, page: Path, url: str) -> Path | None:
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.I):
        return None
    path = (page.parent / url.split("?")[0].split("#")[0]).resolve()
    return path if path.is_file() and path.is_relative_to(outdir.resolve()) else None


def usage_of(outdir: Path, pages: list[Path], bundle_js: list[Path],
             bundles: str) -> tuple[dict[str, set[str]], list[Path]]:
    """Everything a page or a script that runs on it may name, and the page-specific stylesheets;
    what the pages load from ``bundles`` (a folder of the site: the files being made) is not read."""
    usage: dict[str, set[str]] = {k: set() for k in ("tags", "classes", "ids", "attrs", "words", "script_words")}
    scripts: set[Path] = set(bundle_js)
    styles: set[Path] = set()
    light = (outdir / bundles).resolve()
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


def subset_fonts(sheet: str, outdir: Path, target: str, usage: dict[str, set[str]]) -> str:
    """Subset each Font Awesome face of ``sheet`` to the characters its kept ``content:`` rules
    draw, as woff2 beside ``target`` (the stylesheet's path in ``outdir``); drop a face whose
    style no page uses. Other faces are left as they are."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    drawn: set[str] = set()  # every string of the kept rules: content: values, and --pst-icon-* properties read by them
    for value in re.findall(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')", FONT_FACE.sub("", sheet)):
        drawn.update(_unescape(value[1:-1]))
    codepoints = {ord(c) for c in drawn if ord(c) > 0x7f}
    # Classes on the pages, and the long names in script files: "far" or "fab" in a script is as
    # likely prose or a variable as an icon, "fa-regular" is not.
    used = usage["classes"] | {w for w in usage["script_words"] if w.startswith("fa-")}

    def face(match: re.Match[str]) -> str:
        body = match[1]
        named = re.search(r"font-family:\s*([^;]+)", body)
        if not named:
            raise ValueError(f"{target}: a @font-face names no font-family: @font-face{{{body[:120]}}}")
        family = named[1].strip()
        given = re.search(r"font-weight:\s*(\d+)", body)
        weight = given[1] if given else "400"
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
        out = outdir / posixpath.dirname(target) / source.name
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

def script_source(outdir: Path, name: str, replaced: dict[str, Path]) -> Path:
    """The file a script of the site is read from: ``outdir``'s, or the one that replaces it."""
    return replaced.get(name, outdir / name)


def join_scripts(outdir: Path, names: list[str], replaced: dict[str, Path]) -> str:
    """The scripts as one, each headed by its name, without their source-map comments."""
    parts = []
    for name in names:
        source = script_source(outdir, name, replaced)
        text = SOURCE_MAP.sub("", source.read_text(encoding="utf-8"))
        parts.append(f"/* {name if source.is_relative_to(outdir) else source.name} */\n{text.rstrip()}\n;")
    return "\n".join(parts) + "\n"
