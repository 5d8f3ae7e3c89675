"""The question bank: one YAML file per item under this folder.

    from exercises.bank import load_bank
    items = load_bank()                 # every item, validated; BankError if any problem
    graded = load_bank(use="graded")    # only items reserved for graded work

Layout: ``exercises/bank/<page>/<id>.yaml`` for the course's items (``<page>`` is the key-issue
page the answer rests on), ``exercises/bank/graded/**/<id>.yaml`` for graded items added by the
graded-exercises work. ``templates/`` holds scenario templates, not items. See README.md.
"""

from __future__ import annotations

from pathlib import Path

from exercises.checks import check_item, check_unique_ids
from exercises.items import Item, from_dict
from exercises.problems import BankError, Problem
from exercises.schema import validate
from exercises.sources import SourceError, read

BANK_DIR = Path(__file__).resolve().parent
TEMPLATES = "templates"

__all__ = ["BANK_DIR", "BankError", "Problem", "check_bank", "item_files", "load_bank"]


def item_files(root: Path | None = None) -> list[Path]:
    root = Path(root) if root else BANK_DIR
    files = [p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
    return sorted(p for p in files if TEMPLATES not in p.relative_to(root).parts[:1])


def check_bank(root: Path | None = None, progress=None) -> tuple[list[Item], list[Problem]]:
    """Read and check every item file; return the valid items and every problem found."""
    files = item_files(root)
    if progress:
        files = progress(files)
    found, problems = [], []
    for path in files:
        try:
            src = read(path)
        except SourceError as e:
            problems.append(Problem(e.path, e.line, e.message))
            continue
        schema_problems = validate(src)
        if schema_problems:
            problems += schema_problems
            continue
        item = from_dict(src.data, path=path, line=src.line_of(("id",)))
        problems += check_item(item, src)
        found.append((item, src))
    problems += check_unique_ids(found)
    if not files:
        problems.append(Problem(Path(root or BANK_DIR), 1, "no item files (*.yaml) found in the bank"))
    return [item for item, _ in found], sorted(set(problems))


def load_bank(root: Path | None = None, *, use: str | None = None) -> list[Item]:
    """All items of the bank (or only those with `use`), sorted by id; BankError on any problem."""
    items, problems = check_bank(root)
    if problems:
        raise BankError(problems)
    if use is not None:
        items = [i for i in items if i.use == use]
    return sorted(items, key=lambda i: i.id)
