"""The public self-check questions as files a learning platform imports, linked from a page.

``{quiz-files}`` (a directive, no argument) writes the bank's public questions, with their
answers, as Moodle XML, GIFT and a Canvas QTI package into the site's ``quizzes/`` folder and
shows a link to each, with the number of questions it holds and why any were left out. A
lecturer who does not use a terminal downloads them from the published site.

Only public items are read (``use="self-check"`` reads the public folders, never the graded
one), and each is checked again before it is written: a graded item here would publish its key.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

FOLDER = "quizzes"
TITLE = "Protecting victims: self-check questions (articles 6, 7, 8 and 14)"
# (format, file name, what it is for)
FILES = (
    ("moodle", "self-check-moodle.xml", "Moodle XML: Question bank › Import, format Moodle XML"),
    ("gift", "self-check-gift.txt", "GIFT (Moodle): Question bank › Import, format GIFT"),
    ("qti", "self-check-canvas-qti.zip", "Canvas: Settings › Import course content, type QTI .zip file"),
)


# ---- Model: what each file holds ------------------------------------------------------------

def public_items(root: Path | None) -> list:
    """The public questions, refusing any item that is not public."""
    from exercises.bank import load_bank

    items = load_bank(root, use="self-check")
    graded = [i.id for i in items if not i.public]
    if graded:
        raise ExtensionError(f"[quiz-files] refusing to publish items that are not public: {', '.join(graded)}")
    return items


def contents(items: list) -> list[tuple[str, str, str, int, list[tuple[str, str]]]]:
    """Per file: (format, name, purpose, questions written, [(item id, why left out)])."""
    from exercises.export.lms import prepare

    rows = []
    for fmt, name, purpose in FILES:
        ready, left_out = prepare(items, fmt)
        rows.append((fmt, name, purpose, len(ready), [(i.id, why) for i, why in left_out]))
    return rows


def write(items: list, outdir: Path) -> None:
    from exercises.export import export

    for fmt, name, _ in FILES:
        export(items, fmt, outdir / FOLDER / name, title=TITLE)


# ---- View: the links ------------------------------------------------------------------------

class QuizFiles(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        _pages(self.env)[self.env.docname] = True
        for path in _bank_files(self.config):
            self.env.note_dependency(str(path))
        rows = contents(public_items(_bank(self.config)))
        depth = self.env.docname.count("/")
        prefix = "../" * depth
        listing = nodes.bullet_list(classes=["quiz-files"])
        for _fmt, name, purpose, count, left_out in rows:
            para = nodes.paragraph()
            para += nodes.reference("", name, refuri=f"{prefix}{FOLDER}/{name}", classes=["download"])
            para += nodes.Text(f" — {count} questions. {purpose}.")
            if left_out:
                para += nodes.Text(f" Left out ({len(left_out)}): " + "; ".join(
                    f"{item}: {why}" for item, why in left_out) + ".")
            listing += nodes.list_item("", para)
        return [listing]


# ---- Build glue -----------------------------------------------------------------------------

def _bank(config) -> Path | None:
    # The same bank the self-check pages read (_ext/self_check.py's setting).
    return Path(config.self_check_bank) if config.self_check_bank else None


def _bank_files(config) -> list[Path]:
    from exercises.paths import public_files

    return public_files(_bank(config))


def _pages(env) -> dict:
    """The pages with the directive."""
    # Imported here, not with the module: its helpers are also loaded from this file alone (by
    # tests), without the extensions' folder, where bookkeeping is, on the path.
    import bookkeeping

    return bookkeeping.pages(env, "quiz-files")


def _write(app, exception):
    if exception is None and app.builder.format == "html" and _pages(app.env):
        write(public_items(_bank(app.config)), Path(app.outdir))


def setup(app):
    app.setup_extension("self_check")  # its `self_check_bank` setting names the bank
    app.setup_extension("bookkeeping")
    app.add_directive("quiz-files", QuizFiles)
    app.connect("build-finished", _write)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
