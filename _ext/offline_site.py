"""The whole course offline after one visit, on any static host, asking nothing of the reader.

At the end of the build this extension writes, at the site root,

- ``sw.js``: the service worker (``offline-sw.js`` beside this file) with the build's manifest
  written into it: every page and every file a page loads (stylesheets, scripts, fonts, images,
  the search index), each with a hash of its content. A republished site has another manifest,
  so another ``sw.js``: browsers notice the change, the new worker keeps what did not change
  and fetches the rest, and pages are always asked of the network first when there is one, so
  a reader online never gets a stale page;
- ``manifest.webmanifest`` and two icons, so the course can be added to a phone's home screen.

``offline.js`` (beside this file, on every page) registers the worker with the site root as its
scope, from any sub-path, and only over http(s): from ``file://`` nothing is registered and
every page works as before. Once a page has loaded and the browser is idle, it asks the worker
to save the whole course, unless the browser asks sites to save data
(``navigator.connection.saveData``): then only the pages the reader opens are kept, until they
choose "Save the course for offline reading" (the ``{offline-reading}`` directive puts that
button and the current state on a page).

``lite/`` is left to an in-browser notebook app with its own worker: the manifest never lists
it and the worker never answers for it; its caches are named after this site's root, and it
deletes no cache but its own.
"""

from __future__ import annotations

import hashlib
import html.parser
import json
import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
PAGE_SCRIPT = "offline.js"
WORKER_SOURCE = HERE / "offline-sw.js"
WORKER = "sw.js"
WEB_MANIFEST = "manifest.webmanifest"
ICONS = ((192, "_static/offline/icon-192.png"), (512, "_static/offline/icon-512.png"))
# Left to other apps with workers of their own: never listed, never answered for.
NOT_OURS = ("lite/",)
SKIPPED = ("_sources/", ".doctrees/", ".buildinfo", ".nojekyll", WORKER)
THEME_COLOR = "#0a7d91"  # the theme's primary colour: the phone's title bar and the icon
HASH_LENGTH = 16


# ---- What a page loads ----------------------------------------------------------------------

class _References(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {
                "stylesheet", "icon", "manifest", "apple-touch-icon", "preload", "modulepreload"}:
            self.urls.append(a["href"])
        elif tag in ("script", "img", "source", "audio", "video", "track", "iframe", "embed") and a.get("src"):
            self.urls.append(a["src"])
        if tag in ("img", "source") and a.get("srcset"):
            self.urls += [part.split()[0] for part in a["srcset"].split(",") if part.strip()]
        if tag == "video" and a.get("poster"):
            self.urls.append(a["poster"])
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"])


CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)|@import\s+["']([^"']+)["']""")


def _resolve(outdir: Path, base: str, url: str) -> str | None:
    """A reference as a key: its path from the site root, with the query the page sends."""
    if re.match(r"^([a-z][a-z0-9+.-]*:|//|#)", url, re.I):
        return None
    path, _, query = url.split("#")[0].partition("?")
    if not path:
        return None
    key = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
    if key.startswith("../") or not (outdir / key).is_file():
        return None
    return key + (f"?{query}" if query else "")


def _file(key: str) -> str:
    return key.split("?")[0]


def pages_of(outdir: Path) -> list[str]:
    return sorted(p.relative_to(outdir).as_posix() for p in outdir.rglob("*.html")
                  if not _excluded(p.relative_to(outdir).as_posix())
                  and not p.relative_to(outdir).as_posix().startswith("_static/"))


def _excluded(rel: str) -> bool:
    return rel.startswith(NOT_OURS) or rel.startswith(SKIPPED) or any(part.startswith(".") for part in rel.split("/"))


def references(outdir: Path, page: str) -> set[str]:
    """Every file ``page`` loads, and what the stylesheets among them load in turn."""
    parser = _References()
    parser.feed((outdir / page).read_text(encoding="utf-8", errors="replace"))
    found: set[str] = set()
    todo = [k for k in (_resolve(outdir, page, u) for u in parser.urls) if k]
    while todo:
        key = todo.pop()
        if key in found or _excluded(key):
            continue
        found.add(key)
        if _file(key).endswith(".css"):
            text = (outdir / _file(key)).read_text(encoding="utf-8", errors="replace")
            todo += [k for k in (_resolve(outdir, _file(key), a or b) for a, b in CSS_URL.findall(text)) if k]
        elif _file(key).endswith(".webmanifest"):
            for icon in json.loads((outdir / _file(key)).read_text(encoding="utf-8")).get("icons", []):
                k = _resolve(outdir, _file(key), icon["src"])
                if k:
                    todo.append(k)
    return found


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]


def build_manifest(outdir: Path, start: str, progress: str | None) -> dict:
    """The worker's manifest: files (key -> content hash), the files every page loads (saved
    first), the pages, the start page and the page with the offline-reading button."""
    pages = pages_of(outdir)
    per_page = {p: references(outdir, p) for p in pages}
    keys = set(pages).union(*per_page.values()) if pages else set()
    if (outdir / "searchindex.js").is_file():  # read by the search page's script, offline too
        keys.add("searchindex.js")
    files = {k: digest(outdir / _file(k)) for k in sorted(keys)}
    loading = [refs for refs in per_page.values() if refs]  # not the root's redirect stub, which loads nothing
    core = sorted(set.intersection(*loading)) if loading else []
    body = {"files": files, "core": core, "pages": pages, "start": start, "progress": progress}
    version = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:HASH_LENGTH]
    return {"version": version, **body}


# ---- Icons and the web app manifest ------------------------------------------------------------

def draw_icon(size: int, path: Path) -> None:
    """A plain mark, an open book, on the theme's colour, inside the safe zone of a maskable icon."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), THEME_COLOR)
    draw = ImageDraw.Draw(image)
    s = size / 100
    white = "#ffffff"
    # Two pages meeting at the spine, within the central 60 % every mask keeps.
    draw.polygon([(24 * s, 34 * s), (48 * s, 40 * s), (48 * s, 70 * s), (24 * s, 64 * s)], fill=white)
    draw.polygon([(76 * s, 34 * s), (52 * s, 40 * s), (52 * s, 70 * s), (76 * s, 64 * s)], fill=white)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG", optimize=True)


def web_manifest(app, start: str) -> dict:
    title = app.config.html_title or app.config.project
    short = app.config.offline_short_name or re.split(r"[:(]", title)[0].strip()[:30]
    return {
        "name": title,
        "short_name": short,
        "description": app.config.offline_description or title,
        "lang": app.config.language or "en",
        "start_url": start,
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [{"src": src, "sizes": f"{n}x{n}", "type": "image/png", "purpose": "any maskable"}
                  for n, src in ICONS],
    }


# ---- Build hooks ---------------------------------------------------------------------------------

def _page_context(app, pagename, templatename, context, doctree):
    if app.builder.format != "html" or not app.config.offline_site:
        return
    pathto = context["pathto"]
    icon = pathto(ICONS[0][1], 1)
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="manifest" href="{pathto(WEB_MANIFEST, 1)}" />'
        f'\n<meta name="theme-color" content="{THEME_COLOR}" />'
        f'\n<link rel="apple-touch-icon" href="{icon}" />')
    if not app.config.html_favicon:
        # Without one, browsers ask for /favicon.ico at the host's root, outside the site.
        context["metatags"] += f'\n<link rel="icon" type="image/png" sizes="192x192" href="{icon}" />'


def _build_finished(app, exception):
    if exception is not None or app.builder.format != "html" or not app.config.offline_site:
        return
    outdir = Path(app.outdir)
    start = app.builder.get_target_uri(app.config.root_doc)
    progress = app.config.offline_progress_page
    progress = app.builder.get_target_uri(progress) if progress and progress in app.env.found_docs else None
    for size, src in ICONS:
        draw_icon(size, outdir / src)
    (outdir / WEB_MANIFEST).write_text(json.dumps(web_manifest(app, start), indent=1) + "\n", encoding="utf-8")
    manifest = build_manifest(outdir, start, progress)
    worker = WORKER_SOURCE.read_text(encoding="utf-8")
    marker = "const MANIFEST = {};"
    if marker not in worker:
        raise RuntimeError(f"{WORKER_SOURCE} has no line {marker!r} for the manifest")
    worker = worker.replace(marker, "const MANIFEST = " + json.dumps(manifest, separators=(",", ":")) + ";", 1)
    (outdir / WORKER).write_text(worker, encoding="utf-8")
    logger.info(f"[offline_site] {WORKER}: {len(manifest['files'])} files, {len(manifest['pages'])} pages, "
                f"version {manifest['version']}")


# ---- The offline-reading section of a page ------------------------------------------------------

class OfflineReading(SphinxDirective):
    """```{offline-reading}```: the state of the offline copy and the button that saves it all.
    Without a script or a service worker the section says what holds instead."""

    has_content = False

    def run(self):
        markup = (
            '<div class="offline-reading" data-offline-reading="">'
            '<p class="offline-status" role="status" aria-live="polite">'
            'Offline reading needs this site to be opened from a web address, with scripts on. '
            'Pages you have open keep working without a connection.</p>'
            '<p><button type="button" class="offline-save" hidden="hidden">'
            'Save the course for offline reading</button></p></div>')
        return [nodes.raw("", markup, format="html")]


def _enabled(config: object) -> bool:
    """Whether the offline site is on: bookkeeping passes the app's config as a plain object."""
    if not isinstance(config, Config):
        raise TypeError(f"offline_site: expected the Sphinx config, got {type(config).__name__}")
    return config.offline_site


def setup(app):
    # Imported here, not with the module: its helpers are also loaded from this file alone (by
    # tests), without the extensions' folder, where bookkeeping is, on the path.
    import bookkeeping

    app.add_config_value("offline_site", True, "html", types=(bool,))
    app.add_config_value("offline_short_name", "", "html", types=(str,))
    app.add_config_value("offline_description", "", "html", types=(str,))
    # The page whose {offline-reading} section the offline notice links to (a docname).
    app.add_config_value("offline_progress_page", "book/progress", "html", types=(str, type(None)))
    app.add_directive("offline-reading", OfflineReading)
    bookkeeping.static_files(app, [HERE / PAGE_SCRIPT], every_page=[PAGE_SCRIPT],
                             enabled=_enabled)
    app.connect("html-page-context", _page_context)
    # After light_pages (700), which names its bundles in every page: hashes of the final files.
    app.connect("build-finished", _build_finished, priority=800)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

