"""Tampering: restore what a student may not change, as nbgrader does, and say what it was.

The notebook that runs is rebuilt from the assignment, as nbgrader's OverwriteCells rebuilds
it from the gradebook: every cell nbgrader knows takes its type and metadata from the released
notebook and its checksum from the gradebook, and the cells the gradebook keeps locked (tests,
read-only cells) take their source from the gradebook, hidden tests and tests made from
``### AUTOTEST`` lines included; answer cells keep the student's source. Cells the student
added stay, as ordinary cells. Deleted cells are put back where the released notebook had
them (nbgrader puts back only grade and task cells, and only with
``OverwriteCells.add_missing_cells``; a course that sets it to False gets nbgrader's behaviour).
Each difference from the released notebook is reported in words a lecturer reads: "test cell
q2_test was changed: restored", "cell q5 deleted: restored".
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from nbformat import NotebookNode

from exercises.graded import kinds
from exercises.graded.metadata import write as metadata

if TYPE_CHECKING:
    from autograder.steps import NotebookWork


def run(work: NotebookWork) -> None:
    """The step: the notebook to grade, rebuilt from the assignment, without the student's
    saved outputs; what was put back goes into the status."""
    name, key = work.name, work.key
    # A rubric whose criteria follow each student's facts: restored against the copy the student
    # was given, then shown as their facts raise it (the gradebook keeps the shared wording).
    released = kinds.rubric_shown(work.assignment.released[name], key)
    graded, findings = restore(work.notebook, released, work.assignment.stored[name]["cells"],
                               add_missing=work.settings.add_missing_cells)
    kinds.show_rubric(graded, key)
    clear_outputs(graded)
    work.result.problems += findings
    work.notebook = graded


def grade_id(cell: NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def is_answer(cell: NotebookNode) -> bool:
    nbg = cell.metadata.get("nbgrader", {})
    return bool(nbg.get("solution")) and not nbg.get("locked")


def _kind(cell: NotebookNode) -> str:
    nbg = cell.metadata.get("nbgrader", {})
    if is_answer(cell):
        return "answer cell"
    if nbg.get("grade") and cell.cell_type == "code":
        return "test cell"
    if nbg.get("task"):
        return "task cell"
    return "read-only cell"


def stored_cells(nb: NotebookNode) -> dict[str, dict]:
    """What nbgrader's gradebook keeps of a generated instructor notebook's cells (its
    SaveCells: every grade, solution, task or locked cell), by grade id; the runner reads the
    same from the gradebook itself (autograder.course.stored_notebooks)."""
    from nbgrader import utils

    return {gid: {"cell_type": c.cell_type, "source": c.source, "locked": utils.is_locked(c),
                  "checksum": c.metadata["nbgrader"].get("checksum")}
            for c in nb.cells if (gid := grade_id(c)) and (utils.is_grade(c) or utils.is_solution(c)
                                                           or utils.is_locked(c) or utils.is_task(c))}


def _plain(cell: NotebookNode) -> NotebookNode:
    """A student's cell with nbgrader's metadata removed: it runs, but grades nothing."""
    cell = copy.deepcopy(cell)
    cell.metadata.pop("nbgrader", None)
    return cell


def _grading(cell: NotebookNode) -> dict:
    """The nbgrader settings that decide grading (not the checksum, which the release adds)."""
    nbg = cell.metadata.get("nbgrader", {})
    return {k: nbg.get(k) for k in ("grade", "solution", "locked", "task", "points")}


def _same(a: str, b: str) -> bool:
    return a.rstrip() == b.rstrip()


def _rebuilt(released: NotebookNode, stored: dict | None, student_source: str) -> NotebookNode:
    """A cell as graded: type and metadata as released, checksum and (if locked) source as the
    gradebook has them, else the student's source."""
    cell = copy.deepcopy(released)
    cell.source = stored["source"] if stored is not None and stored["locked"] else student_source
    if stored is not None and stored.get("checksum") is not None:
        cell.metadata["nbgrader"]["checksum"] = stored["checksum"]
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    return cell


def restore(student: NotebookNode, released: NotebookNode, stored: dict[str, dict], *,
            add_missing: bool = True) -> tuple[NotebookNode, list[str]]:
    """(the notebook to grade, findings). `stored`: the gradebook's cells (stored_cells);
    `add_missing`: put deleted cells back (False: nbgrader's default, where a deleted grade
    cell is left for grading by hand)."""
    rel = {grade_id(c): c for c in released.cells if grade_id(c)}
    findings: list[str] = []
    cells: list[NotebookNode] = []
    seen: set[str] = set()
    dupes: dict[str, int] = {}
    for cell in student.cells:
        gid = grade_id(cell)
        if gid is None:
            cells.append(cell)
            continue
        if gid not in rel:
            findings.append(f"cell with an unknown grade id {gid!r}: kept as an ordinary cell")
            cells.append(_plain(cell))
            continue
        if gid in seen:
            dupes[gid] = dupes.get(gid, 1) + 1
            cells.append(_plain(cell))
            continue
        seen.add(gid)
        original, kept = rel[gid], stored.get(gid)
        kind = _kind(original)
        restored = _rebuilt(original, kept, cell.source)
        if "id" in cell:
            restored["id"] = cell["id"]
        locked = kept is not None and kept["locked"]
        if cell.cell_type != original.cell_type:
            findings.append(f"{kind} {gid} was made a {cell.cell_type} cell: restored as {original.cell_type}")
        if locked and kept is not None and not (_same(cell.source, original.source)
                                                or _same(cell.source, kept["source"])):
            findings.append(f"{kind} {gid} was changed: restored")
        elif locked and _grading(cell) != _grading(original):
            findings.append(f"{kind} {gid}: its grading settings were changed: restored")
        cells.append(restored)
    for gid, n in sorted(dupes.items()):
        findings.append(f"grade id {gid} appears {n} times: the first counts, the copies are ordinary cells")
    # Deleted cells go back where the released notebook had them.
    order = [g for g in map(grade_id, released.cells) if g]
    for i, gid in enumerate(order):
        if gid in seen:
            continue
        original = rel[gid]
        kind = _kind(original)
        what = f"{kind} {gid}" if kind != "read-only cell" else f"cell {gid}"
        if not add_missing:
            nbg = original.metadata["nbgrader"]
            left = "waits for hand grading" if nbg.get("grade") or nbg.get("task") else "not restored"
            findings.append(f"{what} deleted: {left} (add_missing_cells is off)")
            continue
        findings.append(f"{what} deleted: restored")
        restored = _rebuilt(original, stored.get(gid), original.source)
        before = [g for g in order[:i] if g in seen]
        at = 0
        if before:
            at = next(k for k, c in enumerate(cells) if grade_id(c) == before[-1]) + 1
        cells.insert(at, restored)
        seen.add(gid)
    nb = copy.deepcopy(student)
    nb.cells = cells
    nb.metadata = NotebookNode(metadata.restored(student.metadata, released.metadata))  # and whose facts it shows
    return nb, findings


def clear_outputs(nb: NotebookNode) -> None:
    """The grade comes from running the notebook, never from outputs the student saved."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
