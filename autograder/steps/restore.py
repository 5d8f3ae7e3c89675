"""Tampering: restore what a student may not change, as nbgrader does, and say what it was.

The notebook that runs is rebuilt from the assignment: every cell nbgrader knows (answers,
tests, read-only cells) takes its type and metadata from the released notebook, tests and
read-only cells take their source from the instructor notebook (hidden tests included), and
only answer cells keep the student's source. Cells the student added stay, as ordinary
cells. Each difference from the released notebook is reported in words a lecturer reads:
"test cell q2_test was changed: restored", "cell q5 deleted: restored".
"""

from __future__ import annotations

import copy

from nbformat import NotebookNode

from exercises.graded.metadata import write as metadata


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
    return "read-only cell"


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


def restore(student: NotebookNode, released: NotebookNode, source: NotebookNode) -> tuple[NotebookNode, list[str]]:
    """(the notebook to grade, findings)."""
    rel = {grade_id(c): c for c in released.cells if grade_id(c)}
    src = {grade_id(c): c for c in source.cells if grade_id(c)}
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
        original = rel[gid]
        kind = _kind(original)
        restored = copy.deepcopy(original if is_answer(original) else src.get(gid, original))
        restored.metadata = copy.deepcopy(original.metadata)
        if "id" in cell:
            restored["id"] = cell["id"]
        if cell.cell_type != original.cell_type:
            findings.append(f"{kind} {gid} was made a {cell.cell_type} cell: restored as {original.cell_type}")
        if is_answer(original):
            restored.source = cell.source  # the student's answer, whatever its cell type was
        elif not (_same(cell.source, original.source) or _same(cell.source, src.get(gid, original).source)):
            findings.append(f"{kind} {gid} was changed: restored")
        elif _grading(cell) != _grading(original):
            findings.append(f"{kind} {gid}: its grading settings were changed: restored")
        restored.outputs = [] if restored.cell_type == "code" else restored.get("outputs", None)
        if restored.cell_type != "code":
            restored.pop("outputs", None)
            restored.pop("execution_count", None)
        else:
            restored.execution_count = None
        cells.append(restored)
    for gid, n in sorted(dupes.items()):
        findings.append(f"grade id {gid} appears {n} times: the first counts, the copies are ordinary cells")
    # Deleted cells go back where the released notebook had them.
    order = [grade_id(c) for c in released.cells if grade_id(c)]
    for i, gid in enumerate(order):
        if gid in seen:
            continue
        original = rel[gid]
        findings.append(f"{_kind(original)} {gid} deleted: restored" if _kind(original) != "read-only cell"
                        else f"cell {gid} deleted: restored")
        restored = copy.deepcopy(original if is_answer(original) else src.get(gid, original))
        restored.metadata = copy.deepcopy(original.metadata)
        if restored.cell_type == "code":
            restored.outputs, restored.execution_count = [], None
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
