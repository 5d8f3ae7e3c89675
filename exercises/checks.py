"""What the schema cannot say: provisions exist, answers are consistent, ids are unique."""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import protocol
from exercises import arithmetic
from exercises.items import GRADED, Item
from exercises.problems import Problem, _shown
from exercises.sections import _CANDIDATES, quote_in_module
from exercises.sources import Source

# Wording the course avoids (trauma-informed, non-stigmatising), with what to write instead.
AVOID = {
    r"\billegal (im)?migrants?\b": "a migrant in an irregular situation",
    r"\billegal aliens?\b": "a migrant in an irregular situation",
    r"\bchild prostitutes?\b": "a child subjected to sexual exploitation",
    r"\bsex slaves?\b": "a person subjected to sexual exploitation",
}


def _canonical(value: str, where: str) -> str | None:
    """None if `value` is a canonical provision id, else the message to show."""
    try:
        pid = protocol.parse(value)
    except protocol.CitationError as e:
        return f"{where}: unknown provision: {e}"
    if pid != value:
        return f"{where}: write the canonical id {pid!r} instead of {value!r}"
    return None


def check_item(item: Item, src: Source) -> list[Problem]:
    out: list[Problem] = []

    def bad(where: tuple, message: str) -> None:
        out.append(Problem(src.path, src.line_of(where), message))

    if src.path.stem != item.id:
        bad(("id",), f"id {item.id!r} differs from the file name {src.path.name!r}; "
                     f"rename the file to {item.id}.yaml or change the id")
    for i, pid in enumerate(item.provisions):
        if (msg := _canonical(pid, f"provisions/{i}")):
            bad(("provisions", i), msg)

    correct = [i for i, o in enumerate(item.options) if o.correct]
    if item.type == "single" and len(correct) != 1:
        bad(("options",), f"a single-choice item has exactly one option with 'correct: true'; found {len(correct)}")
    if item.type == "multiple" and not correct:
        bad(("options",), "a multiple-select item needs at least one option with 'correct: true'")
    _unique(bad, "options", [o.text for o in item.options], "option")

    if item.numeric:
        n = item.numeric
        try:
            computed = arithmetic.evaluate(n.derivation)
        except arithmetic.ArithmeticError_ as e:
            bad(("answer", "derivation"), str(e))
        else:
            if not n.accepts(computed):
                bad(("answer", "value"),
                    f"numeric answer {n.value:g} is outside its own tolerance: the derivation "
                    f"{n.derivation!r} gives {computed:g} (tolerance {n.tolerance:g}); fix the value or the derivation")

    if item.type == "citation":
        for i, pid in enumerate(item.citations):
            if (msg := _canonical(pid, f"answer/{i}")):
                bad(("answer", i), msg)
        if len(item.citations) > 1 and item.answer_mode == "all" and item.public:
            bad(("answer",), "the self-check page reads one citation, so it cannot ask for all of several "
                             "provisions: make it a multiple-select item, or set 'answer_mode: any'")
        order = protocol.provision_ids()
        known = [pid for pid in item.citations if pid in order]
        if item.use == GRADED and known != sorted(known, key=order.index):
            bad(("answer",), "write a graded citation answer in treaty order, as the notebooks show it: "
                             f"{sorted(known, key=order.index)}")
        if len(item.citations) > 1 and item.answer_mode == "any" and item.use == GRADED:
            bad(("answer_mode",), "the graded notebooks compare the whole list of provisions: "
                                  "'answer_mode: any' cannot be graded there; use 'all' or one answer")

    if item.type == "matching":
        # Answers and distractors that are citations are written as canonical ids ("6(3)(b)"),
        # so that they exist and read the same as everywhere else.
        for where, value in ([(("pairs", i, "answer"), p.answer) for i, p in enumerate(item.pairs)]
                             + [(("distractors", i), d) for i, d in enumerate(item.distractors)]):
            if _looks_like_citation(value) and (msg := _canonical(value, "/".join(map(str, where)))):
                bad(where, msg)
        _unique(bad, "pairs", [p.prompt for p in item.pairs], "prompt")
        answers = {p.answer for p in item.pairs}
        for i, d in enumerate(item.distractors):
            if d in answers:
                bad(("distractors", i), f"distractor {d!r} is also a right answer; remove it from distractors")
        if len(answers) + len(set(item.distractors)) < 2:
            bad(("pairs",), "a matching item needs at least two different answers to choose from")
    if item.type == "ordering":
        _unique(bad, "steps", [s.text for s in item.steps], "step")

    if item.type == "essay" and item.use != GRADED:
        bad(("use",), "an essay is graded by hand against its rubric, and rubrics stay off the public site: "
                      "set 'use: graded' (and keep it in the graded folder)")

    if item.case:
        _check_case(item, bad)

    if item.section.quote:
        found = quote_in_module(item.section.quote)
        if found is False:
            bad(("section", "quote"), "section/quote is not verbatim in the module text; copy the words exactly")
        elif found is None:
            if os.environ.get("CI"):
                bad(("section", "quote"), f"cannot check section/quote: {_MISSING}")
            else:
                _warn_module_text_missing()

    for where, text in _texts(item):
        for pattern, instead in AVOID.items():
            if (m := re.search(pattern, text, re.IGNORECASE)):
                bad(where, f"wording: write {instead!r} rather than {m.group(0)!r}")
    return out


def _check_case(item: Item, bad) -> None:
    """An item about each student's own case names a facts template and, when its answer
    differs per student, a named answer that exists, fits the item and agrees with the item's
    own answer on the shared facts (the version everyone sees without facts of their own)."""
    from exercises.assignments.student_facts import COMMON, TEMPLATES, facts
    from exercises.graded.answers import ANSWERS, answer
    from exercises.graded.kinds import BY_TYPE

    case = item.case
    if item.use != GRADED:
        bad(("case",), "case: a question about each student's own case is asked in graded notebooks only: "
                       "set 'use: graded', or remove 'case'")
    if case.facts not in TEMPLATES:
        bad(("case", "facts"), f"case/facts: no facts template {case.facts!r}; write one of "
                               f"{', '.join(TEMPLATES)} (exercises/assignments/student_facts.py)")
    if case.answer is None:
        if case.parameters:
            bad(("case", "parameters"), "case/parameters: only a named answer takes parameters; "
                                        "name one in case/answer or remove them")
        return
    named = ANSWERS.get(case.answer)
    if named is None:
        bad(("case", "answer"), f"case/answer: no named answer {case.answer!r}; write one of "
                                f"{', '.join(ANSWERS)}, or add it to exercises/graded/answers.py")
        return
    kind = BY_TYPE.get(item.type)
    if kind is None or kind.kind != named.kind:
        bad(("case", "answer"), f"case/answer: {case.answer!r} gives {named.kind}, which a {item.type} item "
                                f"cannot take; use it on a {'numeric' if named.kind == 'number' else 'citation'} item")
        return
    missing = sorted(set(named.parameters) - set(case.params))
    unknown = sorted(set(case.params) - set(named.parameters))
    for name in missing:
        bad(("case",), f"case/parameters: {case.answer!r} needs {name!r} ({named.parameters[name]}); "
                       f"add it under case/parameters")
    for name in unknown:
        bad(("case", "parameters", name), f"case/parameters: {case.answer!r} takes no {name!r}"
                                          + (f"; it takes {', '.join(named.parameters)}" if named.parameters
                                             else "; remove it"))
    if missing or unknown or case.facts not in TEMPLATES:
        return
    got = answer(case.answer, facts(case.facts, COMMON), asked=item.provisions, **case.params)
    own = item.numeric.value if item.numeric else list(item.citations)
    if not (item.numeric.accepts(got) if item.numeric else got == own):
        bad(("answer",), f"answer: {own!r} is not what {case.answer!r} gives on the shared facts of "
                         f"{case.facts!r} ({got!r}); the item's own answer is the shared version's: fix one of them")


_MISSING = ("the module text is missing (looked for " + ", ".join(str(p) for p in _CANDIDATES)
            + "; set EXERCISES_MODULE_TEXT to its path)")


@cache
def _warn_module_text_missing() -> None:
    """Once per run: the quotes are not checked (an error instead when CI is set)."""
    print(f"warning: section/quote checks skipped: {_MISSING}", file=sys.stderr)


# "6(3)(b)", "6.3.b", "Art. 14", "article 8": checked; "12", "2019 report", "6 months": not.
_CITATION_LIKE = re.compile(r"^\s*(art(icle)?s?\.?\s*\d|\d+\s*[(.])", re.IGNORECASE)


def _looks_like_citation(value: str) -> bool:
    return bool(_CITATION_LIKE.match(value))


def _unique(bad, field: str, values: list[str], what: str) -> None:
    seen: dict[str, int] = {}
    for i, v in enumerate(values):
        if v in seen:
            bad((field, i), f"{what} {i + 1} repeats {what} {seen[v] + 1}: {v!r}")
        seen.setdefault(v, i)


def _texts(item: Item) -> Iterable[tuple[tuple, str]]:
    """Every text of an item a reader sees, with where it is in the file."""
    if item.title:
        yield ("title",), item.title
    if item.content_note:
        yield ("content_note",), item.content_note
    for i, a in enumerate(item.assumptions):
        yield ("assumptions", i), a
    yield ("stem",), item.stem
    for i, o in enumerate(item.options):
        yield ("options", i), o.text
        yield ("options", i, "feedback"), o.feedback
    for i, p in enumerate(item.pairs):
        yield ("pairs", i, "prompt"), p.prompt
        yield ("pairs", i, "answer"), p.answer
        if p.feedback:
            yield ("pairs", i, "feedback"), p.feedback
    for i, d in enumerate(item.distractors):
        yield ("distractors", i), d
    for i, st in enumerate(item.steps):
        yield ("steps", i, "text"), st.text
        if st.feedback:
            yield ("steps", i, "feedback"), st.feedback
    for i, c in enumerate(item.rubric):
        yield ("rubric", i, "criterion"), c.criterion
        yield ("rubric", i, "descriptor"), c.descriptor
    if item.model_answer:
        yield ("model_answer",), item.model_answer
    for key in ("correct", "incorrect"):
        if (t := getattr(item, f"feedback_{key}")):
            yield ("feedback", key), t


def check_folder(item: Item, src: Source, in_graded: bool, bank: Path, graded: Path) -> list[Problem]:
    """The folder is the boundary of the answer keys: graded items are in the graded folder
    (`graded`), which never reaches the public site, and only they are; the public items are
    in the page folders of `bank`."""
    if item.use == GRADED and not in_graded:
        return [Problem(src.path, src.line_of(("use",)),
                        "a 'use: graded' item is an answer key, and the page folders are published: "
                        f"move it to {_shown(graded / item.section.page)}/ or set use: self-check")]
    if item.use != GRADED and in_graded:
        return [Problem(src.path, src.line_of(("use",)),
                        f"the graded folder {_shown(graded)}/ holds answer keys for graded work only: "
                        f"set use: graded, or move it to {_shown(bank / item.section.page)}/ to publish it")]
    return []


def check_unique_ids(found: list[tuple[Item, Source]]) -> list[Problem]:
    by_id: dict[str, list[Source]] = defaultdict(list)
    for item, src in found:
        by_id[item.id].append(src)
    out = []
    for item_id, sources in by_id.items():
        if len(sources) > 1:
            for src in sources:
                others = ", ".join(f"{s.path}:{s.line_of(('id',))}" for s in sources if s is not src)
                out.append(Problem(src.path, src.line_of(("id",)), f"duplicate id {item_id!r}: also used in {others}"))
    return out
