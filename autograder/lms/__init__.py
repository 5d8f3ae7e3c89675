"""Where the kit meets Moodle and Canvas: their bulk downloads in, feedback back out.

- ``download``: "Download all submissions" (Moodle) and "Download Submissions" (Canvas) zips
  -> nbgrader's DIR/<student_id>/<assignment>/, remembering how the LMS named each student;
- ``feedback``: each student's feedback page, packed the way the LMS's bulk upload reads it;
- ``grades``: grades filled into the LMS's own gradebook file (Moodle's grading worksheet,
  Canvas's gradebook export);
- ``totals``: every student's total per assignment, for the whole course (the ``grades`` command);
- ``moodle`` and ``canvas``: what each LMS's own code writes and reads, in one place per LMS.
"""

from autograder.lms import canvas, moodle
from autograder.lms.download import DownloadError, StudentFiles, detect, read_zip, unpack
from autograder.lms.feedback import LMS_REFS, moodle_feedback_zip, save_refs

__all__ = ["LMS_REFS", "canvas", "moodle", "DownloadError", "StudentFiles", "detect", "moodle_feedback_zip", "read_zip",
           "save_refs", "unpack"]
