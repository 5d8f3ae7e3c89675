"""The course's metadata in a graded notebook: ``metadata["course"]``, declared once.

nbgrader keeps what it needs under ``metadata["nbgrader"]`` of each cell (a versioned format,
``nbgraderformat/v3.json``). The course keeps beside it what ties a notebook to its bank
items and facts, in a format of its own with a version (``course-v1.json``):

- the notebook: its assignment, its title and which facts it shows (template, and whose);
- each cell of a question: the question's name, its bank item, its kind of answer, its label
  and the provisions it tests;
- the cell that shows the student's facts: which facts template.

``write`` is the only code that writes it, ``read`` the only code that reads it.
"""

from pathlib import Path

KEY = "course"  # notebook.metadata[KEY], cell.metadata[KEY]
VERSION = 1
SCHEMA = Path(__file__).with_name(f"course-v{VERSION}.json")
