"""Printable quiz and separate answer key: standalone HTML with a print stylesheet."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import protocol
from exercises.export.accept import spellings
from exercises.items import Item
from exercises.render.selfcheck import shuffled
from exercises.render.text import html_blocks, intro_lines

CSS = """
body { font: 12pt/1.45 Georgia, 'Times New Roman', serif; color: #111; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
.q { break-inside: avoid; page-break-inside: avoid; margin-bottom: 1.4rem; }
.meta { font-size: .85rem; color: #444; }
.intro { font-size: .95rem; font-style: italic; }
ol.choices { list-style: upper-alpha; } ol.choices li { margin: .25rem 0; }
.box { border: 1px solid #555; min-height: 2.2rem; margin: .4rem 0; }
.lines { border-bottom: 1px solid #999; height: 1.8rem; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #777; padding: .3rem .5rem; text-align: left; vertical-align: top; }
.key { color: #0a4a20; font-weight: 600; }
.name { margin: 1rem 0 2rem; }
@page { margin: 2cm; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } .noprint { display: none; } }
"""


def _doc(title: str) -> tuple[ET.Element, ET.Element]:
    html = ET.Element("html", lang="en")
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", charset="utf-8")
    ET.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "style").text = CSS
    body = ET.SubElement(html, "body")
    ET.SubElement(body, "h1").text = title
    return html, body


def _serialise(html: ET.Element) -> str:
    ET.indent(html)
    return "<!DOCTYPE html>\n" + ET.tostring(html, encoding="unicode", method="html") + "\n"


def _letters(n: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(n)]


def quiz(items: list[Item], title: str) -> str:
    html, body = _doc(title)
    ET.SubElement(body, "p", {"class": "name"}).text = "Name: ______________________    Date: ____________"
    for n, item in enumerate(items, start=1):
        q = ET.SubElement(body, "section", {"class": "q", "id": item.id})
        ET.SubElement(q, "h2").text = f"{n}. {item.label}"
        for line in intro_lines(item):
            ET.SubElement(q, "p", {"class": "intro"}).text = line
        html_blocks(q, item.stem)
        if item.type in ("single", "multiple"):
            ET.SubElement(q, "p", {"class": "meta"}).text = ("Circle one answer." if item.type == "single"
                                                              else "Circle every answer that applies.")
            ol = ET.SubElement(q, "ol", {"class": "choices"})
            for o in shuffled(list(item.options), item.id):
                ET.SubElement(ol, "li").text = o.text
        elif item.type == "truefalse":
            ET.SubElement(q, "p").text = "True  /  False  (circle one)"
        elif item.type in ("numeric", "citation"):
            unit = f" ({item.numeric.unit})" if item.numeric else ""
            ET.SubElement(q, "p").text = f"Answer{unit}:"
            ET.SubElement(q, "div", {"class": "box"})
        elif item.type in ("matching", "ordering"):
            prompts, choices = _grid(item)
            table = ET.SubElement(q, "table")
            tr = ET.SubElement(table, "tr")
            ET.SubElement(tr, "th").text = "Situation" if item.type == "matching" else "Step"
            ET.SubElement(tr, "th").text = "Your answer"
            for prompt in prompts:
                tr = ET.SubElement(table, "tr")
                ET.SubElement(tr, "td").text = prompt
                ET.SubElement(tr, "td").text = ""
            ET.SubElement(q, "p", {"class": "meta"}).text = (
                "Choose from: " + ", ".join(choices) if item.type == "matching"
                else f"Number the steps 1 to {len(prompts)} in order.")
        elif item.type == "essay":
            for _ in range(12):
                ET.SubElement(q, "div", {"class": "lines"})
    return _serialise(html)


def _grid(item: Item) -> tuple[list[str], list[str]]:
    if item.type == "ordering":
        return [s.text for s in shuffled(list(item.steps), item.id)], []
    return [p.prompt for p in item.pairs], sorted({p.answer for p in item.pairs} | set(item.distractors))


def answer_key(items: list[Item], title: str) -> str:
    html, body = _doc(f"Answer key: {title}")
    ET.SubElement(body, "p", {"class": "meta"}).text = (
        "For lecturers. Keep this key apart from the quiz; it includes items reserved for graded work.")
    for n, item in enumerate(items, start=1):
        q = ET.SubElement(body, "section", {"class": "q"})
        ET.SubElement(q, "h2").text = f"{n}. {item.label}"
        ET.SubElement(q, "p", {"class": "meta"}).text = (
            f"{item.id} · provisions {', '.join(item.provisions)} · {item.bloom} · {item.difficulty} · "
            f"{item.use} · module: {item.section.heading}")
        key = ET.SubElement(q, "div")
        if item.type in ("single", "multiple"):
            shown = shuffled(list(item.options), item.id)
            ol = ET.SubElement(key, "ol", {"class": "choices"})
            for o in shown:
                li = ET.SubElement(ol, "li", {"class": "key"} if o.correct else {})
                li.text = f"{'✓ ' if o.correct else ''}{o.text} — {o.feedback}"
            right = [letter for letter, o in zip(_letters(len(shown)), shown) if o.correct]
            ET.SubElement(key, "p", {"class": "key"}).text = "Answer: " + ", ".join(right)
        elif item.type == "truefalse":
            ET.SubElement(key, "p", {"class": "key"}).text = f"Answer: {'True' if item.truth else 'False'}"
        elif item.type == "numeric":
            n_ = item.numeric_answer
            ET.SubElement(key, "p", {"class": "key"}).text = (
                f"Answer: {n_.value:g} {n_.unit} (± {n_.tolerance:g}); working: {n_.derivation}")
        elif item.type == "citation":
            lead = ("Answer: " if len(item.citations) == 1 else
                    "Answer (all of these, and nothing else): " if item.answer_mode == "all" else
                    "Answer (any one of these): ")
            ET.SubElement(key, "p", {"class": "key"}).text = lead + "; ".join(
                f"article {pid} ({protocol.get(pid).title}); also accept e.g. {', '.join(spellings(pid)[1:4])}"
                for pid in item.citations)
        elif item.type in ("matching", "ordering"):
            table = ET.SubElement(key, "table")
            rows = ([(p.prompt, p.answer) for p in item.pairs] if item.type == "matching"
                    else [(s.text, str(pos)) for pos, s in enumerate(item.steps, start=1)])
            for prompt, answer in rows:
                tr = ET.SubElement(table, "tr")
                ET.SubElement(tr, "td").text = prompt
                ET.SubElement(tr, "td", {"class": "key"}).text = answer
        elif item.type == "essay":
            table = ET.SubElement(key, "table")
            for c in item.rubric:
                tr = ET.SubElement(table, "tr")
                ET.SubElement(tr, "td").text = c.criterion
                ET.SubElement(tr, "td").text = f"{c.points:g}"
                ET.SubElement(tr, "td").text = c.descriptor
            ET.SubElement(key, "p").text = f"Model answer: {item.model_answer}"
        for label, text in (("If right", item.feedback_correct), ("If not", item.feedback_incorrect)):
            if text and item.type not in ("single", "multiple"):
                ET.SubElement(key, "p", {"class": "meta"}).text = f"{label}: {text}"
    return _serialise(html)
