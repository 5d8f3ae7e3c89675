"""`return`: the students' feedback, packed for the LMS it came from."""

from __future__ import annotations

import sys


def main(args) -> int:
    from autograder import lms

    try:
        path, left_out = lms.moodle_feedback_zip(args.out, args.assignment)
    except lms.DownloadError as e:
        raise SystemExit(f"error: {e}") from None
    for line in left_out:
        print(f"left out: {line}", file=sys.stderr)
    print(f"Moodle feedback: {path} (in the assignment, View all submissions > Grading action > "
          "Upload multiple feedback files in a zip)")
    return 0
