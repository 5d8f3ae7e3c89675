"""Where the course's files are."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "exercises" / "source"


def source_notebooks(assignment: str, source: Path = SOURCE) -> list[Path]:
    folder = source / assignment
    if not folder.is_dir():
        known = ", ".join(sorted(p.name for p in source.iterdir() if p.is_dir())) if source.is_dir() else "none"
        raise SystemExit(f"no assignment {assignment!r} in {source} (assignments: {known})")
    return sorted(folder.glob("*.ipynb"))


def tools_on_path() -> None:
    """nbgrader runs `alembic` by name when it creates a gradebook: make this Python's
    scripts folder (the venv's bin/) findable even when the venv is not activated."""
    import os
    import sys

    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])
