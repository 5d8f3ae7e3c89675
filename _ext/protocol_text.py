"""The treaty text on the page, from the one list in ``protocol/``.

``{treaty-article} 6`` sets out article 6 verbatim as the module quotes it, as a block quote
of treaty text, each paragraph and lettered point carrying its anchor ("art-6-3-b"), so any
page, quiz or widget can link straight to it. ``{provision}`6(3)(b)``` links to that
anchor from running text, with the citation checked by the course's parser at build time.

``{official-text} 6``, placed after the module's box, is a note with the Protocol's official
words wherever the module's quotation departs from them ("The module quotes ... The
Protocol's official text reads ..."), and the official text of any paragraph the module does
not quote (article 14(2)), which then carries the anchor. Each departing provision in the box
links to its place in the note, so a page that sets out an article the module departs from
must have the note too (a build warning otherwise).
"""

from __future__ import annotations

import bookkeeping
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

import protocol

logger = logging.getLogger(__name__)


def _article(directive: SphinxDirective, name: str):
    """(article number, its provisions) named by a directive's argument, or the directive's error."""
    try:
        article = int(directive.arguments[0])
        provisions = protocol.in_article(article)
    except ValueError:
        article, provisions = None, []
    if not provisions:
        raise directive.error(
            f"{name}: {directive.arguments[0]!r} is not an article this course covers "
            f"(choose one of {', '.join(map(str, protocol.ARTICLES))})"
        )
    return article, provisions


class TreatyArticle(SphinxDirective):
    required_arguments = 1
    has_content = False
    option_spec = {"class": directives.class_option}

    def run(self):
        article, provisions = _article(self, "treaty-article")
        container = nodes.container(classes=["treaty-text"])
        container["ids"].append(f"article-{article}-text")
        container += nodes.rubric(text=f"Article {article}", classes=["treaty-title"])
        quote = nodes.block_quote(classes=["treaty-quote"])
        container += quote
        body = quote
        quoted = [p for p in provisions if p.quoted]  # the module's box: what the module quotes
        for p in quoted:
            para = nodes.paragraph(classes=["treaty-provision"])
            para["ids"].append(protocol.anchor(p.id))
            marker = _marker(p, quoted)
            if marker:
                para += nodes.inline(text=marker, classes=["treaty-number"])
            para += nodes.Text(p.text)
            if p.departs:
                para += nodes.Text(" ")
                link = nodes.reference("", "", internal=True, refuri=f"#{_note_id(p.id)}",
                                       classes=["official-text-link"])
                link += nodes.inline(text="(the official text differs)")
                para += link
            body += para
        _note(self.env, "treaty", article)
        return [container]


def _marker(p, shown) -> str:
    """"(b) " for a point, "4. " for a paragraph; none for a paragraph shown alone (the module
    quotes article 14(1) as "Article 14", unnumbered)."""
    if p.subparagraph:
        return f"({p.subparagraph}) "
    if len([q for q in shown if not q.subparagraph]) == 1:
        return ""
    return f"{p.paragraph}. "


def _note_id(pid: str) -> str:
    """HTML id of a provision's entry in the official-text note: "6(4)" -> "official-6-4"."""
    return "official-" + protocol.anchor(pid).removeprefix("art-")


def _quoted_spans(d, spans) -> list[nodes.Node]:
    """The words of one place of difference, the changed ones marked, in quotation marks."""
    out: list[nodes.Node] = [nodes.Text("\u201c" + ("" if d.at_start else "\u2026"))]
    for text, changed in spans:
        out.append(nodes.inline(text=text, classes=["wording-diff"]) if changed else nodes.Text(text))
    out.append(nodes.Text(("" if d.at_end else "\u2026") + "\u201d"))
    return out


def _stop(spans) -> str:
    """The full stop after a quotation, unless the quoted words end with one."""
    return "" if "".join(t for t, _ in spans).rstrip().endswith(".") else "."


class OfficialText(SphinxDirective):
    """The Protocol's official words beside the module's, for one article, as a labelled note."""

    required_arguments = 1
    has_content = False

    def run(self):
        article, provisions = _article(self, "official-text")
        note = nodes.admonition(classes=["official-text"])
        note["ids"].append(f"official-text-{article}")
        note += nodes.title(text=f"The Protocol's official text of article {article}")
        differ = [p for p in provisions if p.departs or not p.quoted]
        intro = nodes.paragraph()
        if differ:
            intro += nodes.Text("Where the module's quotation above departs from the Protocol's official text, the "
                                "official words are set out here; the module's own words are kept above, as it "
                                "quotes them. ")
        else:
            intro += nodes.Text(f"The module quotes article {article} in the Protocol's official words. ")
        intro += nodes.Text(f"Official text: {protocol.OFFICIAL_SOURCE}, article {article}, "
                            f"\u201c{protocol.OFFICIAL_TITLES[article]}\u201d.")
        note += intro
        for p in differ:
            entry = nodes.container(classes=["official-provision"])
            entry["ids"].append(_note_id(p.id))
            head = nodes.paragraph(classes=["official-provision-title"])
            head += nodes.strong(text=f"Article {p.treaty_id}")
            if p.id != p.treaty_id:
                head += nodes.Text(f" (the module's \u201carticle {p.id}\u201d): {p.title}")
            else:
                head += nodes.Text(f": {p.title}")
            entry += head
            if p.quoted:
                for d in p.differences():
                    para = nodes.paragraph(classes=["official-difference"])
                    para += nodes.Text("The module quotes ")
                    para += _quoted_spans(d, d.module)
                    para += nodes.Text(_stop(d.module) + " The Protocol's official text reads ")
                    para += _quoted_spans(d, d.official)
                    para += nodes.Text(_stop(d.official))
                    entry += para
                label = nodes.paragraph(text=f"The official text of article {p.treaty_id} in full:")
            else:
                label = nodes.paragraph(text=f"The module does not quote article {p.treaty_id}. "
                                             "The Protocol's official text reads:")
            entry += label
            quote = nodes.block_quote(classes=["official-quote"])
            para = nodes.paragraph(classes=["official-provision-text"])
            if not p.quoted:  # the only place on the site with this provision's text: its anchor
                para["ids"].append(protocol.anchor(p.id))
            marker = f"({p.subparagraph}) " if p.subparagraph else f"{p.paragraph}. "
            para += nodes.inline(text=marker, classes=["treaty-number"])
            para += nodes.Text(p.official)
            quote += para
            entry += quote
            note += entry
        _note(self.env, "official", article)
        return [note]


def _pages(env) -> dict:
    """docname -> the articles whose module text ("treaty") and official-text note ("official") it sets out."""
    return bookkeeping.pages(env, "treaty-article")


def _note(env, kind: str, article: int) -> None:
    _pages(env).setdefault(env.docname, {"treaty": [], "official": []})[kind].append(article)


def _check(app, env):
    for docname, seen in sorted(_pages(env).items()):
        for article in seen["treaty"]:
            departs = [p.id for p in protocol.in_article(article) if p.departs or not p.quoted]
            if departs and article not in seen["official"]:
                logger.warning(f"treaty-article {article}: the module's quotation departs from the official text "
                               f"({', '.join(departs)}), so the page needs the note: add ```{{official-text}} {article}``` "
                               "after the box", location=docname)


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
    app.add_directive("official-text", OfficialText)
    app.add_role("provision", ProvisionRole())
    app.setup_extension("bookkeeping")
    app.connect("doctree-resolved", _resolve)
    app.connect("env-check-consistency", _check)
    return {"version": "2", "env_version": 3, "parallel_read_safe": True, "parallel_write_safe": True}
