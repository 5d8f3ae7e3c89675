"""What a student handed in: which notebook is which, and whether each can be read at all.

Every problem becomes a sentence for the status column ("not a notebook: invalid JSON at
line 12"), never an exception that stops the batch. Only the notebooks are used: other
files a student sends are listed, not copied next to the notebook, where a file named like
a module (course_tools.py, sitecustomize.py) would run in place of the course's own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import nbformat
from nbformat import NotebookNode

from autograder.isolation.limits import Limits, size

TOO_LARGE = "too large"  # marker value in a job's files: the file was not even read


@dataclass
class Intake:
    notebooks: dict[str, NotebookNode | None] = field(default_factory=dict)  # expected name -> nb
    problems: list[str] = field(default_factory=list)  # the submission's status, in order
    notes: list[str] = field(default_factory=list)  # worth knowing, not wrong


def read_notebook(name: str, data: bytes | int, limits: Limits) -> tuple[NotebookNode | None, list[str]]:
    """(notebook or None, problems). `data` is the file, or its size when it was too large."""
    if isinstance(data, int) or len(data) > limits.notebook_bytes:
        n = data if isinstance(data, int) else len(data)
        return None, [f"{name} is too large ({size(n)}; limit {size(limits.notebook_bytes)}): not graded"]
    if not data.strip():
        return None, [f"not a notebook: {name} is empty"]
    if b"\x00" in data[:4096]:
        return None, [f"not a notebook: {name} is a binary file"]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        return None, [f"not a notebook: {name} is not UTF-8 text (byte 0x{data[e.start]:02x} at line {line})"]
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        if not text.rstrip().endswith("}"):
            return None, [f"not a notebook: {name} is cut off at line {e.lineno} (truncated file)"]
        return None, [f"not a notebook: invalid JSON at line {e.lineno} of {name}"]
    if not isinstance(raw, dict) or "nbformat" not in raw or not isinstance(raw.get("nbformat"), int):
        return None, [f"not a notebook: {name} is JSON but not a Jupyter notebook"]
    problems: list[str] = []
    version = raw["nbformat"]
    if version < 4:
        problems.append(f"{name} was saved in nbformat {version}: converted to 4")
    ids = [c.get("id") for c in raw.get("cells", []) if isinstance(c, dict) and c.get("id")]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        problems.append(f"duplicated cell ids in {name} ({', '.join(dupes[:3])}): renumbered")
    try:
        nb = nbformat.reads(text, as_version=4)
        if nbformat.current_nbformat_minor >= 5 and nb.nbformat_minor >= 5:
            _unique_cell_ids(nb)
        for cell in nb.cells:  # nbformat accepts cells it cannot run; we cannot
            if cell.cell_type not in ("code", "markdown", "raw") or not isinstance(cell.get("source"), str):
                raise ValueError("a cell without a type or source")
            cell.setdefault("metadata", NotebookNode())
            if cell.cell_type == "code":
                cell.setdefault("outputs", [])
    except Exception as e:
        return None, [f"not a notebook: {name} has the wrong structure ({str(e).splitlines()[0][:80]})"]
    return nb, problems


def _unique_cell_ids(nb: NotebookNode) -> None:
    seen: set[str] = set()
    for i, cell in enumerate(nb.cells):
        cid = cell.get("id")
        if not cid or cid in seen:
            cid = f"cell-{i}"
            while cid in seen:
                cid += "x"
            cell["id"] = cid
        seen.add(cid)


def inspect(files: dict[str, bytes | int], expected: list[str], limits: Limits,
            released: frozenset[str] = frozenset()) -> Intake:
    """Match the submitted files to the assignment's notebooks (`expected`, e.g. ["protection"]).
    `released`: other files students were given (helpers), expected back and not used."""
    out = Intake()
    if not any(rel.lower().endswith(".ipynb") for rel in files) and not any(
            isinstance(d, int) or d for d in files.values()):
        out.problems.append("empty submission: no files")
        for name in expected:
            out.notebooks[name] = None
        return out
    notebooks = {rel: data for rel, data in files.items() if rel.lower().endswith(".ipynb")}
    others = sorted(rel for rel in files if rel not in notebooks and rel not in released)
    used: set[str] = set()
    missing: list[str] = []
    for name in expected:
        if f"{name}.ipynb" in notebooks:
            used.add(f"{name}.ipynb")
        else:
            missing.append(name)
    spare = sorted(rel for rel in notebooks if rel not in used)
    chosen = {f"{n}.ipynb": f"{n}.ipynb" for n in expected if n not in missing}
    for name in missing:
        if len(missing) == 1 and len(spare) == 1:
            # One notebook under another name: the student's work, graded in its place.
            out.problems.append(f"missing notebook {name}.ipynb (found {spare[0]}: graded in its place)")
            chosen[f"{name}.ipynb"] = spare[0]
            used.add(spare[0])
        elif spare:
            out.problems.append(f"missing notebook {name}.ipynb (found {', '.join(spare)})")
        else:
            out.problems.append(f"missing notebook {name}.ipynb")
    extra = [rel for rel in sorted(notebooks) if rel not in used] + others
    if extra:
        shown = ", ".join(extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
        out.notes.append(f"extra files not used: {shown}")
    for name in expected:
        rel = chosen.get(f"{name}.ipynb")
        if rel is None:
            out.notebooks[name] = None
            continue
        nb, problems = read_notebook(rel, notebooks[rel], limits)
        out.notebooks[name] = nb
        out.problems += problems
    return out
