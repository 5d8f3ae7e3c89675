"""Rebuild when a file under ``_static/`` changes, not only when a page does.

Sphinx copies static files at the end of a build that writes at least one page; when only a
stylesheet or script has changed (a lecturer's colours in ``_static/course.css``), it finds
nothing out of date, stops early, and the site keeps the old file. Pages also name each
file with a checksum (``?v=...``) so browsers fetch the new one: so every page is written
again, from cached execution, when the static files change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import bookkeeping
from sphinx.util import logging

logger = logging.getLogger(__name__)


# Browser files our own extensions copy into the site (the widget host): pages name them with
# a checksum too.
EXTENSION_ASSETS = ("_ext/*.js", "_ext/*.css")


def fingerprint(app) -> str:
    digest = hashlib.sha256()
    root = Path(app.confdir).resolve()
    folders = [Path(root, entry).resolve() for entry in app.config.html_static_path]
    assets = sorted(p for pattern in EXTENSION_ASSETS for p in root.glob(pattern))
    for folder in [*folders, *assets]:
        if not folder.is_relative_to(root):  # an extension package's own files: they change with its version
            continue
        files = sorted(folder.rglob("*")) if folder.is_dir() else [folder]
        for path in files:
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _every_page(app, env):
    logger.info("[static_files] _static/ changed: writing every page again")
    return env.found_docs


def setup(app):
    app.setup_extension("bookkeeping")
    bookkeeping.reread_when_changed(app, "static files", fingerprint, _every_page)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
