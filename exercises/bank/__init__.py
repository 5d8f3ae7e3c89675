"""The question bank: one YAML file per item under this folder.

    from exercises.bank import load_bank
    items = load_bank()                     # every item, validated; BankError if any problem
    public = load_bank(use="self-check")    # public items: the graded folder is not read at all
    graded = load_bank(use="graded")        # only items reserved for graded work

Layout: ``exercises/bank/<page>/<id>.yaml`` for the public items (``<page>`` is the key-issue
page the answer rests on); every ``use: graded`` item, an answer key, is in the graded folder,
``graded_dir()``: ``exercises/bank/graded/`` or the folder named by COURSE_GRADED_BANK.
``templates/`` holds scenario templates, not items. See README.md.

Loading sits above what it reads with: the folders (``exercises.paths``, which reads no item)
and the checks (``exercises.checks``); only the commands and builders sit above it.
"""

from __future__ import annotations

import os
from pathlib import Path

from exercises.checks import check_folder, check_item, check_unique_ids
from exercises.items import GRADED, SELF_CHECK, Item, from_dict
from exercises.paths import BANK_DIR, GRADED_ENV, graded_dir, graded_files, item_files, public_files
from exercises.problems import BankError, Problem
from exercises.sources import SourceError, read

# The folders' names are exercises.paths', also exported here, where the bank's readers look for them.
__all__ = ["BANK_DIR", "GRADED_ENV", "BankError", "Problem", "check_bank", "graded_dir", "graded_files",
           "item_files", "load_bank", "public_files"]


_USES = (SELF_CHECK, GRADED)


def check_bank(root: Path | None = None, progress=None, *,
               use: str | None = None) -> tuple[list[Item], list[Problem]]:
    """Read and check the item files (all, or only the folders that hold `use`); return the
    valid items and every problem found. Never raises for a problem in the bank."""
    # Imported here, not above: the schema checker (jsonschema) takes seconds to import, and
    # only reading item files needs it.
    from exercises.schema import validate

    if use is not None and use not in _USES:
        raise ValueError(f"use={use!r}: the bank's uses are {', '.join(_USES)}")
    bank, graded = Path(root or BANK_DIR), graded_dir(root)
    problems: list[Problem] = []
    files = []
    if use != GRADED:
        public = public_files(root)
        if not public:
            problems.append(Problem(bank, 1, "no item files (*.yaml) found in the bank"))
        files += [(p, False) for p in public]
    if use != SELF_CHECK:
        if os.environ.get(GRADED_ENV) and not graded.is_dir():
            # Set on purpose: an empty graded bank from a mistyped path would go unnoticed.
            problems.append(Problem(graded, 1, f"{GRADED_ENV} names {graded}, which is not a folder: "
                                               "point it at the folder of your graded items, or unset it"))
        files += [(p, True) for p in graded_files(root)]
    if progress:
        files = progress(files)
    found = []
    for path, in_graded in files:
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
        problems += check_folder(item, src, in_graded, bank, graded)
        found.append((item, src))
    problems += check_unique_ids(found)
    return [item for item, _ in found], sorted(set(problems))


def load_bank(root: Path | None = None, *, use: str | None = None) -> list[Item]:
    """The items of the bank (or only those with `use`), sorted by id; BankError on any problem.

    `use="self-check"` reads the public folders only, `use="graded"` the graded folder only;
    without the graded folder there are simply no graded items."""
    items, problems = check_bank(root, use=use)
    if problems:
        raise BankError(problems)
    return sorted(items, key=lambda i: i.id)
