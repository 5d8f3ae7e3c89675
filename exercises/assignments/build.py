"""Build the assignment sources (MyST text + bank items) into nbgrader's source layout.

``exercises/assignments/<assignment>.md`` holds the narrative of one notebook; a markdown
cell with ``{"item": "<bank id>", "points": N}`` in its metadata stands for one question of
the bank, and ``{"facts": "<template>"}`` for the facts of the student's case, whose template
the front matter names (``assignment: facts: <template>``). Each question becomes the cells
of its kind (``exercises/graded/kinds.py``), with nbgrader's metadata and the course's
(``exercises/graded/metadata/``). Beside the notebook goes the student bundle
(``exercises/graded/bundle.py``).

The same sources and bank always give the same bytes, so nbgrader's cell checksums are the
same when an assignment is released and when it is graded, whichever machine built it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import jupytext
import nbformat

from exercises.assignments import ASSIGNMENTS_DIR, SOURCE_DIR, student_facts
from exercises.assignments.key import graded_bank
from exercises.graded import bundle, kinds
from exercises.graded.metadata import KEY
from exercises.graded.metadata import write as metadata
from exercises.paths import graded_dir


class AssignmentSourceError(ValueError):
    """An assignment source that cannot be built; the message names the file and the fix."""


def assignment_names(folder: Path = ASSIGNMENTS_DIR) -> list[str]:
    return sorted(p.stem for p in Path(folder).glob("*.md"))


def _facts_template(source: Path, meta: dict) -> str | None:
    if "variant" in meta:
        raise AssignmentSourceError(f"{source}: the front matter says 'variant: {meta['variant']}'; the "
                                    f"facts template is now named 'facts': write 'facts: {meta['variant']}'")
    template = meta.get("facts")
    if template is not None and template not in student_facts.TEMPLATES:
        raise AssignmentSourceError(f"{source}: the front matter names the facts template {template!r}; "
                                    f"known: {', '.join(student_facts.TEMPLATES)}")
    return template


def _question(source: Path, index: int, item_id: str, bank: dict[str, Any], template: str | None):
    if item_id not in bank:
        raise AssignmentSourceError(
            f"{source}: cell {index + 1} asks for bank item {item_id!r}, which is not a graded item "
            f"of the bank; add {graded_dir()}/**/{item_id}.yaml with 'use: graded' or fix the id")
    item = bank[item_id]
    case = item.case
    if case is not None and template != case.facts:
        if item.per_student and template is None:
            raise AssignmentSourceError(
                f"{source}: item {item_id!r} is graded against each student's facts; "
                f"add 'facts: {case.facts}' under 'assignment:' in the front matter and a facts cell")
        raise AssignmentSourceError(
            f"{source}: item {item_id!r} asks about the facts of the {case.facts!r} case; add "
            f"'facts: {case.facts}' under 'assignment:' in the front matter and a facts cell, or choose another item")
    try:
        return kinds.question(item)
    except kinds.GradedQuestionError as e:
        raise AssignmentSourceError(f"{source}: cell {index + 1}: {e}") from None


def render_notebook(source: Path, bank: dict[str, Any] | None = None) -> tuple[nbformat.NotebookNode, dict[str, bytes]]:
    """One assignment source -> (its nbgrader source notebook, the student bundle's files)."""
    bank = graded_bank() if bank is None else bank
    text_nb = jupytext.read(source)
    name = source.stem
    meta = text_nb.metadata.get("assignment") or {}
    template = _facts_template(source, meta)
    shared = student_facts.facts(template, student_facts.COMMON) if template else None
    cells: list = []
    specs: dict[str, dict[str, Any]] = {}
    for i, cell in enumerate(text_nb.cells):
        m = cell.metadata
        if "facts" in m:
            if template is None or m["facts"] != template:
                raise AssignmentSourceError(
                    f"{source}: cell {i + 1} shows the facts of {m['facts']!r}, but the front matter "
                    + (f"says 'facts: {template}'" if template else "names no facts template")
                    + f"; write 'facts: {m['facts']}' under 'assignment:' or fix the cell")
            assert shared is not None  # drawn above, for the template
            c = nbformat.v4.new_markdown_cell(student_facts.render(template, shared))
            c.metadata = {KEY: metadata.facts_cell(template)}
            c.id = "facts"
            cells.append(c)
            continue
        if "item" in m:
            question = _question(source, i, m["item"], bank, template)
            q = f"q{len(specs) + 1}"
            points = float(m.get("points", question.default_points()))
            cells += question.cells(q, len(specs) + 1, points, shared)
            specs[q] = question.spec()
            continue
        if cell.cell_type == "code":
            c = nbformat.v4.new_code_cell(cell.source)
            if "setup" in m.get("tags", []):
                c.metadata = kinds.nbgrader("setup", locked=True)
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
        KEY: metadata.notebook(name, meta.get("title", name), template,
                                    student_facts.COMMON if template else None),
    }
    nbformat.validate(nb)
    metadata.validate(nb)
    return nb, bundle.files(specs, shared)


def _write(path: Path, data: bytes) -> None:
    """Write only what changed, and atomically: a build running beside a release or a grading
    run (or another build) never shows anyone a half-written file."""
    if path.is_file() and path.read_bytes() == data:
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_source(source: Path, out_dir: Path, bank: dict[str, Any] | None = None) -> list[Path]:
    """Build one assignment source into ``out_dir/<name>/``: its notebook and the student bundle.
    Files left there by an earlier build that this one does not write are removed."""
    nb, files = render_notebook(source, bank)
    folder = Path(out_dir) / source.stem
    folder.mkdir(parents=True, exist_ok=True)
    files = {f"{source.stem}.ipynb": (nbformat.writes(nb) + "\n").encode("utf-8"), **files}
    for name, data in files.items():
        _write(folder / name, data)
    for p in folder.iterdir():
        if p.is_file() and p.name not in files and not p.name.startswith("."):
            p.unlink()
    return [folder / name for name in files]


def build_sources(out_dir: Path = SOURCE_DIR, names: list[str] | None = None,
                  assignments_dir: Path = ASSIGNMENTS_DIR, bank: dict[str, Any] | None = None) -> list[Path]:
    """Build the assignments `names` (default: all) of `assignments_dir` into ``out_dir/<name>/``;
    returns the paths of the files written."""
    known = assignment_names(assignments_dir)
    unknown = [n for n in (names or []) if n not in known]
    if unknown:
        raise AssignmentSourceError(f"no assignment {', '.join(map(repr, unknown))} in {assignments_dir} "
                                    f"(assignments: {', '.join(known) or 'none'})")
    bank = graded_bank() if bank is None else bank
    return [p for name in (names or known) for p in write_source(Path(assignments_dir) / f"{name}.md", out_dir, bank)]
