"""Link the module's own citations to the bibliography without changing their words.

``{source}`Ezeilo (2015, p. 146) <ezeilo2015>``` keeps the text exactly as the module
writes it and links it to that work's entry on the bibliography page. sphinxcontrib-bibtex's
cite roles would reformat the text, which must stay the module's. An unknown key fails the
build, so every citation resolves.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.nodes import make_id
from sphinx.util.docutils import SphinxRole

BIBLIOGRAPHY_PAGE = "book/bibliography"
_ROLE = re.compile(r"^(?P<text>.+?)\s*<(?P<key>[^<>]+)>$", re.S)
_ENTRY = re.compile(r"^@\w+\{([^,\s]+),", re.M)


def bib_keys(app) -> set[str]:
    keys: set[str] = set()
    for name in app.config.bibtex_bibfiles or []:
        keys |= set(_ENTRY.findall((Path(app.srcdir) / name).read_text(encoding="utf-8")))
    return keys


class SourceRole(SphinxRole):
    keys: set[str] = set()  # the bibliography's keys, read as the builder starts (setup)

    def run(self):
        m = _ROLE.match(self.text)
        keys = self.keys
        if not m or m["key"] not in keys:
            problem = (
                "write {source}`text as in the module <bibtex-key>`"
                if not m
                else f"no entry {m['key']!r} in {', '.join(self.config.bibtex_bibfiles)}; add it there"
            )
            msg = self.inliner.reporter.error(f"source role {self.text!r}: {problem}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        ref = nodes.reference("", "", internal=True, refuri="", classes=["source-ref"])
        ref["course_source"] = m["key"]
        ref += nodes.inline(text=m["text"])
        return [ref], []


def _resolve(app, doctree, docname):
    for ref in doctree.findall(nodes.reference):
        key = ref.get("course_source")
        if key:
            uri = app.builder.get_relative_uri(docname, BIBLIOGRAPHY_PAGE)
            ref["refuri"] = f"{uri}#{make_id(app.config.bibtex_cite_id.format(key=key))}"


def setup(app):
    app.setup_extension("sphinxcontrib.bibtex")
    role = SourceRole()
    app.add_role("source", role)
    app.connect("builder-inited", lambda app: setattr(role, "keys", bib_keys(app)))
    app.connect("doctree-resolved", _resolve)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
