"""Moodle's assignment module, as its own code writes and reads its files (mod/assign).

Download all submissions (``mod/assign/locallib.php: download_submissions`` up to 4.0, then
``mod/assign/classes/downloader.php``): each participant's files are prefixed
``<Full name>_<participant id>_assignsubmission_<plugin>``, where the full name has its
underscores turned into spaces (so the first ``_`` ends it) and the participant id is the
assignment's own id for that person (the number in the worksheet's "Participant 123"), not
the user id. With "Download submissions in folders" the prefix is a folder; 3.x-4.0 end it
with ``_`` (``..._file_/name``), 4.1+ do not (``..._file/name``). Without folders the file
name follows the prefix and a ``_`` (``..._file_name``). The online-text plugin writes
``onlinetext.html``. Blind marking names everyone ``Participant``.

Grading worksheet (``mod/assign/feedback/offline``): the importer finds its columns by their
exact English headings ("Identifier", "Grade", "Last modified (grade)", and "Feedback comments"
for the comments), reads "Participant <id>", and skips a row whose grade is empty, unchanged,
above the maximum, locked, or changed in Moodle after the worksheet was downloaded.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from exercises import spreadsheet

MOODLE = re.compile(r"^(?P<name>[^_/]+)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)"
                    r"(?:_?/(?P<inner>.+)|_(?P<flat>[^/]+))$")
EXPECTED = ("Moodle: 'Full Name_123_assignsubmission_file/notebook.ipynb' (4.1 and later), "
            "'Full Name_123_assignsubmission_file_/notebook.ipynb' (3.x to 4.0), or "
            "'Full Name_123_assignsubmission_file_notebook.ipynb' (without folders)")
ONLINE_TEXT = "onlinetext.html"

IDENTIFIER, GRADE, MAXIMUM, MODIFIED, COMMENTS = (
    "Identifier", "Grade", "Maximum Grade", "Last modified (grade)", "Feedback comments")


@dataclass
class Entry:
    """One file of the download: whose it is, and its name as the student handed it in."""

    lms_id: str
    name: str
    filename: str
    notes: tuple[str, ...] = ()


def parse(path: str) -> Entry | None:
    m = MOODLE.match(path)
    if not m:
        return None
    filename = m["inner"] or m["flat"]
    notes: tuple[str, ...] = ()
    if m["plugin"] == "onlinetext" and filename.endswith(ONLINE_TEXT):
        notes = ("handed in online text, not a notebook file: ask for a file submission",)
    return Entry(m["id"], m["name"], filename, notes)


class WorksheetError(ValueError):
    """A grading worksheet the kit cannot fill; the message says what is wrong and what to do."""


def _decimal(text: str) -> str:
    """The decimal separator the worksheet uses (Moodle writes the user's language's)."""
    return "," if re.fullmatch(r"\d+,\d+", text.strip()) else "."


PERSON_COLUMNS = ("ID number", "Email address", "Username")


def fill_worksheet(path: Path, grades: dict[str, tuple[float, float]], lms_ids: dict[str, str],
                   comments: dict[str, str]) -> tuple[str, list[str]]:
    """The worksheet at `path` with the Grade (and, where empty, the Feedback comments) of each
    student in `grades` (student id -> (score, max score), scaled to the worksheet's Maximum
    Grade). A student's row is found by the participant id the download gave (`lms_ids`), else
    by an ID number, email address or username equal to the student id. Every other cell and
    row stays as Moodle wrote it, except that a cell a spreadsheet would run as a formula (a name,
    say) is written as text. Returns the CSV text and the students it does not list."""
    text = path.read_bytes().decode("utf-8-sig")
    delimiter = spreadsheet.delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise WorksheetError(f"{path}: empty file; download it again from Moodle "
                             "(View all submissions > Grading action > Download grading worksheet)")
    header = rows[0]
    missing = [c for c in (IDENTIFIER, GRADE, MODIFIED) if c not in header]
    if missing:
        raise WorksheetError(
            f"{path}:1: not a Moodle grading worksheet: no column {', '.join(repr(c) for c in missing)} "
            f"(found: {', '.join(header[:8])}); download it from the assignment (View all submissions > "
            "Grading action > Download grading worksheet), with Moodle set to English, and do not rename its columns")
    col = {name: header.index(name) for name in (IDENTIFIER, GRADE, MAXIMUM, COMMENTS) if name in header}
    person_cols = [header.index(c) for c in PERSON_COLUMNS if c in header]
    by_participant = {lms_id: sid for sid, lms_id in lms_ids.items() if sid in grades}
    seen = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        if len(row) != len(header):
            raise WorksheetError(f"{path}:{line}: {len(row)} cells where the header has {len(header)}; "
                                 "download the worksheet again rather than editing it by hand")
        participant = row[col[IDENTIFIER]].strip().rpartition(" ")[2]
        sid = by_participant.get(participant) or next(
            (row[i].strip() for i in person_cols if row[i].strip() in grades), None)
        if sid is None:
            continue  # no submission graded here: the row stays as it was
        seen.add(sid)
        score, max_score = grades[sid]
        top = max_score
        if MAXIMUM in col and row[col[MAXIMUM]].strip():
            top = float(row[col[MAXIMUM]].replace(",", "."))
        value = round(score / max_score * top, 2) if max_score else 0.0
        sep = _decimal(row[col[MAXIMUM]]) if MAXIMUM in col else "."
        row[col[GRADE]] = f"{value:.2f}".replace(".", sep)
        if COMMENTS in col and not row[col[COMMENTS]].strip() and comments.get(sid):
            row[col[COMMENTS]] = comments[sid]  # a comment the lecturer wrote in Moodle stays
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(spreadsheet.inert_rows(rows))
    return out.getvalue(), sorted(set(grades) - seen)
