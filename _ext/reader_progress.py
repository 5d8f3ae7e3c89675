"""Your progress, kept in the reader's browser: pages opened, self-check answers, case-study inputs.

``progress.js`` (beside this file) runs on every page: it notes the page as opened and keeps
what self-check.js and widget-host.js give it, in one localStorage entry for the site; nothing
is sent anywhere. On a page with self-check questions it shows what is kept for that page, with
"Forget my answers on this page". The "Your progress" page is written with these directives:

- ``{progress-list} pages``: every page of the table of contents, in its order, each marked
  opened or not; ``{progress-list} self-check``: the self-check pages with their number of
  questions, answered and right; ``{progress-list} case-studies``: the pages with case-study
  tools, and whether the reader's inputs are kept;
- ``{progress-actions}``: save the progress to a file, read it back, forget it.

The lists are made when the build has read every page (titles, order, which pages have
questions or widgets) and filled in by the script; ``progress.css`` is linked from the pages
that show them and from the self-check pages. ``<meta name="course-progress-page">`` tells
every page where the progress page is.
"""

from __future__ import annotations

import html
from pathlib import Path

import bookkeeping
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

HERE = Path(__file__).resolve().parent
JS, CSS = "progress.js", "progress.css"
KINDS = ("pages", "self-check", "case-studies")
PROGRESS = "reader-progress"  # bookkeeping's key: the pages with the directives below


class progress_list(nodes.General, nodes.Element):
    """Replaced by the list once every page is read (``doctree-resolved``)."""


class ProgressList(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self):
        kind = self.arguments[0]
        if kind not in KINDS:
            raise self.error(f"progress-list: write one of {', '.join(KINDS)}, not {kind!r}")
        bookkeeping.note_page(self.env, PROGRESS)
        return [progress_list(kind=kind)]


class ProgressActions(SphinxDirective):
    has_content = False

    def run(self):
        bookkeeping.note_page(self.env, PROGRESS)
        markup = (
            '<div class="cp-actions" data-progress-actions="" data-progress-needs-script="" hidden="hidden">'
            '<p class="cp-row"><button type="button" class="cp-button cp-export">Save my progress to a file</button></p>'
            '<p class="cp-row"><label for="cp-import-file">Read my progress from a file</label> '
            '<input type="file" id="cp-import-file" class="cp-import" accept=".json,application/json" /></p>'
            '<div class="cp-row cp-forget-all"></div>'
            '<p class="cp-status" role="status" aria-live="polite"></p></div>'
            '<p class="cp-unavailable" data-progress-unavailable="" hidden="hidden">This browser does not let the '
            'site keep anything (its storage is switched off or full), so nothing is kept: the pages work as '
            'before, and your answers go when you close the page.</p>')
        return [nodes.raw("", markup, format="html")]


def _question_counts(env) -> dict[str, int]:
    """Pages with self-check questions -> how many (_ext/self_check.py keeps them)."""
    return bookkeeping.pages(env, "self-check")


def toc_order(env, root: str) -> list[str]:
    """Every document of the table of contents, the root first, depth first in toc order."""
    order, todo = [], [root]
    while todo:
        doc = todo.pop(0)
        if doc in order or doc not in env.found_docs:
            continue
        order.append(doc)
        todo[:0] = env.toctree_includes.get(doc, [])
    return order


def _has_widgets(env, docname: str) -> bool:
    from myst_nb.sphinx_ import NbMetadataCollector

    if docname not in getattr(env, "nb_metadata", {}):
        return False
    _, kwargs = NbMetadataCollector.get_js_files(env, docname).get("ipywidgets_state", (None, {}))
    return bool(kwargs.get("body"))


def _list_html(app, docname: str, kind: str) -> str:
    env = app.env
    docs = toc_order(env, app.config.root_doc)

    def link(doc):
        uri = app.builder.get_relative_uri(docname, doc)
        return f'<a href="{html.escape(uri)}">{html.escape(env.titles[doc].astext())}</a>'

    if kind == "pages":
        items = "".join(f'<li data-page="{html.escape(d)}">{link(d)} <span class="cp-mark"></span></li>'
                        for d in docs if d != docname)
        return (f'<p class="cp-summary" data-progress-summary="pages" aria-live="off"></p>'
                f'<ul class="cp-pages" data-progress-list="pages">{items}</ul>')
    if kind == "self-check":
        counts = _question_counts(env)
        rows = "".join(
            f'<tr data-page="{html.escape(d)}"><th scope="row">{link(d)}</th><td>{int(counts[d])}</td>'
            f'<td class="cp-answered">0</td><td class="cp-right">0</td></tr>'
            for d in docs if counts.get(d))
        return ('<div class="table-scroll cp-table" tabindex="0" role="region" aria-label="Self-check answers kept">'
                '<table data-progress-list="self-check"><thead><tr><th scope="col">Page</th><th scope="col">Questions</th>'
                '<th scope="col">Answered</th><th scope="col">Right when last checked</th></tr></thead>'
                f'<tbody>{rows}</tbody></table></div>')
    items = "".join(f'<li data-page="{html.escape(d)}">{link(d)}: <span class="cp-mark">as the page gives them</span></li>'
                    for d in docs if _has_widgets(env, d))
    return f'<ul data-progress-list="case-studies">{items}</ul>'


def _resolve(app, doctree, docname):
    for node in list(doctree.findall(progress_list)):
        node.replace_self(nodes.raw("", _list_html(app, docname, node["kind"]), format="html"))


def _page_context(app, pagename, templatename, context, doctree):
    if app.builder.format != "html":
        return
    env = app.env
    progress = app.config.offline_progress_page if "offline_progress_page" in app.config else "book/progress"
    if progress in bookkeeping.pages(env, PROGRESS):
        context["metatags"] = context.get("metatags", "") + (
            f'\n<meta name="course-progress-page" content="{html.escape(context["pathto"](progress))}" />')


def _shows_progress(env, pagename: str) -> bool:
    return pagename in bookkeeping.pages(env, PROGRESS) or bool(_question_counts(env).get(pagename))


def setup(app):
    app.add_node(progress_list)
    app.add_directive("progress-list", ProgressList)
    app.add_directive("progress-actions", ProgressActions)
    app.setup_extension("bookkeeping")
    app.connect("doctree-resolved", _resolve)
    # The script on every page: it notes the page as opened.
    bookkeeping.static_files(app, [HERE / JS, HERE / CSS], every_page=[JS])
    app.connect("html-page-context", _page_context)
    bookkeeping.page_assets(app, _shows_progress, css=[(CSS, {})])
    return {"version": "1", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
