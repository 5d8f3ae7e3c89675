"""Canvas, as its own code writes and reads its files (instructure/canvas-lms).

Download Submissions (``lib/content_zipper.rb``): ``<lastfirst>[_LATE]_<user id>_<attachment
id>_<file name>``, where ``lastfirst`` is the sortable name lower-cased with every character
that is not a letter, digit or ``_`` removed (so it may hold ``_``); a group assignment uses the
group's name with one member's user id; anonymous grading writes ``anon_<anonymous id>`` for
the name and id. Text entries are ``<lastfirst>_<user id>_text.html``. Canvas appends ``-1``,
``-2``... before the extension only when two files in the zip would have the same name.

Gradebook import (``lib/gradebook_importer.rb``): the first row must start with "Student" and
"ID" and have a "Section" column; a student is found by Canvas ID, then SIS User ID, then SIS
Login ID; an assignment column by its heading "Title (123)"; the "Points Possible" row and the
total columns (Current/Final Score...) are read only; "-" or an empty cell means no score.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path, PurePosixPath

from autograder.lms.moodle import Entry
from exercises import spreadsheet

CANVAS = re.compile(r"^(?:(?!LATE_)(?P<name>.+?)_)?(?P<late>LATE_)?(?P<id>\d+|anon_[A-Za-z0-9]+)_(?P<sub>\d+)_(?P<file>.+)$")
CANVAS_TEXT = re.compile(r"^(?:(?!LATE_)(?P<name>.+?)_)?(?P<late>LATE_)?(?P<id>\d+|anon_[A-Za-z0-9]+)_(?P<kind>text|link)\.html$")
EXPECTED = "Canvas: 'lastfirst_12345_678901_notebook.ipynb' (or with _LATE_ after the name)"


def parse(path: str) -> Entry | None:
    base = PurePosixPath(path).name
    m = CANVAS.match(base)
    if m:
        notes = ("handed in late (Canvas)",) if m["late"] else ()
        return Entry(m["id"], m["name"] or "", m["file"], notes)
    t = CANVAS_TEXT.match(base)
    if t:
        return Entry(t["id"], t["name"] or "", f"{t['kind']}.html",
                     (f"handed in a {'text entry' if t['kind'] == 'text' else 'link'}, not a notebook file: "
                      "ask for a file upload",))
    return None


class GradebookError(ValueError):
    """A gradebook export the kit cannot fill; the message says what is wrong and what to do."""


ID_COLUMNS = ("ID", "SIS User ID", "SIS Login ID")


def assignment_column(header: list[str], wanted: str) -> int:
    """The column of the assignment: its exact heading "Title (123)", its title, or its id."""
    for i, h in enumerate(header):
        m = re.fullmatch(r"(.*)\s\((\d+)\)", h.strip())
        if h.strip() == wanted or (m and wanted in (m[1], m[2])):
            return i
    columns = [h for h in header if re.fullmatch(r".*\s\(\d+\)", h.strip())]
    raise GradebookError(f"no assignment column {wanted!r} in the gradebook export; its assignment columns are: "
                         f"{', '.join(columns) or 'none'} (give one with --canvas-column)")


def fill_gradebook(path: Path, column: str, grades: dict[str, tuple[float, float]],
                   lms_ids: dict[str, str]) -> tuple[str, list[str]]:
    """The gradebook export at `path` with the assignment `column` filled for each student in
    `grades` (student id -> (score, max score), scaled to the column's Points Possible). A
    student's row is found by the Canvas user id the download gave (`lms_ids`), else by a SIS
    User ID or SIS Login ID equal to the student id. Every other cell stays as Canvas wrote it,
    except that a cell a spreadsheet would run as a formula (a name, say) is written as text.
    Returns the CSV text and the students it does not list."""
    text = path.read_bytes().decode("utf-8-sig")
    delimiter = spreadsheet.delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows or len(rows[0]) < 2 or "Student" not in rows[0][0] or "ID" not in rows[0][1]:
        raise GradebookError(f"{path}:1: not a Canvas gradebook export (its first columns must be Student, ID); "
                             "export it from the course's Grades > Export > Export Entire Gradebook")
    header = rows[0]
    at = assignment_column(header, column)
    by_canvas_id = {lms_id: sid for sid, lms_id in lms_ids.items() if sid in grades}
    sis = [header.index(c) for c in ID_COLUMNS[1:] if c in header]
    points = next((r for r in rows[1:3] if r and "Points Possible" in r[0]), None)
    top = float(points[at]) if points and points[at].strip() not in ("", "(read only)") else None
    seen = set()
    for row in rows[1:]:
        if not row or "Points Possible" in row[0] or len(row) <= at:
            continue
        sid = by_canvas_id.get(row[1].strip()) or next((row[i].strip() for i in sis if row[i].strip() in grades), None)
        if sid is None:
            continue
        seen.add(sid)
        score, max_score = grades[sid]
        scale = top if top is not None else max_score
        row[at] = f"{(score / max_score * scale if max_score else 0.0):.2f}"
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(spreadsheet.inert_rows(rows))
    return out.getvalue(), sorted(set(grades) - seen)
