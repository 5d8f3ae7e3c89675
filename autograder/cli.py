"""python -m autograder: release, grade, report and return the course's graded notebooks.

A typical term:
  python -m autograder release compensation --out released/ --roster roster.csv
  python -m autograder grade compensation --submissions moodle-download.zip --out grading/
  (grade essays by hand in nbgrader's formgrader, started in grading/, then grade again:
   hand grades are kept and the feedback is refreshed)
  python -m autograder report compensation --out grading/
  python -m autograder return compensation --out grading/ --moodle-worksheet Grades.csv
      (grades in Moodle's worksheet, feedback as a zip for Moodle; or --canvas-gradebook FILE)
  python -m autograder grades --out grading/

Student code runs in a bubblewrap sandbox (Debian package bubblewrap) within limits per
submission (--timeout, --notebook-timeout, --memory, --processes, --output, --disk, --max-notebook);
what it protects and what it does not: autograder/THREAT_MODEL.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.commands import build_sources, grade, grades, release, report, return_feedback
from autograder.errors import CourseError
from exercises.assignments import SOURCE_DIR

SOURCE_HELP = ("a folder of nbgrader assignments of your own (SOURCE/<assignment>/*.ipynb), used as "
               "they are, with the course's nbgrader_config.py beside SOURCE if it has one (default: the "
               "kit's assignment of that name, built from exercises/assignments/)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, default=None, help=SOURCE_HELP)
    # --source also after the command, where a user is as likely to write it; SUPPRESS keeps
    # a subcommand from resetting a value given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--source", type=Path, default=argparse.SUPPRESS, help=SOURCE_HELP)
    # The grading folder holds the keys beside each answer, the gradebook and every student's
    # work: the commands that write there keep it to the lecturer (PRIVATE, below).
    private = argparse.ArgumentParser(add_help=False)
    private.add_argument("--group-readable", action="store_true",
                         help="let the grading folder's group read it too (default: only you)")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, module, help):
        p = sub.add_parser(name, help=help, parents=[common, private] if name in PRIVATE else [common])
        p.set_defaults(fn=module.main)
        return p

    p = command("build-sources", build_sources, help="build the kit's assignments (exercises/assignments/*.md) "
                                                     "into nbgrader's source layout, to read them")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="only these (default: all)")
    p.add_argument("--out", type=Path, default=SOURCE_DIR,
                   help="folder to write OUT/<assignment>/ into (default: %(default)s)")

    p = command("release", release, help="make the student notebooks (no solutions, no hidden tests)")
    p.add_argument("assignment", help="assignment name, e.g. compensation")
    p.add_argument("--out", type=Path, required=True, help="folder to write OUT/ASSIGNMENT/*.ipynb into")
    p.add_argument("--roster", type=Path, help="CSV with a student_id column: one folder per student, "
                                               "each with that student's own facts")
    p.add_argument("--seed", default="0", help="course seed for the students' facts; use the same one for grading")

    p = command("grade", grade, help="grade every submission; write the gradebook, grades.csv and feedback")
    p.add_argument("assignment")
    p.add_argument("--submissions", type=Path, required=True,
                   help="folder SUBMISSIONS/<student_id>/ASSIGNMENT/*.ipynb, or a Moodle/Canvas bulk-download zip")
    p.add_argument("--out", type=Path, required=True,
                   help="course folder for results (gradebook.db, grades.csv, feedback/, autograded/)")
    p.add_argument("--jobs", type=int, default=os.cpu_count(),
                   help="submissions graded at once, each in its own process (default: %(default)s, the cores)")
    p.add_argument("--dask-scheduler", metavar="ADDRESS",
                   help="grade on a Dask cluster instead: tls://host:8786 with Dask's TLS settings, or "
                        "tcp://127.0.0.1:8786 on this machine")
    p.add_argument("--insecure", action="store_true",
                   help="let --dask-scheduler be an unencrypted tcp:// scheduler on another machine (the keys "
                        "and notebooks cross the network in clear; every student's row records it)")
    p.add_argument("--db", metavar="URL", help="gradebook as an SQLAlchemy URL (default: sqlite in OUT)")
    p.add_argument("--seed", default="0", help="course seed used at release (per-student facts)")
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

    p = command("report", report, help="score distributions per question and per provision (HTML, CSV, plot)")
    p.add_argument("assignment")
    p.add_argument("--out", type=Path, required=True, help="the course folder given to grade")
    p.add_argument("--db", metavar="URL")
    p.add_argument("--compare", type=Path, action="append", default=[], metavar="DIR",
                   help="an earlier term's grading folder (its gradebook.db and source/), shown beside this "
                        "term per provision and per question; repeat for more terms")
    p.add_argument("--compare-db", action="append", default=[], metavar="URL",
                   help="an earlier term's gradebook as an SQLAlchemy URL (its questions read from this term's "
                        "source); repeat for more terms")

    p = command("return", return_feedback, help="grades and feedback back to the LMS: Moodle's grading worksheet "
                                                "and feedback zip, or Canvas's gradebook")
    p.add_argument("assignment")
    p.add_argument("--out", type=Path, required=True, help="the course folder given to grade")
    p.add_argument("--db", metavar="URL")
    p.add_argument("--moodle-worksheet", type=Path, metavar="CSV",
                   help="the assignment's grading worksheet as downloaded from Moodle: written back with the "
                        "grades filled in, for Moodle's 'Upload grading worksheet'")
    p.add_argument("--canvas-gradebook", type=Path, metavar="CSV",
                   help="the course's gradebook as exported from Canvas: written back with the assignment's "
                        "column filled in, for Canvas's gradebook import")
    p.add_argument("--canvas-column", metavar="NAME",
                   help="the assignment's column in the Canvas gradebook: 'Title (123)', its title or its id "
                        "(default: the assignment's name)")

    p = command("grades", grades, help="totals per student and assignment, for the whole course (CSV)")
    p.add_argument("--out", type=Path, required=True, help="the course folder given to grade")
    p.add_argument("--db", metavar="URL")
    return ap


PRIVATE = ("grade", "report", "return", "grades")  # the commands that write the grading folder


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command in PRIVATE:
            private_folder(args.out, group=args.group_readable)
        return args.fn(args)
    except CourseError as e:  # the one place a library error becomes an exit status
        print(e, file=sys.stderr)
        return 1


def private_folder(folder: Path, group: bool = False) -> None:
    """The grading folder, made if missing, readable by its owner only (and its group when
    asked): nothing inside it (keys, gradebook, feedback, students' work) can then be reached
    by another user of the machine, whatever each file's own mode."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o750 if group else 0o700)
