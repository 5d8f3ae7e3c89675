"""Render the assignment sources (MyST text + bank items) into nbgrader's source layout.

``exercises/assignments/<assignment>.md`` holds the narrative of one notebook; a markdown
cell with ``{"item": "<bank id>", "points": N}`` in its metadata stands for one question of
the bank, and ``{"facts": "<template>"}`` for the facts of the student's case. Each question
becomes three cells with nbgrader metadata:

- the question (read-only markdown);
- the answer: one literal the student edits, with the instructor's value between
  ``### BEGIN SOLUTION`` / ``### END SOLUTION`` (stripped on release) and a ``check()`` call;
- the test: a public format check and ``### BEGIN HIDDEN TESTS`` comparing with the answer
  key (or, for per-student variants, with the answer computed from the student's facts).

An essay becomes one hand-graded markdown cell whose rubric and model answer sit inside the
solution region, so they live only in the instructor notebook.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jupytext
import nbformat

from exercises.assignments import student_module, variants
from exercises.assignments.key import LETTERS, graded_bank, right_answer, tolerance

HERE = Path(__file__).resolve().parent
NBGRADER_SCHEMA = 3


class AssignmentSourceError(ValueError):
    """An assignment source that cannot be rendered; the message names the file and the fix."""


def assignment_names() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.md"))




def _nbgrader(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": NBGRADER_SCHEMA, "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _kind(item) -> dict[str, Any]:
    if item.type in ("single", "truefalse"):
        n = len(item.options) if item.type == "single" else 2
        return {"kind": "letter", "options": LETTERS[:n]}
    if item.type == "citation":
        return {"kind": "citations"}
    if item.type == "numeric":
        return {"kind": "number", "unit": item.numeric.unit}
    if item.type == "essay":
        return {"kind": "essay"}
    raise AssignmentSourceError(
        f"bank item {item.id!r} has type {item.type!r}; graded notebooks take single, truefalse, "
        "citation, numeric and essay items (one literal per answer)")


def _options(item) -> list[str]:
    if item.type == "truefalse":
        return ["True", "False"]
    return [o.text for o in item.options]


def _literal(value: Any) -> str:
    return repr(value) if isinstance(value, (int, float)) else json.dumps(value)


def _question_md(q: str, number: int, item, points: float) -> str:
    lines = [f"### Question {number}: {item.label} ({points:g} point{'s' if points != 1 else ''})", ""]
    if item.content_note:
        lines += [f"*Content note: {item.content_note}*", ""]
    lines += [item.stem, ""]
    for a in item.assumptions:
        lines += [f"*Teaching assumption: {a}*", ""]
    if item.type in ("single", "truefalse"):
        lines += [f"- **{LETTERS[i]}.** {t}" for i, t in enumerate(_options(item))] + [""]
    lines.append(f"*Provisions: {', '.join(item.provisions)}. Module: {item.section.heading}.*")
    return "\n".join(lines).strip()


def _answer_code(q: str, item, variant: str | None) -> str:
    kind = _kind(item)["kind"]
    if kind == "letter":
        letters = LETTERS[:len(_options(item))]
        prompt = f'# Your answer: one letter, {", ".join(letters[:-1])} or {letters[-1]}, between the quotes.'
        blank = '"?"'
    elif kind == "citations":
        prompt = '# Your answer: a list of provisions, each between quotes, e.g. ["6(1)", "7(2)"].'
        blank = "[]"
    else:
        prompt = f"# Your answer: a number in {item.numeric.unit}, without quotes or commas."
        blank = "0"
    solution = []
    facts = None
    if item.id in variants.VARIANT_ITEMS:
        # A literal, so the instructor notebook runs without the course's code (as a sandboxed
        # kernel must): the answer for the shared facts.
        facts = variants.facts(variant, variants.COMMON)
        solution.append("# For the shared facts; the grader works out each student's answer from their own.")
    solution.append(f"{q} = {_literal(right_answer(item, facts))}")
    return "\n".join([prompt, f"{q} = {blank}", "### BEGIN SOLUTION", *solution,
                      "### END SOLUTION", f'check("{q}", {q})'])


def _test_code(q: str, item) -> str:
    """The format check every student sees, then nbgrader's hidden test. The autograder does
    not run the hidden part in the student's kernel (it marks outside: exercises/assignments/key.py);
    it is there for the instructor's own run of the notebook and for plain nbgrader."""
    kind = _kind(item)["kind"]
    lines = ["# Is the answer written in a form the grader can read?",
             "from course_tools import assert_format, normalise",
             f'assert_format("{q}", {q})', "### BEGIN HIDDEN TESTS"]
    if item.id in variants.VARIANT_ITEMS:
        # Graded against the student's own facts (variant.json, put there by the grader).
        lines += ["from course_tools import facts",
                  "from exercises.assignments.variants import expected",
                  f"_expected = expected({item.id!r}, facts())"]
    else:
        lines.append(f"_expected = {_literal(right_answer(item))}")
    if kind == "number":
        lines.append(f'assert abs(normalise("{q}", {q}) - _expected) <= {tolerance(item)!r}')
    else:
        lines.append(f'assert normalise("{q}", {q}) == _expected')
    lines.append("### END HIDDEN TESTS")
    return "\n".join(lines)


def _essay_md(item) -> str:
    rubric = "\n".join(f"- **{c.criterion}** ({c.points:g}): {c.descriptor}" for c in item.rubric)
    return "\n".join([
        "### BEGIN SOLUTION",
        "**Rubric (instructor notebook only; removed from the student's copy)**", "", rubric, "",
        "**Model answer**", "", (item.model_answer or "").strip(),
        "### END SOLUTION"])


def _cell_id(name: str) -> str:
    return name.replace("_", "-")[:64]


def render_notebook(source: Path, bank: dict[str, Any] | None = None) -> tuple[nbformat.NotebookNode, dict]:
    """One assignment source -> (nbgrader source notebook, the question table for check())."""
    bank = graded_bank() if bank is None else bank
    text_nb = jupytext.read(source)
    name = source.stem
    meta = text_nb.metadata.get("assignment") or {}
    variant = meta.get("variant")
    cells: list = []
    questions: dict[str, dict[str, Any]] = {}
    items_meta: dict[str, Any] = {}
    number = 0
    for i, cell in enumerate(text_nb.cells):
        m = cell.metadata
        if "facts" in m:
            template = m["facts"]
            c = nbformat.v4.new_markdown_cell(variants.render(template, variants.facts(template, variants.COMMON)))
            c.metadata = {"course": {"facts": template}}
            c.id = "facts"
            cells.append(c)
            continue
        if "item" in m:
            item_id = m["item"]
            if item_id not in bank:
                raise AssignmentSourceError(
                    f"{source}: cell {i + 1} asks for bank item {item_id!r}, which is not a graded item "
                    f"of the bank; add exercises/bank/graded/**/{item_id}.yaml with 'use: graded' "
                    "or fix the id")
            item = bank[item_id]
            if item.id in variants.VARIANT_ITEMS and not variant:
                raise AssignmentSourceError(
                    f"{source}: item {item_id!r} is graded against each student's facts; "
                    "add 'variant: <template>' under 'assignment:' in the front matter")
            if item.id in variants.CASE_ITEMS and variant != variants.CASE_ITEMS[item.id]:
                raise AssignmentSourceError(
                    f"{source}: item {item_id!r} asks about the facts of the {variants.CASE_ITEMS[item.id]!r} "
                    f"case; add 'variant: {variants.CASE_ITEMS[item.id]}' under 'assignment:' in the front "
                    "matter and a facts cell, or choose another item")
            number += 1
            q = f"q{number}"
            course = {"item": item.id, "provisions": list(item.provisions), "question": q}
            if item.type == "essay":
                points = float(m.get("points", item.max_points))
                c = nbformat.v4.new_markdown_cell(_question_md(q, number, item, points))
                c.metadata = {**_nbgrader(f"{q}_question", locked=True), "course": course}
                c.id = _cell_id(f"{q}-question")
                e = nbformat.v4.new_markdown_cell(_essay_md(item))
                e.metadata = {**_nbgrader(q, grade=True, solution=True, points=points), "course": course}
                e.id = _cell_id(q)
                cells += [c, e]
            else:
                points = float(m.get("points", 1))
                c = nbformat.v4.new_markdown_cell(_question_md(q, number, item, points))
                c.metadata = {**_nbgrader(f"{q}_question", locked=True), "course": course}
                c.id = _cell_id(f"{q}-question")
                a = nbformat.v4.new_code_cell(_answer_code(q, item, variant))
                a.metadata = {**_nbgrader(q, solution=True), "course": course}
                a.id = _cell_id(q)
                t = nbformat.v4.new_code_cell(_test_code(q, item))
                t.metadata = {**_nbgrader(f"{q}_test", grade=True, locked=True, points=points),
                              "course": course}
                t.id = _cell_id(f"{q}-test")
                cells += [c, a, t]
            questions[q] = _kind(item)
            items_meta[q] = {"item": item.id, "provisions": list(item.provisions)}
            continue
        if cell.cell_type == "code":
            c = nbformat.v4.new_code_cell(cell.source)
            if "setup" in m.get("tags", []):
                c.metadata = _nbgrader("setup", locked=True)
                c.id = "setup"
            else:
                c.id = f"cell-{i}"
        else:
            c = nbformat.v4.new_markdown_cell(cell.source)
            c.id = f"cell-{i}"
        cells.append(c)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "course": {"assignment": name, "title": meta.get("title", name), "variant_template": variant,
                   "variant": variants.COMMON if variant else None, "questions": items_meta},
    }
    nbformat.validate(nb)
    return nb, {"questions": questions,
                "common_facts": variants.facts(variant, variants.COMMON) if variant else None}


def write_source(source: Path, out_dir: Path, bank: dict[str, Any] | None = None) -> list[Path]:
    """Render one assignment source into ``out_dir/<name>/``: its notebook and course_tools.py."""
    nb, tools = render_notebook(source, bank)
    folder = Path(out_dir) / source.stem
    folder.mkdir(parents=True, exist_ok=True)
    nb_path = folder / f"{source.stem}.ipynb"
    nb_path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    tools_path = folder / "course_tools.py"
    tools_path.write_text(student_module.render(tools["questions"], tools["common_facts"]), encoding="utf-8")
    return [nb_path, tools_path]


def build_sources(out_dir: Path) -> list[Path]:
    """Write ``out_dir/<assignment>/<assignment>.ipynb`` and its ``course_tools.py``; return the paths."""
    bank = graded_bank()
    return [p for name in assignment_names() for p in write_source(HERE / f"{name}.md", out_dir, bank)]
