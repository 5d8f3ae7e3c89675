"""python -m autograder: release, grade, export and report the course's graded notebooks.

A typical term:
  python -m autograder release compensation --out released/ --roster roster.csv
  python -m autograder grade compensation --submissions moodle-download.zip --out grading/
  (grade essays by hand in nbgrader's formgrader, started in grading/, then grade again:
   hand grades are kept and the feedback is refreshed)
  python -m autograder report compensation --out grading/
  python -m autograder return compensation --out grading/   (feedback, as a zip for Moodle)
  python -m autograder export --out grading/

Student code runs in a bubblewrap sandbox (Debian package bubblewrap) within limits per
submission (--timeout, --notebook-timeout, --memory, --processes, --output, --disk, --max-notebook);
what it protects and what it does not: autograder/THREAT_MODEL.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from autograder import config
from autograder.paths import SOURCE, source_notebooks


def cmd_build_sources(args) -> int:
    from exercises.assignments import build_sources

    for p in build_sources(args.source):
        print(p)
    return 0


def cmd_release(args) -> int:
    from autograder.course import release

    source_notebooks(args.assignment, args.source)
    written = release(args.assignment, args.out, roster=args.roster, seed=args.seed,
                      settings=config.settings(), source=args.source)
    print(f"released {len(written)} notebook(s) under {args.out}")
    return 0


def _submissions(args, tmp: Path):
    from autograder import lms, submissions

    path = args.submissions
    if path.is_file() and path.suffix.lower() == ".zip":
        names = [p.stem for p in source_notebooks(args.assignment, args.source)]
        try:
            intakes = lms.unpack(path, args.assignment, names, tmp, roster=args.roster, lms=args.lms)
        except lms.IntakeError as e:
            raise SystemExit(str(e)) from None
        subs = submissions.find(tmp, args.assignment)
        lms.save_refs(args.out, args.assignment, intakes)
        notes = {i.student_id: i.notes for i in intakes}
        for s in subs:
            s.notes += notes.get(s.student_id, [])
        return subs
    return submissions.find(path, args.assignment)


def cmd_grade(args) -> int:
    from autograder.grading import grade

    source_notebooks(args.assignment, args.source)
    from autograder.limits import Limits, parse_size
    from autograder.sandbox import mechanism

    s = config.settings(show_hidden_tests=args.show_hidden_tests, timeout=args.timeout)
    limits = Limits(cell_seconds=args.timeout, notebook_seconds=args.notebook_timeout,
                    memory_bytes=parse_size(args.memory), processes=args.processes,
                    output_bytes=parse_size(args.output), notebook_bytes=parse_size(args.max_notebook),
                    disk_bytes=parse_size(args.disk))
    if mechanism() == "none":
        print("warning: bubblewrap (bwrap) is not installed: student code runs with resource limits but "
              "NOT sandboxed, and can read what this user can read (see autograder/THREAT_MODEL.md)",
              file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="autograder-intake-") as tmp:
        subs = _submissions(args, Path(tmp))
        run = grade(args.assignment, subs, args.out, db_url=args.db, jobs=args.jobs,
                    dask_scheduler=args.dask_scheduler, seed=args.seed, settings=s,
                    progress=not args.no_progress, source=args.source, limits=limits, explain=args.explain)
    pending = sum(1 for r in run.rows if r["status"] != "graded")
    print(f"graded {len(subs)} submission(s) of {args.assignment} ({run.executor}); "
          f"{pending} need attention (see the status column); table: {run.csv}; "
          f"feedback: {args.out / 'feedback'}")
    return 0


def cmd_report(args) -> int:
    from autograder.grading import default_db
    from autograder.report import write

    folder = write(args.db or default_db(args.out), args.assignment, args.out, args.source)
    print(f"report: {folder / 'report.html'}")
    return 0


def cmd_return(args) -> int:
    from autograder import lms

    try:
        path, left_out = lms.moodle_feedback_zip(args.out, args.assignment)
    except lms.IntakeError as e:
        raise SystemExit(f"error: {e}") from None
    for line in left_out:
        print(f"left out: {line}", file=sys.stderr)
    print(f"Moodle feedback: {path} (in the assignment, View all submissions > Grading action > "
          "Upload multiple feedback files in a zip)")
    return 0


def cmd_export(args) -> int:
    from autograder.grading import default_db
    from autograder.report import export

    print(f"LMS grades: {export(args.db or default_db(args.out), args.out)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, default=SOURCE,
                    help="nbgrader source folder with one folder per assignment (default: exercises/source)")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build-sources", help="render exercises/assignments/*.md into the source folder")
    p.set_defaults(fn=cmd_build_sources)

    p = sub.add_parser("release", help="make the student notebooks (no solutions, no hidden tests)")
    p.add_argument("assignment", help="assignment name, e.g. compensation")
    p.add_argument("--out", type=Path, required=True, help="folder to write OUT/ASSIGNMENT/*.ipynb into")
    p.add_argument("--roster", type=Path, help="CSV with a student_id column: one folder per student, "
                                               "each with that student's own facts")
    p.add_argument("--seed", default="0", help="course seed for the students' facts; use the same one for grading")
    p.set_defaults(fn=cmd_release)

    p = sub.add_parser("grade", help="grade every submission; write the gradebook, grades.csv and feedback")
    p.add_argument("assignment")
    p.add_argument("--submissions", type=Path, required=True,
                   help="folder SUBMISSIONS/<student_id>/ASSIGNMENT/*.ipynb, or a Moodle/Canvas bulk-download zip")
    p.add_argument("--out", type=Path, required=True,
                   help="course folder for results (gradebook.db, grades.csv, feedback/, autograded/)")
    p.add_argument("--jobs", type=int, default=os.cpu_count(),
                   help="submissions graded at once, each in its own process (default: %(default)s, the cores)")
    p.add_argument("--dask-scheduler", metavar="ADDRESS",
                   help="grade on a Dask cluster instead, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--db", metavar="URL", help="gradebook as an SQLAlchemy URL (default: sqlite in OUT)")
    p.add_argument("--seed", default="0", help="course seed used at release (per-student facts)")
    p.add_argument("--roster", type=Path, help="for a zip: CSV mapping LMS ids to student ids")
    p.add_argument("--lms", choices=["moodle", "canvas"], help="for a zip: which LMS made it (default: detect)")
    p.add_argument("--timeout", type=int, default=30, help="seconds a cell may run (default: %(default)s)")
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
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(fn=cmd_grade)

    p = sub.add_parser("report", help="score distributions per question and per provision (HTML, CSV, plot)")
    p.add_argument("assignment")
    p.add_argument("--out", type=Path, required=True, help="the course folder given to grade")
    p.add_argument("--db", metavar="URL")
    p.set_defaults(fn=cmd_report)

    p = sub.add_parser("return", help="the students' feedback pages as a zip for Moodle's "
                                      "'Upload multiple feedback files in a zip'")
    p.add_argument("assignment")
    p.add_argument("--out", type=Path, required=True, help="the course folder given to grade")
    p.set_defaults(fn=cmd_return)

    p = sub.add_parser("export", help="totals per student and assignment for an LMS gradebook (CSV)")
    p.add_argument("--out", type=Path, required=True, help="the course folder given to grade")
    p.add_argument("--db", metavar="URL")
    p.set_defaults(fn=cmd_export)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.fn(args)
