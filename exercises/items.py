"""The item model: what a question is, independent of any file format or output."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TYPES = ("single", "multiple", "truefalse", "numeric", "matching", "ordering", "citation", "essay")
BLOOM = ("remember", "understand", "apply", "analyse", "evaluate", "create")
DIFFICULTY = ("easy", "medium", "hard")
# An item applies the Protocol to facts when it asks for at least this Bloom level.
APPLICATION_LEVELS = frozenset({"apply", "analyse", "evaluate", "create"})

SELF_CHECK = "self-check"
GRADED = "graded"


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Pair:
    """A matching item's prompt and the answer that goes with it."""

    prompt: str
    answer: str
    feedback: str | None = None


@dataclass(frozen=True)
class Step:
    """One step of an ordering item (the item lists them in the right order)."""

    text: str
    feedback: str | None = None


@dataclass(frozen=True)
class Numeric:
    value: float
    tolerance: float
    unit: str
    derivation: str

    def accepts(self, x: float) -> bool:
        return abs(x - self.value) <= self.tolerance


# How a rubric and a model answer name the facts their conditions read (booleans of each
# student's facts, exercises/scenarios/facts.py): "she is under 18" for child: true.
FACT_WORDS = {"child": ("she is under 18", "she is an adult"),
              "threatened": ("she has been threatened in the State she is in",
                             "nobody has threatened her in the State she is in"),
              "risk_on_return": ("she faces a risk of harm on return", "no risk on return is stated"),
              "foreign": ("she is abroad", "she is in her own State"),
              "needs_housing": ("she needs housing", "she has somewhere safe to stay"),
              "health_needs": ("she needs medical care", "no health needs are stated"),
              "wants_training": ("she asks for training", "she has not asked for training"),
              "speaks_local_language": ("she speaks the local language", "she does not speak the local language")}


@dataclass(frozen=True)
class Condition:
    """``when:`` of a rubric criterion or a paragraph of a model answer: the facts of a student's
    case it needs, each a boolean fact and its value ({child: true})."""

    facts: tuple[tuple[str, bool], ...] = ()

    def holds(self, facts: dict[str, Any] | None) -> bool:
        """Do these facts raise it? Facts as `Facts.as_dict` gives them (``child`` derived)."""
        return facts is not None and all(facts.get(k) == v for k, v in self.facts)

    def words(self) -> str:
        return " and ".join(FACT_WORDS.get(k, (f"{k}: yes", f"{k}: no"))[0 if v else 1] for k, v in self.facts)

    def negated_words(self) -> str:
        return " or ".join(FACT_WORDS.get(k, (f"{k}: yes", f"{k}: no"))[1 if v else 0] for k, v in self.facts)


@dataclass(frozen=True)
class Criterion:
    criterion: str
    points: float
    descriptor: str
    # A criterion that only some students' facts raise: it applies when `when` holds; for the
    # others, `otherwise` (a criterion and its descriptor) takes its place, for the same points,
    # so every student's rubric has the same criteria count and total.
    when: Condition | None = None
    otherwise: Criterion | None = None

    def for_facts(self, facts: dict[str, Any] | None) -> Criterion:
        """The criterion that these facts raise (None: the shared case's wording as written)."""
        if self.when is None or facts is None or self.when.holds(facts):
            return self
        return self.otherwise or self


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a model answer; with `when`, only for the students whose facts raise it."""

    text: str
    when: Condition | None = None

    def applies(self, facts: dict[str, Any] | None) -> bool:
        return self.when is None or facts is None or self.when.holds(facts)


def _condition(d: dict[str, bool] | None) -> Condition | None:
    return Condition(tuple(sorted(d.items()))) if d else None


def _criterion(c: dict[str, Any]) -> Criterion:
    other = c.get("otherwise")
    return Criterion(criterion=c["criterion"], points=c["points"], descriptor=c["descriptor"],
                     when=_condition(c.get("when")),
                     otherwise=Criterion(other["criterion"], c["points"], other["descriptor"]) if other else None)


def _whole(paragraphs: tuple[Paragraph, ...]) -> str | None:
    return "\n\n".join(f"*(Only if {p.when.words()}.)* {p.text}" if p.when else p.text
                         for p in paragraphs) or None


def _model_answer(value: Any) -> tuple[Paragraph, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (Paragraph(value.strip()),)
    return tuple(Paragraph(p.strip()) if isinstance(p, str) else Paragraph(p["text"].strip(), _condition(p.get("when")))
                 for p in value)


@dataclass(frozen=True)
class Section:
    """Where in the module an item's answer rests: a key-issue page (exercises/sections.py), its
    heading, and the passage, quoted, when the item names one."""

    page: str
    heading: str
    quote: str | None = None


@dataclass(frozen=True)
class Case:
    """A graded question about the facts of each student's own case (graded notebooks only)."""

    facts: str  # the facts template the notebook shows (exercises/assignments/student_facts.py)
    answer: str | None = None  # a named answer (exercises/graded/answers.py); None: the item's own
    parameters: tuple[tuple[str, float], ...] = ()  # the named answer's inputs, from the item

    @property
    def params(self) -> dict[str, float]:
        return dict(self.parameters)


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    use: str
    stem: str
    provisions: tuple[str, ...]
    bloom: str
    difficulty: str
    section: Section
    title: str | None = None
    content_note: str | None = None
    assumptions: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    truth: bool | None = None  # truefalse
    numeric: Numeric | None = None
    pairs: tuple[Pair, ...] = ()
    distractors: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()  # in the right order
    citations: tuple[str, ...] = ()  # canonical ids of a citation item's answer
    # Citation items: "all" (the default) means the answer is every id in `citations` and
    # nothing else, as the graded notebooks compare it; "any" accepts any one of them.
    answer_mode: str = "all"
    # Citation and multiple-select items: how a partly right set earns points
    # (exercises/graded/marking.py): "partial" or "all-or-nothing".
    marking: str = "partial"
    rubric: tuple[Criterion, ...] = ()
    # The whole model answer, for graders who mark every case (a paragraph that only some facts
    # raise is labelled with them), and its paragraphs (model_answer_for: one student's).
    model_answer: str | None = None
    model_paragraphs: tuple[Paragraph, ...] = ()
    feedback_correct: str | None = None
    feedback_incorrect: str | None = None
    # Why the answer is what it is, from the module: shown with every answer, right or wrong,
    # beside the passage it rests on (`section`). Every self-check item has one (checks.py).
    feedback_why: str | None = None
    case: Case | None = None
    outcomes: tuple[str, ...] = ()  # ids of the learning outcomes it assesses (exercises/outcomes.yaml)
    path: Path | None = field(default=None, compare=False)
    line: int = field(default=1, compare=False)

    @property
    def public(self) -> bool:
        """May this item, with its answer, appear on the public site?"""
        return self.use == SELF_CHECK

    @property
    def per_student(self) -> bool:
        """Is the right answer worked out from each student's own facts (so no single key fits)?"""
        return self.case is not None and self.case.answer is not None

    @property
    def applies_to_facts(self) -> bool:
        return self.bloom in APPLICATION_LEVELS

    @property
    def label(self) -> str:
        return self.title or self.id

    @property
    def correct_options(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.correct)

    @property
    def max_points(self) -> float:
        # A criterion and the one that takes its place for other facts have the same points.
        return sum(c.points for c in self.rubric) if self.rubric else 1.0

    def rubric_for(self, facts: dict[str, Any] | None) -> tuple[Criterion, ...]:
        """The rubric of one student's case: each criterion as these facts raise it."""
        return tuple(c.for_facts(facts) for c in self.rubric)

    def model_answer_for(self, facts: dict[str, Any] | None) -> str | None:
        """The model answer for one student's case: the paragraphs their facts raise."""
        if not self.model_paragraphs:
            return self.model_answer
        return "\n\n".join(p.text for p in self.model_paragraphs if p.applies(facts))

    @property
    def conditional(self) -> bool:
        """Does its rubric or model answer change with each student's facts?"""
        return any(c.when for c in self.rubric) or any(p.when for p in self.model_paragraphs)

    @property
    def needs_all_citations(self) -> bool:
        """A citation item whose right answer is a set of several provisions, all required:
        one string an LMS compares cannot grade it."""
        return self.type == "citation" and self.answer_mode == "all" and len(self.citations) > 1

    @property
    def numeric_answer(self) -> Numeric:
        """A numeric item's answer (the schema gives every numeric item one)."""
        if self.numeric is None:
            raise ValueError(f"{self.where()}: item {self.id} has no numeric answer (it is a {self.type} item)")
        return self.numeric

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.path else self.id


def from_dict(d: dict[str, Any], path: Path | None = None, line: int = 1) -> Item:
    """Build an Item from a schema-valid mapping (validate first: this trusts its input)."""
    fb = d.get("feedback") or {}
    answer: Any = d.get("answer")  # its shape is the type's: a bool, a number and its tolerance, ids
    sec = d["section"]
    case = d.get("case")
    return Item(
        id=d["id"],
        type=d["type"],
        use=d["use"],
        stem=d["stem"].strip(),
        provisions=tuple(d["provisions"]),
        bloom=d["bloom"],
        difficulty=d["difficulty"],
        section=Section(page=sec["page"], heading=sec["heading"], quote=sec.get("quote")),
        title=d.get("title"),
        content_note=d.get("content_note"),
        assumptions=tuple(d.get("assumptions", ())),
        options=tuple(
            Option(text=o["text"], correct=bool(o.get("correct", False)), feedback=o["feedback"])
            for o in d.get("options", ())
        ),
        truth=answer if d["type"] == "truefalse" else None,
        numeric=Numeric(**answer) if d["type"] == "numeric" else None,
        pairs=tuple(Pair(**p) for p in d.get("pairs", ())),
        distractors=tuple(d.get("distractors", ())),
        steps=tuple(Step(**s) for s in d.get("steps", ())),
        citations=tuple(answer) if d["type"] == "citation" else (),
        answer_mode=d.get("answer_mode", "all"),
        marking=d.get("marking", "partial"),
        rubric=tuple(_criterion(c) for c in d.get("rubric", ())),
        model_answer=_whole(_model_answer(d.get("model_answer"))),
        model_paragraphs=_model_answer(d.get("model_answer")),
        feedback_correct=fb.get("correct"),
        feedback_incorrect=fb.get("incorrect"),
        feedback_why=fb.get("why"),
        case=Case(facts=case["facts"], answer=case.get("answer"),
                  parameters=tuple(sorted((case.get("parameters") or {}).items()))) if case else None,
        outcomes=tuple(d.get("outcomes", ())),
        path=path,
        line=line,
    )
