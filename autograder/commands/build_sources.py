"""`build-sources`: build the kit's assignments into nbgrader's source layout, to read them.

`release`, `grade` and `report` build the assignment they are asked for themselves; this
writes every one (or those named) for a lecturer who wants to look at the instructor notebooks."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.errors import CourseError
from exercises.assignments import SOURCE_DIR


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="only these (default: all)")
    p.add_argument("--out", type=Path, default=SOURCE_DIR,
                   help="folder to write OUT/<assignment>/ into (default: %(default)s)")


def main(args) -> int:
    from exercises.assignments.build import AssignmentSourceError, build_sources

    try:
        written = build_sources(args.out, names=args.assignments or None)
    except AssignmentSourceError as e:
        raise CourseError(f"error: {e}") from None
    for p in written:
        print(p)
    return 0
