"""Serve the widget manager and its loaders from the site itself (no CDN).

Pages with saved widget state need three browser assets, which myst-nb would
otherwise fetch from public CDNs:

* ``require.js`` (npm ``requirejs``): the AMD loader html-manager expects;
* ``embed-amd.js`` (npm ``@jupyter-widgets/html-manager``), which renders the
  saved state; it bundles ``libembed-amd`` and the base/controls modules, so it
  is the only script it needs, plus the icon fonts its CSS refers to;
* anywidget's AMD module (npm ``anywidget``, ``dist/index.js``), which
  html-manager asks RequireJS for by the name ``anywidget``.

At build time they are copied from ``node_modules/`` (installed with
``npm ci`` from the pinned ``package-lock.json``) into ``_static/widgets/``,
laid out as html-manager's loader expects them, next to a small ``config.js``
that runs before ``require.js``.  ``config.js`` computes every URL from its own
``src``, so the site works under any sub-path (a GitHub Pages project site
``/repo/`` included) and from ``file://``.

Nothing is committed to git: the copies live in the build directory.
"""

from __future__ import annotations

import json
import shutil
from importlib import metadata
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
HTML_MANAGER = "@jupyter-widgets/html-manager/dist"
FONT_SUFFIXES = {".woff2", ".woff", ".ttf", ".eot", ".svg"}

# Modules embed-amd.js defines by name.  Each one's webpack runtime takes the folder
# of its AMD module URI (RequireJS: baseUrl + paths mapping + name + ".js") as the
# place its font files live; mapping them into the dist folder makes every one of
# them look beside embed-amd.js, where the fonts are copied.  RequireJS never
# fetches these URLs: the modules are already defined by embed-amd.js.
BUNDLED_MODULES = (
    "@jupyter-widgets/base",
    "@jupyter-widgets/base7",
    "@jupyter-widgets/controls",
    "@jupyter-widgets/controls7",
    "@jupyter-widgets/html-manager",
    # Its own entry, or the prefix rule for the one above would apply to it.
    "@jupyter-widgets/html-manager/dist/libembed-amd",
)

# Loaded before require.js: RequireJS takes a global ``require`` object as its
# configuration.  baseUrl is the widgets folder itself (found from this script's
# own URL, never from '/'), and ``__jupyter_widgets_assets_path__`` tells the
# html-manager part of the bundle the same font folder.
CONFIG_JS = """\
// Written by _ext/offline_assets.py. Widget loaders are served from this folder.
(function () {
  var base = new URL(".", document.currentScript.src).href;
  var dist = "%(html_manager)s/";
  var paths = { anywidget: "anywidget/dist/index" };
  %(bundled)s.forEach(function (name) {
    paths[name] = dist + name.split("/").pop();  // same folder, distinct names
  });
  window.__jupyter_widgets_assets_path__ = base + dist;
  window.require = { baseUrl: base, paths: paths };
})();
"""

# The loader's fallback for modules RequireJS cannot find is a CDN; point it at a
# folder of this site instead, so a missing module is a local 404, never a
# request to a third party.
LOCAL_FALLBACK = "npm/"


def _npm_version(package: str) -> str:
    manifest = NODE_MODULES / package / "package.json"
    if not manifest.is_file():
        raise ExtensionError(
            f"offline_assets: {manifest} is missing. The widget assets "
            f"come from npm: run `npm ci` in {ROOT} before building the book."
        )
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def _check_anywidget_versions() -> None:
    # The front-end module must match the Python package that writes the state.
    js = _npm_version("anywidget")
    try:
        py = metadata.version("anywidget")
    except metadata.PackageNotFoundError:
        return
    if js != py:
        raise ExtensionError(
            f"offline_assets: npm anywidget is {js} but Python anywidget is {py}; "
            f"pin the same version in package.json and requirements.txt, then run `npm ci`."
        )


def stage(dest: Path) -> list[Path]:
    """Copy the assets into ``dest`` (the future ``_static/widgets``); return what was written."""
    for package in ("requirejs", "@jupyter-widgets/html-manager", "anywidget"):
        _npm_version(package)
    _check_anywidget_versions()

    dist = NODE_MODULES / HTML_MANAGER
    copies = {
        NODE_MODULES / "requirejs/require.js": dest / "require.js",
        dist / "embed-amd.js": dest / HTML_MANAGER / "embed-amd.js",
        NODE_MODULES / "anywidget/dist/index.js": dest / "anywidget/dist/index.js",
    }
    for font in sorted(dist.iterdir()):
        if font.suffix in FONT_SUFFIXES:
            copies[font] = dest / HTML_MANAGER / font.name
    # The licences travel with the code they cover.
    for package in ("requirejs", "@jupyter-widgets/html-manager", "anywidget"):
        for licence in sorted((NODE_MODULES / package).glob("LICEN[SC]E*")):
            copies[licence] = dest / "licenses" / package.replace("/", "__") / licence.name
    if (dist / "embed.js.LICENSE.txt").is_file():
        copies[dist / "embed.js.LICENSE.txt"] = dest / HTML_MANAGER / "embed.js.LICENSE.txt"

    written = []
    for src, dst in copies.items():
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not dst.exists() or dst.stat().st_size != src.stat().st_size or dst.stat().st_mtime < src.stat().st_mtime:
            shutil.copy2(src, dst)
        written.append(dst)
    config = dest / "config.js"
    config.write_text(
        CONFIG_JS % {"html_manager": HTML_MANAGER, "bundled": json.dumps(list(BUNDLED_MODULES))},
        encoding="utf-8",
    )
    written.append(config)
    return written


def ipywidgets_js() -> dict[str, dict[str, str]]:
    """myst-nb's ``nb_ipywidgets_js``: paths relative to ``_static/``, in load order.

    Sphinx turns these into URLs relative to each page, so sub-path hosting works.
    """
    return {
        "widgets/config.js": {},
        "widgets/require.js": {},
        f"widgets/{HTML_MANAGER}/embed-amd.js": {"data-jupyter-widgets-cdn": LOCAL_FALLBACK},
    }


def _config_inited(app, config):
    # Fail at once, before any notebook runs, when node_modules is missing.
    for package in ("requirejs", "@jupyter-widgets/html-manager", "anywidget"):
        _npm_version(package)
    config.nb_ipywidgets_js = ipywidgets_js()


def _builder_inited(app):
    # Written straight into the output rather than through html_static_path:
    # Sphinx skips its static copy when no page is out of date, and then a
    # changed loader would never reach the site.
    if app.builder.format == "html":
        stage(Path(app.outdir) / "_static" / "widgets")


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
