"""The site's own widget host, in place of html-manager (DESIGN.md, section 3).

myst-nb writes each page's saved widget state into the page and loads the scripts of
``nb_ipywidgets_js`` to render it. The stock choice, html-manager's ``embed-amd.js`` with
RequireJS, is 3.6 MB of script (918 KB compressed) on every case-study page, for a reader
who may be on a phone and a slow link. Every widget of the course is an anywidget, whose
front-end module needs only an element and a small model, so ``widget-host.js`` (a few KB,
beside this file) renders the saved views itself. JupyterLab with a kernel is unaffected:
it uses anywidget's own front end.

At build time the host is copied into ``_static/widgets/``, and each page's widget state is
checked: a widget that is not an anywidget would show only "needs Python" on the site, so
it is a build warning (an error under ``-W``) naming the page.
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

HOST = Path(__file__).with_name("widget-host.js")
SITE_PATH = "widgets/widget-host.js"  # under _static/
# Models the host understands: anywidget's, and the layout/style models every widget has.
SUPPORTED = {"anywidget", "@jupyter-widgets/base"}


def ipywidgets_js() -> dict[str, dict[str, str]]:
    """myst-nb's ``nb_ipywidgets_js``: a path relative to ``_static/``, so Sphinx writes a URL
    relative to each page and the site works under any sub-path and from ``file://``."""
    return {SITE_PATH: {}}


def unsupported(state: dict) -> list[str]:
    """The widgets of a saved widget state the host cannot run, as "Name (module)"."""
    return sorted({f"{m.get('model_name')} ({m.get('model_module')})" for m in state.get("state", {}).values()
                   if m.get("model_module") not in SUPPORTED})


def _config_inited(app, config):
    config.nb_ipywidgets_js = ipywidgets_js()


def _check_widgets(app, doctree):
    from myst_nb.sphinx_ import NbMetadataCollector

    docname = app.env.docname
    if docname not in getattr(app.env, "nb_metadata", {}):
        return
    uri, kwargs = NbMetadataCollector.get_js_files(app.env, docname).get("ipywidgets_state", (None, {}))
    if not kwargs.get("body"):
        return
    for widget in unsupported(json.loads(kwargs["body"])):
        logger.warning(
            f"widget {widget} cannot run on the static site: the site's widget host runs anywidget "
            "widgets only (it would show 'needs Python'); write it as an anywidget.AnyWidget, as "
            "case_studies/widget.py does", location=docname, type="widget_host")


def setup(app):
    # Imported here, not with the module: its helpers are also loaded from this file alone (by
    # tests), without the extensions' folder, where bookkeeping is, on the path.
    import bookkeeping

    app.connect("config-inited", _config_inited)
    # The folder holds the host alone (fresh).
    bookkeeping.static_files(app, [HOST], folder=str(Path(SITE_PATH).parent), fresh=True)
    app.connect("doctree-read", _check_widgets)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
