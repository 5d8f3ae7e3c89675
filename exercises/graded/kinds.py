"""One class per kind of answer a graded notebook question takes: a letter, a list of
provisions, a number, an essay.

Each class holds a question's whole life, from one bank item:

- what it writes into the student's notebook: the question (read-only markdown), the answer
  cell (one literal the student edits, the instructor's value between ``### BEGIN SOLUTION`` /
  ``### END SOLUTION``, stripped on release) and the test cell (the public format check, then
  nbgrader's hidden test, for plain nbgrader and the instructor's own run);
- the format check students and grader share: ``student``, the kind's class in the student
  module (``course_tools.py``), and ``spec()``, what that module reads of the question;
- the right answer: the bank item's, or, for a question about each student's own case, the
  item's named answer worked out from the student's facts (``exercises/graded/answers.py``);
- how it is marked: ``matches(given, right, tolerance)``, on answers as the student module
  reads them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from exercises.graded import answers, course_tools, marking
from exercises.graded.metadata import KEY
from exercises.graded.metadata import write as metadata
from exercises.items import Criterion, Item
from exercises.scenarios import Facts

if TYPE_CHECKING:
    # Only for annotations: nbformat is still imported only where cells are made.
    from nbformat import NotebookNode

LETTERS = "ABCDEFGH"
NBGRADER_SCHEMA = 3
IMPORT_CHECK = "from course_tools import check"
GRADER_CELL = "# Used by the grader; leave as it is."  # the first line of a test cell, which is folded
FOLDED = {"jupyter": {"source_hidden": True}}


class GradedQuestionError(ValueError):
    """An item a graded notebook cannot ask, or a key that cannot be worked out."""


def nbgrader(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
             points: float | None = None) -> dict[str, dict[str, Any]]:
    """A cell's nbgrader metadata (nbgraderformat v3)."""
    meta: dict[str, Any] = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": NBGRADER_SCHEMA, "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _literal(value: Any) -> str:
    return repr(value) if isinstance(value, (int, float)) else json.dumps(value)


def _cell_id(name: str) -> str:
    return name.replace("_", "-")[:64]


class GradedQuestion:
    """A bank item as a question of a graded notebook."""

    student: ClassVar[type[course_tools.Kind]]  # its kind in the student module, which reads answers
    kind: ClassVar[str]  # the student kind's name: in assignment.json and the course metadata
    types: ClassVar[tuple[str, ...]]  # the bank's item types it asks
    blank: ClassVar[str]  # the literal a released notebook starts from

    def __init__(self, item: Item):
        self.item = item

    # ---- What the student's notebook holds ------------------------------------------------

    def spec(self) -> dict[str, Any]:
        """What the student module reads of this question (assignment.json): never the answer."""
        return {"kind": self.kind}

    def default_points(self) -> float:
        return 1.0

    def prompt(self) -> str:
        raise NotImplementedError

    def choices(self) -> list[str]:
        return []

    def question_markdown(self, number: int, points: float) -> str:
        """What a student reads: the stem and its choices. Never the provisions the item tests,
        its bank id or the module heading it rests on: for many questions they are the answer."""
        item = self.item
        title = f": {item.title}" if item.title else ""
        lines = [f"### Question {number}{title} ({points:g} point{'s' if points != 1 else ''})", ""]
        if item.content_note:
            lines += [f"*Content note: {item.content_note}*", ""]
        lines += [item.stem, ""]
        for a in item.assumptions:
            lines += [f"*Teaching assumption: {a}*", ""]
        choices = self.choices()
        if choices:
            lines += [f"- **{LETTERS[i]}.** {t}" for i, t in enumerate(choices)] + [""]
        return "\n".join(lines).strip()

    def answer_source(self, q: str, shared_facts: dict[str, Any] | None) -> str:
        solution = []
        if self.item.per_student:
            # A literal, so the instructor notebook runs without the course's code (as a sandboxed
            # kernel must): the answer for the shared facts.
            solution.append("# For the shared facts; the grader works out each student's answer from their own.")
        solution.append(f"{q} = {_literal(self.right_answer(shared_facts))}")
        # The cell imports its helper itself, so it runs first and alone as well as after the
        # setup cell; the import also installs the help for slips (course_tools.install).
        return "\n".join([IMPORT_CHECK, self.prompt(), f"{q} = {self.blank}", "### BEGIN SOLUTION", *solution,
                          "### END SOLUTION", f'check("{q}", {q})'])

    def test_source(self, q: str, points: float = 1.0) -> str:
        """The format check every student sees, then nbgrader's hidden test. The autograder does
        not run the hidden part in the student's kernel (it marks outside: autograder/steps/mark.py);
        it is there for the instructor's own run of the notebook and for plain nbgrader."""
        lines = [GRADER_CELL,
                 "from course_tools import assert_format, normalise",
                 f'assert_format("{q}", {q})', "### BEGIN HIDDEN TESTS"]
        if self.item.per_student:
            # Against the student's own facts (variant.json, put there by the grader), by the
            # item's named answer: the kernel needs the course's code, never the bank.
            name, params = self._named_answer()
            given = "".join(f", {k}={v!r}" for k, v in params.items())
            lines += ["from course_tools import facts",
                      "from exercises.graded.answers import answer",
                      f"_expected = answer({name!r}, facts(), asked={self.item.provisions!r}{given})"]
        else:
            lines.append(f"_expected = {_literal(self.right_answer())}")
        lines.append(self.hidden_assertion(q, points))
        lines.append("### END HIDDEN TESTS")
        return "\n".join(lines)

    def hidden_assertion(self, q: str, points: float = 1.0) -> str:
        return f'assert normalise("{q}", {q}) == _expected'

    def metadata(self, q: str) -> dict[str, Any]:
        item = self.item
        return {KEY: metadata.question(q, item.id, self.kind, item.label, item.provisions)}

    def cells(self, q: str, number: int, points: float, shared_facts: dict[str, Any] | None) -> list[NotebookNode]:
        """The question's cells: question, answer and test."""
        import nbformat

        course = self.metadata(q)
        c = nbformat.v4.new_markdown_cell(self.question_markdown(number, points))
        c.metadata = {**nbgrader(f"{q}_question", locked=True), **course}
        c.id = _cell_id(f"{q}-question")
        a = nbformat.v4.new_code_cell(self.answer_source(q, shared_facts))
        a.metadata = {**nbgrader(q, solution=True), **course}
        a.id = _cell_id(q)
        t = nbformat.v4.new_code_cell(self.test_source(q, points))
        # Folded in Jupyter and JupyterLite (source_hidden): the student has one cell to edit and run.
        t.metadata = {**nbgrader(f"{q}_test", grade=True, locked=True, points=points), **course, **FOLDED}
        t.id = _cell_id(f"{q}-test")
        return [c, a, t]

    # ---- The key --------------------------------------------------------------------------

    def fixed_answer(self) -> Any:
        raise GradedQuestionError(f"item {self.item.id!r} ({self.item.type}) has no answer a test cell can mark")

    def right_answer(self, facts: dict[str, Any] | None = None) -> Any:
        """The answer that earns the points: a letter, a list of provision ids or a number.
        A question about each student's own case needs the student's facts."""
        item = self.item
        if not item.per_student:
            return self.fixed_answer()
        if facts is None:
            raise GradedQuestionError(f"item {item.id!r} is marked against each student's facts; none were given")
        name, params = self._named_answer()
        return answers.answer(name, facts, asked=item.provisions, **params)

    def _named_answer(self) -> tuple[str, dict[str, float]]:
        """The named answer of a question about each student's own case, and its parameters."""
        case = self.item.case
        if case is None or case.answer is None:  # per_student says it has both
            raise GradedQuestionError(f"item {self.item.id!r} has no named answer for each student's case")
        return case.answer, case.params

    def tolerance(self) -> float | None:
        return None

    def marking_mode(self) -> str:
        """How a partly right answer earns points (exercises/graded/marking.py): all or nothing,
        unless the answer is a set."""
        return marking.ALL_OR_NOTHING

    def explanation(self) -> dict[str, Any]:
        """What the student's feedback may say once grading is over (when the lecturer asks for
        it): the bank's own feedback, by answer where it has one, and the module passage."""
        item = self.item
        return {"right": item.feedback_correct, "wrong": item.feedback_incorrect, "by_answer": self.by_answer(),
                "module": {"heading": item.section.heading, "quote": item.section.quote}}

    def by_answer(self) -> dict[str, str]:
        return {}

    def key(self, q: str, facts: dict[str, Any] | None, explain: bool = False) -> dict[str, Any]:
        """The key of this question's test cell for one student: plain data, for the grader."""
        entry: dict[str, Any] = {"question": q, "kind": self.kind, "answer": self.right_answer(facts), "tolerance": self.tolerance(),
                 "marking": self.marking_mode()}
        if explain:
            entry["explain"] = self.explanation()
        return entry

    # ---- Marking --------------------------------------------------------------------------

    @staticmethod
    def matches(given: Any, right: Any, tolerance: float | None = None) -> bool:
        """Two answers as the student module reads them: the same."""
        return given is not None and right is not None and given == right

    @classmethod
    def credit(cls, given: Any, right: Any, tolerance: float | None = None,
               mode: str = marking.ALL_OR_NOTHING) -> float:
        """The share of the points (0 to 1) an answer earns, as the student module reads it."""
        return 1.0 if cls.matches(given, right, tolerance) else 0.0


class LetterQuestion(GradedQuestion):
    student = course_tools.Letter
    kind = student.name
    types = ("single", "truefalse")
    blank = '"?"'

    def choices(self) -> list[str]:
        if self.item.type == "truefalse":
            return ["True", "False"]
        return [o.text for o in self.item.options]

    def spec(self) -> dict[str, Any]:
        return {"kind": self.kind, "options": list(LETTERS[:len(self.choices())])}

    def prompt(self) -> str:
        letters = LETTERS[:len(self.choices())]
        return f'# Your answer: one letter, {", ".join(letters[:-1])} or {letters[-1]}, between the quotes.'

    def fixed_answer(self) -> str:
        if self.item.type == "truefalse":
            return "A" if self.item.truth else "B"
        return LETTERS[[o.correct for o in self.item.options].index(True)]

    def by_answer(self) -> dict[str, str]:
        if self.item.type != "single":
            return {}
        return {LETTERS[n]: o.feedback for n, o in enumerate(self.item.options) if o.feedback}


class CitationsQuestion(GradedQuestion):
    student = course_tools.CitationList
    kind = student.name
    types = ("citation",)
    blank = "[]"

    def prompt(self) -> str:
        # No example provisions: an example could be this question's answer, or another's.
        return "# Your answer: a list of provisions between [ ], each between quotes, separated by commas."

    def fixed_answer(self) -> list[str]:
        return list(self.item.citations)

    def marking_mode(self) -> str:
        return self.item.marking

    @classmethod
    def credit(cls, given: Any, right: Any, tolerance: float | None = None,
               mode: str = marking.ALL_OR_NOTHING) -> float:
        if not isinstance(given, list) or not isinstance(right, list):
            return 0.0
        return marking.share(given, right, mode)

    def hidden_assertion(self, q: str, points: float = 1.0) -> str:
        if self.item.marking == marking.ALL_OR_NOTHING:
            return super().hidden_assertion(q, points)
        # nbgrader scores a test cell that ends in a number with that many points: the hidden
        # test ends in this answer's share of them, by the same rule the autograder marks with.
        return "\n".join([
            "from exercises.graded.marking import share as _share",
            f"_credit = _share(normalise(\"{q}\", {q}), _expected, {self.item.marking!r})",
            "assert _credit > 0, 'none of the right provisions, or as many wrong ones'",
            f"_credit * {points!r}"])


class NumberQuestion(GradedQuestion):
    student = course_tools.Number
    kind = student.name
    types = ("numeric",)
    blank = "0"

    def spec(self) -> dict[str, Any]:
        return {"kind": self.kind, "unit": self.item.numeric_answer.unit}

    def prompt(self) -> str:
        return f"# Your answer: a number in {self.item.numeric_answer.unit}, without quotes or commas."

    def fixed_answer(self) -> float:
        return self.item.numeric_answer.value

    def tolerance(self) -> float:
        return self.item.numeric_answer.tolerance

    def hidden_assertion(self, q: str, points: float = 1.0) -> str:
        return f'assert abs(normalise("{q}", {q}) - _expected) <= {self.tolerance()!r}'

    @staticmethod
    def matches(given: Any, right: Any, tolerance: float | None = None) -> bool:
        """Within the tolerance; never NaN, infinity or text."""
        return (isinstance(given, float) and math.isfinite(given) and right is not None
                and abs(given - right) <= (tolerance or 0))


class EssayQuestion(GradedQuestion):
    """A written answer, marked by hand in formgrader criterion by criterion.

    Its cells: the question; the answer cell, a markdown answer (nbgrader's "manually graded
    answer", worth 0 points: the student writes there, the lecturer may comment on the whole)
    whose solution region holds the model answer, so it lives only in the instructor notebook;
    then one cell per criterion of the rubric, a locked markdown task cell (nbgrader's "manually
    graded task") worth the criterion's points, which formgrader shows with a score box and a
    comment box and the student reads: the criterion and its descriptor.

    A criterion that only some facts raise (``when:`` in the bank) is shown to each student as
    their facts raise it: the build writes the shared facts' wording, the release and the grader
    each student's (``criteria_key``, ``show_rubric``). Every student's rubric has the same cells
    and points, so nbgrader's gradebook, which keeps one set of grade cells per notebook, holds
    them all."""

    student = course_tools.Essay
    kind = student.name
    types = ("essay",)

    def default_points(self) -> float:
        return self.item.max_points

    def question_markdown(self, number: int, points: float) -> str:
        n = len(self.item.rubric)
        return (super().question_markdown(number, points) + "\n\n"
                + f"*Write your answer in the box below. Your lecturer marks it on the {n} criteria that follow it, "
                  "each with its points and a comment.*")

    def essay_markdown(self) -> str:
        return "\n".join([
            "### BEGIN SOLUTION",
            "**Model answer (instructor notebook only; removed from the student's copy)**", "",
            (self.item.model_answer or "").strip(),
            "### END SOLUTION"])

    def criterion_points(self, points: float) -> list[float]:
        """Each criterion's points when the question is worth `points` (its rubric's, unless the
        assignment says otherwise: then in proportion)."""
        scale = points / self.item.max_points if self.item.max_points else 1.0
        return [round(c.points * scale, 6) for c in self.item.rubric]

    def rubric_for(self, facts: dict[str, Any] | None) -> tuple[Criterion, ...]:
        """The rubric as a student's facts (as drawn, exercises/assignments/student_facts.py) raise it."""
        return self.item.rubric_for(_fact_values(facts))

    def criterion_markdown(self, number: int, points: float, facts: dict[str, Any] | None) -> str:
        """What the student and the marker read of one criterion, as these facts raise it."""
        c = self.rubric_for(facts)[number - 1]
        n = len(self.item.rubric)
        return (f"**Criterion {number} of {n}: {c.criterion}** ({points:g} point{'s' if points != 1 else ''})\n\n"
                f"{' '.join(c.descriptor.split())}")

    def cells(self, q: str, number: int, points: float, shared_facts: dict[str, Any] | None) -> list[NotebookNode]:
        import nbformat

        course = self.metadata(q)
        c = nbformat.v4.new_markdown_cell(self.question_markdown(number, points))
        c.metadata = {**nbgrader(f"{q}_question", locked=True), **course}
        c.id = _cell_id(f"{q}-question")
        e = nbformat.v4.new_markdown_cell(self.essay_markdown())
        e.metadata = {**nbgrader(q, grade=True, solution=True, points=0.0), **course}
        e.id = _cell_id(q)
        out = [c, e]
        item = self.item
        for n, p in enumerate(self.criterion_points(points), 1):
            r = nbformat.v4.new_markdown_cell(self.criterion_markdown(n, p, shared_facts))
            task = nbgrader(criterion_id(q, n), locked=True)
            task["nbgrader"].update(task=True, points=p)
            r.metadata = {**task, KEY: metadata.question(q, item.id, self.kind, item.label, item.provisions,
                                                         criterion=n)}
            r.id = _cell_id(f"{q}-c{n}")
            out.append(r)
        return out

    def criteria_key(self, q: str, cells: dict[int, tuple[str, float]], facts: dict[str, Any] | None,
                     explain: bool = False) -> dict[str, dict[str, Any]]:
        """One student's rubric: grade id of each criterion cell -> what it shows them.
        `cells`: criterion number -> (grade id, points) as the notebook has them."""
        out: dict[str, dict[str, Any]] = {}
        for n, (gid, points) in cells.items():
            if not 1 <= n <= len(self.item.rubric):
                raise GradedQuestionError(f"item {self.item.id!r} has {len(self.item.rubric)} criteria; "
                                          f"cell {gid} marks criterion {n}: rebuild the sources")
            c = self.rubric_for(facts)[n - 1]
            out[gid] = {"question": q, "kind": self.kind, "criterion": n, "title": c.criterion,
                        "source": self.criterion_markdown(n, points, facts)}
        return out

    @staticmethod
    def matches(given: Any, right: Any, tolerance: float | None = None) -> bool:
        return False  # marked by hand


def criterion_title(source: str) -> str:
    """A criterion cell's title, as EssayQuestion.criterion_markdown writes it (the cell's text
    otherwise, cut short)."""
    import re

    m = re.match(r"\*\*Criterion \d+ of \d+: (.+?)\*\* \(", source)
    return m.group(1) if m else " ".join(source.split())[:80]


def criterion_id(q: str, number: int) -> str:
    """The grade id of the cell that marks criterion `number` of question `q`: q4_c1."""
    return f"{q}_c{number}"


def _fact_values(facts: dict[str, Any] | None) -> dict[str, Any] | None:
    """A student's facts with those derived from them (``child``), as a rubric's conditions read them."""
    if facts is None:
        return None
    return Facts(**facts).as_dict() if "child" not in facts else facts


def rubric_shown(nb: NotebookNode, key: Mapping[str, Mapping[str, Any]]) -> NotebookNode:
    """The notebook as the key's student was given it: a copy with their rubric, or the
    notebook itself when the key words no criterion."""
    import copy

    if not any("source" in e for e in key.values()):
        return nb
    nb = copy.deepcopy(nb)
    show_rubric(nb, key)
    return nb


def show_rubric(nb: NotebookNode, key: Mapping[str, Mapping[str, Any]]) -> None:
    """Each criterion cell of the notebook as the key's student reads it (their facts' wording);
    a cell the key does not name is left as it is."""
    from exercises.graded.metadata import read

    for _, cell, _ in read.criteria(nb):
        entry = key.get(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"))
        if entry is not None and "source" in entry:
            cell.source = entry["source"]


QUESTIONS: tuple[type[GradedQuestion], ...] = (LetterQuestion, CitationsQuestion, NumberQuestion, EssayQuestion)
KINDS: dict[str, type[GradedQuestion]] = {k.kind: k for k in QUESTIONS}
BY_TYPE: dict[str, type[GradedQuestion]] = {t: k for k in QUESTIONS for t in k.types}


def kind(name: str) -> type[GradedQuestion]:
    try:
        return KINDS[name]
    except KeyError:
        raise GradedQuestionError(f"no kind of answer {name!r}; known: {', '.join(KINDS)}") from None


def question(item: Item) -> GradedQuestion:
    """The graded question a bank item makes."""
    try:
        return BY_TYPE[item.type](item)
    except KeyError:
        types = list(BY_TYPE)
        raise GradedQuestionError(
            f"bank item {item.id!r} has type {item.type!r}; graded notebooks take "
            f"{', '.join(types[:-1])} and {types[-1]} items (one literal per answer)") from None
