"""The other subcommands: coverage, print, variants and build."""

from __future__ import annotations

import csv
import io
import json

import pytest

import protocol
from exercises.cli import main
from exercises.sections import PAGES


def test_coverage_csv_one_row_per_provision(capsys):
    assert main(["coverage", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["provision"] for r in rows] == protocol.provision_ids()
    for r in rows:
        assert int(r["items"]) >= 3 and int(r["applied"]) >= 1, r["provision"]
        assert int(r["items"]) == sum(int(v) for k, v in r.items() if k.startswith("type_"))


def test_coverage_fails_when_a_provision_is_thin(bank_copy, capsys):
    for path in bank_copy.rglob("*.yaml"):
        if "'8(6)'" in path.read_text():
            path.unlink()
    assert main(["--bank", str(bank_copy), "coverage"]) == 1
    assert "8(6)" in capsys.readouterr().out


def test_page_items_alone_cover_every_provision(bank):
    """At least 60 items written for the key-issue pages (public, or graded in a page's folder
    under graded/; the assignments' own items aside), 3 per provision."""
    own = [i for i in bank if i.path.parent.name in PAGES]
    assert len(own) >= 60
    for pid in protocol.provision_ids():
        tests = [i for i in own if pid in i.provisions]
        assert len(tests) >= 3 and any(i.applies_to_facts for i in tests), pid


def test_print_writes_quiz_and_separate_key(tmp_path, bank):
    assert main(["print", "-o", str(tmp_path), "--select", "page=compensation"]) == 0
    quiz = (tmp_path / "quiz.html").read_text()
    key = (tmp_path / "answer-key.html").read_text()
    assert "@media print" in quiz and "Model answer" not in quiz and "✓" not in quiz
    assert "Answer: 1200" not in quiz and "working:" not in quiz
    numeric = next(i for i in bank if i.id == "comp-sabhnani-unpaid")
    assert "Answer: 1200 US dollars" in key and numeric.numeric.derivation in key
    assert "$US200" in quiz  # the module's own spelling reaches the page unchanged
    assert quiz.count('<section class="q"') == key.count('<section class="q"')


def _write_roster(path, ids):
    path.write_text("student_id,name\n" + "".join(f"{i},Name {i}\n" for i in ids), encoding="utf-8")


def test_variants_are_reproducible_and_differ_between_students(tmp_path):
    roster = tmp_path / "roster.csv"
    _write_roster(roster, ["s001", "s002", "s003"])
    for out in ("a", "b"):
        assert main(["variants", "--roster", str(roster), "--seed", "42", "-o", str(tmp_path / out)]) == 0
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == 3 * 2 + 1
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
    pages = [(tmp_path / "a" / "students" / f"{s}.html").read_text() for s in ("s001", "s002", "s003")]
    assert len(set(p.replace(s, "") for p, s in zip(pages, ("s001", "s002", "s003")))) == 3
    assert "Answer" not in pages[0].split("<body>")[1].split("Name:")[0]
    key = list(csv.DictReader((tmp_path / "a" / "lecturer" / "key.csv").open()))
    assert len(key) == 3 * 3 and {r["student"] for r in key} == {"s001", "s002", "s003"}


def test_other_seed_other_facts(tmp_path):
    roster = tmp_path / "roster.csv"
    _write_roster(roster, ["s001"])
    main(["variants", "--roster", str(roster), "--seed", "1", "-o", str(tmp_path / "one")])
    main(["variants", "--roster", str(roster), "--seed", "2", "-o", str(tmp_path / "two")])
    assert (tmp_path / "one" / "lecturer" / "s001.json").read_text() != (tmp_path / "two" / "lecturer" / "s001.json").read_text()


@pytest.mark.parametrize("content, message", [
    ("student_id\n", "no students"),
    ("student_id\ns001\n\n,x\n", "empty"),
    ("student_id\ns001\ns001\n", "repeats line 2"),
    ("student_id\ns001\n../s002\n", ":3: student id '../s002' cannot name a folder"),
])
def test_roster_errors_say_which_line(tmp_path, capsys, content, message):
    roster = tmp_path / "roster.csv"
    roster.write_text(content)
    assert main(["variants", "--roster", str(roster), "--seed", "1", "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert str(roster) in err and message in err


def test_build_writes_the_nbgrader_sources(monkeypatch, tmp_path, capsys):
    import exercises.assignments.build as build
    calls = []
    monkeypatch.setattr(build, "build_sources", lambda: calls.append(1) or [tmp_path / "a.ipynb"])
    assert main(["build"]) == 0
    assert calls == [1] and "nbgrader sources: 1 files written to" in capsys.readouterr().out


def test_a_quiz_of_n_questions_is_the_same_for_the_same_seed(tmp_path, capsys):
    for folder, seed in (("a", "term-1"), ("b", "term-1"), ("c", "term-2")):
        assert main(["print", "-o", str(tmp_path / folder), "--select", "use=self-check",
                     "--count", "5", "--seed", seed]) == 0
        assert "(5 questions)" in capsys.readouterr().out
    quiz = {f: (tmp_path / f / "quiz.html").read_text(encoding="utf-8") for f in "abc"}
    assert quiz["a"] == quiz["b"] and quiz["a"] != quiz["c"]


def test_the_lecturers_record_names_the_person_the_student_reads(tmp_path):
    roster = tmp_path / "roster.csv"
    _write_roster(roster, [f"s{n:03d}" for n in range(12)])
    main(["variants", "--roster", str(roster), "--seed", "4", "-o", str(tmp_path / "v")])
    pronouns = set()
    for path in (tmp_path / "v" / "lecturer").glob("*.json"):
        for v in json.loads(path.read_text(encoding="utf-8"))["variants"]:
            assert f"facts about {v['facts']['name']}" in v["stem"]
            pronouns.add(v["facts"]["pronoun"])
    assert len(pronouns) > 1


def test_the_variants_key_keeps_a_formula_in_a_roster_as_text(tmp_path):
    roster = tmp_path / "roster.csv"
    _write_roster(roster, ["=1+1", "s002"])
    assert main(["variants", "--roster", str(roster), "--seed", "2026", "-o", str(tmp_path / "a")]) == 0
    with open(tmp_path / "a" / "lecturer" / "key.csv", newline="", encoding="utf-8") as f:
        students = {r["student"] for r in csv.DictReader(f)}
    assert students == {"'=1+1", "s002"}


def test_a_reader_that_stops_early_gets_no_traceback():
    """`python -m exercises coverage | head`: the pipe closes after the first lines; the command
    ends quietly instead of printing BrokenPipeError."""
    import subprocess
    import sys
    from pathlib import Path

    proc = subprocess.Popen([sys.executable, "-m", "exercises", "coverage"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parents[2])
    assert proc.stdout is not None
    proc.stdout.close()  # as head does once it has its lines: here before the command writes
    err = proc.stderr.read() if proc.stderr else b""
    assert proc.wait(timeout=120) == 0
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()
