"""`report`: how the class did, per question and per provision."""

from __future__ import annotations


def main(args) -> int:
    from autograder.grading import default_db
    from autograder.steps.report import write

    folder = write(args.db or default_db(args.out), args.assignment, args.out, args.source)
    print(f"report: {folder / 'report.html'}")
    return 0
