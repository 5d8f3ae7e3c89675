"""What the course's extensions keep track of during a build, written once for all of them.

- Which pages use a directive (and what each keeps for the page): ``pages(env, key)``, a dict
  docname -> value kept in the Sphinx environment, so pickled with it; a page's entry goes when
  the page is read again (``env-purge-doc``) and entries come back from parallel readers
  (``env-merge-info``). An extension reads another's pages through ``pages`` too, by its key.
- Pages to read again when their inputs change in a way Sphinx cannot see (a file added to a
  folder, the notebook app switched off): ``reread_when_changed``.
- An extension's files for the browser: copied into the site's ``_static/`` as the HTML builder
  starts (``static_files``), linked from the pages that use them (``page_assets``) or, through
  ``static_files``, from every page.

An extension that uses ``pages`` or ``reread_when_changed`` loads this module as an extension
(``app.setup_extension("bookkeeping")``), which connects the purge and merge handlers once.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path

PAGES = "course_pages"  # env attribute: key -> {docname: value}
INPUTS = "course_inputs"  # env attribute: key -> what the inputs were at the last build


# ---- Pages that use a directive ----------------------------------------------------------------

def _kept(env, attribute: str) -> dict:
    if not hasattr(env, attribute):
        setattr(env, attribute, {})
    return getattr(env, attribute)


def pages(env, key: str) -> dict:
    """docname -> what the directive (or role) ``key`` keeps for that page, for every page that uses it."""
    return _kept(env, PAGES).setdefault(key, {})


def note_page(env, key: str) -> None:
    """The page being read uses ``key`` (nothing more to keep about it)."""
    pages(env, key)[env.docname] = True


def _purge(app, env, docname):
    for kept in _kept(env, PAGES).values():
        kept.pop(docname, None)


def _merge(app, env, docnames, other):
    for key, theirs in _kept(other, PAGES).items():
        pages(env, key).update((d, theirs[d]) for d in docnames if d in theirs)


# ---- Pages to read again -----------------------------------------------------------------------

def inputs_changed(env, key: str, now: Hashable) -> bool:
    """Keep ``now`` in the environment; whether the last build kept something else under ``key``
    (not on a first build, which reads every page anyway)."""
    kept = _kept(env, INPUTS)
    previous = kept.get(key)
    kept[key] = now
    return previous is not None and previous != now


def reread_when_changed(app, key: str, inputs: Callable[[object], Hashable],
                        outdated: Callable[[object, object], Iterable[str]]) -> None:
    """When ``inputs(app)`` is not what it was at the last build, ``outdated(app, env)`` (docnames)
    are read again: for what Sphinx cannot see, since it checks only the files it was told of."""
    def handler(app, env, added, changed, removed):
        if not inputs_changed(env, key, inputs(app)):
            return []
        return sorted(set(outdated(app, env)) - added - changed - removed)

    app.connect("env-get-outdated", handler)


# ---- Files for the browser -----------------------------------------------------------------------

def static_files(app, sources: Sequence[Path], *, folder: str = "", fresh: bool = False,
                 every_page: Sequence[str] = (), enabled: Callable[[object], bool] = lambda config: True) -> None:
    """Copy ``sources`` into the site's ``_static/<folder>`` as the HTML builder starts, then link the
    scripts named in ``every_page`` from every page. ``fresh`` empties the folder first: what an
    older build left there would be published.

    Into the output directly rather than through ``html_static_path``: Sphinx copies its static
    files only when a page is out of date, and a changed script would not reach the site."""
    def copy(app):
        if app.builder.format != "html" or not enabled(app.config):
            return
        target = Path(app.outdir) / "_static" / folder
        if fresh:
            shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True, exist_ok=True)
        for source in sources:
            shutil.copyfile(source, target / source.name)
        for name in every_page:
            app.add_js_file(name)

    app.connect("builder-inited", copy)


def page_assets(app, used_on: Callable[[object, str], bool], *,
                css: Sequence[tuple[str, dict]] = (), js: Sequence[tuple[str, dict]] = ()) -> None:
    """Link stylesheets and scripts, ``(name under _static/, attributes)``, from the pages for which
    ``used_on(env, pagename)`` is true, as Sphinx's mathjax links its script from pages with equations.

    On the builder, not the app: the builder forgets a page's own files after each page."""
    def add(app, pagename, templatename, context, doctree):
        if app.builder.format != "html" or not used_on(app.env, pagename):
            return
        for name, attributes in css:
            app.builder.add_css_file(name, **attributes)
        for name, attributes in js:
            app.builder.add_js_file(name, **attributes)

    app.connect("html-page-context", add)


def setup(app):
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
