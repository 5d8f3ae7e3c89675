"""`grades`: totals per student and assignment, one table for the whole course."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True, help="the course folder given to grade")
    p.add_argument("--db", metavar="URL")


def main(args) -> int:
    from autograder.grading import default_db
    from autograder.lms.totals import export

    print(f"grades: {export(args.db or default_db(args.out), args.out)}")
    return 0
