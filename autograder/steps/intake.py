"""What a student handed in: which notebook is which, whether each can be read at all, and
which of the other files go beside it.

Every problem becomes a sentence for the status column ("not a notebook: invalid JSON at
line 12"), never an exception that stops the batch. Other files a student hands in go beside
the notebook, as nbgrader's Autograde copies them (a module of their own, a data file), except
a file the assignment provides itself (its own copy is used, as nbgrader overwrites it) and
a file that would run as the kernel starts (sitecustomize.py, an IPython profile): those are
listed in the status, not used.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import nbformat
from nbformat import NotebookNode

from autograder.isolation.limits import Limits, size

if TYPE_CHECKING:
    from autograder.steps import SubmissionWork

TOO_LARGE = "too large"  # marker value in a job's files: the file was not even read

# Read by Python or the kernel as it starts, before any cell: `python -m ipykernel_launcher`
# finds a launcher of that name in the notebook's folder first, and the kernel's HOME is that
# folder (IPython's and Jupyter's settings and start-up files, the user's site-packages).
STARTUP_FILES = ("ipykernel_launcher.py", "sitecustomize.py", "usercustomize.py")
STARTUP_FOLDERS = (".ipython", ".jupyter", ".local", ".config")
GRADER_FILES = frozenset({"variant.json", "timestamp.txt"})  # the grader writes or reads these itself


@dataclass
class Intake:
    notebooks: dict[str, NotebookNode | None] = field(default_factory=dict)  # expected name -> nb
    files: dict[str, bytes] = field(default_factory=dict)  # path -> content: goes beside the notebook
    problems: list[str] = field(default_factory=list)  # the submission's status, in order
    notes: list[str] = field(default_factory=list)  # worth knowing, not wrong


def run(sub: SubmissionWork) -> None:
    """The step: the submission's notebooks and files, what is wrong with them, and when it
    was handed in."""
    job = sub.job
    found = inspect(job.files, sub.assignment.names, sub.limits, provided=sub.provided, grader=GRADER_FILES,
                    ignore=sub.settings.ignore, in_place=job.in_place, folder=job.assignment)
    sub.result.problems += found.problems
    sub.result.notes += found.notes
    sub.result.timestamp = timestamp(job.files)
    sub.notebooks, sub.files = found.notebooks, found.files


def timestamp(files: Mapping[str, bytes | int]) -> str | None:
    """When it was handed in, as nbgrader's timestamp.txt beside the notebook says; None
    without a readable one."""
    data = files.get("timestamp.txt")
    if not isinstance(data, bytes):
        return None
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(data.decode("utf-8").strip()).isoformat()
    except Exception:
        return None


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
    ids = [cell_id for c in raw.get("cells", []) if isinstance(c, dict) and (cell_id := c.get("id"))]
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


def inspect(files: Mapping[str, bytes | int], expected: list[str], limits: Limits, *,
            provided: Mapping[str, bytes] | None = None, grader: frozenset[str] = frozenset(),
            ignore: tuple[str, ...] = (), in_place: bool = True, folder: str | None = None) -> Intake:
    """Match the submitted files to the assignment's notebooks (`expected`, e.g. ["protection"])
    and choose the other files that go beside them. `provided`: the files the assignment puts
    there itself (path -> content); `grader`: files the grader writes or reads itself
    (variant.json, timestamp.txt); `ignore`: nbgrader's CourseDirectory.ignore globs. With
    `in_place`, a single notebook under another name is graded in place of a missing one.
    `folder`: the assignment's folder (its name), in which JupyterLite's stock download names
    a notebook."""
    out = Intake()
    provided = provided or {}
    if not any(rel.lower().endswith(".ipynb") for rel in files) and not any(
            isinstance(d, int) or d for d in files.values()):
        out.problems.append("empty submission: no files")
        for name in expected:
            out.notebooks[name] = None
        return out
    notebooks = {rel: data for rel, data in files.items() if rel.lower().endswith(".ipynb")}
    used: set[str] = set()
    missing: list[str] = []
    for name in expected:
        if f"{name}.ipynb" in notebooks:
            used.add(f"{name}.ipynb")
        else:
            missing.append(name)
    spare = sorted(rel for rel in notebooks if rel not in used)
    chosen = {f"{n}.ipynb": f"{n}.ipynb" for n in expected if n not in missing}
    for name in list(missing):
        # JupyterLite's stock File > Download names the file after its folder path, "/" as "_"
        # (protection/protection.ipynb -> protection_protection.ipynb): the same notebook, so a
        # note, not a problem. Only that exact name: my_protection.ipynb is another file.
        stock = [rel for rel in spare if folder and "/" not in rel and (
            rel == f"{folder}_{name}.ipynb" or rel.endswith(f"_{folder}_{name}.ipynb"))]
        if len(stock) == 1:
            out.notes.append(f"{stock[0]} taken as {name}.ipynb (the name JupyterLite gives a downloaded notebook)")
            chosen[f"{name}.ipynb"] = stock[0]
            used.add(stock[0])
            missing.remove(name)
    spare = [rel for rel in spare if rel not in used]
    for name in missing:
        if in_place and len(missing) == 1 and len(spare) == 1:
            # One notebook under another name: the student's work, graded in its place.
            out.problems.append(f"missing notebook {name}.ipynb (found {spare[0]}: graded in its place)")
            chosen[f"{name}.ipynb"] = spare[0]
            used.add(spare[0])
        elif spare:
            out.problems.append(f"missing notebook {name}.ipynb (found {', '.join(spare)})")
        else:
            out.problems.append(f"missing notebook {name}.ipynb")
    unused = [rel for rel in sorted(notebooks) if rel not in used]
    others = {rel: data for rel, data in files.items() if rel not in notebooks and rel not in grader
              and not _ignored(rel, ignore)}
    not_used, replaced = _choose_files(others, provided, limits, out)
    unused += not_used
    if unused:
        shown = ", ".join(unused[:5]) + (f" and {len(unused) - 5} more" if len(unused) > 5 else "")
        out.notes.append(f"extra files not used: {shown}")
    if replaced:
        out.notes.append(f"{', '.join(replaced)}: the assignment's own used, not the student's changed copy")
    for name in expected:
        rel = chosen.get(f"{name}.ipynb")
        if rel is None:
            out.notebooks[name] = None
            continue
        nb, problems = read_notebook(rel, notebooks[rel], limits)
        out.notebooks[name] = nb
        out.problems += problems
    return out


def _ignored(rel: str, globs: tuple[str, ...]) -> bool:
    """nbgrader skips a file when its name or a folder above it matches one of the globs
    (utils.find_all_files with CourseDirectory.ignore)."""
    return any(fnmatch(part, g) for part in PurePosixPath(rel).parts for g in globs)


def _choose_files(others: Mapping[str, bytes | int], provided: Mapping[str, bytes], limits: Limits,
                  out: Intake) -> tuple[list[str], list[str]]:
    """Put the usable files in `out.files`; return the others, each with why it is not used,
    and the assignment's own files the student handed in changed (the assignment's are used)."""
    unused: list[str] = []
    changed: list[str] = []
    folders = {str(q) for p in provided for q in PurePosixPath(p).parents}  # of the assignment's files
    for rel, data in sorted(others.items()):
        parts = PurePosixPath(rel).parts
        if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
            unused.append(f"{rel} (outside the submission's folder)")
        elif rel in provided:
            if data != provided[rel]:  # handed back as given: nothing to say
                changed.append(rel)
        elif rel in folders or any(str(q) in provided for q in PurePosixPath(rel).parents):
            unused.append(f"{rel} (in the way of the assignment's own files)")
        elif (len(parts) == 1 and parts[0] in STARTUP_FILES) or parts[0] in STARTUP_FOLDERS:
            unused.append(f"{rel} (would run as the kernel starts)")
        elif isinstance(data, int):
            unused.append(f"{rel} (too large: {size(data)})")
        else:
            out.files[rel] = data
    total = sum(len(d) for d in [*out.files.values(), *provided.values()])
    if out.files and total > limits.disk_bytes:  # they would not fit in the notebook's folder
        unused.append(f"{', '.join(sorted(out.files))} ({size(total)} with the assignment's files; "
                      f"the disk limit is {size(limits.disk_bytes)})")
        out.files.clear()
    return unused, changed
