"""Load the self-check script and stylesheet on the self-check pages only.

The pages (book/self-check/*.md) are written by `python -m exercises build` from the
question bank; every other page of the site stays free of the script. The tags go into the
page's own `metatags` (rendered in <head>): app.add_js_file() called during a page event
would stay registered for every page written after it.
"""

from __future__ import annotations

from html import escape

PREFIX = "book/self-check/"
ASSETS = ("_static/self-check.css", "_static/self-check.js")


def _add_assets(app, pagename, templatename, context, doctree):
    if not pagename.startswith(PREFIX) or "pathto" not in context:
        return
    css, js = (escape(context["pathto"](a, 1), quote=True) for a in ASSETS)
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="stylesheet" type="text/css" href="{css}" />'
        f'\n<script defer="defer" src="{js}"></script>'
    )


def setup(app):
    app.connect("html-page-context", _add_assets)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
