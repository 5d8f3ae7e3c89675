"""Bulk-download zips from Moodle and Canvas -> nbgrader's DIR/<student_id>/<assignment>/.

How each LMS names the files is in ``moodle.py`` and ``canvas.py``, from their own code.
Their ids are the LMS's own. A participants CSV (--participants) maps them to the course's
student ids: either columns ``lms_id,student_id``, or the LMS's own export (Moodle grading
worksheet: ``Identifier`` = "Participant 123", with ``ID number`` or ``Email address``;
Canvas gradebook: ``ID`` with ``SIS User ID`` or ``SIS Login ID``). Without one the ids are
``moodle-<participant id>`` / ``canvas-<user id>``.
"""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder.isolation.limits import Limits, size
from autograder.lms import canvas, moodle
from exercises import spreadsheet

PARSERS = {"moodle": moodle.parse, "canvas": canvas.parse}
RESUBMITTED = re.compile(r"(?:-\d+| \(\d+\))(?=\.ipynb$)")
# A zip is hostile input: what it claims is checked before anything is unpacked.
MAX_MEMBERS = 20_000  # files in one download: far more than any class hands in
BOMB_RATIO = 200  # unpacked / packed: past it (and past 1 MiB) a member is a zip bomb, not a notebook
MAX_TOTAL = 4 * 2**30  # bytes the members to be unpacked may claim in all: 4 GiB, 125 notebooks at the largest
CHUNK = 2**20  # members are copied to disk this much at a time, never held whole


class DownloadError(ValueError):
    """A zip that is not an LMS download the kit reads; the message says what was expected."""


@dataclass
class StudentFiles:
    student_id: str
    # file name in the student's folder -> the zip member it is unpacked from
    files: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Where the LMS keeps this student: {"lms", "id", "name"}, to hand feedback back the same way.
    lms_ref: dict[str, str] = field(default_factory=dict)


def detect(names: list[str]) -> str:
    files = [n for n in names if not n.endswith("/") and "__MACOSX" not in n]
    for lms, parse in PARSERS.items():
        if any(parse(n) for n in files):
            return lms
    sample = ", ".join(files[:3]) or "no files"
    raise DownloadError(
        f"this zip does not look like a Moodle or Canvas bulk download. Expected names such as {moodle.EXPECTED}; "
        f"or {canvas.EXPECTED}. Found: {sample}{' ...' if len(files) > 3 else ''}. "
        "Unzip it into DIR/<student_id>/<assignment>/ and grade that folder instead, or say which LMS made it with --lms")


def read_participants(path: Path | None, lms: str) -> dict[str, str]:
    """LMS id -> the course's student id, from the file given with --participants: columns
    lms_id,student_id; Moodle's grading worksheet (Identifier, and the first of ID number, email
    address or username that any row fills); or Canvas's gradebook export (ID, SIS User ID or SIS
    Login ID). A row whose student id is empty is left out, so that its submission's status says
    so rather than it being graded under an id the lecturer never chose."""
    if path is None:
        return {}
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(text.splitlines(), delimiter=spreadsheet.delimiter(text)))
    if not rows:
        return {}
    cols = list(rows[0].keys())

    def mapping(lms_col: str, sid_col: str, lms_id=lambda v: v.strip()) -> dict[str, str]:
        pairs = ((lms_id(r.get(lms_col) or ""), (r.get(sid_col) or "").strip()) for r in rows)
        return {k: v for k, v in pairs if k and v}

    if {"lms_id", "student_id"} <= set(cols):
        return mapping("lms_id", "student_id")
    if lms == "moodle" and "Identifier" in cols:
        key = next((c for c in moodle.PERSON_COLUMNS if c in cols and any((r.get(c) or "").strip() for r in rows)), None)
        if key:
            return mapping("Identifier", key, lambda v: re.sub(r"\D", "", v))
    if lms == "canvas" and "ID" in cols:
        key = next((c for c in canvas.ID_COLUMNS[1:] if c in cols), None)
        if key:
            return {k: v for k, v in mapping("ID", key).items() if k.isdigit()}
    raise DownloadError(
        f"{path}:1: cannot tell which column holds the LMS id and which the student id (found: {', '.join(cols[:8])}). "
        "Give Moodle's grading worksheet of the assignment (View all submissions > Grading action > Download "
        "grading worksheet: it has an 'Identifier' column), Canvas's gradebook export (Grades > Export: 'ID' and "
        "'SIS User ID'), or a CSV of your own with the columns lms_id,student_id")


def _safe_id(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._-]+", "_", s).strip("._") or "unknown"


def _refused(info: zipfile.ZipInfo, limit: int) -> str | None:
    """Why a member is not to be unpacked, from what its header claims: larger than a
    submission's file may be, or packed like a zip bomb. None: it may be unpacked."""
    if info.file_size > limit:
        return f"{info.filename} is {size(info.file_size)} unpacked, over the limit of {size(limit)}: not read"
    if info.file_size > 2**20 and info.file_size > BOMB_RATIO * max(info.compress_size, 1):
        return (f"{info.filename} unpacks {info.file_size // max(info.compress_size, 1)} times larger than it is "
                "packed, as a zip bomb does: not read")
    return None


def _copy(z: zipfile.ZipFile, member: str, target: Path) -> str | None:
    """Stream a member into `target`, a chunk at a time. zipfile reads no more than the size
    the header claims (checked against the limit before anything is unpacked) and checks the
    data against the header's CRC: a member whose data is not what its header says is removed
    again, and so is one of an unknown method or with a password. None: copied."""
    try:
        with z.open(member) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
        target.unlink(missing_ok=True)
        return f"{member} cannot be unpacked ({e}): not read; download the zip again from the LMS"
    return None


def read_zip(zip_path: Path, notebooks: list[str], *, participants: Path | None = None,
             lms: str | None = None, skipped: list[str] | None = None,
             limit: int | None = None) -> list[StudentFiles]:
    """The submissions in an LMS zip, each under the course's student id, with the member each
    file is to be unpacked from; nothing is unpacked here. Names that are no one's submission
    are added to `skipped`, so that nothing is dropped unseen. A file whose header claims more
    than `limit` bytes unpacked (default: the largest notebook grading opens), or a zip bomb's
    ratio, is left out, and its student's status says why; the rest of the batch is read as usual.
    A zip of more than MAX_MEMBERS files, or whose files to unpack claim more than MAX_TOTAL
    bytes in all, is refused whole (DownloadError)."""
    limit = Limits().notebook_bytes if limit is None else limit
    try:
        z = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile:
        raise DownloadError(f"{zip_path}: not a zip file; download it again from the LMS") from None
    with z:
        if len(z.infolist()) > MAX_MEMBERS:
            raise DownloadError(f"{zip_path}: {len(z.infolist())} files, more than the {MAX_MEMBERS} an LMS download "
                                "of one assignment holds; nothing was read. Download it again from the LMS")
        names = z.namelist()
        lms = lms or detect(names)
        parse = PARSERS[lms]
        ids = read_participants(participants, lms)
        found: dict[str, StudentFiles] = {}
        for name in names:
            if name.endswith("/") or "__MACOSX" in name:
                continue
            entry = parse(name)
            if entry is None:
                if skipped is not None:
                    skipped.append(name)
                continue
            sid = ids.get(entry.lms_id)
            person = found.get(entry.lms_id)
            if person is None:
                person = found[entry.lms_id] = StudentFiles(
                    _safe_id(sid or f"{lms}-{entry.lms_id}"),
                    lms_ref={"lms": lms, "id": entry.lms_id, "name": entry.name})
                if ids and sid is None:
                    person.notes.append(f"{lms} id {entry.lms_id} is not in the participants file, or has no "
                                        f"student id there: graded as {lms}-{entry.lms_id}")
            for note in entry.notes:
                if note not in person.notes:
                    person.notes.append(note)
            # A Moodle file in a sub-folder keeps it (an assignment's data/ folder, say).
            filename = str(PurePosixPath(entry.filename))
            fixed = RESUBMITTED.sub("", filename)
            if fixed.endswith(".ipynb") and "/" not in fixed and fixed[:-6] not in notebooks and len(notebooks) == 1:
                fixed = f"{notebooks[0]}.ipynb"
            if fixed != filename:
                person.notes.append(f"{filename} read as {fixed}")
            if ".." in PurePosixPath(fixed).parts or fixed.startswith("/"):
                if skipped is not None:
                    skipped.append(name)
                continue
            why = _refused(z.getinfo(name), limit)
            if why:
                person.notes.append(why)
                continue
            person.files[fixed] = name
        claimed = sum(z.getinfo(m).file_size for person in found.values() for m in person.files.values())
        if claimed > MAX_TOTAL:
            raise DownloadError(f"{zip_path}: its submissions unpack to {size(claimed)}, more than the {size(MAX_TOTAL)} "
                                "one batch may; nothing was unpacked. Download the submissions in smaller groups")
    _refuse_merged_ids(zip_path, found, ids, lms)
    return sorted(found.values(), key=lambda i: i.student_id)


def _refuse_merged_ids(zip_path: Path, found: dict[str, StudentFiles], ids: dict[str, str], lms: str) -> None:
    """Two people whose ids differ only in characters a folder name cannot hold (a+b@x and
    a_b@x) would share one folder, one row and one grade: stop, naming both."""
    by_folder: dict[str, list[str]] = {}
    for lms_id, person in found.items():
        by_folder.setdefault(person.student_id, []).append(ids.get(lms_id) or f"{lms}-{lms_id}")
    clashes = {folder: names for folder, names in by_folder.items() if len(names) > 1}
    if clashes:
        folder, names = sorted(clashes.items())[0]
        raise DownloadError(
            f"{zip_path}: the students {' and '.join(repr(n) for n in sorted(names))} would both be graded as "
            f"{folder!r} (letters, digits and @ . _ - are kept, anything else becomes _); nothing was graded. "
            "Give them ids that differ in those characters, in the participants file (lms_id,student_id)")


def unpack(zip_path: Path, assignment: str, notebooks: list[str], dest: Path, **kw) -> list[StudentFiles]:
    """Write the zip's submissions into nbgrader's layout under `dest`, one member at a time,
    streamed to disk. A member whose data is not what its header says is removed again, and
    its student's status says so."""
    people = read_zip(zip_path, notebooks, **kw)
    with zipfile.ZipFile(zip_path) as z:
        for person in people:
            folder = dest / person.student_id / assignment
            folder.mkdir(parents=True, exist_ok=True)
            for name, member in list(person.files.items()):
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                why = _copy(z, member, folder / name)
                if why:
                    person.notes.append(why)
                    del person.files[name]
    return people
