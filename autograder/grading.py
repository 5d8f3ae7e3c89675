"""The batch: every submission of an assignment through the steps (autograder/steps/), in parallel;
then the gradebook, grades.csv, answers.csv and the feedback folder."""

from __future__ import annotations

import csv
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from autograder import course, submissions
from autograder.executors import make_executor
from autograder.isolation.limits import Limits
from autograder.job import GradingJob, GradingResult
from autograder.paths import assignment_source, source_notebooks
from autograder.settings import GradingSettings
from autograder.steps import gradebook
from autograder.worker import grade_submission
from exercises import spreadsheet


@dataclass
class GradeRun:
    rows: list[dict]
    csv: Path
    executor: str


def default_db(out: Path) -> str:
    return f"sqlite:///{(out / 'gradebook.db').resolve()}"



class FactsUnknown(ValueError):
    """Whose facts to grade a submission on cannot be told from what the lecturer gave."""


def _shown(made_for: str | None) -> str:
    from exercises.assignments import student_facts

    return "the shared facts" if made_for in (None, student_facts.COMMON) else f"{made_for}'s facts"


def facts_for(student_id: str, made_for: str | None, template: str | None, seed: str,
              roster: set[str] | None, shared_facts: bool = False) -> tuple[dict | None, str | None]:
    """The facts to grade a student on, and a note when their notebook showed other facts.

    Never what the hand-in says: a student on the roster (`roster`, as given at release) is
    graded on their own facts (the seed's), whatever notebook they handed in; anyone else on the
    shared facts. `made_for` is whose facts the handed-in notebook says it shows, used only to
    say so. Without a roster, the shared facts for all, unless a notebook was released for a
    student: then FactsUnknown, and only `shared_facts` (the lecturer's explicit choice)
    grades everyone on the shared facts."""
    from exercises.assignments import student_facts

    if template is None:
        return None, None
    shared = student_facts.facts(template, student_facts.COMMON)
    own_copy = made_for not in (None, student_facts.COMMON)
    if roster is None:
        if own_copy and not shared_facts:
            raise FactsUnknown(
                f"{student_id} handed in a notebook released with {made_for}'s own facts, but no roster was "
                "given: give the roster and seed used at release (--roster FILE --seed SEED), so that every "
                "student is graded on their own facts, or --shared-facts to grade everyone on the shared facts")
        note = f"handed in {_shown(made_for)}: graded on the shared facts, as asked (--shared-facts)" if own_copy else None
        return shared, note
    if student_id in roster:
        note = None if made_for == student_id else f"handed in {_shown(made_for)}: graded on {student_id}'s own facts"
        return student_facts.facts(template, student_id, seed), note
    note = f"not on the roster, handed in {_shown(made_for)}: graded on the shared facts" if own_copy else None
    return shared, note


def answer_keys(assignment: str, source: Path, explain: bool = False):
    """A function of a student's facts giving the key of each notebook of the assignment
    (notebook -> grade id -> question, right answer, tolerance). Worked out here, in the
    lecturer's process: the bank never goes near a student's kernel."""
    import nbformat

    from exercises.assignments.key import graded_bank, notebook_key
    from exercises.graded.metadata import read

    notebooks = {p.stem: (p, nbformat.read(p, as_version=4)) for p in source_notebooks(assignment, source)}
    keyed = any(True for _, nb in notebooks.values() for _ in read.graded_questions(nb))
    if not keyed:
        return lambda facts: {}
    bank = graded_bank()
    return lambda facts: {stem: notebook_key(nb, facts, bank, path, explain) for stem, (path, nb) in notebooks.items()}


def grade(assignment: str, subs: list[submissions.Submission], out: Path, *, db_url: str | None = None,
          jobs: int | None = None, dask_scheduler: str | None = None, seed: str = "0",
          settings: dict, progress: bool = True, source: Path | None = None,
          limits: Limits | None = None, explain: bool = False, sandbox: str | None = None,
          in_place: bool = True, roster: list[str] | None = None, shared_facts: bool = False,
          insecure: bool = False) -> GradeRun:
    """Grade `subs` into the course folder `out`. `source`: a lecturer's nbgrader source folder;
    by default the kit's assignment, built now. `settings`: the runner's, under which the
    course's own nbgrader_config.py applies (course.course_settings); `limits`: by default,
    the runner's with the settings' time per cell. `sandbox` is "bwrap" or "none"; by default
    the sandbox this machine has, and no grading at all without one (SandboxUnavailable).
    `in_place`: grade a single notebook under another name in place of a missing one.
    `roster`: the students released with their own facts (with `seed`), graded on them whatever
    they hand in; `shared_facts`: grade everyone on the shared facts (see facts_for).
    `insecure`: send the jobs unencrypted to a tcp:// Dask scheduler, loopback included (each row says so;
    SchedulerRefused without it)."""
    from autograder.isolation.sandbox import choose

    source = assignment_source(assignment, source)
    out = out.resolve()
    # Whose facts each submission is graded on, decided before any work starts (FactsUnknown).
    facts_template = course.facts_template(assignment, source)
    rostered = None if roster is None else set(roster)
    chosen = {sub.student_id: facts_for(sub.student_id, sub.facts_made_for(), facts_template, seed, rostered,
                                        shared_facts) for sub in subs}
    db_url = db_url or default_db(out)
    settings = course.course_settings(settings, assignment, source)
    grading_settings = GradingSettings.from_nbgrader(settings)  # read once; each job carries them
    limits = limits or Limits(cell_seconds=grading_settings.cell_seconds(Limits().notebook_seconds))
    sandbox = sandbox or choose()
    # Workers start (and compile their templates) while the course is prepared.
    executor = make_executor(jobs, dask_scheduler, limits.as_dict(), sandbox, insecure)
    transport_note = getattr(executor, "note", None)
    try:
        course.prepare_course(assignment, out, db_url, settings, source)
        template = course.template_zip(assignment, out, db_url, grading_settings)
        key_for = answer_keys(assignment, source, explain)
        hand = gradebook.all_hand_grades(db_url, assignment)
        # Everything but the files, for every submission before any is graded: the notes, the
        # keys (a broken bank stops the run before it starts) and the copy formgrader shows.
        keys = []
        for sub in subs:
            facts, note = chosen[sub.student_id]
            if note:
                sub.notes.append(note)
            if transport_note:
                sub.notes.append(transport_note)
            keys.append(key_for(facts))
            _keep_submitted(out, sub)

        def work():
            """Each job as the executor draws it: its files are read then, so that only the
            submissions in flight are in memory, not the class's."""
            for sub, key in zip(subs, keys):
                grades, comments = hand.get(sub.student_id, ({}, {}))
                try:
                    files = sub.files(limits.notebook_bytes)
                except OSError as e:  # gone or unreadable since the intake: this student's row says so
                    files, unreadable[sub.student_id] = {}, f"{Path(e.filename or '').name or 'a file'}: {e.strerror}"
                yield GradingJob(assignment, sub.student_id, files, template,
                                 grading_settings, facts=chosen[sub.student_id][0], key=key,
                                 hand_grades=grades, hand_comments=comments, limits=limits.as_dict(), sandbox=sandbox,
                                 spare_kernel=executor.name != "dask", in_place=in_place)

        unreadable: dict[str, str] = {}  # student -> which file could not be read, and why
        errors: dict[str, str] = {}
        given: dict[str, dict[str, dict]] = {}  # student -> "nb/question" -> answer, key, right
        notes = {s.student_id: list(s.notes) for s in subs}
        bar = tqdm(total=len(subs), desc=f"grading {assignment}", unit="submission",
                   disable=not progress, file=sys.stderr)
        with gradebook.Merger(db_url, assignment) as merger:
            for result in executor.map_unordered(grade_submission, work(), on_error=_lost):
                merger.merge(result)
                _write_outputs(out, result)
                if result.student_id in unreadable:
                    errors[result.student_id] = f"could not be graded: {unreadable[result.student_id]}; grade it again"
                elif result.error:
                    errors[result.student_id] = f"could not be graded: {result.error}"
                elif result.problems:
                    errors[result.student_id] = "; ".join(result.problems)
                notes[result.student_id] += result.notes
                given[result.student_id] = result.answers
                bar.update()
        bar.close()
    finally:
        executor.close()

    rows = gradebook.rows(db_url, assignment, notes, errors)
    path = out / "grades.csv"
    _record_sandbox(path, assignment, rows, {s.student_id for s in subs}, sandbox)
    _merge_csv(path, assignment, rows)
    _merge_answers(out / ANSWERS, assignment, given)
    return GradeRun(rows, path, executor.name)


ANSWERS = "answers.csv"  # in OUT: each marked answer, for the lecturer's report (holds the keys)
ANSWER_COLUMNS = ["assignment", "student_id", "notebook", "question", "answer", "key", "right"]


def _merge_answers(path: Path, assignment: str, given: dict[str, dict[str, dict]]) -> None:
    """The answers of the students graded now replace theirs; everyone else's rows stay."""
    import json

    new = [{"assignment": assignment, "student_id": student, "notebook": where.split("/")[0],
            "question": where.split("/")[1], "answer": json.dumps(v["answer"]), "key": json.dumps(v["key"]),
            "right": int(bool(v["right"]))}
           for student, answers in given.items() for where, v in answers.items()]
    _replace_rows(path, ANSWER_COLUMNS, new, ("assignment", "student_id", "notebook", "question"),
                  replaced=lambda r: r.get("assignment") == assignment and r.get("student_id") in given)


def _lost(job: GradingJob, error: BaseException) -> GradingResult:
    """The process grading this submission died twice (killed from outside, a crash in
    nbgrader or Python itself): the submission keeps its row, scored zero, and says so."""
    return GradingResult(job.assignment, job.student_id,
                         error=f"the grading process died twice ({type(error).__name__}); grade it again or by hand")


def _keep_submitted(out: Path, sub: submissions.Submission) -> None:
    """OUT/submitted/<student> is the copy formgrader shows; student ids are folder names
    already (any characters the file system took), so they are used as they are."""
    dest = out / "submitted" / sub.student_id / sub.assignment
    if dest.resolve() == sub.folder.resolve():
        return
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(sub.folder, dest, symlinks=True)


def _write_outputs(out: Path, result) -> None:
    for kind, files in (("autograded", result.autograded), ("feedback", result.feedback)):
        folder = out / kind / result.student_id / result.assignment
        if folder.exists():  # a stale page from an earlier run would contradict the table
            shutil.rmtree(folder)
        for rel, data in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)


def _record_sandbox(path: Path, assignment: str, rows: list[dict], graded: set[str], sandbox: str) -> None:
    """Each row says how its student's code was last run: this run's sandbox for the students
    graded now, what grades.csv said before for the others."""
    before = {}
    if path.exists():
        with open(path, newline="", encoding="utf-8") as f:
            before = {r["student_id"]: r.get("sandbox", "") for r in map(_plain_row, csv.DictReader(f))
                      if r.get("assignment") == assignment}
    for r in rows:
        r["sandbox"] = sandbox if r["student_id"] in graded else before.get(r["student_id"], "")


def _merge_csv(path: Path, assignment: str, rows: list[dict]) -> None:
    """grades.csv keeps other assignments' rows; this assignment's rows are replaced."""
    _replace_rows(path, gradebook.COLUMNS, rows, ("assignment", "student_id"),
                  replaced=lambda r: r.get("assignment") == assignment)


def _replace_rows(path: Path, columns: list[str], rows: list[dict], order: tuple[str, ...], *, replaced) -> None:
    """Rewrite a CSV of the course folder: the old rows `replaced` gives way to `rows`, the
    others stay (a second run creates no duplicates and loses nothing of other runs)."""
    kept = []
    if path.exists():
        with open(path, newline="", encoding="utf-8") as f:
            kept = [r for r in (_plain_row(r) for r in csv.DictReader(f)) if not replaced(r)]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        for r in sorted(kept + rows, key=lambda r: tuple(str(r[k]) for k in order)):
            w.writerow({k: spreadsheet.inert(r.get(k, "")) for k in columns})


def _plain_row(row: dict) -> dict:
    return {k: spreadsheet.plain(v) for k, v in row.items()}
