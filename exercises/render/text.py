"""Item text as people read it: paragraphs and lists, as plain text or as an HTML fragment."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import protocol
from exercises.items import Item

# A citation in running text: "article 6(3)(b)", "Article 8(2)", "6(1)", "article 14".
CITATION = re.compile(r"\b(?:[Aa]rticles? )?\d{1,2}(?:\(\d\))(?:\([a-d]\))?|\b[Aa]rticle 14\b")


def blocks(text: str) -> list[tuple[str, list[str]]]:
    """Split text into ("p", [paragraph]) and ("ul", [items]) blocks (blank lines, "- " lines)."""
    out: list[tuple[str, list[str]]] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in chunk.splitlines() if ln.strip()]
        if lines and all(ln.startswith("- ") for ln in lines):
            out.append(("ul", [ln[2:] for ln in lines]))
        elif lines:
            out.append(("p", [" ".join(lines)]))
    return out


def intro_lines(item: Item) -> list[str]:
    """What comes before the stem: a content note, then teaching assumptions."""
    lines = [f"Content note: {item.content_note}"] if item.content_note else []
    lines += [f"Teaching assumption: {a}" for a in item.assumptions]
    return lines


def full_text(item: Item) -> str:
    """Content note, assumptions and stem as plain text with blank lines between blocks."""
    return "\n\n".join(intro_lines(item) + [item.stem])


def append_inline(parent: ET.Element, text: str, link: Callable[[str], str | None] | None = None) -> None:
    """Append text to an element, turning citations into links when `link` gives an href."""
    pos = 0
    last: ET.Element | None = None

    def add_text(s: str) -> None:
        if last is None:
            parent.text = (parent.text or "") + s
        else:
            last.tail = (last.tail or "") + s

    if link is None:  # no links: the text as it is
        add_text(text)
        return
    for m in CITATION.finditer(text):
        try:
            pid = protocol.parse(m.group(0))
        except protocol.CitationError:
            continue
        href = link(pid)
        if not href:
            continue
        add_text(text[pos:m.start()])
        a = ET.SubElement(parent, "a", {"href": href, "class": "provision-ref",
                                        "title": f"Article {pid}: {protocol.get(pid).title}"})
        a.text = m.group(0)
        last = a
        pos = m.end()
    add_text(text[pos:])


def html_blocks(parent: ET.Element, text: str, link: Callable[[str], str | None] | None = None) -> None:
    for kind, parts in blocks(text):
        if kind == "p":
            append_inline(ET.SubElement(parent, "p"), parts[0], link)
        else:
            ul = ET.SubElement(parent, "ul")
            for part in parts:
                append_inline(ET.SubElement(ul, "li"), part, link)


def to_html(text: str, link=None) -> str:
    """An HTML fragment (no wrapper) for text, serialised by ElementTree: always escaped."""
    root = ET.Element("div")
    html_blocks(root, text, link)
    return "".join(ET.tostring(child, encoding="unicode", method="html") for child in root)


def stem_html(item: Item, link=None) -> str:
    return to_html(full_text(item), link)
