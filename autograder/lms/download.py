"""Bulk-download zips from Moodle and Canvas -> nbgrader's DIR/<student_id>/<assignment>/.

Moodle ("Download all submissions"): ``Full Name_<participant id>_assignsubmission_file_``
followed by ``/<file>`` (in folders) or directly by the file name.
Canvas ("Download Submissions"): ``<lastfirst>[_LATE]_<user id>_<submission id>_<file>``,
where Canvas may add ``-1``, ``-2``... to a file that was handed in again.

Their ids are the LMS's own. A participants CSV (--participants) maps them to the course's student ids: either
columns ``lms_id,student_id``, or the LMS's own export (Moodle grading worksheet:
``Identifier`` = "Participant 123", with ``ID number`` or ``Email address``; Canvas
gradebook: ``ID`` with ``SIS User ID`` or ``SIS Login ID``). Without one the ids are
``moodle-<participant id>`` / ``canvas-<user id>``.
"""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?:/(?P<inner>.+)|(?P<flat>[^/].*))$")
CANVAS = re.compile(r"^(?P<name>[^_/]+?)(?P<late>_LATE)?_(?P<id>\d+)_(?P<sub>\d+)_(?P<file>[^/]+)$")
RESUBMITTED = re.compile(r"(?:-\d+| \(\d+\))(?=\.ipynb$)")


class DownloadError(ValueError):
    """A zip that is not an LMS download the kit reads; the message says what was expected."""


@dataclass
class StudentFiles:
    student_id: str
    files: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Where the LMS keeps this student: {"lms", "id", "name"}, to hand feedback back the same way.
    lms_ref: dict[str, str] = field(default_factory=dict)


def detect(names: list[str]) -> str:
    files = [n for n in names if not n.endswith("/")]
    if any(MOODLE.match(n) for n in files):
        return "moodle"
    if any(CANVAS.match(PurePosixPath(n).name) for n in files):
        return "canvas"
    sample = ", ".join(files[:3])
    raise DownloadError(f"this zip does not look like a Moodle or Canvas bulk download (first files: {sample}); "
                      "unzip it into DIR/<student_id>/<assignment>/ instead, or pass --lms")


def read_participants(path: Path | None, lms: str) -> dict[str, str]:
    if path is None:
        return {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return {}
    cols = rows[0].keys()
    if {"lms_id", "student_id"} <= set(cols):
        return {r["lms_id"].strip(): r["student_id"].strip() for r in rows}
    if lms == "moodle" and "Identifier" in cols:
        key = next((c for c in ("ID number", "Email address", "Username") if c in cols and rows[0][c]), None)
        if key:
            return {re.sub(r"\D", "", r["Identifier"]): r[key].strip() for r in rows}
    if lms == "canvas" and "ID" in cols:
        key = next((c for c in ("SIS User ID", "SIS Login ID") if c in cols), None)
        if key:
            return {r["ID"].strip(): r[key].strip() for r in rows if r["ID"].strip().isdigit()}
    raise DownloadError(f"{path}: cannot tell which column holds the LMS id and which the student id; "
                      "give columns 'lms_id,student_id', or the LMS's own grade export")


def _safe_id(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._-]+", "_", s).strip("._") or "unknown"


def read_zip(zip_path: Path, notebooks: list[str], *, participants: Path | None = None,
             lms: str | None = None) -> list[StudentFiles]:
    """The submissions in an LMS zip, each under the course's student id."""
    try:
        z = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile:
        raise DownloadError(f"{zip_path}: not a zip file") from None
    with z:
        names = z.namelist()
        lms = lms or detect(names)
        ids = read_participants(participants, lms)
        found: dict[str, StudentFiles] = {}
        for name in names:
            if name.endswith("/") or "__MACOSX" in name:
                continue
            if lms == "moodle":
                m = MOODLE.match(name)
                filename = m and (m["inner"] or m["flat"])
            else:
                m = CANVAS.match(PurePosixPath(name).name)
                filename = m and m["file"]
            if not m:
                continue
            lms_id = m["id"]
            sid = ids.get(lms_id)
            intake = found.get(lms_id)
            if intake is None:
                intake = found[lms_id] = StudentFiles(_safe_id(sid or f"{lms}-{lms_id}"),
                                                lms_ref={"lms": lms, "id": lms_id, "name": m["name"]})
                if ids and sid is None:
                    intake.notes.append(f"{lms} id {lms_id} is not in the participants file")
            filename = PurePosixPath(filename).name
            if lms == "canvas" and m["late"]:
                if "handed in late (Canvas)" not in intake.notes:
                    intake.notes.append("handed in late (Canvas)")
            fixed = RESUBMITTED.sub("", filename)
            if fixed.endswith(".ipynb") and fixed[:-6] not in notebooks and len(notebooks) == 1:
                fixed = f"{notebooks[0]}.ipynb"
            if fixed != filename:
                intake.notes.append(f"{filename} read as {fixed}")
            intake.files[fixed] = z.read(name)
    return sorted(found.values(), key=lambda i: i.student_id)


def unpack(zip_path: Path, assignment: str, notebooks: list[str], dest: Path, **kw) -> list[StudentFiles]:
    """Write the zip's submissions into nbgrader's layout under `dest`."""
    intakes = read_zip(zip_path, notebooks, **kw)
    for intake in intakes:
        folder = dest / intake.student_id / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in intake.files.items():
            (folder / name).write_bytes(data)
    return intakes
