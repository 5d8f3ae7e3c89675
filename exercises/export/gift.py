"""GIFT, Moodle's text format. Text goes in as one-line HTML, with GIFT's symbols escaped.

Written so that both Moodle's GIFT importer and gift-pegjs (an independent GIFT parser) read
every question (tests/exercises/export/test_gift.py runs the latter):

- each question starts with comment lines: one for people, and `// [id:...] [tag:...]`, which
  Moodle's importer (qformat_gift::extract_idnumber_and_tags_from_comment) reads as the
  question's ID number and tags;
- numeric answers are written `{#=60:0#right ~#wrong}`: Moodle reads `~#...` as the feedback
  for any other number; gift-pegjs refuses the shorter `{#60:0#right}`;
- short answers end with `=%0%*#wrong`: a 0% answer matching anything, carrying the feedback
  for a wrong answer;
- GIFT has no overall right/wrong feedback for choice and matching questions, so an item's
  overall feedback becomes the question's general feedback (`####`), each part labelled;
- GIFT carries no points: items worth more than 1 point are left out (exercises/export/lms.py).

GIFT has no ordering question: an ordering item becomes a matching of each step to its
position ("1", "2", ...), which Moodle grades the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

from exercises.export.accept import spellings
from exercises.export.lms import as_pairs, category, tags, why_text
from exercises.export.moodle import fraction
from exercises.export.numbers import number
from exercises.items import Item
from exercises.render.text import stem_html, to_html

_SPECIAL = re.compile(r"([\\~=#{}:])")
RIGHT_LABEL = "If your answer is right:"
WRONG_LABEL = "If it is not:"


def escape(text: str) -> str:
    """Escape GIFT's control characters (\\ ~ = # { } :) and keep the text on one line."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s*\n\s*", " ", text))


def _html(text: str) -> str:
    return escape(to_html(text))


def _fb(text: str | None) -> str:
    return f"#{_html(text)}" if text else ""


def _bracketed(text: str) -> str:
    # Inside [id:...] and [tag:...] a "]" would end the token; Moodle reads "\]" as "]".
    return text.replace("]", r"\]")


def _general_feedback(item: Item, overall: bool = True) -> str:
    """GIFT's general feedback, shown after any response: the item's overall feedback (for the
    types where GIFT has no place for it), then why the answer is so, with its module passage."""
    parts = [f"<p><strong>{label}</strong></p>{to_html(text)}"
             for label, text in ((RIGHT_LABEL, item.feedback_correct), (WRONG_LABEL, item.feedback_incorrect))
             if text and overall]
    parts += [to_html(why)] if (why := why_text(item)) else []
    return f"\n####[html]{escape(''.join(parts))}" if parts else ""


def question(item: Item) -> str:
    head = [f"// type: {item.type}; use: {item.use}; provisions: {' '.join(item.provisions)}",
            "// " + " ".join([f"[id:{_bracketed(item.id)}]"] + [f"[tag:{_bracketed(t)}]" for t in tags(item)])]
    title = f"::{escape(item.label)}::[html]{escape(stem_html(item))}"
    if item.type == "single":
        body = " ".join(("=" if o.correct else "~") + _html(o.text) + _fb(o.feedback) for o in item.options)
        body += _general_feedback(item)
    elif item.type == "multiple":
        right = len(item.correct_options)  # a wrong choice costs what a right one earns (marking.py)
        body = " ".join(
            f"~%{fraction(right) if o.correct else '-' + fraction(right)}%" + _html(o.text) + _fb(o.feedback)
            for o in item.options)
        body += _general_feedback(item)
    elif item.type == "truefalse":
        # GIFT: {T#feedback for a wrong answer#feedback for a right one}
        body = ("TRUE" if item.truth else "FALSE") + _fb(item.feedback_incorrect) + _fb(item.feedback_correct)
        body += _general_feedback(item, overall=False)
    elif item.type == "numeric":
        n = item.numeric_answer
        body = f"={number(n.value)}:{number(n.tolerance)}{_fb(item.feedback_correct)}"
        if item.feedback_incorrect:
            body += f" ~{_fb(item.feedback_incorrect)}"
        body = "#" + body + _general_feedback(item, overall=False)
    elif item.type in ("matching", "ordering"):
        if item.type == "ordering":
            head.append("// ordering exported as matching: each step to its position")
        pairs, distractors = as_pairs(item)
        body = " ".join(f"={_html(prompt)} -> {escape(answer)}" for prompt, answer in pairs)
        body += "".join(f" = -> {escape(d)}" for d in distractors)
        body += _general_feedback(item)
    elif item.type == "citation":
        body = " ".join(f"={escape(form)}{_fb(item.feedback_correct)}"
                        for pid in item.citations for form in spellings(pid))
        if item.feedback_incorrect:
            body += f" =%0%*{_fb(item.feedback_incorrect)}"
        body += _general_feedback(item, overall=False)
    else:  # essay: graded by hand; the rubric travels in the printed answer key
        body = ""
    return "\n".join(head + [f"{title}{{\n{body}\n}}" if body else f"{title}{{}}"])


def render(items: list[Item], title: str) -> str:
    out = [f"// {escape(title)}: generated by python -m exercises export --format gift; do not edit", ""]
    for page in dict.fromkeys(i.section.page for i in items):
        out += [f"$CATEGORY: {category(title, page)}", ""]
        for item in (i for i in items if i.section.page == page):
            out += [question(item), ""]
    return "\n".join(out)


def write(items: list[Item], out: Path, title: str) -> None:
    out.write_text(render(items, title), encoding="utf-8")
