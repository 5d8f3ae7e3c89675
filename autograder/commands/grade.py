"""`grade`: every submission of an assignment, from a folder or an LMS zip, to the gradebook,
grades.csv and feedback."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from autograder import config
from autograder.errors import CourseError
from autograder.isolation.limits import Limits, parse_size
from autograder.isolation.sandbox import SandboxUnavailable, choose
from autograder.paths import assignment_source, source_notebooks


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("assignment")
    p.add_argument("--submissions", type=Path, required=True,
                   help="folder SUBMISSIONS/<student_id>/ASSIGNMENT/*.ipynb, or a Moodle/Canvas bulk-download zip")
    p.add_argument("--out", type=Path, required=True,
                   help="course folder for results (gradebook.db, grades.csv, feedback/, autograded/)")
    p.add_argument("--jobs", type=int, default=os.cpu_count(),
                   help="submissions graded at once, each in its own process (default: %(default)s, the cores)")
    p.add_argument("--dask-scheduler", metavar="ADDRESS",
                   help="grade on a Dask cluster instead: tls://host:8786, with the course's certificates in "
                        "Dask's TLS settings")
    p.add_argument("--insecure", action="store_true",
                   help="let --dask-scheduler be an unencrypted tcp:// scheduler, on this machine's loopback or "
                        "another machine (anyone who can connect to it can read the keys and notebooks and run "
                        "code on the workers; every student's row records it)")
    p.add_argument("--db", metavar="URL", help="gradebook as an SQLAlchemy URL (default: sqlite in OUT)")
    p.add_argument("--roster", type=Path, help="the roster given at release: each student on it is graded on "
                                               "their own facts, whatever notebook they hand in; anyone else on "
                                               "the shared facts")
    p.add_argument("--shared-facts", action="store_true",
                   help="grade everyone on the shared facts, even notebooks released with a student's own "
                        "(without it, such notebooks and no --roster stop the grading); each such student's "
                        "status says so")
    p.add_argument("--participants", type=Path, metavar="CSV",
                   help="for a zip: the LMS's participant or grade export, or a CSV with columns "
                        "lms_id,student_id, to name each student as the gradebook does")
    p.add_argument("--lms", choices=["moodle", "canvas"], help="for a zip: which LMS made it (default: detect)")
    p.add_argument("--timeout", type=int, default=None,
                   help="seconds a cell may run (default: the course's c.Execute.timeout, else 30)")
    p.add_argument("--notebook-timeout", type=int, default=300,
                   help="seconds a whole notebook may run, kernel start included (default: %(default)s)")
    p.add_argument("--memory", default="1G", help="memory a submission's code may use (default: %(default)s)")
    p.add_argument("--processes", type=int, default=64,
                   help="processes and threads a submission's code may run at once (default: %(default)s)")
    p.add_argument("--output", default="1M", help="output a cell may print before it is cut (default: %(default)s)")
    p.add_argument("--disk", default="64M", help="files a submission's code may write (default: %(default)s)")
    p.add_argument("--max-notebook", default="32M", help="larger notebooks are not opened (default: %(default)s)")
    p.add_argument("--show-hidden-tests", action="store_true",
                   help="show hidden tests and their errors in the students' feedback (default: hidden)")
    p.add_argument("--explain", action="store_true",
                   help="explain each marked answer in the students' feedback (the bank's feedback on "
                        "their answer and the module passage): gives the answers away, so use it once "
                        "the assignment is closed (default: not explained)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="grade even where no sandbox can be had: student code can then read whatever "
                        "this user can read (the answer keys too); recorded in grades.csv and the report")
    p.add_argument("--exact-names", action="store_true",
                   help="grade only notebooks named as the assignment's, as nbgrader does (default: a single "
                        "notebook under another name is graded in place of a missing one, and the status says so)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _submissions(args, source: Path, tmp: Path, limit: int):
    from autograder import lms, submissions

    path = args.submissions
    if path.is_file() and path.suffix.lower() == ".zip":
        names = [p.stem for p in source_notebooks(args.assignment, source)]
        skipped: list[str] = []
        try:
            downloaded = lms.unpack(path, args.assignment, names, tmp, participants=args.participants,
                                    lms=args.lms, skipped=skipped, limit=limit)
        except lms.DownloadError as e:
            raise CourseError(str(e)) from None
        for name in skipped:
            print(f"in the zip but no one's submission, not graded: {name}", file=sys.stderr)
        subs = submissions.find(tmp, args.assignment)
        lms.save_refs(args.out, args.assignment, downloaded)
        notes = {d.student_id: d.notes for d in downloaded}
        for s in subs:
            s.notes += notes.get(s.student_id, [])
        return subs
    return submissions.find(path, args.assignment)


def main(args) -> int:
    from autograder.course import course_settings
    from autograder.executors import SchedulerRefused
    from autograder.grading import FactsUnknown, grade
    from autograder.settings import GradingSettings
    from exercises.variants import RosterError, read_roster

    source = assignment_source(args.assignment, args.source)
    try:
        roster = read_roster(args.roster) if args.roster else None
    except RosterError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        sandbox = choose(no_sandbox=args.no_sandbox)
    except SandboxUnavailable as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if sandbox == "none":
        print("warning: grading WITHOUT a sandbox, as asked: student code can read what this user "
              "can read; grades.csv and the report say so", file=sys.stderr)
    # The course's own nbgrader_config.py (beside the source folder) under the command line.
    s = course_settings(config.settings(show_hidden_tests=args.show_hidden_tests, timeout=args.timeout),
                        args.assignment, source)
    limits = Limits(cell_seconds=GradingSettings.from_nbgrader(s).cell_seconds(args.notebook_timeout), notebook_seconds=args.notebook_timeout,
                    memory_bytes=parse_size(args.memory), processes=args.processes,
                    output_bytes=parse_size(args.output), notebook_bytes=parse_size(args.max_notebook),
                    disk_bytes=parse_size(args.disk))
    with tempfile.TemporaryDirectory(prefix="autograder-intake-") as tmp:
        subs = _submissions(args, source, Path(tmp), limits.notebook_bytes)
        try:
            run = grade(args.assignment, subs, args.out, db_url=args.db, jobs=args.jobs,
                        dask_scheduler=args.dask_scheduler, seed=args.seed, settings=s,
                        progress=not args.no_progress, source=source, limits=limits, explain=args.explain,
                        sandbox=sandbox, in_place=not args.exact_names, roster=roster,
                        shared_facts=args.shared_facts, insecure=args.insecure)
        except SchedulerRefused as e:
            print(f"error: nothing graded: {e}", file=sys.stderr)
            return 2
        except FactsUnknown as e:
            print(f"error: nothing graded: {e}", file=sys.stderr)
            return 2
    pending = sum(1 for r in run.rows if r["status"] != "graded")
    print(f"graded {len(subs)} submission(s) of {args.assignment} ({run.executor}, sandbox: {sandbox}); "
          f"{pending} need attention (see the status column); table: {run.csv}; "
          f"feedback: {args.out / 'feedback'}")
    return 0
