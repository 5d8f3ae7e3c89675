"""Self-check questions: accessible static HTML for public items, checked in the browser.

Every question is a <form> with a fieldset and legend, labelled inputs, a Check button and
an aria-live region; _ext/self-check.js reads the data-* attributes and shows the feedback, and
with every checked answer, right or wrong, why it is so and the module passage it rests on.
The site's `{self-check}` directive (_ext/self_check.py) puts page_html() on its pages.
Only items with `use: self-check` are rendered: graded items' answers never reach the site.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import random
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

import protocol
from exercises.items import DIFFICULTY, Item, Section
from exercises.render.text import append_inline, html_blocks
from exercises.sections import PAGES


class NotPublic(ValueError):
    pass


def provision_link(from_docname: str):
    """href from a page to a provision's anchor on its treaty page (as the {provision} role links)."""
    here = posixpath.dirname(from_docname)

    def link(pid: str) -> str:
        target = posixpath.relpath(protocol.treaty_page(pid), here)
        return f"{target}.html#{protocol.anchor(pid)}"
    return link


@dataclass(frozen=True)
class Passage:
    """The module passage an answer rests on, as the site shows it: the page and heading it is
    under, and the link to that heading (None where the site has no page for it)."""

    page: str  # the page's title
    heading: str
    href: str | None = None

    @property
    def name(self) -> str:
        """"Compensation: Box 7, ..."; the page title alone where the heading is the page's own."""
        return self.heading if self.heading == self.page else f"{self.page}: {self.heading}"


def unlinked(section: Section) -> Passage:
    """The passage named by an item's section, without a link (where no site resolves it)."""
    return Passage(PAGES.get(section.page, section.page), section.heading)


def shuffled(seq: list, key: str) -> list:
    # A fixed order per item (not the bank's order, which often puts the answer first).
    r = random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))
    out = list(seq)
    r.shuffle(out)
    return out


def _fb(parent: ET.Element, key: str, text: str | None, link) -> None:
    if text:
        div = ET.SubElement(parent, "div", {"class": "sc-fb", "data-key": key, "hidden": "hidden"})
        html_blocks(div, text, link)


def _choice(form, fs, item, uid, link):
    kind = "checkbox" if item.type == "multiple" else "radio"
    if item.type == "truefalse":
        choices = [("true", "True", item.truth is True), ("false", "False", item.truth is False)]
        _fb(form, "correct", item.feedback_correct, link)
        _fb(form, "incorrect", item.feedback_incorrect, link)
    else:
        choices = [(str(n), o.text, o.correct) for n, o in enumerate(item.options)]
        for n, o in enumerate(item.options):
            _fb(form, str(n), o.feedback, link)
    for key, text, correct in (shuffled(choices, item.id) if item.type != "truefalse" else choices):
        row = ET.SubElement(fs, "div", {"class": "sc-choice"})
        ET.SubElement(row, "input", {"type": kind, "name": uid, "id": f"{uid}-{key}", "value": key,
                                     "data-correct": "true" if correct else "false"})
        label = ET.SubElement(row, "label", {"for": f"{uid}-{key}"})
        append_inline(label, text)


def _text_input(fs, uid, label_text, **attrs):
    row = ET.SubElement(fs, "div", {"class": "sc-field"})
    ET.SubElement(row, "label", {"for": f"{uid}-answer"}).text = label_text
    ET.SubElement(row, "input", {"type": "text", "id": f"{uid}-answer", "name": f"{uid}-answer",
                                 "autocomplete": "off", "spellcheck": "false", **attrs})


def _selects(form, fs, uid, prompts, choices, answers, feedbacks, key, link, placeholder):
    for n, (prompt, answer, fb) in enumerate(zip(prompts, answers, feedbacks)):
        row = ET.SubElement(fs, "div", {"class": "sc-pair"})
        label = ET.SubElement(row, "label", {"for": f"{uid}-{n}"})
        append_inline(label, prompt)
        sel = ET.SubElement(row, "select", {"id": f"{uid}-{n}", "name": f"{uid}-{n}", "data-answer": answer,
                                            "data-key": str(n)})
        ET.SubElement(sel, "option", {"value": ""}).text = placeholder
        for c in choices:
            ET.SubElement(sel, "option", {"value": c}).text = c
        _fb(form, str(n), fb, link)


def _why(form: ET.Element, item: Item, link, passage: Passage) -> None:
    """Why the answer is what it is, and the passage it rests on, verbatim where the item quotes
    it: hidden until an answer is checked, then shown under the verdict, right or wrong."""
    box = ET.SubElement(form, "div", {"class": "sc-why", "data-key": "why", "hidden": "hidden"})
    if item.feedback_why:
        p = ET.SubElement(box, "p", {"class": "sc-why-text"})
        ET.SubElement(p, "strong").text = "Why: "
        append_inline(ET.SubElement(p, "span"), " ".join(item.feedback_why.split()), link)
    p = ET.SubElement(box, "p", {"class": "sc-passage"})
    ET.SubElement(p, "strong").text = "In the module: "
    if passage.href:
        ET.SubElement(p, "a", {"href": passage.href, "class": "sc-passage-link"}).text = passage.name
    else:
        p[-1].tail = passage.name
    if item.section.quote:
        quote = ET.SubElement(box, "blockquote", {"class": "sc-quote"})
        ET.SubElement(quote, "p").text = f"\u201c{item.section.quote}\u201d"


def item_form(item: Item, number: int, link, passage: Callable[[Section], Passage] = unlinked) -> ET.Element:
    if not item.public:
        raise NotPublic(f"{item.id} is 'use: graded'; graded items are never rendered on the public site")
    uid = f"sc-{item.id}"
    form = ET.Element("form", {"class": "self-check", "id": uid, "data-type": item.type, "novalidate": "novalidate",
                               "data-provisions": " ".join(item.provisions)})
    fs = ET.SubElement(form, "fieldset")
    legend = ET.SubElement(fs, "legend")
    legend.text = f"Question {number}: {item.label}"
    stem = ET.SubElement(fs, "div", {"class": "sc-stem"})
    if item.content_note:
        p = ET.SubElement(stem, "p", {"class": "sc-content-note"})
        ET.SubElement(p, "strong").text = "Content note: "
        p[-1].tail = item.content_note
    for a in item.assumptions:
        p = ET.SubElement(stem, "p", {"class": "sc-assumption"})
        ET.SubElement(p, "strong").text = "Teaching assumption: "
        p[-1].tail = a
    html_blocks(stem, item.stem)

    if item.type in ("single", "multiple", "truefalse"):
        _choice(form, fs, item, uid, link)
    elif item.type == "numeric":
        n = item.numeric_answer
        _text_input(fs, uid, f"Your answer ({n.unit})", inputmode="decimal",
                    **{"data-value": f"{n.value:g}", "data-tolerance": f"{n.tolerance:g}"})
        _fb(form, "correct", item.feedback_correct, link)
        _fb(form, "incorrect", item.feedback_incorrect, link)
    elif item.type == "citation":
        _text_input(fs, uid, "Your citation (for example 6(1) or Art. 8(2))",
                    **{"data-accept": " ".join(item.citations)})
        _fb(form, "correct", item.feedback_correct, link)
        _fb(form, "incorrect", item.feedback_incorrect, link)
    elif item.type == "matching":
        answers = [p.answer for p in item.pairs]
        order = {pid: i for i, pid in enumerate(protocol.provision_ids())}
        choices = sorted(set(answers) | set(item.distractors), key=lambda a: (order.get(a, len(order)), a))
        _selects(form, fs, uid, [p.prompt for p in item.pairs], choices, answers,
                 [p.feedback for p in item.pairs], "pair", link, "Choose…")
        _fb(form, "correct", item.feedback_correct, link)
        _fb(form, "incorrect", item.feedback_incorrect, link)
    elif item.type == "ordering":
        steps = shuffled(list(enumerate(item.steps, start=1)), item.id)
        positions = [str(i) for i in range(1, len(item.steps) + 1)]
        _selects(form, fs, uid, [s.text for _, s in steps], positions, [str(pos) for pos, _ in steps],
                 [s.feedback for _, s in steps], "step", link, "Position…")
        _fb(form, "correct", item.feedback_correct, link)
        _fb(form, "incorrect", item.feedback_incorrect, link)
    else:
        raise NotPublic(f"{item.id}: {item.type} items are graded by hand and are not rendered as self-checks")

    _why(form, item, link, passage(item.section))
    actions = ET.SubElement(form, "div", {"class": "sc-actions"})
    ET.SubElement(actions, "button", {"type": "submit", "class": "sc-check"}).text = "Check"
    ET.SubElement(form, "div", {"class": "sc-result", "role": "status", "aria-live": "polite"})
    return form


def _order(item: Item) -> tuple:
    return (DIFFICULTY.index(item.difficulty), item.id)


def _with_other_facts(form: ET.Element, variants: list[Item], number: int, link, passage) -> ET.Element:
    """A scenario question whose reader can ask for other facts: the first variant is the form
    shown, the others wait in <template>s, each rendered and answered like any question; the
    page's script swaps them. Without the script the first works alone and the button stays hidden."""
    box = ET.Element("div", {"class": "sc-variants", "data-current": "0"})
    box.append(form)
    for v in variants[1:]:
        ET.SubElement(box, "template", {"class": "sc-variant"}).append(item_form(v, number, link, passage))
    actions = ET.SubElement(box, "div", {"class": "sc-variant-actions"})
    ET.SubElement(actions, "button", {"type": "button", "class": "sc-other-facts", "hidden": "hidden"}).text = \
        "Other facts"
    ET.SubElement(actions, "span", {"class": "sc-variant-status", "role": "status", "aria-live": "polite"})
    return box


def page_html(items: list[Item], docname: str, alternates: dict[str, list[Item]] | None = None,
              passage: Callable[[Section], Passage] = unlinked) -> str:
    """The questions of a page; `passage` gives each item's module passage with its link on the
    site (the `{self-check}` directive resolves the headings), else the passage is named unlinked."""
    link = provision_link(docname)
    root = ET.Element("div", {"class": "self-check-set", "data-provisions": json.dumps(protocol.provision_ids())})
    for n, item in enumerate(sorted(items, key=_order), start=1):
        form = item_form(item, n, link, passage)
        variants = (alternates or {}).get(item.id)
        root.append(_with_other_facts(form, variants, n, link, passage) if variants and len(variants) > 1 else form)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", method="html")

