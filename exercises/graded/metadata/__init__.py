"""The course's metadata in a graded notebook: ``metadata["course"]``, declared once.

nbgrader keeps what it needs under ``metadata["nbgrader"]`` of each cell (a versioned format,
``nbgraderformat/v3.json``). The course keeps beside it what ties a notebook to its bank
items and facts, in a format of its own with a version (``course-v2.json``):

- the notebook: its assignment, its title and which facts it shows (template, and whose);
- each cell of a question: the question's name and its kind of answer; and, in the
  instructor's copy only, its bank item, label and the provisions it tests (``instructor``),
  which the release removes from every student's copy (``write.for_students``);
- each cell of a hand-marked answer's rubric (version 3): which criterion of its question it
  marks, by number; the criterion's words are the cell's text, its points nbgrader's;
- the cell that shows the student's facts: which facts template.

Notebooks written in versions 1 (``course-v1.json``: item, label and provisions beside the
question's name) and 2 (``course-v2.json``: no rubric cells) are still read.

``write`` is the only code that writes it, ``read`` the only code that reads it.
"""

from pathlib import Path

KEY = "course"  # notebook.metadata[KEY], cell.metadata[KEY]
VERSION = 3
READS = (1, 2, 3)  # the versions read: a student's hand-in may come from an earlier release
SCHEMA = Path(__file__).with_name(f"course-v{VERSION}.json")
