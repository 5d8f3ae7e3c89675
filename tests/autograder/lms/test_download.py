"""Moodle and Canvas bulk-download zips, mapped to the course's student ids."""

from __future__ import annotations

import os
import re
import zipfile

import pytest

from autograder import lms

NB = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def make_zip(path, names):
    with zipfile.ZipFile(path, "w") as z:
        for name in names:
            z.writestr(name, NB)
    return path


def test_moodle_zip_in_folders_with_grading_worksheet(tmp_path):
    zp = make_zip(tmp_path / "moodle.zip", [
        "Amina Yusuf_1021_assignsubmission_file_/compensation.ipynb",
        "Amina Yusuf_1021_assignsubmission_file_/notes.txt",
        "José da Silva_1022_assignsubmission_file_/compensation (1).ipynb",
        "Li Wei_1023_assignsubmission_onlinetext_/onlinetext.html",
    ])
    roster = tmp_path / "grades.csv"
    roster.write_text("Identifier,Full name,ID number,Email address\n"
                      "Participant 1021,Amina Yusuf,s2001,a@uni.example\n"
                      "Participant 1022,José da Silva,s2002,j@uni.example\n", encoding="utf-8")
    intakes = {i.student_id: i for i in lms.unpack(zp, "compensation", ["compensation"], tmp_path / "subs",
                                                   participants=roster)}
    assert set(intakes) == {"s2001", "s2002", "moodle-1023"}
    assert (tmp_path / "subs" / "s2001" / "compensation" / "compensation.ipynb").read_bytes() == NB
    assert (tmp_path / "subs" / "s2001" / "compensation" / "notes.txt").exists()
    assert (tmp_path / "subs" / "s2002" / "compensation" / "compensation.ipynb").exists()
    assert "compensation (1).ipynb read as compensation.ipynb" in intakes["s2002"].notes
    assert ("moodle id 1023 is not in the participants file, or has no student id there: graded as moodle-1023"
            in intakes["moodle-1023"].notes)


def test_a_worksheet_row_without_an_id_number_is_named_in_its_status_not_guessed(tmp_path):
    """Each row is read by the worksheet's id column, whichever row lacks it: a first row without
    an ID number once made every student known by email (off the roster, on the shared facts),
    and a later one made its student moodle-<id> with nothing said."""
    zp = make_zip(tmp_path / "moodle.zip", [
        "Ana Lopes_1001_assignsubmission_file_/compensation.ipynb",
        "Ben Okafor_1002_assignsubmission_file_/compensation.ipynb",
        "Chen Yu_1003_assignsubmission_file_/compensation.ipynb",
    ])
    worksheet = tmp_path / "Grades.csv"
    worksheet.write_text("Identifier;Full name;ID number;Email address\n"  # a semicolon locale's spreadsheet
                         "Participant 1001;Ana Lopes;;ana@uni.example\n"
                         "Participant 1002;Ben Okafor;s002;ben@uni.example\n"
                         "Participant 1003;Chen Yu;s003;chen@uni.example\n", encoding="utf-8")
    intakes = {i.student_id: i for i in lms.unpack(zp, "compensation", ["compensation"], tmp_path / "subs",
                                                   participants=worksheet)}
    assert set(intakes) == {"moodle-1001", "s002", "s003"}
    assert any("moodle id 1001" in n and "no student id there" in n for n in intakes["moodle-1001"].notes)
    assert not any("participants file" in n for n in intakes["s002"].notes + intakes["s003"].notes)


def test_a_file_that_is_no_participants_list_says_which_files_are(tmp_path):
    zp = make_zip(tmp_path / "moodle.zip", ["Ana Lopes_1001_assignsubmission_file_/compensation.ipynb"])
    export = tmp_path / "grades-export.csv"  # Moodle's Grades > Export: no Identifier column
    export.write_text("First name,Last name,ID number,Email address,Assignment: compensation (Real)\n"
                      "Ana,Lopes,s001,ana@uni.example,-\n", encoding="utf-8")
    with pytest.raises(lms.DownloadError, match="grading worksheet.*Identifier.*lms_id,student_id"):
        lms.unpack(zp, "compensation", ["compensation"], tmp_path / "subs", participants=export)


def test_two_students_whose_ids_become_one_folder_stop_the_intake_naming_both(tmp_path):
    zp = make_zip(tmp_path / "moodle.zip", [
        "Ana Bell_1031_assignsubmission_file_/compensation.ipynb",
        "Ana Bello_1032_assignsubmission_file_/compensation.ipynb",
    ])
    roster = tmp_path / "grades.csv"
    roster.write_text("Identifier,Full name,ID number,Email address\n"
                      "Participant 1031,Ana Bell,a+b@uni.example,a@uni.example\n"
                      "Participant 1032,Ana Bello,a_b@uni.example,b@uni.example\n", encoding="utf-8")
    with pytest.raises(lms.DownloadError, match=r"'a\+b@uni.example' and 'a_b@uni.example' would both be graded as "
                                                r"'a_b@uni.example'.*nothing was graded.*participants file"):
        lms.unpack(zp, "compensation", ["compensation"], tmp_path / "subs", participants=roster)
    assert not (tmp_path / "subs").exists()


def test_a_zip_bomb_is_not_unpacked_and_no_other_student_is_lost(tmp_path, monkeypatch):
    zp = tmp_path / "moodle.zip"
    with zipfile.ZipFile(zp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Ana Bell_1031_assignsubmission_file_/compensation.ipynb", NB)
        z.writestr("Bo Lin_1032_assignsubmission_file_/compensation.ipynb", b"\0" * (64 * 2**20))  # 64 MiB
        z.writestr("Cy Dee_1033_assignsubmission_file_/compensation.ipynb", b" " * (3 * 2**20))  # small, but a bomb
    assert zp.stat().st_size < 2**20
    people = {p.student_id: p for p in lms.unpack(zp, "compensation", ["compensation"], tmp_path / "subs",
                                                  limit=32 * 2**20)}
    assert (tmp_path / "subs" / "moodle-1031" / "compensation" / "compensation.ipynb").read_bytes() == NB
    assert people["moodle-1032"].files == {} and people["moodle-1033"].files == {}
    assert people["moodle-1032"].notes == ["Bo Lin_1032_assignsubmission_file_/compensation.ipynb is 64 MiB unpacked, "
                                           "over the limit of 32 MiB: not read"]
    assert "as a zip bomb does: not read" in people["moodle-1033"].notes[0]
    assert not (tmp_path / "subs" / "moodle-1032" / "compensation" / "compensation.ipynb").exists()
    monkeypatch.setattr(lms.download, "MAX_MEMBERS", 2)
    with pytest.raises(lms.DownloadError, match="3 files, more than the 2 an LMS download of one assignment holds"):
        lms.read_zip(zp, ["compensation"])


def test_moodle_flat_zip_without_roster(tmp_path):
    zp = make_zip(tmp_path / "m.zip", ["Ana Lopez_77_assignsubmission_file_protection.ipynb"])
    (intake,) = lms.read_zip(zp, ["protection"])
    assert intake.student_id == "moodle-77" and list(intake.files) == ["protection.ipynb"]


def test_canvas_zip_with_gradebook_export(tmp_path):
    zp = make_zip(tmp_path / "submissions.zip", [
        "yusufamina_4411_900001_compensation.ipynb",
        "silvajose_LATE_4412_900002_compensation-1.ipynb",
        "weili_4413_900003_my_answers.ipynb",
    ])
    roster = tmp_path / "canvas.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section\n"
                      "    Points Possible,,,,\n"
                      "\"Yusuf, Amina\",4411,s2001,ayusuf,A\n\"da Silva, José\",4412,s2002,jsilva,A\n"
                      "\"Li, Wei\",4413,s2003,wli,A\n", encoding="utf-8")
    intakes = {i.student_id: i for i in lms.read_zip(zp, ["compensation"], participants=roster)}
    assert set(intakes) == {"s2001", "s2002", "s2003"}
    assert list(intakes["s2002"].files) == ["compensation.ipynb"]
    assert "handed in late (Canvas)" in intakes["s2002"].notes
    assert "my_answers.ipynb read as compensation.ipynb" in intakes["s2003"].notes


def test_a_zip_from_elsewhere_is_refused_with_a_reason(tmp_path):
    zp = make_zip(tmp_path / "other.zip", ["random/file.ipynb"])
    with pytest.raises(lms.DownloadError, match="does not look like a Moodle or Canvas"):
        lms.read_zip(zp, ["compensation"])


def test_grade_command_takes_a_moodle_zip(tmp_path):
    """The whole path: zip -> nbgrader layout -> graded rows under the roster's ids."""
    import shutil

    from autograder_support import kit_source

    from autograder.cli import main

    zp = tmp_path / "moodle.zip"
    with zipfile.ZipFile(zp, "w") as z:
        z.write(kit_source() / "savings-clause" / "savings-clause.ipynb",
                "Amina Yusuf_1021_assignsubmission_file_/savings-clause.ipynb")
    roster = tmp_path / "roster.csv"
    roster.write_text("lms_id,student_id\n1021,s2001\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["grade", "savings-clause", "--submissions", str(zp), "--participants", str(roster),
                 "--out", str(out), "--jobs", "1", "--no-progress"]) == 0
    import csv

    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        (row,) = csv.DictReader(f)
    # The instructor's notebook: every automatic mark; its written answers wait for the lecturer.
    assert (row["student_id"], row["assignment"]) == ("s2001", "savings-clause")
    assert float(row["auto_score"]) == float(row["auto_max_score"]) > 0
    shutil.rmtree(out)


def _moodle_would_import(name: str) -> tuple[str, str, str] | None:
    """Moodle's feedback-zip importer (mod/assign/feedback/file/importziplib.php), as a test
    oracle: the first path part of the form fullname_participantid_plugintype_pluginname[_rest]
    names the participant and the plugin; the rest of the path is the file."""
    parts = name.split("/")
    while parts:
        info = parts.pop(0).split("_", 4)
        if len(info) < 4 or not info[1].isdigit():
            continue
        rest = "/".join([info[4] if len(info) == 5 else "", *parts]).lstrip("/")
        return info[1], f"{info[2]}_{info[3]}", rest
    return None


def test_feedback_goes_back_to_moodle_as_its_importer_reads_it(tmp_path, capsys):
    from autograder import config, course
    from autograder.cli import main

    released = tmp_path / "released"
    course.release("protection", released, settings=config.settings())
    nb = (released / "protection" / "protection.ipynb").read_bytes()
    zp = tmp_path / "moodle.zip"
    with zipfile.ZipFile(zp, "w") as z:
        z.writestr("Amina Yusuf_1021_assignsubmission_file_/protection.ipynb", nb)
        z.writestr("José da Silva_1022_assignsubmission_file_/protection.ipynb", b"not a notebook")
    out = tmp_path / "grading"
    assert main(["grade", "protection", "--submissions", str(zp), "--out", str(out), "--jobs", "1",
                 "--no-progress"]) == 0
    assert main(["return", "protection", "--out", str(out)]) == 0
    said = capsys.readouterr()
    path = out / "lms" / "protection" / "moodle-feedback.zip"
    assert str(path) in said.out
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        imported = {n: _moodle_would_import(n) for n in names}
        assert imported["Amina Yusuf_1021_assignfeedback_file_/protection.html"] == \
            ("1021", "assignfeedback_file", "protection.html")
        assert b"protection" in z.read("Amina Yusuf_1021_assignfeedback_file_/protection.html")
        assert not any("_1022_" in n for n in names)
    # The unreadable notebook has no feedback page: left out, and said.
    assert "moodle-1022: no feedback page" in said.err


def test_return_before_grading_says_what_to_do(tmp_path, capsys):
    from autograder.cli import main

    assert main(["return", "protection", "--out", str(tmp_path)]) == 2
    assert re.match(r"error: no gradebook.db in .*: .*grade protection --submissions", capsys.readouterr().err)
    assert not (tmp_path / "gradebook.db").exists()


def test_members_are_streamed_to_disk_never_held_whole(tmp_path):
    import tracemalloc

    big = os.urandom(24 * 2**20)  # does not compress: no zip bomb, just large
    zp = tmp_path / "moodle.zip"
    with zipfile.ZipFile(zp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Ana Bell_1031_assignsubmission_file_/compensation.ipynb", big)
        z.writestr("Bo Lin_1032_assignsubmission_file_/compensation.ipynb", NB)
    tracemalloc.start()
    try:
        lms.unpack(zp, "compensation", ["compensation"], tmp_path / "subs", limit=32 * 2**20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (tmp_path / "subs" / "moodle-1031" / "compensation" / "compensation.ipynb").read_bytes() == big
    assert peak < 8 * 2**20, f"unpacking held {peak / 2**20:.0f} MiB at once"


def test_a_member_whose_header_lies_is_not_unpacked_and_no_other_student_is_lost(tmp_path):
    zp = tmp_path / "moodle.zip"
    lying = "Bo Lin_1032_assignsubmission_file_/compensation.ipynb"
    with zipfile.ZipFile(zp, "w", zipfile.ZIP_STORED) as z:
        z.writestr("Ana Bell_1031_assignsubmission_file_/compensation.ipynb", NB)
        z.writestr(lying, b"x" * 4000)
    # Its central directory and local header now claim 40 bytes of the 4000 stored.
    raw = bytearray(zp.read_bytes())
    # (signature, offset of the unpacked size, header length); the name's length follows the size.
    for signature, at, header in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := raw.find(signature, start)) >= 0:
            name_len = int.from_bytes(raw[start + at + 4:start + at + 6], "little")
            if raw[start + header:start + header + name_len] == lying.encode():
                raw[start + at:start + at + 4] = (40).to_bytes(4, "little")
            start += 4
    zp.write_bytes(bytes(raw))
    people = {p.student_id: p for p in lms.unpack(zp, "compensation", ["compensation"], tmp_path / "subs")}
    assert (tmp_path / "subs" / "moodle-1031" / "compensation" / "compensation.ipynb").read_bytes() == NB
    assert people["moodle-1032"].files == {}
    assert any("cannot be unpacked" in n and lying in n for n in people["moodle-1032"].notes), people["moodle-1032"].notes
    assert not (tmp_path / "subs" / "moodle-1032" / "compensation" / "compensation.ipynb").exists()


def test_a_download_too_large_in_all_is_refused_before_anything_is_unpacked(tmp_path, monkeypatch):
    zp = make_zip(tmp_path / "m.zip", ["Ana Lopez_77_assignsubmission_file_protection.ipynb",
                                       "Bo Lin_78_assignsubmission_file_protection.ipynb"])
    monkeypatch.setattr(lms.download, "MAX_TOTAL", 10)
    with pytest.raises(lms.DownloadError, match="more than the 10 bytes one batch may; nothing was unpacked"):
        lms.unpack(zp, "protection", ["protection"], tmp_path / "subs")
    assert not (tmp_path / "subs").exists()
