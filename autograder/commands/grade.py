"""`grade`: every submission of an assignment, from a folder or an LMS zip, to the gradebook,
grades.csv and feedback."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from autograder import config
from autograder.errors import CourseError
from autograder.isolation.limits import Limits, parse_size
from autograder.isolation.sandbox import SandboxUnavailable, choose
from autograder.paths import assignment_source, source_notebooks


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
