"""Load the self-check script and stylesheet on the self-check pages only.

The pages (book/self-check/*.md) are written by `python -m exercises build` from the
question bank; every other page of the site stays free of the script.
"""

from __future__ import annotations

PREFIX = "book/self-check/"


def _add_assets(app, pagename, templatename, context, doctree):
    if pagename.startswith(PREFIX):
        # Called from html-page-context, these add the files to this page alone (Sphinx >= 3.5).
        app.add_css_file("self-check.css")
        app.add_js_file("self-check.js", loading_method="defer")


def setup(app):
    app.connect("html-page-context", _add_assets)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
