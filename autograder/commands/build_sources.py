"""`build-sources`: build the kit's assignments into nbgrader's source layout, to read them.

`release`, `grade` and `report` build the assignment they are asked for themselves; this
writes every one (or those named) for a lecturer who wants to look at the instructor notebooks."""

from __future__ import annotations

from autograder.errors import CourseError


def main(args) -> int:
    from exercises.assignments.build import AssignmentSourceError, build_sources

    try:
        written = build_sources(args.out, names=args.assignments or None)
    except AssignmentSourceError as e:
        raise CourseError(f"error: {e}") from None
    for p in written:
        print(p)
    return 0
