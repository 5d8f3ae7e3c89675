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
    template: bytes  # zip of the assignment's files, released notebooks and gradebook cells (course.template_zip)
    settings: dict[str, dict[str, Any]]
    facts: dict[str, Any] | None = None  # the student's variant facts, if the assignment has them
    # notebook -> grade id -> {"question", "answer", "tolerance"}: marked here, never in the kernel
    key: dict[str, dict[str, dict]] = field(default_factory=dict)
    hand_grades: dict[str, dict[str, Any]] = field(default_factory=dict)  # "nb/grade_id" -> values
    hand_comments: dict[str, str] = field(default_factory=dict)  # "nb/comment_id" -> comment
    limits: dict[str, int] = field(default_factory=dict)  # autograder.isolation.limits.Limits fields
    sandbox: str = "bwrap"  # chosen by the lecturer's process; a worker that cannot have it refuses
    spare_kernel: bool = True  # start the next submission's kernel ahead (not on Dask workers)
    in_place: bool = True  # a single notebook under another name is graded in place of a missing one

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


TEMPLATE_PREFIX = "autograder-template-"
GRADER_FILES = frozenset({"variant.json", "timestamp.txt"})  # the grader writes or reads these itself


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

    from autograder.course import STORED

    key = job.template_key
    a = _assignments.get(key)
    if a is None or not a.folder.exists():
        sweep_templates()
        folder = Path(tempfile.mkdtemp(prefix=f"{TEMPLATE_PREFIX}{os.getpid()}-{key}-"))
        with zipfile.ZipFile(io.BytesIO(job.template)) as z:
            z.extractall(folder)
        stored = json.loads((folder / STORED).read_text(encoding="utf-8"))
        src = folder / "source" / job.assignment
        a = _Assignment(folder, src, sorted(stored),
                        {n: nbformat.read(folder / "release" / job.assignment / f"{n}.ipynb", as_version=4)
                         for n in stored},
                        stored,
                        {p.relative_to(src).as_posix(): p.read_bytes() for p in sorted(src.rglob("*"))
                         if p.is_file()} if src.is_dir() else {})
        _assignments[key] = a
        _install_cleanup()
    return a


_spare: dict[str, tuple] = {}  # per process: (limits, sandbox kind, kernel) -> (Sandbox, kernel manager) started ahead


def _take_spare(limits, kind: str | None, kernel):
    """The kernel started for the next submission, if it is the one needed and still alive;
    else a new sandbox."""
    from autograder.isolation.sandbox import Sandbox

    spare = _spare.pop(repr((limits, kind, kernel)), None)
    if spare is not None:
        sandbox, km = spare
        if km.provisioner is not None and km.provisioner.process is not None \
                and km.provisioner.process.poll() is None:
            return sandbox, km
        sandbox.end()
    return Sandbox(limits, kind), None


def start_spare(limits, sandbox: str | None = None) -> None:
    """Start a kernel for the next submission graded in this process (see _take_spare)."""
    from autograder.steps.execute import Kernel

    _start_spare(limits, sandbox, Kernel())


def _start_spare(limits, kind: str | None, kernel) -> None:
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
        _spare[repr((limits, kind, kernel))] = (sandbox, start_kernel(sandbox, kernel))
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
    for a in _assignments.values():  # the unpacked templates (hidden tests in the gradebook's cells)
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


def _zero(result: GradingResult, name: str, released) -> None:
    """A notebook that could not be graded, or is missing: every grade and task cell scores
    zero and waits for no one (as nbgrader's Autograde scores a missing notebook)."""
    for cell in released.cells:
        nbg = cell.metadata.get("nbgrader", {})
        if nbg.get("grade") or nbg.get("task"):
            result.grades.append(GradeRecord(name, nbg["grade_id"], 0.0, float(nbg["points"]), False))


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _execute(job: GradingJob, a: _Assignment, name: str, graded, limits, theirs: dict[str, bytes]):
    """Run the restored notebook in a sandbox of its own, beside the student's files and the
    assignment's, in nbgrader's order (Autograde.init_assignment): the student's first, then the
    assignment's over them, except those the course's Autograde.exclude_overwriting leaves to
    the student."""
    from autograder.steps.execute import Kernel, SubmissionClient

    stored = a.stored[name]
    kernel = Kernel.of(stored["kernel"], stored.get("language"),
                       tuple(job.settings.get("Execute", {}).get("extra_arguments", ())))
    sandbox, km = _take_spare(limits, job.sandbox, kernel)
    try:
        _write(sandbox.work, theirs)
        _write(sandbox.work, _provided(job, a))
        if job.facts is not None:  # the grader's facts, never a variant.json the student sent
            (sandbox.work / "variant.json").write_text(
                json.dumps({"student": job.student_id, "facts": job.facts}, indent=1), encoding="utf-8")
        if sandbox.uid is not None:
            for root, dirs, files in os.walk(sandbox.work):
                for p in [*dirs, *files]:
                    os.chown(os.path.join(root, p), sandbox.uid, sandbox.uid)
        outcome = SubmissionClient(graded, sandbox, limits, name, km=km, kernel=kernel).run()
    finally:
        stray = sandbox.end()
        if job.spare_kernel:
            _start_spare(limits, job.sandbox, kernel)
    return outcome, stray


def _provided(job: GradingJob, a: _Assignment) -> dict[str, bytes]:
    """The assignment's files that go beside the notebook whatever the student sent."""
    excluded = {os.path.normpath(p) for p in
                job.settings.get("Autograde", {}).get("exclude_overwriting", {}).get(job.assignment, [])}
    return {rel: data for rel, data in a.files.items() if os.path.normpath(rel) not in excluded}


def _run(job: GradingJob, a: _Assignment, name: str, nb, limits, result: GradingResult,
         theirs: dict[str, bytes]) -> None:
    """One notebook through the steps after intake, in order (autograder/steps/__init__.py)."""
    import nbformat

    from autograder.steps import feedback, inert, mark, restore, score
    from exercises.graded import kinds

    add_missing = job.settings.get("OverwriteCells", {}).get("add_missing_cells", True)
    key = job.key.get(name, {})
    # A rubric whose criteria follow each student's facts: restored against the copy the student
    # was given, then shown as their facts raise it (the gradebook keeps the shared wording).
    released = kinds.rubric_shown(a.released[name], key)
    graded, findings = restore.restore(nb, released, a.stored[name]["cells"], add_missing=add_missing)
    kinds.show_rubric(graded, key)
    restore.clear_outputs(graded)
    result.problems += findings
    originals = mark.prepare(graded, key)
    outcome, stray = _execute(job, a, name, graded, limits, theirs)
    if stray:
        result.log.append(f"{stray} process(es) outlived the sandbox and were killed")
    result.problems += outcome.incidents
    given: dict[str, dict] = {}
    result.problems += mark.mark(graded, key, originals, a.normalise if key else None, given)
    result.answers.update({f"{name}/{q}": v for q, v in given.items()})
    score.drop_ignored_stderr(graded, job.settings.get("IgnorePattern", {}).get("pattern", ""))
    scored = score.score(graded, name, job.hand_grades, job.hand_comments)
    result.grades += scored.grades + score.not_found(a.released[name], graded, name)
    result.comments.update({f"{name}/{gid}": c for gid, c in scored.auto_comments.items()})
    result.notes += inert.make_inert(graded)  # after scoring: what is removed never changes points
    result.autograded[f"{name}.ipynb"] = nbformat.writes(graded).encode("utf-8")
    show = bool(job.settings.get("HideHiddenTests", {}).get("show_hidden_tests"))
    result.feedback[f"{name}.html"] = feedback.render(graded, notebook=name, assignment=job.assignment,
                                                      student=job.student_id, scores=scored.shown,
                                                      comments=scored.comments, show_hidden_tests=show,
                                                      delimiters=feedback.delimiters(job.settings),
                                                      pending=score.waiting(scored, name, job.hand_grades))


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
        found = intake.inspect(job.files, a.names, limits, provided=_provided(job, a), grader=GRADER_FILES,
                               ignore=tuple(job.settings.get("CourseDirectory", {}).get("ignore", ())),
                               in_place=job.in_place, folder=job.assignment)
        result.problems += found.problems
        result.notes += found.notes
        result.timestamp = _timestamp(job.files)
        for name in a.names:
            nb = found.notebooks.get(name)
            if nb is None:
                _zero(result, name, a.released[name])
                continue
            before = len(result.grades)
            try:
                _run(job, a, name, nb, limits, result, found.files)
            except Exception as e:  # a broken submission must not stop the batch
                del result.grades[before:]
                _zero(result, name, a.released[name])
                result.problems.append(f"could not grade {name}.ipynb ({type(e).__name__}: "
                                       f"{str(e).splitlines()[0][:100] if str(e) else ''})")
    except Exception as e:
        result.error = f"{type(e).__name__}: {e}".splitlines()[0]
    return result
