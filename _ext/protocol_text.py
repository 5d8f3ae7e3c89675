"""The treaty text on the page, from the one list in ``protocol/``.

``{treaty-article} 6`` sets out article 6 verbatim as a block quote of treaty text,
each paragraph and lettered point carrying its anchor ("art-6-3-b"), so any page,
quiz or widget can link straight to it. ``{provision}`6(3)(b)``` links to that
anchor from running text, with the citation checked by the course's parser at build time.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective, SphinxRole

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import protocol  # noqa: E402


class TreatyArticle(SphinxDirective):
    required_arguments = 1
    has_content = False
    option_spec = {"class": directives.class_option}

    def run(self):
        try:
            article = int(self.arguments[0])
            provisions = protocol.in_article(article)
        except ValueError:
            provisions = []
        if not provisions:
            raise self.error(
                f"treaty-article: {self.arguments[0]!r} is not an article this course covers "
                f"(choose one of {', '.join(map(str, protocol.ARTICLES))})"
            )
        container = nodes.container(classes=["treaty-text"])
        container["ids"].append(f"article-{article}-text")
        container += nodes.rubric(text=f"Article {article}", classes=["treaty-title"])
        quote = nodes.block_quote(classes=["treaty-quote"])
        container += quote
        body = quote
        for p in provisions:
            para = nodes.paragraph(classes=["treaty-provision"])
            para["ids"].append(protocol.anchor(p.id))
            if p.subparagraph:
                marker = f"({p.subparagraph}) "
                para["classes"].append("treaty-point")
            elif article == 14:
                marker = ""
            else:
                marker = f"{p.paragraph}. "
            if marker:
                para += nodes.inline(text=marker, classes=["treaty-number"])
            para += nodes.Text(p.text)
            body += para
        return [container]


class ProvisionRole(SphinxRole):
    """Link a citation to its treaty text; the link text stays as written."""

    def run(self):
        try:
            pid = protocol.parse(self.text)
        except protocol.CitationError as e:
            msg = self.inliner.reporter.error(f"provision role: {e}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        ref = nodes.reference(
            "",
            "",
            internal=True,
            refuri="",
            classes=["provision-ref"],
            reftitle=f"Article {pid}: {protocol.get(pid).title}",
        )
        ref["protocol_target"] = pid
        ref += nodes.inline(text=self.text)
        return [ref], []


def _resolve(app, doctree, docname):
    for ref in doctree.findall(nodes.reference):
        pid = ref.get("protocol_target")
        if not pid:
            continue
        target = protocol.treaty_page(pid)
        ref["refuri"] = app.builder.get_relative_uri(docname, target) + "#" + protocol.anchor(pid)


def setup(app):
    app.add_directive("treaty-article", TreatyArticle)
    app.add_role("provision", ProvisionRole())
    app.connect("doctree-resolved", _resolve)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
