"""Feedback back to the LMS: the pages each student gets, in the form its bulk upload reads."""

from __future__ import annotations

import zipfile
from pathlib import Path

from autograder.lms.download import DownloadError, StudentFiles

LMS_REFS = "lms.json"  # in OUT/<assignment>/...: how the LMS named each student, from the zip graded


def save_refs(out: Path, assignment: str, intakes: list[StudentFiles]) -> Path:
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
        raise DownloadError(f"no {refs_path}: grade a Moodle 'Download all submissions' zip first "
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
