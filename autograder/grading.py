"""`grade`: from a folder (or LMS zip) of submissions to gradebook, grades.csv and feedback."""

from __future__ import annotations

import csv
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from autograder import course, gradebook, submissions
from autograder.executors import make_executor
from autograder.paths import SOURCE
from autograder.worker import GradingJob, grade_submission


@dataclass
class GradeRun:
    rows: list[dict]
    csv: Path
    executor: str


def default_db(out: Path) -> str:
    return f"sqlite:///{(out / 'gradebook.db').resolve()}"


def _facts(sub: submissions.Submission, template: str | None, seed: str):
    """The facts to grade against: the student's own, or the shared ones if that is what
    the notebook was released with (self-study copy, or released without a roster)."""
    if template is None:
        return None
    from exercises.assignments import variants

    made_for = sub.variant_made_for()
    if made_for == variants.COMMON:
        return variants.facts(template, variants.COMMON)
    if made_for and made_for != sub.student_id:
        sub.notes.append(f"notebook was released for {made_for}: graded on {sub.student_id}'s own facts")
    return variants.facts(template, sub.student_id, seed)


def grade(assignment: str, subs: list[submissions.Submission], out: Path, *, db_url: str | None = None,
          jobs: int | None = None, dask_scheduler: str | None = None, seed: str = "0",
          settings: dict, progress: bool = True, source: Path = SOURCE) -> GradeRun:
    out = out.resolve()
    db_url = db_url or default_db(out)
    course.prepare_course(assignment, out, db_url, settings, source)
    template = course.template_zip(assignment, settings, source)
    variant_template = course.variant_template(assignment, source)

    work = []
    for sub in subs:
        grades, comments = gradebook.hand_grades(db_url, assignment, sub.student_id)
        work.append(GradingJob(assignment, sub.student_id, sub.files(), template, settings,
                               facts=_facts(sub, variant_template, seed),
                               hand_grades=grades, hand_comments=comments))
        dest = out / "submitted" / sub.student_id / assignment
        if dest.resolve() != sub.folder.resolve():
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(sub.folder, dest)

    executor = make_executor(jobs, dask_scheduler)
    errors: dict[str, str] = {}
    notes = {s.student_id: list(s.notes) for s in subs}
    bar = tqdm(total=len(work), desc=f"grading {assignment}", unit="submission",
               disable=not progress, file=sys.stderr)
    try:
        for result in executor.map_unordered(grade_submission, work):
            gradebook.merge(db_url, result)
            _write_outputs(out, result)
            if result.error:
                errors[result.student_id] = f"error: {result.error}"
            if result.missing:
                notes[result.student_id].append("missing " + ", ".join(result.missing))
            bar.update()
    finally:
        bar.close()
        executor.close()

    rows = gradebook.rows(db_url, assignment, notes, errors)
    path = out / "grades.csv"
    _merge_csv(path, assignment, rows)
    return GradeRun(rows, path, executor.name)


def _write_outputs(out: Path, result) -> None:
    for kind, files in (("autograded", result.autograded), ("feedback", result.feedback)):
        if not files:
            continue
        folder = out / kind / result.student_id / result.assignment
        if folder.exists():
            shutil.rmtree(folder)
        for rel, data in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)


def _merge_csv(path: Path, assignment: str, rows: list[dict]) -> None:
    """grades.csv keeps other assignments' rows; this assignment's rows are replaced."""
    kept = []
    if path.exists():
        with open(path, newline="", encoding="utf-8") as f:
            kept = [r for r in csv.DictReader(f) if r.get("assignment") != assignment]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=gradebook.COLUMNS)
        w.writeheader()
        for r in sorted(kept + rows, key=lambda r: (r["assignment"], r["student_id"])):
            w.writerow({k: r.get(k, "") for k in gradebook.COLUMNS})
