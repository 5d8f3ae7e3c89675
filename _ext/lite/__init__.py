"""The graded notebooks in the browser: JupyterLite on the course site (``lite/``), offline.

At the end of an HTML build the released notebook of each assignment in
``course_lite_assignments`` is put into a JupyterLite app under ``<site>/lite/`` (``build.py``
says how), where a student opens it with
``lite/notebooks/index.html?path=<assignment>/<assignment>.ipynb``, answers, runs ``check()`` and
downloads the file to hand in, with nothing installed and no request to any other host.

``{lite-notebooks}`` (a directive) lists those notebooks with a link to open each one; with the
app switched off it says, calmly, that this site does not offer them.

Switch: ``course_lite`` in ``_config.yml`` (``sphinx: config:``), or ``COURSE_LITE=0|1`` in the
environment for one build (``make site LITE=0`` sets it). The app is built from the released
notebooks, which need the graded items of the question bank (``exercises/bank/graded/`` or
``$COURSE_GRADED_BANK``): a copy of the course without them builds the site without the app.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import bookkeeping
from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import build

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = "lite"
LISTS = "lite-notebooks"  # bookkeeping's key: the pages with the directives below


def enabled(config) -> bool:
    env = os.environ.get("COURSE_LITE", "").strip().lower()
    if env in ("0", "false", "no", "off"):
        return False
    if env in ("1", "true", "yes", "on"):
        return True
    return bool(config.course_lite)


def has_graded_bank(root: Path = ROOT) -> bool:
    return bool(os.environ.get("COURSE_GRADED_BANK")) or (root / "exercises" / "bank" / "graded").is_dir()


def notebook_url(assignment: str) -> str:
    """The app's address of an assignment's notebook, relative to the site root."""
    return f"{SITE_DIR}/notebooks/index.html?path={assignment}/{assignment}.ipynb"


def notebook_title(path: Path, fallback: str) -> str:
    """The notebook's first heading (its title as the student sees it)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return fallback
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell.get("source", ""))
        for line in source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return fallback


# ---- Build state --------------------------------------------------------------------------------

def _builder_inited(app):
    app.course_lite = None  # {"contents": Path, "titles": {...}} when the app is built
    if app.builder.format != "html":
        return
    if not enabled(app.config):
        _remove(app, "the browser notebooks are switched off (course_lite)")
        return
    if not has_graded_bank(Path(app.confdir)):
        _remove(app, "there are no graded items in this copy of the course (exercises/bank/graded/ or "
                     "$COURSE_GRADED_BANK), so no notebooks to release")
        return
    assignments = list(app.config.course_lite_assignments)
    contents = Path(tempfile.mkdtemp(prefix="course-lite-release-"))
    try:
        build.release(assignments, contents, cwd=Path(app.confdir))
    except build.LiteBuildError as e:
        shutil.rmtree(contents, ignore_errors=True)
        logger.warning(f"[lite] {e}", type="lite")
        return
    titles = {a: notebook_title(contents / a / f"{a}.ipynb", a) for a in assignments}
    app.course_lite = {"contents": contents, "titles": titles}


def _remove(app, why: str) -> None:
    logger.info(f"[lite] no JupyterLite app: {why}")
    stale = Path(app.outdir) / SITE_DIR
    if stale.is_dir():
        shutil.rmtree(stale)


def _titles(app) -> str:
    # The pages that list the notebooks show their titles and whether the app is there.
    state = getattr(app, "course_lite", None)
    return json.dumps(state and state["titles"], sort_keys=True)


def _build_finished(app, exception):
    state = getattr(app, "course_lite", None)
    if exception is not None or not state:
        return
    try:
        site = build.build_site(Path(app.outdir), state["contents"], list(state["titles"]))
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        logger.info(f"[lite] JupyterLite app with {len(state['titles'])} notebooks in {site} "
                    f"({size / 1e6:.0f} MB)")
    except build.LiteBuildError as e:
        logger.warning(f"[lite] {e}", type="lite")
    finally:
        shutil.rmtree(state["contents"], ignore_errors=True)


# ---- The directive ------------------------------------------------------------------------------

class LiteNotebooks(SphinxDirective):
    """``{lite-notebooks}``: each released notebook with a link that opens it in the browser."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        bookkeeping.note_page(self.env, LISTS)
        state = getattr(self.env.app, "course_lite", None)
        if not state:
            para = nodes.paragraph(text=(
                "This copy of the course site does not offer the notebooks in the browser. "
                "Your lecturer will tell you how to open them, for example in Jupyter on your own "
                "computer or on your university's server."))
            return [nodes.container("", para, classes=["lite-off"])]
        to_root = "../" * self.env.docname.count("/")
        items = []
        for assignment, title in state["titles"].items():
            href = to_root + notebook_url(assignment)
            html = (f'<a class="lite-open" href="{_attr(href)}">{_text(title)}</a> '
                    f'<span class="lite-file">(<code>{_text(assignment)}.ipynb</code>)</span>')
            items.append(f"<li>{html}</li>")
        raw = nodes.raw("", '<ul class="lite-notebooks">' + "".join(items) + "</ul>", format="html")
        raw.source, raw.line = self.get_source_info()
        return [raw]


def _text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(s: str) -> str:
    return _text(s).replace('"', "&quot;")


class LiteFiles(SphinxDirective):
    """``{lite-files}``: a link to the app's file view (to upload one's own notebook)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        bookkeeping.note_page(self.env, LISTS)
        if not getattr(self.env.app, "course_lite", None):
            return []
        href = "../" * self.env.docname.count("/") + f"{SITE_DIR}/tree/index.html"
        raw = nodes.raw("", f'<p><a class="lite-open" href="{_attr(href)}">Open the file view</a></p>',
                        format="html")
        raw.source, raw.line = self.get_source_info()
        return [raw]


def setup(app):
    app.add_config_value("course_lite", True, "env", types=(bool,))
    app.add_config_value("course_lite_assignments",
                         ["protection", "compensation", "status-and-repatriation", "savings-clause", "capstone"],
                         "env", types=(list, tuple))
    app.add_directive("lite-notebooks", LiteNotebooks)
    app.add_directive("lite-files", LiteFiles)
    app.setup_extension("bookkeeping")
    app.connect("builder-inited", _builder_inited)
    bookkeeping.reread_when_changed(app, "lite titles", _titles, lambda app, env: bookkeeping.pages(env, LISTS))
    app.connect("build-finished", _build_finished)
    return {"version": "1", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
