"""The LMS round trip as Moodle's and Canvas's own code names and reads the files: every
current download layout in, grades back in the LMS's own import file, nothing else changed.

The layouts are those the LMSs' code writes (Moodle: mod/assign/locallib.php up to 4.0 and
mod/assign/classes/downloader.php from 4.1; Canvas: lib/content_zipper.rb); the worksheet and
gradebook are read back by rules taken from their importers (Moodle:
mod/assign/feedback/offline/importgradeslib.php; Canvas: lib/gradebook_importer.rb)."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from autograder_support import read_csv, set_answer

from autograder import config, course, lms
from autograder.cli import main

NB = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
ASSIGNMENT = "savings-clause"


def _zip(path, entries: dict[str, bytes]):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("name, student, filename, note", [
    # Moodle 4.1 to 4.5, "Download submissions in folders" (the default)
    ("Amina Yusuf_1021_assignsubmission_file/protection.ipynb", "moodle-1021", "protection.ipynb", None),
    # Moodle 3.x to 4.0, in folders
    ("Amina Yusuf_1021_assignsubmission_file_/protection.ipynb", "moodle-1021", "protection.ipynb", None),
    # any version, without folders
    ("Amina Yusuf_1021_assignsubmission_file_protection.ipynb", "moodle-1021", "protection.ipynb", None),
    # a file in a sub-folder of the submission keeps its folder
    ("Amina Yusuf_1021_assignsubmission_file/data/cases.csv", "moodle-1021", "data/cases.csv", None),
    # blind marking
    ("Participant_1044_assignsubmission_file/protection.ipynb", "moodle-1044", "protection.ipynb", None),
    # online text, 4.1+ and 3.x: no notebook, and said so
    ("Li Wei_1023_assignsubmission_onlinetext/onlinetext.html", "moodle-1023", "onlinetext.html", "online text"),
    ("Li Wei_1023_assignsubmission_onlinetext_/onlinetext.html", "moodle-1023", "onlinetext.html", "online text"),
])
def test_every_moodle_layout(tmp_path, name, student, filename, note):
    zp = _zip(tmp_path / "m.zip", {name: NB})
    (person,) = lms.read_zip(zp, ["protection"])
    assert person.student_id == student
    assert list(person.files) == [filename]
    assert person.lms_ref["lms"] == "moodle"
    if note:
        assert any(note in n for n in person.notes), person.notes
    else:
        assert not person.notes


@pytest.mark.parametrize("name, student, filename, note", [
    ("yusufamina_4411_900001_protection.ipynb", "canvas-4411", "protection.ipynb", None),
    ("silvajose_LATE_4412_900002_protection.ipynb", "canvas-4412", "protection.ipynb", "late"),
    # two files of the same name in one zip: Canvas adds -1 before the extension
    ("silvajose_4412_900003_protection-1.ipynb", "canvas-4412", "protection.ipynb", "read as"),
    # a name that keeps an underscore, and a group's name with one member's id
    ("ngo_thi_4413_900004_protection.ipynb", "canvas-4413", "protection.ipynb", None),
    ("group3_4414_900005_protection.ipynb", "canvas-4414", "protection.ipynb", None),
    # anonymous grading
    ("anon_Xb7Qz_900006_protection.ipynb", "canvas-anon_Xb7Qz", "protection.ipynb", None),
    ("LATE_anon_Xb7Qz_900007_protection.ipynb", "canvas-anon_Xb7Qz", "protection.ipynb", "late"),
    # a text entry instead of a file
    ("weili_4415_text.html", "canvas-4415", "text.html", "text entry"),
])
def test_every_canvas_layout(tmp_path, name, student, filename, note):
    zp = _zip(tmp_path / "c.zip", {name: NB})
    (person,) = lms.read_zip(zp, ["protection"])
    assert (person.student_id, list(person.files)) == (student, [filename])
    if note:
        assert any(note in n for n in person.notes), person.notes
    else:
        assert not person.notes


def test_a_zip_of_neither_names_what_was_expected_and_found(tmp_path):
    zp = _zip(tmp_path / "x.zip", {"week 3/answers.ipynb": NB, "week 3/notes.txt": b""})
    with pytest.raises(lms.DownloadError) as e:
        lms.read_zip(zp, ["protection"])
    message = str(e.value)
    assert "assignsubmission_file/notebook.ipynb' (4.1 and later)" in message
    assert "lastfirst_12345_678901_notebook.ipynb" in message
    assert "Found: week 3/answers.ipynb, week 3/notes.txt" in message


def test_names_of_no_one_are_not_dropped_unseen(tmp_path):
    zp = _zip(tmp_path / "m.zip", {"Amina Yusuf_1021_assignsubmission_file/protection.ipynb": NB,
                                   "readme.txt": b"from the lecturer"})
    skipped: list[str] = []
    lms.read_zip(zp, ["protection"], skipped=skipped)
    assert skipped == ["readme.txt"]


# -- grades back -------------------------------------------------------------------------------

WORKSHEET = ("Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
             "Last modified (submission),Last modified (grade),Feedback comments\n"
             "Participant 1021,Amina Yusuf,a@uni.example,Submitted for grading,,100.00,Yes,"
             "\"Monday, 30 November 2026, 10:00 AM\",-,\n"
             "Participant 1022,José da Silva,j@uni.example,Submitted for grading,,100.00,Yes,"
             "\"Monday, 30 November 2026, 11:00 AM\",-,\"Seen in class, well argued\"\n"
             "Participant 1030,Sam Okafor,s@uni.example,No submission,,100.00,Yes,-,-,\n")


def _moodle_importer_reads(text: str) -> dict[str, dict[str, str]]:
    """What Moodle's offline-grading importer takes from a worksheet: columns found by their
    exact headings, the participant id after 'Participant ', the grade and the comments."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    for required in ("Identifier", "Grade", "Last modified (grade)"):
        assert required in header
    width = len(header)
    out = {}
    for row in rows[1:]:
        assert len(row) == width  # csvweirdcolumns otherwise: the whole file is refused
        ident = row[header.index("Identifier")]
        out[ident[len("Participant "):]] = dict(zip(header, row, strict=True))
    return out


@pytest.fixture(scope="module")
def graded_from_moodle(tmp_path_factory):
    """Three Moodle participants graded from a 4.1+ download: two notebooks, one not."""
    root = tmp_path_factory.mktemp("moodle-round-trip")
    released = root / "released"
    course.release(ASSIGNMENT, released, settings=config.settings())
    blank = released / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    answered = root / "answered.ipynb"
    answered.write_bytes(blank.read_bytes())
    set_answer(answered, "q1", '"A"')
    zp = _zip(root / "download.zip", {
        f"Amina Yusuf_1021_assignsubmission_file/{ASSIGNMENT}.ipynb": answered.read_bytes(),
        f"José da Silva_1022_assignsubmission_file/{ASSIGNMENT}.ipynb": blank.read_bytes(),
        f"Extra Student_1099_assignsubmission_file/{ASSIGNMENT}.ipynb": blank.read_bytes(),
    })
    out = root / "grading"
    assert main(["grade", ASSIGNMENT, "--submissions", str(zp), "--out", str(out), "--jobs", "2",
                 "--no-progress"]) == 0
    return out, read_csv(out / "grades.csv")


def test_grades_go_back_in_moodles_worksheet_and_nothing_else_changes(graded_from_moodle, tmp_path, capsys):
    out, grades = graded_from_moodle
    sheet = tmp_path / "Grades-course-assignment-12.csv"
    sheet.write_bytes(b"\xef\xbb\xbf" + WORKSHEET.encode("utf-8"))  # Moodle writes a BOM
    assert main(["return", ASSIGNMENT, "--out", str(out), "--moodle-worksheet", str(sheet)]) == 0
    said = capsys.readouterr()
    filled = out / "lms" / ASSIGNMENT / "moodle-grading-worksheet.csv"
    assert str(filled) in said.out and "2 grade(s) filled in" in said.out
    assert "not in the LMS's file, so not returned: moodle-1099" in said.err
    before = _moodle_importer_reads(WORKSHEET)
    after = _moodle_importer_reads(filled.read_text(encoding="utf-8"))
    assert set(after) == set(before)
    for pid, sid in (("1021", "moodle-1021"), ("1022", "moodle-1022")):
        row = grades[sid]
        expected = float(row["score"]) / float(row["max_score"]) * 100
        assert float(after[pid]["Grade"]) == pytest.approx(expected, abs=0.005)
        changed = {k for k in before[pid] if before[pid][k] != after[pid][k]}
        assert changed <= {"Grade", "Feedback comments"}
    row = grades["moodle-1021"]
    assert after["1021"]["Feedback comments"].startswith(f"{float(row['score']):g} of {float(row['max_score']):g} points")
    assert after["1022"]["Feedback comments"] == "Seen in class, well argued"  # the lecturer's own stays
    assert after["1030"] == before["1030"]  # no submission: the row as Moodle wrote it
    # The feedback pages go back too, in the zip Moodle's feedback-file importer reads.
    assert (out / "lms" / ASSIGNMENT / "moodle-feedback.zip").exists()


def test_a_worksheet_that_is_not_one_is_refused_with_the_fix(graded_from_moodle, tmp_path, capsys):
    out, _ = graded_from_moodle
    sheet = tmp_path / "grades.csv"
    sheet.write_text("Name,Mark\nAmina,3\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["return", ASSIGNMENT, "--out", str(out), "--moodle-worksheet", str(sheet)]) == 1
    assert re.search(r"error: .*grades.csv:1: not a Moodle grading worksheet: no column 'Identifier'",
                     capsys.readouterr().err)


def test_a_mistyped_assignment_is_named_with_the_ones_the_gradebook_has(graded_from_moodle, tmp_path, capsys):
    out, _ = graded_from_moodle
    capsys.readouterr()
    assert main(["return", "savings-clauses", "--out", str(out), "--moodle-worksheet", str(tmp_path / "w.csv")]) == 1
    err = capsys.readouterr().err
    assert f"nothing of 'savings-clauses' is graded in {out} (it has '{ASSIGNMENT}')" in err
    assert "Traceback" not in err


def _canvas_importer_reads(text: str, column: str) -> dict[str, str]:
    """What Canvas's gradebook importer takes: Student and ID first, the assignment column by
    its 'Title (id)' heading, the Points Possible row skipped, students by ID."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert "Student" in header[0] and "ID" in header[1] and "Section" in header
    at = header.index(column)
    return {r[1]: r[at] for r in rows[1:] if "Points Possible" not in r[0]}


def test_grades_go_back_in_canvas_gradebook(tmp_path, capsys):
    released = tmp_path / "released"
    course.release(ASSIGNMENT, released, settings=config.settings())
    blank = (released / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()
    zp = _zip(tmp_path / "submissions.zip", {
        f"yusufamina_4411_900001_{ASSIGNMENT}.ipynb": blank,
        f"silvajose_LATE_4412_900002_{ASSIGNMENT}.ipynb": blank,
    })
    out = tmp_path / "grading"
    assert main(["grade", ASSIGNMENT, "--submissions", str(zp), "--out", str(out), "--jobs", "2",
                 "--no-progress"]) == 0
    column = "Savings clause (7731)"
    export = ("Student,ID,SIS User ID,SIS Login ID,Section,Week 1 quiz (7701),Savings clause (7731),"
              "Current Score,Final Score\n"
              "    Points Possible,,,,,10.00,20.00,(read only),(read only)\n"
              "\"Yusuf, Amina\",4411,s2001,ayusuf,Section A,8.00,,80.00,80.00\n"
              "\"da Silva, José\",4412,s2002,jsilva,Section A,9.50,,95.00,95.00\n"
              "\"Okafor, Sam\",4413,s2003,sokafor,Section A,7.00,,70.00,70.00\n")
    gb = tmp_path / "gradebook.csv"
    gb.write_text(export, encoding="utf-8")
    assert main(["return", ASSIGNMENT, "--out", str(out), "--canvas-gradebook", str(gb),
                 "--canvas-column", "7731"]) == 0
    said = capsys.readouterr()
    assert "2 grade(s) filled in" in said.out
    text = (out / "lms" / ASSIGNMENT / "canvas-gradebook.csv").read_text(encoding="utf-8")
    grades = read_csv(out / "grades.csv")
    after = _canvas_importer_reads(text, column)
    for canvas_id in ("4411", "4412"):
        row = grades[f"canvas-{canvas_id}"]
        assert float(after[canvas_id]) == pytest.approx(float(row["score"]) / float(row["max_score"]) * 20, abs=0.005)
    assert after["4413"] == ""  # no submission: left empty, which the importer reads as no change
    # Every other cell as Canvas wrote it.
    old_rows, new_rows = list(csv.reader(io.StringIO(export))), list(csv.reader(io.StringIO(text)))
    at = old_rows[0].index(column)
    assert [r[:at] + r[at + 1:] for r in old_rows] == [r[:at] + r[at + 1:] for r in new_rows]


def test_an_unknown_canvas_column_lists_the_columns(tmp_path, graded_from_moodle, capsys):
    out, _ = graded_from_moodle
    gb = tmp_path / "gradebook.csv"
    gb.write_text("Student,ID,SIS User ID,SIS Login ID,Section,Week 1 quiz (7701)\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["return", ASSIGNMENT, "--out", str(out), "--canvas-gradebook", str(gb)]) == 1
    assert re.search(r"error: .*no assignment column 'savings-clause'.*Week 1 quiz \(7701\)", capsys.readouterr().err)


def test_a_name_that_is_a_formula_goes_back_as_text_and_the_grade_still_lands(graded_from_moodle, tmp_path):
    # The LMS's names and comments are not ours: a lecturer opens the file in a spreadsheet
    # before uploading it. The importers match rows on the identifier, never the name.
    out, grades = graded_from_moodle
    formula = "=cmd|' /C calc'!A0"
    sheet = tmp_path / "Grades-course-assignment-12.csv"
    sheet.write_text(WORKSHEET.replace("Amina Yusuf", formula), encoding="utf-8")
    assert main(["return", ASSIGNMENT, "--out", str(out), "--moodle-worksheet", str(sheet)]) == 0
    after = _moodle_importer_reads((out / "lms" / ASSIGNMENT / "moodle-grading-worksheet.csv").read_text(encoding="utf-8"))
    assert after["1021"]["Full name"] == "'" + formula
    row = grades["moodle-1021"]
    assert float(after["1021"]["Grade"]) == pytest.approx(float(row["score"]) / float(row["max_score"]) * 100, abs=0.005)
    assert after["1030"]["Last modified (grade)"] == "-"  # Moodle's own placeholder stays as it was


def test_a_canvas_name_that_is_a_formula_goes_back_as_text(tmp_path):
    from autograder.lms import canvas

    formula = "@SUM(1+1)*cmd|' /C calc'!A0"
    export = ("Student,ID,SIS User ID,SIS Login ID,Section,Savings clause (7731)\n"
              "    Points Possible,,,,,20.00\n"
              f"\"{formula}\",4411,s2001,ayusuf,Section A,\n")
    gb = tmp_path / "gradebook.csv"
    gb.write_text(export, encoding="utf-8")
    text, missing = canvas.fill_gradebook(gb, "7731", {"canvas-4411": (2.0, 4.0)}, {"canvas-4411": "4411"})
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[2][0] == "'" + formula and float(rows[2][5]) == pytest.approx(10.0) and not missing
