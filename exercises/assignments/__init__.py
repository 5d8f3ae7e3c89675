"""The graded assignments: MyST sources + bank items -> nbgrader source notebooks.

    from exercises.assignments import build_sources
    build_sources(Path("exercises/source"))   # -> the files written

``exercises/source/`` is committed; ``tests/autograder/test_sources.py`` fails when it is
stale (rebuild with ``python -m autograder build-sources``).
"""

from __future__ import annotations

from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parents[1] / "source"


def build_sources(out_dir: Path) -> list[Path]:
    """Render every assignment into ``out_dir/<assignment>/``; return the paths written."""
    from exercises.assignments.build import build_sources as _build

    return _build(Path(out_dir))


__all__ = ["SOURCE_DIR", "build_sources"]
