"""Grade one submission: read it, restore what was tampered with, run it in a sandbox
within its limits, score it by nbgrader's rules and render its feedback.

This is nbgrader's Autograde and GenerateFeedback taken apart, so that a worker process can
stay warm between submissions (one feedback exporter, templates compiled once, the
assignment's notebooks parsed once) and so that every step can fail into a status instead
of an exception: the job carries everything as plain data, the result comes back as plain
data, and only the parent writes to the course's gradebook (`autograder.steps.gradebook.Merger`).
Scores follow nbgrader's own `determine_grade`; restoring follows its OverwriteCells.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.steps.score import GradeRecord


@dataclass
class GradingJob:
    assignment: str
    student_id: str
    files: dict[str, bytes]  # path relative to the submission folder -> content
    template: bytes  # zip of source/<assignment>/ and release/<assignment>/ from the course
    settings: dict[str, dict[str, Any]]
    facts: dict[str, Any] | None = None  # the student's variant facts, if the assignment has them
    # notebook -> grade id -> {"question", "answer", "tolerance"}: marked here, never in the kernel
    key: dict[str, dict[str, dict]] = field(default_factory=dict)
    hand_grades: dict[str, dict[str, Any]] = field(default_factory=dict)  # "nb/grade_id" -> values
    hand_comments: dict[str, str] = field(default_factory=dict)  # "nb/comment_id" -> comment
    limits: dict[str, int] = field(default_factory=dict)  # autograder.isolation.limits.Limits fields
    sandbox: str = "bwrap"  # chosen by the lecturer's process; a worker that cannot have it refuses
    spare_kernel: bool = True  # start the next submission's kernel ahead (not on Dask workers)

    @property
    def template_key(self) -> str:
        return hashlib.sha256(self.template).hexdigest()[:16]


@dataclass
class GradingResult:
    assignment: str
    student_id: str
    grades: list[GradeRecord] = field(default_factory=list)
    comments: dict[str, str | None] = field(default_factory=dict)  # "nb/comment_id" -> auto comment
    autograded: dict[str, bytes] = field(default_factory=dict)
    feedback: dict[str, bytes] = field(default_factory=dict)
    timestamp: str | None = None
    error: str | None = None
    problems: list[str] = field(default_factory=list)  # the status: what went wrong, in order
    answers: dict[str, dict] = field(default_factory=dict)  # "nb/question" -> answer as marked, key, right
    notes: list[str] = field(default_factory=list)  # said after the status
    log: list[str] = field(default_factory=list)


@dataclass
class _Assignment:
    folder: Path
    names: list[str]  # notebook stems, e.g. ["protection"]
    source: dict[str, Any]  # stem -> instructor notebook
    released: dict[str, Any]  # stem -> student notebook as released
    helpers: list[Path]  # the student bundle (course_tools.py and its data) and the like, copied next to the notebook

    @functools.cached_property
    def normalise(self):
        """The course's own reading of an answer, for marking outside the kernel."""
        from autograder.steps.mark import course_normaliser

        data = next((h for h in self.helpers if h.name == "assignment.json"), None)
        if data is None:
            raise FileNotFoundError("assignment.json is missing from the assignment's source folder: "
                                    "build the assignment again (python -m autograder build-sources)")
        return course_normaliser(data)


TEMPLATE_PREFIX = "autograder-template-"


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


_assignments: dict[str, _Assignment] = {}  # per process: template key -> unpacked, parsed


def _assignment(job: GradingJob) -> _Assignment:
    import nbformat

    key = job.template_key
    a = _assignments.get(key)
    if a is None or not a.folder.exists():
        sweep_templates()
        folder = Path(tempfile.mkdtemp(prefix=f"{TEMPLATE_PREFIX}{os.getpid()}-{key}-"))
        with zipfile.ZipFile(io.BytesIO(job.template)) as z:
            z.extractall(folder)
        src = folder / "source" / job.assignment
        names = sorted(p.stem for p in src.glob("*.ipynb"))
        a = _Assignment(folder, names,
                        {n: nbformat.read(src / f"{n}.ipynb", as_version=4) for n in names},
                        {n: nbformat.read(folder / "release" / job.assignment / f"{n}.ipynb", as_version=4)
                         for n in names},
                        sorted(p for p in src.iterdir() if p.is_file() and p.suffix != ".ipynb"))
        _assignments[key] = a
        _install_cleanup()
    return a


_spare: dict[str, tuple] = {}  # per process: (limits, sandbox kind) -> (Sandbox, kernel) started ahead


def _take_spare(limits, kind: str | None):
    """The kernel started for the next submission, if it is still alive; else a new sandbox."""
    from autograder.isolation.sandbox import Sandbox

    spare = _spare.pop(repr((limits, kind)), None)
    if spare is not None:
        sandbox, km = spare
        if km.provisioner is not None and km.provisioner.process is not None \
                and km.provisioner.process.poll() is None:
            return sandbox, km
        sandbox.end()
    return Sandbox(limits, kind), None


def start_spare(limits, sandbox: str | None = None) -> None:
    """Start a kernel for the next submission graded in this process (see _take_spare)."""
    _start_spare(limits, sandbox)


def _start_spare(limits, kind: str | None) -> None:
    from autograder.isolation.sandbox import Sandbox
    from autograder.steps.execute import start_kernel

    if os.environ.get("AUTOGRADER_NO_SPARE_KERNEL"):
        return
    _install_cleanup()
    _end_spares()
    try:
        sandbox = Sandbox(limits, kind)
    except Exception:  # no sandbox here: the submission itself will say so
        return
    try:
        _spare[repr((limits, kind))] = (sandbox, start_kernel(sandbox))
    except Exception:
        sandbox.end()


def end_spares() -> None:
    """Stop the kernels started ahead (the serial executor calls this when a run ends)."""
    _end_spares()


def _end_spares() -> None:
    from autograder.steps.execute import stop_kernel

    for key in list(_spare):
        sandbox, km = _spare.pop(key)
        stop_kernel(km)
        sandbox.end()


def _at_exit() -> None:
    _end_spares()
    for a in _assignments.values():  # the unpacked instructor notebooks
        shutil.rmtree(a.folder, ignore_errors=True)
    _assignments.clear()


_cleanup_for: set[int] = set()  # pids that have registered the clean-up


def _install_cleanup() -> None:
    """Spare kernels and unpacked templates go with the process: atexit for plain processes, and multiprocessing's
    finalizers for pool workers (which leave through os._exit, skipping atexit). Registered
    in the process itself: a forked worker starts with an empty finalizer registry."""
    import atexit
    from multiprocessing import util

    if os.getpid() in _cleanup_for:
        return
    _cleanup_for.add(os.getpid())
    atexit.register(_at_exit)
    util.Finalize(None, _at_exit, exitpriority=10)


def _timestamp(files: dict) -> str | None:
    data = files.get("timestamp.txt")
    if not isinstance(data, bytes):
        return None
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(data.decode("utf-8").strip()).isoformat()
    except Exception:
        return None


def _zero(result: GradingResult, name: str, source) -> None:
    """A notebook that could not be graded: every grade cell scores zero."""
    for cell in source.cells:
        nbg = cell.metadata.get("nbgrader", {})
        if nbg.get("grade"):
            result.grades.append(GradeRecord(name, nbg["grade_id"], 0.0, float(nbg["points"]), False))


def _execute(job: GradingJob, a: _Assignment, name: str, graded, limits):
    """Run the restored notebook in a sandbox of its own, beside the assignment's files."""
    from autograder.steps.execute import SubmissionClient

    sandbox, km = _take_spare(limits, job.sandbox)
    try:
        for helper in a.helpers:
            shutil.copy(helper, sandbox.work / helper.name)
        if job.facts is not None:  # the grader's facts, never a variant.json the student sent
            (sandbox.work / "variant.json").write_text(
                json.dumps({"student": job.student_id, "facts": job.facts}, indent=1), encoding="utf-8")
        if sandbox.uid is not None:
            for p in sandbox.work.iterdir():
                os.chown(p, sandbox.uid, sandbox.uid)
        outcome = SubmissionClient(graded, sandbox, limits, name, km=km).run()
    finally:
        stray = sandbox.end()
        if job.spare_kernel:
            _start_spare(limits, job.sandbox)
    return outcome, stray


def _run(job: GradingJob, a: _Assignment, name: str, nb, limits, result: GradingResult) -> None:
    """One notebook through the steps after intake, in order (autograder/steps/__init__.py)."""
    import nbformat

    from autograder.steps import feedback, mark, restore, score

    graded, findings = restore.restore(nb, a.released[name], a.source[name])
    restore.clear_outputs(graded)
    result.problems += findings
    key = job.key.get(name, {})
    originals = mark.prepare(graded, key)
    outcome, stray = _execute(job, a, name, graded, limits)
    if stray:
        result.log.append(f"{stray} process(es) outlived the sandbox and were killed")
    result.problems += outcome.incidents
    given: dict[str, dict] = {}
    result.problems += mark.mark(graded, key, originals, a.normalise if key else None, given)
    result.answers.update({f"{name}/{q}": v for q, v in given.items()})
    scored = score.score(graded, name, job.hand_grades, job.hand_comments)
    result.grades += scored.grades
    result.comments.update({f"{name}/{gid}": c for gid, c in scored.auto_comments.items()})
    result.autograded[f"{name}.ipynb"] = nbformat.writes(graded).encode("utf-8")
    show = bool(job.settings.get("HideHiddenTests", {}).get("show_hidden_tests"))
    result.feedback[f"{name}.html"] = feedback.render(graded, notebook=name, assignment=job.assignment,
                                                      student=job.student_id, scores=scored.shown,
                                                      comments=scored.comments, show_hidden_tests=show)


def grade_submission(job: GradingJob) -> GradingResult:
    """Grade one student's submission and make its feedback; never raises."""
    from autograder.isolation.limits import Limits
    from autograder.steps import intake

    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", module="nbformat")
    result = GradingResult(job.assignment, job.student_id)
    limits = Limits(**job.limits)
    try:
        a = _assignment(job)
        given = frozenset([h.name for h in a.helpers] + ["variant.json", "timestamp.txt"])
        found = intake.inspect(job.files, a.names, limits, released=given)
        result.problems += found.problems
        result.notes += found.notes
        result.timestamp = _timestamp(job.files)
        for name in a.names:
            nb = found.notebooks.get(name)
            if nb is None:
                _zero(result, name, a.source[name])
                continue
            before = len(result.grades)
            try:
                _run(job, a, name, nb, limits, result)
            except Exception as e:  # a broken submission must not stop the batch
                del result.grades[before:]
                _zero(result, name, a.source[name])
                result.problems.append(f"could not grade {name}.ipynb ({type(e).__name__}: "
                                       f"{str(e).splitlines()[0][:100] if str(e) else ''})")
    except Exception as e:
        result.error = f"{type(e).__name__}: {e}".splitlines()[0]
    return result
