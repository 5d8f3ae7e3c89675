"""`release`: the student notebooks, without solutions or hidden tests."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder import config
from autograder.paths import assignment_source


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("assignment", help="assignment name, e.g. compensation")
    p.add_argument("--out", type=Path, required=True, help="folder to write OUT/ASSIGNMENT/*.ipynb into")
    p.add_argument("--roster", type=Path, help="CSV with a student_id column: one folder per student, "
                                               "each with that student's own facts")


def main(args) -> int:
    from autograder.course import release

    source = assignment_source(args.assignment, args.source)
    written = release(args.assignment, args.out, roster=args.roster, seed=args.seed,
                      settings=config.settings(), source=source)
    print(f"released {len(written)} notebook(s) under {args.out}")
    return 0
