"""The assignment a job is graded against, unpacked from the job's template once per process.

Every job carries the template (`autograder.course.template_zip`): the assignment's files, its
released notebooks and what the gradebook keeps of each. A warm worker unpacks and parses it
for its first submission and reuses it for the others of the batch; the unpacked folder holds
the hidden tests, so it goes with the process.
"""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.process import HeldUntilExit

if TYPE_CHECKING:
    from autograder.job import GradingJob

TEMPLATE_PREFIX = "autograder-template-"


@dataclass
class Assignment:
    folder: Path  # the template, unpacked
    source: Path  # its source/<assignment>/: the assignment's files
    names: list[str]  # notebook stems, e.g. ["protection"]
    released: dict[str, Any]  # stem -> student notebook as released
    stored: dict[str, dict]  # stem -> the gradebook's cells and the kernel (autograder.course.stored_notebooks)
    files: dict[str, bytes]  # the assignment's other files, by path (subfolders too): put beside the notebook

    @functools.cached_property
    def normalise(self):
        """The course's own reading of an answer, for marking outside the kernel."""
        from autograder.steps.mark import course_normaliser

        if "assignment.json" not in self.files:
            raise FileNotFoundError("assignment.json is missing from the assignment's source folder: "
                                    "build the assignment again (python -m autograder build-sources)")
        return course_normaliser(self.source / "assignment.json")


def sweep_templates() -> list[Path]:
    """Remove instructor notebooks unpacked by grading processes that no longer exist (a
    worker killed with SIGKILL skips every clean-up). Returns what was removed."""
    removed = []
    for d in Path(tempfile.gettempdir()).glob(f"{TEMPLATE_PREFIX}*"):
        try:
            pid = int(d.name[len(TEMPLATE_PREFIX):].split("-")[0])
            if d.stat().st_uid != os.geteuid():
                continue
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
        except (ValueError, OSError):  # not ours, or its process is alive
            continue
    return removed


class AssignmentCache(HeldUntilExit):
    """The templates this process has unpacked, by template key."""

    def __init__(self) -> None:
        self._unpacked: dict[str, Assignment] = {}

    def get(self, job: GradingJob) -> Assignment:
        """The job's assignment, unpacked now unless this process has it already."""
        import nbformat

        from autograder.course import STORED

        key = job.template_key
        a = self._unpacked.get(key)
        if a is None or not a.folder.exists():
            sweep_templates()
            folder = Path(tempfile.mkdtemp(prefix=f"{TEMPLATE_PREFIX}{os.getpid()}-{key}-"))
            with zipfile.ZipFile(io.BytesIO(job.template)) as z:
                z.extractall(folder)
            stored = json.loads((folder / STORED).read_text(encoding="utf-8"))
            src = folder / "source" / job.assignment
            a = Assignment(folder, src, sorted(stored),
                           {n: nbformat.read(folder / "release" / job.assignment / f"{n}.ipynb", as_version=4)
                            for n in stored},
                           stored,
                           {p.relative_to(src).as_posix(): p.read_bytes() for p in sorted(src.rglob("*"))
                            if p.is_file()} if src.is_dir() else {})
            self._unpacked[key] = a
            self.hold()
        return a

    def end(self) -> None:
        """Remove the unpacked templates (the gradebook's cells hold the hidden tests)."""
        for a in self._unpacked.values():
            shutil.rmtree(a.folder, ignore_errors=True)
        self._unpacked.clear()
