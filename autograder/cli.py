"""python -m autograder: release, grade, report and return the course's graded notebooks.

A typical term:
  python -m autograder release compensation --out released/ --roster roster.csv --seed 2026
  python -m autograder grade compensation --submissions moodle-download.zip --out grading/ \
      --roster roster.csv --seed 2026
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
import sys
from pathlib import Path

from autograder.commands import build_sources, grade, grades, release, report, return_feedback
from autograder.errors import CourseError

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
    # The seed decides each rostered student's facts, so release and grade need the same one: with
    # --roster it is asked for, never assumed (a forgotten seed once graded every student, with no
    # warning, on facts they were never given).
    facts = argparse.ArgumentParser(add_help=False)
    facts.add_argument("--seed", default=None,
                       help="the course's seed for the students' own facts (any word or number; keep it with "
                            "the roster): required with --roster, and the same at release and at grading")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module, help in COMMANDS:
        parents = [common] + ([private] if name in PRIVATE else []) + ([facts] if name in FACTS else [])
        p = sub.add_parser(name, help=help, parents=parents)
        p.set_defaults(fn=module.main)
        module.add_arguments(p)
    return ap


COMMANDS = (  # name, module (its add_arguments and main), help; in the order of a term
    ("build-sources", build_sources,
     "build the kit's assignments (exercises/assignments/*.md) into nbgrader's source layout, to read them"),
    ("release", release,
     "make the student notebooks (no solutions, no hidden tests)"),
    ("grade", grade,
     "grade every submission; write the gradebook, grades.csv and feedback"),
    ("report", report,
     "score distributions per question and per provision (HTML, CSV, plot)"),
    ("return", return_feedback,
     "grades and feedback back to the LMS: Moodle's grading worksheet and feedback zip, or Canvas's gradebook"),
    ("grades", grades,
     "totals per student and assignment, for the whole course (CSV)"),
)

PRIVATE = ("grade", "report", "return", "grades")  # the commands that write the grading folder
GRADED = ("report", "return", "grades")  # the commands that read what grade wrote
FACTS = ("release", "grade")  # the commands that work out each rostered student's facts


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in FACTS:
        if args.roster is not None and args.seed is None:
            print(f"error: {args.command} --roster needs --seed: the seed decides each student's facts, and "
                  "release and grading must be given the same one (for example --seed 2026, kept with the "
                  "roster); nothing was done", file=sys.stderr)
            return 2
        if args.seed is None:
            args.seed = "0"  # not used: without a roster everyone has the shared facts
    if args.command in GRADED and args.db is None and not (args.out / "gradebook.db").is_file():
        # Checked before the folder is made: a mistyped --out must not leave an empty gradebook.
        assignment = getattr(args, "assignment", "ASSIGNMENT")
        print(f"error: no gradebook.db in {args.out}: give the folder you graded into, or grade into this one "
              f"first (python -m autograder grade {assignment} --submissions ... --out {args.out}), or --db for a "
              "gradebook elsewhere; nothing was done", file=sys.stderr)
        return 2
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
