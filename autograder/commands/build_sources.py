"""`build-sources`: render the assignment sources into nbgrader's source layout."""

from __future__ import annotations


def main(args) -> int:
    from exercises.assignments import build_sources

    for p in build_sources(args.source):
        print(p)
    return 0
