"""Where the course's files are, and which nbgrader source folder an assignment is graded from."""

from pathlib import Path

from autograder.errors import CourseError

REPO = Path(__file__).resolve().parents[1]


def source_notebooks(assignment: str, source: Path) -> list[Path]:
    folder = source / assignment
    if not folder.is_dir():
        known = ", ".join(sorted(p.name for p in source.iterdir() if p.is_dir())) if source.is_dir() else "none"
        raise CourseError(f"no assignment {assignment!r} in {source} (assignments: {known})")
    return sorted(folder.glob("*.ipynb"))


def assignment_source(assignment: str, source: Path | None = None) -> Path:
    """The nbgrader source folder that holds `assignment`. `source` (``--source DIR``) is a
    folder of nbgrader assignments a lecturer keeps, used as it is; without it, the kit's own
    assignment, built now from exercises/assignments/ and the bank (the same bytes every time,
    so a release and its grading agree)."""
    if source is not None:
        source_notebooks(assignment, source)
        return source
    from exercises.assignments import SOURCE_DIR
    from exercises.assignments.build import AssignmentSourceError, build_sources

    try:
        build_sources(SOURCE_DIR, names=[assignment])
    except AssignmentSourceError as e:
        raise CourseError(str(e)) from None
    return SOURCE_DIR


def tools_on_path() -> None:
    """nbgrader's own Gradebook() runs `alembic` by name when it creates a gradebook (the kit's
    `open_gradebook` does not need it): make this Python's scripts folder (the venv's bin/)
    findable even when the venv is not activated."""
    import os
    import sys

    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])
