"""Moodle XML (question bank import), built with ElementTree so every text is escaped.

Ordering items: Moodle's ordering question type (qtype_ordering) is standard only from Moodle
4.4. Before that, a file with an ordering question imports nothing at all (the importer stops
at the first question type it does not know). So by default an ordering item is written as a
matching question (each step to its position), which every Moodle imports and grades step by
step like the ordering type's "absolute position" grading; `write(..., ordering=True)` (from
`export(..., moodle_version="4.4")`) writes the ordering type instead.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from exercises.export.accept import spellings
from exercises.export.lms import as_pairs, category, tags, why_text
from exercises.export.numbers import number
from exercises.items import Item
from exercises.render.text import stem_html, to_html

ORDERING_SINCE = (4, 4)  # qtype_ordering became a standard Moodle question type in 4.4


def has_ordering(moodle_version: str) -> bool:
    """Whether Moodle `moodle_version` ("4.1", "4.4.2", "5.0") has the ordering question type."""
    m = re.fullmatch(r"(\d+)\.(\d+)(?:\.\d+)*", moodle_version.strip())
    if not m:
        raise ValueError(f"Moodle version {moodle_version!r} is not a version number such as 4.1 or 4.5")
    return (int(m.group(1)), int(m.group(2))) >= ORDERING_SINCE


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html", **attrs) -> ET.Element:
    el = ET.SubElement(parent, tag, ({"format": fmt} if fmt else {}) | attrs)
    ET.SubElement(el, "text").text = text
    return el


def fraction(n: int) -> str:
    """A 1/n share as a percentage Moodle accepts. Moodle refuses a fraction that is not on its
    list of grades (100%, 90%, 83.33333%, ... 1/n for n up to 10, 5%), within 0.00001."""
    return number(round(100 / n, 5))


def _answer(q: ET.Element, frac: str, text: str, feedback: str | None, fmt: str = "html") -> ET.Element:
    a = _text(q, "answer", text, fmt, fraction=frac)
    if feedback:
        _text(a, "feedback", to_html(feedback))
    return a


def _combined_feedback(q: ET.Element, item: Item) -> None:
    """Moodle's overall feedback for a right, partly right and wrong response. A partly right
    response is not right, so it gets the item's feedback for a wrong one."""
    for tag, text in (("correctfeedback", item.feedback_correct),
                      ("partiallycorrectfeedback", item.feedback_incorrect),
                      ("incorrectfeedback", item.feedback_incorrect)):
        if text:
            _text(q, tag, to_html(text))


def question(item: Item, ordering: bool = False) -> ET.Element:
    as_matching = item.type == "ordering" and not ordering
    mtype = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse",
             "numeric": "numerical", "matching": "matching", "ordering": "ordering",
             "citation": "shortanswer", "essay": "essay"}[item.type]
    q = ET.Element("question", type="matching" if as_matching else mtype)
    _text(q, "name", item.label, fmt=None)
    _text(q, "questiontext", stem_html(item))
    # Shown after any response: why the answer is so, and the module passage it rests on.
    _text(q, "generalfeedback", to_html(why) if (why := why_text(item)) else "")
    ET.SubElement(q, "defaultgrade").text = number(item.max_points)
    ET.SubElement(q, "penalty").text = "0.3333333"
    ET.SubElement(q, "hidden").text = "0"
    ET.SubElement(q, "idnumber").text = item.id

    if item.type in ("single", "multiple"):
        ET.SubElement(q, "single").text = "true" if item.type == "single" else "false"
        ET.SubElement(q, "shuffleanswers").text = "true"
        ET.SubElement(q, "answernumbering").text = "abc"
        right = len(item.correct_options)
        for o in item.options:
            if item.type == "single":
                frac = "100" if o.correct else "0"
            else:  # the course's partial marking: a wrong choice costs what a right one earns
                frac = fraction(right) if o.correct else "-" + fraction(right)
            _answer(q, frac, to_html(o.text), o.feedback)
        _combined_feedback(q, item)
        if item.type == "multiple":
            ET.SubElement(q, "shownumcorrect")  # "You have selected N correct options": read by presence
    elif item.type == "truefalse":
        for value in (True, False):
            ok = value == item.truth
            _answer(q, "100" if ok else "0", "true" if value else "false",
                    item.feedback_correct if ok else item.feedback_incorrect, fmt="moodle_auto_format")
    elif item.type == "numeric":
        n = item.numeric_answer
        a = _answer(q, "100", number(n.value), item.feedback_correct, fmt="moodle_auto_format")
        ET.SubElement(a, "tolerance").text = number(n.tolerance)
        _answer(q, "0", "*", item.feedback_incorrect, fmt="moodle_auto_format")
        ET.SubElement(q, "unitgradingtype").text = "0"
        ET.SubElement(q, "showunits").text = "3"
        ET.SubElement(q, "unitsleft").text = "0"
    elif item.type == "matching" or as_matching:
        ET.SubElement(q, "shuffleanswers").text = "true"
        pairs, distractors = as_pairs(item)
        for prompt, answer in pairs:
            sub = _text(q, "subquestion", to_html(prompt))
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = answer
        for d in distractors:
            sub = _text(q, "subquestion", "")
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = d
        _combined_feedback(q, item)
        ET.SubElement(q, "shownumcorrect")
    elif item.type == "ordering":
        # qtype_ordering: the answers in the right order; each step marked by its position.
        ET.SubElement(q, "layouttype").text = "VERTICAL"
        ET.SubElement(q, "selecttype").text = "ALL"
        ET.SubElement(q, "selectcount").text = "0"
        ET.SubElement(q, "gradingtype").text = "ABSOLUTE_POSITION"
        ET.SubElement(q, "showgrading").text = "SHOW"
        ET.SubElement(q, "numberingstyle").text = "none"
        _combined_feedback(q, item)
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
    tag_list = ET.SubElement(q, "tags")
    for t in tags(item):
        ET.SubElement(ET.SubElement(tag_list, "tag"), "text").text = t
    return q


def _rubric_html(item: Item) -> str:
    """What graders see beside each answer (Moodle's "information for graders"): the rubric, a
    row per criterion marked on its own, and the model answer. A criterion that only some facts
    raise is followed by the one that takes its place, both saying when (one LMS question has
    one text for every student, so the grader reads which applies)."""
    root = ET.Element("div")
    table = ET.SubElement(root, "table")
    head = ET.SubElement(table, "tr")
    for h in ("Criterion", "Points", "Descriptor"):
        ET.SubElement(head, "th").text = h
    for n, c in enumerate(item.rubric, 1):
        rows = [(c.criterion, c.descriptor)]
        if c.when and c.otherwise:
            rows = [(f"{c.criterion} (only if {c.when.words()})", c.descriptor),
                    (f"{c.otherwise.criterion} (only if {c.when.negated_words()})", c.otherwise.descriptor)]
        for k, (criterion, descriptor) in enumerate(rows):
            tr = ET.SubElement(table, "tr")
            for v in (f"{n}. {criterion}" if k == 0 else f"{n}. or: {criterion}", number(c.points), descriptor):
                ET.SubElement(tr, "td").text = " ".join(v.split())
    ET.SubElement(root, "h4").text = "Model answer"
    for paragraph in (item.model_answer or "").split("\n\n"):
        ET.SubElement(root, "p").text = paragraph.strip()
    return "".join(ET.tostring(ch, encoding="unicode", method="html") for ch in root)


def build(items: list[Item], title: str, ordering: bool = False) -> ET.ElementTree:
    quiz = ET.Element("quiz")
    for page in dict.fromkeys(i.section.page for i in items):
        cat = ET.SubElement(quiz, "question", type="category")
        _text(cat, "category", category(title, page), fmt=None)
        for item in (i for i in items if i.section.page == page):
            quiz.append(question(item, ordering))
    tree = ET.ElementTree(quiz)
    ET.indent(tree)
    return tree


def write(items: list[Item], out: Path, title: str, ordering: bool = False) -> None:
    build(items, title, ordering).write(out, encoding="UTF-8", xml_declaration=True)
