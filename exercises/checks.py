"""What the schema cannot say: provisions exist, answers are consistent, ids are unique."""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import protocol
from exercises import arithmetic
from exercises.assignments.student_facts import COMMON, TEMPLATES, facts
from exercises.graded.answers import ANSWERS, answer
from exercises.graded.kinds import BY_TYPE
from exercises.items import BLOOM, GRADED, Case, Item
from exercises.outcomes import load_outcomes, unknown_outcome
from exercises.problems import Problem, _shown
from exercises.sections import _CANDIDATES, quote_in_module
from exercises.sources import Source, SourceError, read

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
    known = load_outcomes()  # OutcomeError (a BankError) when the outcomes file itself is wrong
    for i, oid in enumerate(item.outcomes):
        if (msg := unknown_outcome(oid, known)):
            bad(("outcomes", i), f"outcomes/{i}: {msg}")

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
        cited = [pid for pid in item.citations if pid in order]
        if item.use == GRADED and cited != sorted(cited, key=order.index):
            bad(("answer",), "write a graded citation answer in treaty order, as the notebooks show it: "
                             f"{sorted(cited, key=order.index)}")
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

    if item.public and not (item.feedback_why or "").strip():
        bad(("feedback", "why") if item.feedback_correct or item.feedback_incorrect else ("section",),
            "feedback/why is missing: a self-check item says why its answer is what it is, from the module "
            "(one to three sentences; the site shows it with every answer, right or wrong, beside the "
            "section it rests on): add 'why: ...' under 'feedback:'")

    if item.type == "essay" and item.use != GRADED:
        bad(("use",), "an essay is graded by hand against its rubric, and rubrics stay off the public site: "
                      "set 'use: graded' (and keep it in the graded folder)")

    if item.case:
        _check_case(item, item.case, bad)
    _check_conditions(item, bad)

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


def _check_conditions(item: Item, bad) -> None:
    """A rubric criterion or model-answer paragraph with ``when:`` reads facts of each student's
    case: the item names its facts template, and each fact is a yes-or-no fact of it."""
    where = [(("rubric", i, "when"), c.when) for i, c in enumerate(item.rubric) if c.when]
    where += [(("model_answer", i, "when"), p.when) for i, p in enumerate(item.model_paragraphs) if p.when]
    if not where:
        return
    if item.case is None or item.case.facts not in TEMPLATES:
        for at, _ in where[:1]:
            bad(at, "when: a criterion or paragraph for some students' facts needs the item to be about each "
                    "student's own case: add 'case: {facts: <template>}' (exercises/assignments/student_facts.py) "
                    "or remove 'when'")
        return
    shared = TEMPLATES[item.case.facts].common.as_dict()
    yes_no = sorted(k for k, v in shared.items() if isinstance(v, bool))
    for at, condition in where:
        for fact, _ in condition.facts:
            if fact not in yes_no:
                bad(at, f"when: {fact!r} is not a yes-or-no fact of the {item.case.facts!r} case; "
                        f"use one of {', '.join(yes_no)}")


def _check_case(item: Item, case: Case, bad) -> None:
    """An item about each student's own case (`case`, its item.case) names a facts template and,
    when its answer differs per student, a named answer that exists, fits the item and agrees
    with the item's own answer on the shared facts (the version everyone sees without facts of
    their own)."""
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


# ---- Cues: what lets a student who has not read the module beat chance ----------------------------
#
# Warnings, not errors: a figure over the bank, or an option to reread. `check` prints them and
# fails on them only with --strict. Each share means something only over enough items: below the
# minimum count one item moves it by more than the tolerance, so no figure is reported.

# True/false keys: a bank keyed mostly one way lets "always answer False" beat chance.
TRUE_SHARE = (0.35, 0.65)
TRUE_FALSE_MIN = 6
# The right option the longest: chance is a third with three options, a quarter with four; above
# 40% the longest, most qualified option is a better guess than the law.
LONGEST_SHARE = 0.40
LONGEST_MIN = 6
# Key positions: an even spread gives 25-33% per letter; above 40% "always A" beats chance.
POSITION_SHARE = 0.40
POSITION_MIN = 8
# A select-all item with one wrong option asks one true/false question; two make it a choice.
MIN_WRONG_OPTIONS = 2
# Options that answer by test-taking rather than by the law: they point at the other options or
# let a student opt out, and so tell a guesser where the key is.
GIVEAWAYS = re.compile(
    r"\b(all|none|both|neither|either) of (the )?(above|these|them|the options|the others|the answers)\b"
    r"|\ball the above\b|\bI (don'?t|do not) know\b|\bnot sure\b|\bno idea\b"
    r"|^\s*(both|all|none)\s*\.?\s*$"
    r"|(^\s*|\bboth |\boptions? |\banswers? )[A-F] (and|or|nor) [A-F]\b",
    re.IGNORECASE)

LETTERS = "ABCDEFGHIJ"


@dataclass(frozen=True)
class Figures:
    """The cue figures of some items (`cue_figures`)."""

    n: int
    truefalse: tuple[Item, ...]
    keyed_true: tuple[Item, ...]
    single: tuple[Item, ...]
    key_longest: tuple[Item, ...]
    key_position: dict[str, tuple[Item, ...]]  # letter -> single-choice items keyed there
    multiple: tuple[Item, ...]
    too_few_wrong: tuple[Item, ...]  # multiple-choice items with fewer than MIN_WRONG_OPTIONS wrong

    @property
    def true_share(self) -> float | None:
        return len(self.keyed_true) / len(self.truefalse) if self.truefalse else None

    @property
    def longest_share(self) -> float | None:
        return len(self.key_longest) / len(self.single) if self.single else None

    @property
    def top_position(self) -> tuple[str, float] | None:
        if not self.single:
            return None
        letter = max(self.key_position, key=lambda k: (len(self.key_position[k]), -LETTERS.index(k)))
        return letter, len(self.key_position[letter]) / len(self.single)

    @property
    def fewest_options(self) -> int | None:
        return min((len(i.options) for i in self.multiple), default=None)

    def summary(self) -> str:
        """One line of figures, for a report."""
        parts = [f"{self.n} items"]
        if self.truefalse:
            parts.append(f"true/false {len(self.keyed_true)} of {len(self.truefalse)} True ({self.true_share:.0%})")
        if self.single:
            positions = " ".join(f"{k}:{len(v)}" for k, v in sorted(self.key_position.items()))
            parts.append(f"right option longest in {len(self.key_longest)} of {len(self.single)} single-choice "
                         f"({self.longest_share:.0%}); keys {positions}")
        if self.multiple:
            parts.append(f"multiple-choice: at least {self.fewest_options} options, "
                         f"{len(self.too_few_wrong)} of {len(self.multiple)} with fewer than "
                         f"{MIN_WRONG_OPTIONS} wrong")
        return "; ".join(parts)


def key_is_longest(item: Item) -> bool:
    """The right option of a single-choice item is at least as long as every other (ties count:
    a guesser who takes the longest still lands on it)."""
    keys = [o for o in item.options if o.correct]
    others = [len(o.text) for o in item.options if not o.correct]
    return len(keys) == 1 and bool(others) and len(keys[0].text) >= max(others)


def cue_figures(items: Iterable[Item]) -> Figures:
    items = list(items)
    tf = tuple(i for i in items if i.type == "truefalse")
    single = tuple(i for i in items if i.type == "single" and sum(o.correct for o in i.options) == 1)
    positions: dict[str, list[Item]] = defaultdict(list)
    for i in single:
        positions[LETTERS[next(n for n, o in enumerate(i.options) if o.correct)]].append(i)
    multiple = tuple(i for i in items if i.type == "multiple")
    return Figures(
        n=len(items), truefalse=tf, keyed_true=tuple(i for i in tf if i.truth),
        single=single, key_longest=tuple(i for i in single if key_is_longest(i)),
        key_position={k: tuple(v) for k, v in sorted(positions.items())},
        multiple=multiple,
        too_few_wrong=tuple(i for i in multiple if sum(not o.correct for o in i.options) < MIN_WRONG_OPTIONS))


def _ids(items: Iterable[Item]) -> str:
    return ", ".join(sorted(i.id for i in items))


def bank_cues(items: Iterable[Item], where: Path, label: str) -> list[Problem]:
    """Warnings on the figures of `items` taken together, reported at the folder `where` (no
    line: a figure belongs to no one file), `label` saying which items they are."""
    f = cue_figures(items)
    out = []

    def warn(message: str) -> None:
        out.append(Problem(where, 0, f"{label}: {message}", warning=True))

    low, high = TRUE_SHARE
    # Each share is None only when there are no items of its kind, which the minimum counts
    # already rule out; `is not None` says so to the type checker. Each is read past its count, as before.
    if (len(f.truefalse) >= TRUE_FALSE_MIN and (true_share := f.true_share) is not None
            and not low <= true_share <= high):
        leaning = set(f.keyed_true) if true_share > high else set(f.truefalse) - set(f.keyed_true)
        side = "True" if true_share > high else "False"
        warn(f"{len(f.keyed_true)} of {len(f.truefalse)} true/false items are keyed True ({true_share:.0%}), "
             f"outside {low:.0%}-{high:.0%}: {len(leaning)} keyed {side} ({_ids(leaning)}); rewrite some of them "
             f"so that a {'false' if side == 'True' else 'true'} statement of the law is asked, each still "
             "unambiguous on the module text")
    if (len(f.single) >= LONGEST_MIN and (longest_share := f.longest_share) is not None
            and longest_share > LONGEST_SHARE):
        warn(f"the right option is the longest in {len(f.key_longest)} of {len(f.single)} single-choice items "
             f"({longest_share:.0%}; at most {LONGEST_SHARE:.0%}): {_ids(f.key_longest)}; shorten the right "
             "option or lengthen the wrong ones, keeping options of similar length and grammar")
    if len(f.single) >= POSITION_MIN and (top_position := f.top_position) is not None:
        letter, share = top_position
        if share > POSITION_SHARE:
            spread = ", ".join(f"{k} {len(v)}" for k, v in f.key_position.items())
            warn(f"the right option is {letter} in {len(f.key_position[letter])} of {len(f.single)} single-choice "
                 f"items ({share:.0%}; at most {POSITION_SHARE:.0%} in any one position; {spread}): "
                 f"{_ids(f.key_position[letter])}; reorder options to spread the keys over the positions")
    return out


def item_cues(item: Item, src: Source | None = None) -> list[Problem]:
    """Warnings on one item's options: a select-all item with too few wrong options, and options
    that give the answer away by test-taking. `src` gives the lines (read from item.path if None)."""
    if not item.options:
        return []
    out = []

    def warn(where: tuple, message: str) -> None:
        nonlocal src
        if src is None and item.path is not None:
            try:  # read only when there is something to point at
                src = read(item.path)
            except (OSError, SourceError):
                pass
        out.append(Problem(item.path or Path(item.id), src.line_of(where) if src else item.line, message,
                           warning=True))

    if item.type == "multiple":
        wrong = sum(not o.correct for o in item.options)
        if wrong < MIN_WRONG_OPTIONS:
            warn(("options",), f"a multiple-choice item with {wrong} wrong option{'s' if wrong != 1 else ''} of "
                               f"{len(item.options)} tests little: give it at least {MIN_WRONG_OPTIONS}, each an "
                               "error a real student makes (a neighbouring provision, 'shall' read as 'may', "
                               "the right rule applied to the wrong State)")
    for n, o in enumerate(item.options):
        if (m := GIVEAWAYS.search(o.text)):
            warn(("options", n, "text"), f"option {LETTERS[n]} ({m.group(0).strip()!r}) answers by test-taking, "
                                         "not by the law: replace it with an error a real student makes")
    return out


# ---- Public twins: a graded item that recalling a self-check item answers --------------------------

# Function words, and the words nearly every stem of this bank shares (how questions are framed
# and who they are about): they say nothing about what a question asks.
_STOP = frozenset("""
a about above after again all also an and any are as at be been before being both but by can could
did do does doing down during each either few for from further had has have having he her here hers
him his how i if in into is it its itself just may me might more most must my neither no nor not now
of off on once one only or other our out over own same shall she should so some such than that the
their them then there these they this those three through to too two under until up upon very was we
were what when where whether which while who whom whose why will with would you your
according answer answers apply article articles ask asked asks box case cite citation following give
gives match module paragraph paragraphs party parties person persons protocol provision provisions
question receiving say said says select statement state states trafficked trafficking true false
victim victims write""".split())
_SUFFIXES = ("ations", "ation", "ities", "ity", "ings", "ing", "ions", "ion", "ies", "ied", "ed", "es", "s", "ly")
_CITATION_IN_TEXT = re.compile(r"\bart(?:icle)?s?\.?\s*(\d+(?:\s*\(\s*\d+\s*\))?(?:\s*\(\s*[a-z]\s*\))?)",
                               re.IGNORECASE)

# Dice overlap of content words (2|A&B| / (|A|+|B|)), calibrated on the kit's bank: the pairs that
# ask the same question in other words scored 0.45 to 0.78; the closest pair that does not, the
# same sum asked on each student's own facts, 0.36.
SAME_QUESTION = 0.45
# When the graded key is the provision the self-check item teaches, a weaker overlap is enough to
# say they are on the same topic (same facts, same need): such pairs scored 0.40 to 0.44, pairs
# on the same provision with other facts (a threat in a shelter, a threat to a witness) 0.22 and below.
SAME_TOPIC = 0.3


def _stem_word(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> frozenset[str]:
    """The words of `text` that say what it is about, reduced to a common stem."""
    stems = (_stem_word(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2 and w not in _STOP)
    return frozenset(s for s in stems if s not in _STOP)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def provisions_named(text: str) -> set[str]:
    """Canonical ids of the provisions `text` names as "article 6(1)", "Art. 8(4)"."""
    out = set()
    for m in _CITATION_IN_TEXT.finditer(text):
        try:
            out.add(protocol.parse(m.group(1)))
        except protocol.CitationError:
            pass
    return out


def _key_text(item: Item) -> str:
    return " ".join(o.text for o in item.options if o.correct)


def _key_provisions(item: Item) -> set[str]:
    """The provisions that are the answer: a citation item's, or those the right options name."""
    if item.type == "citation":
        return set(item.citations)
    return set().union(*(provisions_named(o.text) for o in item.options if o.correct))


def _taught(item: Item) -> set[str]:
    """The provisions a self-check item gives as its answer, or the one it is about."""
    return _key_provisions(item) or (set(item.provisions) if len(item.provisions) == 1 else set())


@dataclass(frozen=True)
class Twin:
    """A graded item that a student who practised the public item could answer by recall."""

    graded: Item
    public: Item
    same_question: bool  # else: the graded key is what the public item teaches, on the same topic
    similarity: float
    shared: tuple[str, ...]  # the content words both ask about

    def message(self) -> str:
        g, p = self.graded, self.public
        words = ", ".join(self.shared[:6]) + ("…" if len(self.shared) > 6 else "")
        if self.same_question:
            why = f"both ask the same thing ({self.similarity:.0%} of content words shared: {words})"
        else:
            key = ", ".join(sorted(_key_provisions(g), key=_treaty_order))
            why = (f"its key [{key}] is what that item teaches, on the same topic "
                   f"({self.similarity:.0%} of content words shared: {words})")
        provisions = ", ".join(sorted(g.provisions, key=_treaty_order))
        same = set(g.provisions) == set(p.provisions)
        level = (f"same level ({g.bloom})" if g.bloom == p.bloom
                 else f"a lower level ({g.bloom}, below {p.bloom})")
        return (f"public twin of {_shown(p.path) if p.path else p.id}: {why}; "
                f"{'same provisions' if same else 'provisions all practised there'} [{provisions}], {level}; "
                "assess it on new facts, from another angle, or at a higher level")


def _treaty_order(pid: str) -> tuple:
    order = protocol.provision_ids()
    return (order.index(pid) if pid in order else len(order), pid)


def twins(items: Iterable[Item]) -> list[Twin]:
    """Graded items a student could answer by recalling a self-check item (which is on the public
    site): every provision the graded item tests is practised by the self-check item, the graded
    item asks at the same or a lower Bloom level, and either they ask the same thing (similar stem
    and key) or the graded key is the provision the self-check item teaches, on the same topic."""
    items = list(items)
    public = [i for i in items if i.public]
    out = []
    for g in (i for i in items if i.use == GRADED and i.type != "essay"):
        asked, answered = content_words(g.stem), content_words(g.stem + " " + _key_text(g))
        key = _key_provisions(g)
        for p in public:
            if not set(g.provisions) <= set(p.provisions) or BLOOM.index(g.bloom) > BLOOM.index(p.bloom):
                continue
            theirs, their_answer = content_words(p.stem), content_words(p.stem + " " + _key_text(p))
            # The public item's why is on the site beside its answer: what it teaches counts too.
            explained = content_words(p.stem + " " + _key_text(p) + " " + (p.feedback_why or ""))
            pairs = [(overlap(asked, theirs), asked & theirs), (overlap(answered, their_answer), answered & their_answer),
                     (overlap(answered, explained), answered & explained)]
            similarity, shared = max(pairs, key=lambda s: s[0])
            same_question = similarity >= SAME_QUESTION
            if same_question or (key and key == _taught(p) and similarity >= SAME_TOPIC):
                out.append(Twin(g, p, same_question, similarity, tuple(sorted(shared))))
    return sorted(out, key=lambda t: (t.graded.id, t.public.id))


def twin_warnings(items: Iterable[Item]) -> list[Problem]:
    return [Problem(t.graded.path or Path(t.graded.id), t.graded.line, t.message(), warning=True)
            for t in twins(items)]


def warnings(items: Iterable[Item], bank: Path, graded: Path) -> list[Problem]:
    """What `check` warns about: each item's options, the cue figures of all items together and of
    the graded items alone (a graded bank is assessed on its own), and the public twins."""
    items = list(items)
    graded_items = [i for i in items if i.use == GRADED]
    out = [w for i in items for w in item_cues(i)]
    if len(graded_items) < len(items):
        out += bank_cues(items, bank, "self-check and graded items" if graded_items else "self-check items")
    if graded_items:
        out += bank_cues(graded_items, graded, "graded items")
    out += twin_warnings(items)
    return sorted(set(out))


def outcome_warnings(items: Iterable[Item]) -> list[Problem]:
    """An outcome with fewer than coverage.OUTCOME_MINIMUM items at its level: taught, but
    hardly assessed at the level of thinking it names. Reported at the outcome's own line.
    A figure over the whole bank (`check` asks for it): a selection of items says nothing."""
    from exercises.coverage import OUTCOME_MINIMUM, by_outcome
    from exercises.outcomes import OUTCOMES_PATH

    return [Problem(OUTCOMES_PATH, r.outcome.line,
                    f"outcome {r.outcome.id!r} ({r.outcome.level}) is assessed at its level or above by "
                    f"{r.at_level} item(s) ({r.self_check_at_level} self-check, {r.graded_at_level} graded; "
                    f"{r.items} name it in all), fewer than {OUTCOME_MINIMUM}: write items that ask the student "
                    f"to {r.outcome.level} or above, or lower the outcome's level if that is what it asks",
                    warning=True)
            for r in by_outcome(list(items)) if not r.ok]
