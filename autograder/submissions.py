"""Finding submissions in nbgrader's layout, DIR/<student_id>/<assignment>/*.ipynb."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from autograder.errors import CourseError

SKIP = {".ipynb_checkpoints", "__pycache__"}


@dataclass
class Submission:
    student_id: str
    assignment: str
    folder: Path
    notes: list[str] = field(default_factory=list)  # said in the status column

    def files(self, max_bytes: int | None = None) -> dict[str, bytes | int]:
        """Path -> content; a file larger than max_bytes is not read: its size stands in."""
        out: dict[str, bytes | int] = {}
        for p in sorted(self.folder.rglob("*")):
            if p.is_symlink():  # a link could point at anything on the grader's disk
                out[str(p.relative_to(self.folder))] = b""
                continue
            if p.is_file() and not SKIP & set(p.relative_to(self.folder).parts):
                n = p.stat().st_size
                out[str(p.relative_to(self.folder))] = n if max_bytes is not None and n > max_bytes else p.read_bytes()
        return out

    def facts_made_for(self) -> str | None:
        """Whose facts the notebook was released with (its metadata), if it says."""
        from exercises.graded.metadata import read

        for p in sorted(self.folder.glob("*.ipynb")):
            try:
                data = json.loads(p.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                continue
            info = read.notebook_of_student(data.get("metadata") if isinstance(data, dict) else None)
            if info is not None and info.facts_student:
                return info.facts_student
        return None


def find(submissions: Path, assignment: str) -> list[Submission]:
    if not submissions.is_dir():
        raise CourseError(f"{submissions}: no such folder; give the folder that holds one folder per "
                          f"student ({submissions}/<student_id>/{assignment}/*.ipynb) or an LMS zip")
    found = [Submission(d.parent.name, assignment, d)
             for d in sorted(submissions.glob(f"*/{assignment}")) if d.is_dir()]
    if not found:
        raise CourseError(f"{submissions}: no submissions of {assignment!r} found; expected "
                          f"{submissions}/<student_id>/{assignment}/*.ipynb (nbgrader's layout)")
    return found
