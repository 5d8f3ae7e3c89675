"""Re-execute notebook pages when the code they import changes, not only their cells.

jupyter-cache keys a page's outputs on its cell text, and Sphinx re-reads a page only when
its source changes. The case-study pages import ``case_studies`` (whose widgets carry their
JavaScript and CSS into the saved output) and ``protocol``; the compensation page reads
``book/data``. Without this, editing a widget's script would leave the old one on the site
until someone cleared the cache by hand. The fingerprint of those inputs is kept in the
Sphinx environment; when it changes, the execution cache is cleared and every page with
code cells is read again. The fingerprint is also kept in the cache's folder, since the cache
outlives the environment (and is copied without it): a build that starts with a fresh
environment (a new Sphinx, an extension changed, a copy of the course) would otherwise reuse
outputs made from other inputs.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import bookkeeping
from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ("case_studies", "protocol", "book/data")
SUFFIXES = {".py", ".js", ".css", ".yaml", ".yml", ".csv", ".json"}


def fingerprint() -> str:
    digest = hashlib.sha256()
    for folder in INPUTS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _executed_pages(app) -> set[str]:
    return {
        doc for doc in app.env.found_docs
        if "{code-cell}" in Path(app.env.doc2path(doc)).read_text(encoding="utf-8", errors="replace")
    }


def _outdated(app, env, added, changed, removed):
    current = fingerprint()
    cache = Path(env.mystnb_config.execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    stamp = cache / "course-inputs"  # in the cache's folder: it goes wherever the cache goes
    kept = stamp.read_text(encoding="utf-8").strip() if stamp.is_file() else None
    changed_since = bookkeeping.inputs_changed(env, "execution inputs", current)
    if kept != current:  # the cache holds outputs of other inputs, or of inputs no one recorded
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current + "\n", encoding="utf-8")
    elif not changed_since:
        return []
    pages = sorted(_executed_pages(app) - added - changed)
    logger.info(f"[execution_inputs] {', '.join(INPUTS)} changed: re-executing {len(pages)} pages")
    return pages


def setup(app):
    app.setup_extension("bookkeeping")
    app.connect("env-get-outdated", _outdated)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
