"""`release`: the student notebooks, without solutions or hidden tests."""

from __future__ import annotations

from autograder import config
from autograder.paths import assignment_source


def main(args) -> int:
    from autograder.course import release

    source = assignment_source(args.assignment, args.source)
    written = release(args.assignment, args.out, roster=args.roster, seed=args.seed,
                      settings=config.settings(), source=source)
    print(f"released {len(written)} notebook(s) under {args.out}")
    return 0
