"""Load the self-check script and stylesheet on the self-check pages only.

The pages (book/self-check/*.md) are written by `python -m exercises build` from the
question bank. Jupyter Book 1 adds every .js and .css under _static/ to every page
(html_js_files / html_css_files); this extension takes the self-check files back out of
those lists and writes their tags into the <head> (`metatags`) of self-check pages alone.
(app.add_js_file() called during a page event would stay registered for later pages.)
"""

from __future__ import annotations

from html import escape

PREFIX = "book/self-check/"
JS, CSS = "self-check.js", "self-check.css"


def _name(entry) -> str:
    return entry[0] if isinstance(entry, (tuple, list)) else str(entry)


def _keep_off_other_pages(app, config):
    config.html_js_files = [f for f in config.html_js_files if _name(f) != JS]
    config.html_css_files = [f for f in config.html_css_files if _name(f) != CSS]


def _add_assets(app, pagename, templatename, context, doctree):
    if not pagename.startswith(PREFIX) or "pathto" not in context:
        return
    css, js = (escape(context["pathto"](f"_static/{name}", 1), quote=True) for name in (CSS, JS))
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="stylesheet" type="text/css" href="{css}" />'
        f'\n<script defer="defer" src="{js}"></script>'
    )


def setup(app):
    app.connect("config-inited", _keep_off_other_pages)
    app.connect("html-page-context", _add_assets)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
