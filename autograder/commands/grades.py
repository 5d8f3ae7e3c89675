"""`grades`: totals per student and assignment, one table for the whole course."""

from __future__ import annotations


def main(args) -> int:
    from autograder.grading import default_db
    from autograder.lms.totals import export

    print(f"grades: {export(args.db or default_db(args.out), args.out)}")
    return 0
