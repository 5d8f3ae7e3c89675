"""The graded assignments: MyST sources (this folder's ``*.md``) + the bank's graded items ->
nbgrader's source layout.

    from exercises.assignments.build import build_sources
    build_sources()                          # every assignment, into SOURCE_DIR
    build_sources(names=["capstone"])        # one

Built sources are outputs, never kept in the repository: ``python -m autograder
release|grade|report NAME`` builds the kit's assignment NAME when it needs it, the same bytes
each time, and ``python -m autograder build-sources`` writes them all for a lecturer to read.
"""

from __future__ import annotations

from pathlib import Path

ASSIGNMENTS_DIR = Path(__file__).resolve().parent  # the sources: <name>.md
# Where the kit's nbgrader sources are built: SOURCE_DIR/<name>/<name>.ipynb and its bundle.
# Under _build/, which git ignores. Instructor versions: never give these to students.
SOURCE_DIR = ASSIGNMENTS_DIR.parents[1] / "_build" / "assignments" / "source"

__all__ = ["ASSIGNMENTS_DIR", "SOURCE_DIR"]
