"""Where the question bank's folders are: the public page folders, the graded folder (the answer
keys) and the scenario templates. The folder is the secrecy boundary, and it is drawn here only.

    from exercises.paths import BANK_DIR, graded_dir, public_files
    public_files()    # the page folders' item files: the graded folder is never looked in
    graded_dir()      # exercises/bank/graded/, or the folder named by COURSE_GRADED_BANK

The bottom layer of exercises/ (standard library only): what reads the bank's files imports this, and
``exercises.bank``, which loads and checks every item, sits on top of it. Not a module of
``exercises.bank`` on purpose: importing one runs that package's ``__init__``, the loader,
which imports everything else.
"""

from __future__ import annotations

import os
from pathlib import Path

BANK_DIR = Path(__file__).resolve().parent / "bank"
TEMPLATES = "templates"
GRADED_FOLDER = "graded"
GRADED_ENV = "COURSE_GRADED_BANK"

__all__ = ["BANK_DIR", "GRADED_ENV", "GRADED_FOLDER", "TEMPLATES", "graded_dir", "graded_files", "item_files",
           "public_files"]


def graded_dir(root: Path | None = None) -> Path:
    """The folder of the graded items (the answer keys): $COURSE_GRADED_BANK when set, so a
    lecturer can keep them outside the repository, else `root`/graded (`root`: the bank folder,
    exercises/bank/ by default). The folder may not exist: then there are no graded items.

    Every reader of graded items finds them here."""
    env = os.environ.get(GRADED_ENV)
    if env:
        return Path(env).expanduser()
    return Path(root or BANK_DIR) / GRADED_FOLDER


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def public_files(root: Path | None = None) -> list[Path]:
    """Item files of the public page folders. Never looks inside the graded folder (nor inside
    `root`/graded when COURSE_GRADED_BANK points elsewhere: that copy is then not the course's)."""
    root = Path(root or BANK_DIR)
    skip = (TEMPLATES, GRADED_FOLDER)
    return [p for p in _yaml_files(root) if p.relative_to(root).parts[0] not in skip]


def graded_files(root: Path | None = None) -> list[Path]:
    """Item files of the graded folder; none when it is absent."""
    folder = graded_dir(root)
    return _yaml_files(folder) if folder.is_dir() else []


def item_files(root: Path | None = None) -> list[Path]:
    """Every item file: the public folders', then the graded folder's."""
    return public_files(root) + graded_files(root)
