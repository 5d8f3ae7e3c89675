"""Claims the bank must not make, because the module text says otherwise (reviewer's findings).

Each test reads every text of every item (stems, options, pairs, rubrics, model answers...)
and fails on wording that contradicts the module text (protocol/data/module-text.txt)."""

from __future__ import annotations

import re

import pytest

from exercises.scenarios.rules import RULES
from exercises.scenarios.templates import load_templates


def texts(item, claims_only: bool = False):
    """Every text of an item; with claims_only, not the statements it offers to be judged false
    (a false true/false stem, a wrong option)."""
    if not (claims_only and item.type == "truefalse" and item.truth is False):
        yield item.stem
    yield from item.assumptions
    for o in item.options:
        if o.correct or not claims_only:
            yield o.text
        yield o.feedback
    for p in item.pairs:
        yield p.prompt
    for c in item.rubric:
        yield c.descriptor
    for t in (item.model_answer, item.feedback_correct, item.feedback_incorrect, item.content_note):
        if t:
            yield t


def flat(text: str) -> str:
    return " ".join(text.split())


def test_article_7_is_never_said_to_permit_or_give_a_right_to_remain(bank):
    """Module: "While not creating a right to residency, article 7 ... requires States parties to
    consider adopting ... measures to permit victims to remain"."""
    claim = re.compile(r"article 7(\(1\))? (permits|allows|entitles|gives|grants)", re.IGNORECASE)
    found = [(i.id, flat(t)) for i in bank for t in texts(i, claims_only=True) if claim.search(flat(t))]
    assert not found, found


IMMEDIATE = re.compile(r"\b(housing|safe place to live|food|clothing|medical|mental health)\b", re.IGNORECASE)


def test_additional_needs_are_not_the_modules_immediate_needs(bank):
    """Module: immediate needs are housing, food and clothing, medical and mental health care;
    "once these immediate needs are met, additional assistance needs commonly arise"."""
    for item in bank:
        if "once immediate needs are met" in flat(item.stem).lower() and "immediate or" not in flat(item.stem):
            wrong = [p.prompt for p in item.pairs if IMMEDIATE.search(p.prompt)]
            assert not wrong, (item.id, wrong)
    item = next(i for i in bank if i.id == "recovery-additional-needs-match")
    if any(IMMEDIATE.search(p.prompt) for p in item.pairs):
        assert "immediate" in item.stem and "additional" in item.stem


def test_the_6_4_rules_and_the_questions_that_use_them_agree_with_article_6_4():
    """6(4) asks States to take into account (the Protocol's official words; the module's Box 2 says
    "consider") the age, gender and special needs of every victim, in particular of children: the rule
    table derives it where the facts show such a need, not only for a child; a question that marks it
    wrong when they show none must say when it asks for it, and the feedback must say it covers every
    victim."""
    rules = [r for r in RULES if "6(4)" in r.provisions]
    assert {r.id for r in rules} == {"child", "special-needs"}
    assert "every victim" in rules[-1].otherwise and "take into account" in rules[-1].otherwise
    for r in rules:
        assert "shall consider" not in r.because and "asks States to consider" not in r.because
    for t in load_templates().values():
        if "6(4)" in t.options:
            stem = flat(t.stem)
            assert re.search(r"6\(4\) asks States to take into account the age, gender and special needs of every victim",
                             stem), t.id
            assert "select it here when the facts show a particular need" in stem, t.id
    from exercises.bank import load_bank
    for item in load_bank():
        if item.type == "citation" and "6(4)" in item.citations and item.id.startswith("capstone"):
            assert ("the paragraph on the age, gender and special needs of victims, only if she is under 18 or "
                    "your facts state a particular need of hers") in flat(item.stem)


def test_guideline_8_is_not_credited_with_the_handbooks_points(bank):
    """Module: the Handbook (not Guideline 8) names preventing the intimidation of child victims."""
    for item in bank:
        for t in texts(item):
            for sentence in re.split(r"(?<=[.;])\s", flat(t)):
                if "Guideline 8" in sentence and "intimidation" in sentence:
                    pytest.fail(f"{item.id}: {sentence!r}")


def test_ranking_endeavour_above_consider_implementing_is_labelled_as_the_courses_reading(bank):
    """The module does not rank "shall endeavour" against "shall consider implementing"."""
    for item in bank:
        body = flat(" ".join(texts(item)))
        ranks = re.search(r"(orders? them by strength|rely most|firmest|strongest)", body)
        if ranks and "endeavour" in body and "consider implementing" in body:
            assert "course's reading" in body, item.id
