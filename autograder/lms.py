"""Bulk-download zips from Moodle and Canvas -> nbgrader's DIR/<student_id>/<assignment>/.

Moodle ("Download all submissions"): ``Full Name_<participant id>_assignsubmission_file_``
followed by ``/<file>`` (in folders) or directly by the file name.
Canvas ("Download Submissions"): ``<lastfirst>[_LATE]_<user id>_<submission id>_<file>``,
where Canvas may add ``-1``, ``-2``... to a file that was handed in again.

Their ids are the LMS's own. A roster CSV maps them to the course's student ids: either
columns ``lms_id,student_id``, or the LMS's own export (Moodle grading worksheet:
``Identifier`` = "Participant 123", with ``ID number`` or ``Email address``; Canvas
gradebook: ``ID`` with ``SIS User ID`` or ``SIS Login ID``). Without a roster the ids are
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


class IntakeError(ValueError):
    pass


@dataclass
class Intake:
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
    raise IntakeError(f"this zip does not look like a Moodle or Canvas bulk download (first files: {sample}); "
                      "unzip it into DIR/<student_id>/<assignment>/ instead, or pass --lms")


def read_roster(path: Path | None, lms: str) -> dict[str, str]:
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
    raise IntakeError(f"{path}: cannot tell which column holds the LMS id and which the student id; "
                      "give columns 'lms_id,student_id', or the LMS's own grade export")


def _safe_id(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._-]+", "_", s).strip("._") or "unknown"


def read_zip(zip_path: Path, notebooks: list[str], *, roster: Path | None = None,
             lms: str | None = None) -> list[Intake]:
    """The submissions in an LMS zip, each under the course's student id."""
    try:
        z = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile:
        raise IntakeError(f"{zip_path}: not a zip file") from None
    with z:
        names = z.namelist()
        lms = lms or detect(names)
        ids = read_roster(roster, lms)
        found: dict[str, Intake] = {}
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
                intake = found[lms_id] = Intake(_safe_id(sid or f"{lms}-{lms_id}"),
                                                lms_ref={"lms": lms, "id": lms_id, "name": m["name"]})
                if ids and sid is None:
                    intake.notes.append(f"{lms} id {lms_id} is not in the roster")
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


def unpack(zip_path: Path, assignment: str, notebooks: list[str], dest: Path, **kw) -> list[Intake]:
    """Write the zip's submissions into nbgrader's layout under `dest`."""
    intakes = read_zip(zip_path, notebooks, **kw)
    for intake in intakes:
        folder = dest / intake.student_id / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in intake.files.items():
            (folder / name).write_bytes(data)
    return intakes


LMS_REFS = "lms.json"  # in OUT/<assignment>/...: how the LMS named each student, from the zip graded


def save_refs(out: Path, assignment: str, intakes: list[Intake]) -> Path:
    """Remember, beside the grades, which LMS participant each student id came from."""
    import json

    path = out / "lms" / assignment / LMS_REFS
    path.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    known.update({i.student_id: i.lms_ref for i in intakes if i.lms_ref})
    path.write_text(json.dumps(known, indent=1, sort_keys=True), encoding="utf-8")
    return path


def moodle_feedback_zip(out: Path, assignment: str) -> tuple[Path, list[str]]:
    """OUT/lms/<assignment>/moodle-feedback.zip, for Moodle's "Upload multiple feedback files in a
    zip": each student's feedback page in a folder named as Moodle names its participants
    (``Full Name_<participant id>_assignfeedback_file_/``, the form its importer reads).
    Returns the zip and the students left out, each with why."""
    import json

    refs_path = out / "lms" / assignment / LMS_REFS
    if not refs_path.exists():
        raise IntakeError(f"no {refs_path}: grade a Moodle 'Download all submissions' zip first "
                          "(grade ... --submissions moodle-download.zip); the zip names each participant")
    refs = json.loads(refs_path.read_text(encoding="utf-8"))
    left_out: list[str] = []
    path = refs_path.parent / "moodle-feedback.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for student, ref in sorted(refs.items()):
            if ref.get("lms") != "moodle":
                left_out.append(f"{student}: came from {ref.get('lms')}, not Moodle")
                continue
            pages = sorted((out / "feedback" / student / assignment).glob("*.html"))
            if not pages:
                left_out.append(f"{student}: no feedback page (not graded, or the notebook could not be read)")
                continue
            for page in pages:
                z.write(page, f"{ref['name']}_{ref['id']}_assignfeedback_file_/{page.name}")
    return path, left_out
