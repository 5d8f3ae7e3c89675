"""`return`: grades and feedback back to the LMS, in the files its own imports read."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.errors import CourseError


def add_arguments(p: argparse.ArgumentParser) -> None:
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


def _say(returned, what: str) -> None:
    print(f"{what}: {returned.path} ({len(returned.filled)} grade(s) filled in)")
    for sid in returned.absent:
        print(f"not in the LMS's file, so not returned: {sid}", file=sys.stderr)
    for sid in returned.pending:
        print(f"left blank, waiting for a hand grade: {sid} (grade it in formgrader, grade again, "
              "then return again)", file=sys.stderr)


def main(args) -> int:
    from autograder import lms
    from autograder.grading import default_db
    from autograder.lms import grades
    from autograder.steps.gradebook import assignment_names, rows

    db_url = args.db or default_db(args.out)
    table = rows(db_url, args.assignment)
    if not table:
        known = assignment_names(db_url)
        graded = f" (it has {', '.join(map(repr, known))})" if known and args.assignment not in known else ""
        raise CourseError(f"error: nothing of {args.assignment!r} is graded in {args.out}{graded}; "
                          "check the assignment's name, or run `grade` first")
    try:
        if args.moodle_worksheet:
            _say(grades.moodle_worksheet(args.out, args.assignment, table, args.moodle_worksheet),
                 "Moodle grading worksheet (View all submissions > Grading action > Upload grading worksheet)")
        if args.canvas_gradebook:
            _say(grades.canvas_gradebook(args.out, args.assignment, table, args.canvas_gradebook,
                                         args.canvas_column or args.assignment),
                 "Canvas gradebook (Grades > Import)")
    except (lms.moodle.WorksheetError, lms.canvas.GradebookError) as e:
        raise CourseError(f"error: {e}") from None
    if args.canvas_gradebook and not args.moodle_worksheet:
        return 0  # Canvas has no bulk upload of feedback files
    try:
        path, left_out = lms.moodle_feedback_zip(args.out, args.assignment)
    except lms.DownloadError as e:
        if args.moodle_worksheet:  # graded from a folder: grades go back, feedback another way
            print(f"no feedback zip: {e}", file=sys.stderr)
            return 0
        raise CourseError(
            "error: nothing to return. For the grades, give --moodle-worksheet FILE (Moodle's grading worksheet) "
            "or --canvas-gradebook FILE (Canvas's gradebook export); Moodle's feedback zip is made only for work "
            f"graded from a Moodle download zip ({e})") from None
    for line in left_out:
        print(f"left out: {line}", file=sys.stderr)
    print(f"Moodle feedback: {path} (in the assignment, View all submissions > Grading action > "
          "Upload multiple feedback files in a zip)")
    return 0
