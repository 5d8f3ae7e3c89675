"""Grade one submission with nbgrader's own Autograde and GenerateFeedback, in isolation.

Each job runs in a throw-away course of its own (a copy of the assignment's template
gradebook, the source folder, this one submission), so any number of jobs can run at once
in separate processes or on Dask workers: nbgrader changes the working directory and writes
to its SQLite gradebook, neither of which is safe to share. The job carries everything it
needs as plain data, and the result comes back as plain data; only the parent writes to the
course's real gradebook (`autograder.gradebook.merge`).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


@dataclass
class GradingJob:
    assignment: str
    student_id: str
    files: dict[str, bytes]  # path relative to the submission folder -> content
    template: bytes  # zip of the template course: gradebook.db + source/<assignment>/
    settings: dict[str, dict[str, Any]]
    facts: dict[str, Any] | None = None  # the student's variant facts, if the assignment has them
    hand_grades: dict[str, dict[str, Any]] = field(default_factory=dict)  # "nb/grade_id" -> values
    hand_comments: dict[str, str] = field(default_factory=dict)  # "nb/comment_id" -> comment

    @property
    def template_key(self) -> str:
        return hashlib.sha256(self.template).hexdigest()[:16]


@dataclass
class GradeRecord:
    notebook: str
    name: str
    auto_score: float | None
    max_score: float
    needs_manual_grade: bool


@dataclass
class GradingResult:
    assignment: str
    student_id: str
    grades: list[GradeRecord] = field(default_factory=list)
    comments: dict[str, str | None] = field(default_factory=dict)  # "nb/comment_id" -> auto comment
    autograded: dict[str, bytes] = field(default_factory=dict)
    feedback: dict[str, bytes] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    timestamp: str | None = None
    error: str | None = None
    log: list[str] = field(default_factory=list)


_templates: dict[str, Path] = {}  # per process: template key -> unpacked folder


def _template(job: GradingJob) -> Path:
    key = job.template_key
    if key not in _templates or not _templates[key].exists():
        folder = Path(tempfile.mkdtemp(prefix=f"autograder-template-{key}-"))
        with zipfile.ZipFile(io.BytesIO(job.template)) as z:
            z.extractall(folder)
        _templates[key] = folder
    return _templates[key]


def _kernel_env() -> None:
    # Hidden tests of variant questions import the course's own code (exercises/, protocol/).
    parts = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(REPO) not in parts:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(REPO), *parts])


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def grade_submission(job: GradingJob) -> GradingResult:
    """Autograde one student's submission and make its feedback; never raises."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    from autograder.config import to_config

    from autograder.paths import tools_on_path

    tools_on_path()
    _kernel_env()
    # nbgrader's own SQLAlchemy use warns on every submission; it is not ours to fix here.
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", message=".*not in session.*")
    result = GradingResult(job.assignment, job.student_id)
    template = _template(job)
    course = Path(tempfile.mkdtemp(prefix="autograder-course-"))
    logger = logging.getLogger("traitlets")
    capture = _Capture()
    logger.addHandler(capture)
    old_level, old_propagate = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        shutil.copy(template / "gradebook.db", course / "gradebook.db")
        db_url = f"sqlite:///{course / 'gradebook.db'}"
        submitted = course / "submitted" / job.student_id / job.assignment
        for rel, data in job.files.items():
            target = submitted / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        submitted.mkdir(parents=True, exist_ok=True)
        if job.facts is not None:
            # Written last: the grader's facts win over any variant.json the student sent.
            (submitted / "variant.json").write_text(
                json.dumps({"student": job.student_id, "facts": job.facts}, indent=1), encoding="utf-8")
        config = to_config(job.settings, root=str(course), db_url=db_url,
                           source_directory=str(template / "source"),
                           assignment_id=job.assignment, student_id=job.student_id)
        coursedir = CourseDirectory(config=config)
        try:
            Autograde(coursedir=coursedir, config=config).start()
        except Exception as e:  # nbgrader logs the cause; keep the first line that says it
            result.error = f"{type(e).__name__}: {e}".splitlines()[0]
        with Gradebook(db_url) as gb:
            try:
                submission = gb.find_submission(job.assignment, job.student_id)
            except MissingEntry:
                submission = None
            if submission is not None:
                result.timestamp = submission.timestamp.isoformat() if submission.timestamp else None
                for nb in submission.notebooks:
                    for g in nb.grades:
                        hand = job.hand_grades.get(f"{nb.name}/{g.name}")
                        if hand:  # the lecturer's hand grade shows in the feedback
                            g.manual_score = hand.get("manual_score")
                            g.extra_credit = hand.get("extra_credit")
                        result.grades.append(GradeRecord(nb.name, g.name, g.auto_score, g.max_score,
                                                         bool(g.needs_manual_grade)))
                    for cm in nb.comments:
                        result.comments[f"{nb.name}/{cm.name}"] = cm.auto_comment
                        if f"{nb.name}/{cm.name}" in job.hand_comments:
                            cm.manual_comment = job.hand_comments[f"{nb.name}/{cm.name}"]
                gb.db.commit()
                source_nbs = {p.stem for p in (template / "source" / job.assignment).glob("*.ipynb")}
                result.missing = sorted(f"{n}.ipynb" for n in source_nbs
                                        if not (submitted / f"{n}.ipynb").exists())
        autograded = course / "autograded" / job.student_id / job.assignment
        if result.error is None and autograded.is_dir():
            for p in sorted(autograded.rglob("*")):
                if p.is_file():
                    result.autograded[str(p.relative_to(autograded))] = p.read_bytes()
            try:
                GenerateFeedback(coursedir=coursedir, config=config).start()
            except Exception as e:
                result.error = f"feedback failed: {type(e).__name__}: {e}".splitlines()[0]
            feedback = course / "feedback" / job.student_id / job.assignment
            for p in sorted(feedback.glob("*.html")):
                result.feedback[p.name] = p.read_bytes()
    except Exception as e:  # a broken job must not stop the batch
        result.error = f"{type(e).__name__}: {e}".splitlines()[0]
    finally:
        logger.removeHandler(capture)
        logger.setLevel(old_level)
        logger.propagate = old_propagate
        result.log = capture.lines[-20:]
        shutil.rmtree(course, ignore_errors=True)
    return result
