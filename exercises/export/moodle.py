"""Moodle XML (question bank import), built with ElementTree so every text is escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from exercises.export.accept import spellings
from exercises.items import Item
from exercises.render.text import stem_html, to_html


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html", **attrs) -> ET.Element:
    el = ET.SubElement(parent, tag, ({"format": fmt} if fmt else {}) | attrs)
    ET.SubElement(el, "text").text = text
    return el


def _fraction(n: int) -> str:
    # Moodle matches fractions to its list of grades (100, 50, 33.33333, 25, ...).
    return f"{100 / n:.5f}".rstrip("0").rstrip(".")


def _answer(q: ET.Element, fraction: str, text: str, feedback: str | None, fmt: str = "html") -> ET.Element:
    a = _text(q, "answer", text, fmt, fraction=fraction)
    if feedback:
        _text(a, "feedback", to_html(feedback))
    return a


def question(item: Item) -> ET.Element:
    mtype = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse",
             "numeric": "numerical", "matching": "matching", "ordering": "ordering",
             "citation": "shortanswer", "essay": "essay"}[item.type]
    q = ET.Element("question", type=mtype)
    _text(q, "name", item.label, fmt=None)
    _text(q, "questiontext", stem_html(item))
    _text(q, "generalfeedback", "")
    ET.SubElement(q, "defaultgrade").text = f"{item.max_points:g}"
    ET.SubElement(q, "penalty").text = "0.3333333"
    ET.SubElement(q, "hidden").text = "0"
    ET.SubElement(q, "idnumber").text = item.id

    if item.type in ("single", "multiple"):
        ET.SubElement(q, "single").text = "true" if item.type == "single" else "false"
        ET.SubElement(q, "shuffleanswers").text = "true"
        ET.SubElement(q, "answernumbering").text = "abc"
        right, wrong = len(item.correct_options), len(item.options) - len(item.correct_options)
        for o in item.options:
            if item.type == "single":
                frac = "100" if o.correct else "0"
            else:
                frac = _fraction(right) if o.correct else "-" + _fraction(wrong)
            _answer(q, frac, to_html(o.text), o.feedback)
    elif item.type == "truefalse":
        for value in (True, False):
            ok = value == item.truth
            _answer(q, "100" if ok else "0", "true" if value else "false",
                    item.feedback_correct if ok else item.feedback_incorrect, fmt="moodle_auto_format")
    elif item.type == "numeric":
        n = item.numeric
        a = _answer(q, "100", f"{n.value:g}", item.feedback_correct, fmt="moodle_auto_format")
        ET.SubElement(a, "tolerance").text = f"{n.tolerance:g}"
        _answer(q, "0", "*", item.feedback_incorrect, fmt="moodle_auto_format")
        ET.SubElement(q, "unitgradingtype").text = "0"
        ET.SubElement(q, "showunits").text = "3"
        ET.SubElement(q, "unitsleft").text = "0"
    elif item.type == "matching":
        ET.SubElement(q, "shuffleanswers").text = "true"
        for p in item.pairs:
            sub = _text(q, "subquestion", to_html(p.prompt))
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = p.answer
        for d in item.distractors:
            sub = _text(q, "subquestion", "")
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = d
    elif item.type == "ordering":
        # qtype_ordering (standard since Moodle 4.4): answers in the right order.
        ET.SubElement(q, "layouttype").text = "VERTICAL"
        ET.SubElement(q, "selecttype").text = "ALL"
        ET.SubElement(q, "selectcount").text = "0"
        ET.SubElement(q, "gradingtype").text = "ABSOLUTE_POSITION"
        ET.SubElement(q, "showgrading").text = "SHOW"
        ET.SubElement(q, "numberingstyle").text = "none"
        for pos, s in enumerate(item.steps, start=1):
            _text(q, "answer", to_html(s.text), fraction=str(pos))
    elif item.type == "citation":
        ET.SubElement(q, "usecase").text = "0"
        for pid in item.citations:
            for form in spellings(pid):
                _answer(q, "100", form.replace("*", r"\*"), item.feedback_correct, fmt="moodle_auto_format")
        _answer(q, "0", "*", item.feedback_incorrect, fmt="moodle_auto_format")
    elif item.type == "essay":
        ET.SubElement(q, "responseformat").text = "editor"
        ET.SubElement(q, "responserequired").text = "1"
        ET.SubElement(q, "responsefieldlines").text = "15"
        ET.SubElement(q, "attachments").text = "0"
        _text(q, "graderinfo", _rubric_html(item))
        _text(q, "responsetemplate", "")
    if item.type in ("single", "multiple", "matching", "ordering"):
        if item.feedback_correct:
            _text(q, "correctfeedback", to_html(item.feedback_correct))
        if item.feedback_incorrect:
            _text(q, "incorrectfeedback", to_html(item.feedback_incorrect))
    tags = ET.SubElement(q, "tags")
    for t in [f"provision-{p}" for p in item.provisions] + [f"bloom-{item.bloom}", f"use-{item.use}",
                                                             f"page-{item.section.page}"]:
        ET.SubElement(ET.SubElement(tags, "tag"), "text").text = t
    return q


def _rubric_html(item: Item) -> str:
    root = ET.Element("div")
    table = ET.SubElement(root, "table")
    head = ET.SubElement(table, "tr")
    for h in ("Criterion", "Points", "Descriptor"):
        ET.SubElement(head, "th").text = h
    for c in item.rubric:
        tr = ET.SubElement(table, "tr")
        for v in (c.criterion, f"{c.points:g}", c.descriptor):
            ET.SubElement(tr, "td").text = v
    ET.SubElement(root, "h4").text = "Model answer"
    ET.SubElement(root, "p").text = item.model_answer
    return "".join(ET.tostring(ch, encoding="unicode", method="html") for ch in root)


def build(items: list[Item], title: str) -> ET.ElementTree:
    quiz = ET.Element("quiz")
    for page in dict.fromkeys(i.section.page for i in items):
        cat = ET.SubElement(quiz, "question", type="category")
        _text(cat, "category", f"$course$/{title}/{page}", fmt=None)
        for item in (i for i in items if i.section.page == page):
            quiz.append(question(item))
    tree = ET.ElementTree(quiz)
    ET.indent(tree)
    return tree


def write(items: list[Item], out: Path, title: str) -> None:
    build(items, title).write(out, encoding="UTF-8", xml_declaration=True)
