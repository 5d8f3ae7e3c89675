"""Self-check questions rendered from the question bank when the site is built.

``{self-check} article-6`` (a directive) puts the public questions of a key-issue page where it
stands, as ``exercises/render/selfcheck.py`` renders them, "Other facts" variants included;
``{self-check-count}`article-6``` is how many questions that is, for the page's own text.
Only ``use: self-check`` items and the scenario templates are read
(``load_bank(use="self-check")``): the site builds without the graded folder, and an answer
key cannot reach it.

Each question shows, with every checked answer, why it is so and the module passage it rests on
(the item's ``section``), linked to that heading on the site: a box by its label (``box-7``), any
other heading by its title on the item's page. The links are resolved once every page has been
read (``doctree-resolved``), so the directive leaves a placeholder; a heading the site does not
have, on a page it builds, is a build warning at the item's file and line.

The script and stylesheet the questions need (``self-check.js``, ``self-check.css``, beside this
file) belong to the extension: it copies them into the site and links them from the pages that
use the directive only, as Sphinx's mathjax does for pages with equations.

A page is read again when a bank file changes (``env.note_dependency``), or when a file is
added to the bank or removed from it (Sphinx checks only the files it was told of). Which
documents use the directive is kept in the env, purged and merged, so parallel builds work.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from exercises.sections import PAGES, page_docname  # cheap: no bank, no schema

if TYPE_CHECKING:
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent
JS, CSS = "self-check.js", "self-check.css"
# bookkeeping's keys: the pages that read the bank -> how many questions they show (0 or False:
# they only count them); the key-issue pages -> their headings' anchors.
DOCS, HEADINGS = "self-check", "self-check headings"


# ---- Model: the questions of each page --------------------------------------------------------

def bank_files(root: Path | None) -> list[Path]:
    """The files the questions are read from: the public items (never the graded folder) and
    the scenario templates."""
    from exercises.paths import public_files
    from exercises.scenarios.templates import template_files

    return public_files(root) + template_files(root)


def questions(root: Path | None) -> tuple[dict, dict, tuple[Path, ...]]:
    """(public items per page, "Other facts" variants, the files read); BankError on a problem
    in the bank. Read once per build process, and again if a file changed since."""
    files = tuple(bank_files(root))
    per_page, alternates = _questions(root, files, tuple(p.stat().st_mtime_ns for p in files))
    return per_page, alternates, files


@lru_cache(maxsize=2)
def _questions(root: Path | None, files: tuple[Path, ...], stamp: tuple[int, ...]) -> tuple[dict, dict]:
    from exercises.bank import load_bank
    from exercises.build import other_facts, self_check_items
    from exercises.scenarios.templates import load_templates

    templates = load_templates(root)
    return self_check_items(load_bank(root, use="self-check"), templates), other_facts(templates)


# ---- Directive and role --------------------------------------------------------------------

class Unusable(Exception):
    """The directive or role cannot show the questions: why, and how to fix it."""


class _Host(Protocol):
    """What _PageArgument needs of the directive or role it is mixed into."""

    @property
    def config(self) -> Config: ...

    @property
    def env(self) -> BuildEnvironment: ...


class _PageArgument:
    """The key-issue page named by the directive or role: checked, then its questions."""

    def _questions(self: _Host, page: str):
        from exercises.problems import BankError

        if page not in PAGES:
            raise Unusable(f"{page!r} is not a key-issue page with self-check questions; write one of: "
                           f"{', '.join(PAGES)} (the pages of exercises/sections.py)")
        try:
            per_page, alternates, files = questions(self.config.self_check_bank)
        except BankError as e:
            raise Unusable(str(e)) from None
        # Every file on every page: an item moved to another page must refresh both.
        for path in files:
            self.env.note_dependency(str(path))
        _docs(self.env).setdefault(self.env.docname, False)
        return per_page[page], alternates


class self_check_questions(nodes.General, nodes.Element):
    """Where ``{self-check} <page>`` stands, until every page is read: then the questions, with
    links to the passages they rest on (_render)."""


class SelfCheck(_PageArgument, SphinxDirective):
    """```{self-check} <page>```: the page's questions as accessible forms."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        try:
            items, _ = self._questions(self.arguments[0])
        except Unusable as e:
            raise self.error(f"self-check: {e}") from None
        # This page needs the script and stylesheet; how many questions it shows (the progress page says).
        docs = _docs(self.env)
        docs[self.env.docname] = int(docs.get(self.env.docname) or 0) + len(items)
        node = self_check_questions(page=self.arguments[0])
        node.source, node.line = self.get_source_info()
        return [node]


# ---- The passages an answer rests on: headings of the site -----------------------------------

BOX = re.compile(r"Box(?:es)? (\d+)")


def _headings(env) -> dict[str, dict[str, str]]:
    """Key-issue pages (docnames) -> their section titles -> the titles' anchors; kept in the env."""
    import bookkeeping  # here, not with the module: see setup

    return bookkeeping.pages(env, HEADINGS)


def _read_headings(app, doctree):
    if app.env.docname in {page_docname(p) for p in PAGES}:
        _headings(app.env)[app.env.docname] = {
            s[0].astext(): s["ids"][0] for s in doctree.findall(nodes.section) if s["ids"] and len(s)}


def passage_target(env, page: str, heading: str) -> tuple[str, str] | None:
    """(docname, anchor) of the heading an item's section names: "Box 7, ..." (or "Boxes 6 and
    7, ...") by the box's label, wherever it is; any other heading by its title on the page."""
    if (m := BOX.match(heading)):
        return env.domaindata["std"]["anonlabels"].get(f"box-{m.group(1)}")
    docname = page_docname(page)
    anchor = _headings(env).get(docname, {}).get(heading)
    return (docname, anchor) if anchor else None


def _heading_line(item) -> str:
    """"path:line" of an item's section heading (a string, which Sphinx prints as it is)."""
    from exercises.sources import SourceError, read

    try:
        line = read(item.path).line_of(("section", "heading")) if item.path else item.line
    except SourceError:
        line = item.line
    return f"{item.path or item.id}:{line}"


def _render(app, doctree, docname):
    from exercises.render.selfcheck import Passage, page_html, unlinked

    env = app.env

    def passage(section):
        target = passage_target(env, section.page, section.heading)
        if target is None:
            return unlinked(section)
        page, anchor = target
        title = env.titles[page].astext() if page in env.titles else unlinked(section).page
        return Passage(title, section.heading, f"{app.builder.get_relative_uri(docname, page)}#{anchor}")

    for node in list(doctree.findall(self_check_questions)):
        per_page, alternates, _ = questions(app.config.self_check_bank)
        items = per_page[node["page"]]
        for item in items + [v for i in items for v in alternates.get(i.id, ())]:
            # A page the site leaves out (not in _toc.yml) has nothing to link to; a heading its
            # page does not have is a mistake in the item.
            if passage_target(env, item.section.page, item.section.heading) is None \
                    and page_docname(item.section.page) in env.all_docs:
                logger.warning(
                    f"self-check: section heading {item.section.heading!r} of {item.id} is not on the site: "
                    f"neither a box the book labels (box-N) nor a heading of {page_docname(item.section.page)}; "
                    "write the heading as the page shows it", location=_heading_line(item))
        raw = nodes.raw("", page_html(items, docname, alternates, passage), format="html")
        raw.source, raw.line = node.source, node.line
        node.replace_self(raw)


class SelfCheckCount(_PageArgument, SphinxRole):
    """{self-check-count}`<page>`: the number of questions ``{self-check} <page>`` shows."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            items, _ = self._questions(self.text)
        except Unusable as e:
            msg = self.inliner.reporter.error(f"self-check-count: {e}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        return [nodes.Text(str(len(items)))], []


# ---- Build state: which documents show questions -------------------------------------------

def _docs(env) -> dict[str, int]:
    """Documents that read the bank -> how many questions they show (0 or False: they only count them)."""
    import bookkeeping  # here, not with the module: see setup

    return bookkeeping.pages(env, DOCS)


def _bank_listing(app) -> tuple[str, ...]:
    # Files edited in place are Sphinx's own dependency check; a new item file it cannot know of.
    return tuple(str(p) for p in bank_files(app.config.self_check_bank))


def _resolve_bank(app, config):
    if config.self_check_bank:
        config.self_check_bank = str(Path(app.confdir, config.self_check_bank).resolve())


def setup(app):
    # Imported here, not with the module: its helpers are also loaded from this file alone (by
    # tests), without the extensions' folder, where bookkeeping is, on the path.
    import bookkeeping

    # Another bank folder than exercises/bank/, relative to conf.py (None: the course's own).
    app.add_config_value("self_check_bank", None, "env", types=(str, type(None)))
    app.connect("config-inited", _resolve_bank)
    app.add_node(self_check_questions)  # replaced by the questions when the page is resolved
    app.add_directive("self-check", SelfCheck)
    app.add_role("self-check-count", SelfCheckCount())
    app.setup_extension("bookkeeping")
    bookkeeping.reread_when_changed(app, "self-check bank", _bank_listing, lambda app, env: _docs(env))
    app.connect("doctree-read", _read_headings)
    app.connect("doctree-resolved", _render)
    # The script and stylesheet on the pages that show questions only. The stylesheet first of
    # the page's (priority 100), so the theme's and the course's own (html_css_files) still win a
    # tie with it.
    bookkeeping.static_files(app, [ASSETS / JS, ASSETS / CSS])
    bookkeeping.page_assets(app, lambda env, pagename: bool(_docs(env).get(pagename)),
                            css=[(CSS, {"priority": 100})], js=[(JS, {"defer": "defer"})])
    return {"version": "3", "env_version": 4, "parallel_read_safe": True, "parallel_write_safe": True}
