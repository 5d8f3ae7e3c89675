"""No graded key in anything a student receives: every assignment released with and without a
roster, an assignment a lecturer makes with `python -m exercises assignment`, and the course
site (its pages, its search index and the notebooks it publishes under lite/), searched for
every key in the forms a key takes (tests/key_leaks.py). The scan itself finds planted keys."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import key_leaks
import nbformat
import pytest
from autograder_support import SEED, kit_source

from autograder import config, course
from exercises.assignments import student_facts
from exercises.assignments.key import graded_bank
from exercises.assignments.new import create
from exercises.bank import load_bank
from exercises.graded.metadata import read
from exercises.select import select

STUDENTS = ("s-ana", "s-ben", "s-chidi")


def _template(source_nb) -> str | None:
    info = read.notebook(source_nb.metadata)
    return info.facts_template if info else None


def _shared(template):
    return student_facts.facts(template, student_facts.COMMON) if template else None


def _report(leaks) -> str:
    return "keys students can read:\n" + "\n".join(f"  {leak}" for leak in leaks)


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """Each kit assignment released for everyone and for a roster: (folder, keys) to search."""
    root = tmp_path_factory.mktemp("leaks")
    roster = root / "roster.csv"
    roster.write_text("student_id\n" + "\n".join(STUDENTS) + "\n", encoding="utf-8")
    settings, bank = config.settings(), graded_bank()
    out = []
    for folder in sorted(p for p in kit_source().iterdir() if p.is_dir()):
        name = folder.name
        source_nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        template = _template(source_nb)
        course.release(name, root / "shared", settings=settings)
        out.append((root / "shared" / name, key_leaks.keys(source_nb, _shared(template), bank)))
        course.release(name, root / "rostered", roster=roster, seed=SEED, settings=settings)
        for student in STUDENTS:
            facts = student_facts.facts(template, student, SEED) if template else None
            out.append((root / "rostered" / student / name, key_leaks.keys(source_nb, facts, bank)))
    return out


def test_every_released_assignment_is_searched_for_keys_of_every_kind(released):
    kinds = {k.kind for _, keys in released for k in keys}
    assert kinds == {"letter", "citations", "number"}
    assert len({folder.name for folder, _ in released}) == len(list(kit_source().glob("*/*.ipynb")))


def test_no_released_notebook_or_file_beside_it_gives_a_key(released):
    leaks = [leak for folder, keys in released for leak in key_leaks.scan_release(folder, keys)]
    assert leaks == [], _report(leaks)


def test_an_assignment_a_lecturer_makes_gives_no_key(tmp_path):
    items = select(load_bank(use="graded"), ["type=single", "type=citation", "type=truefalse", "type=numeric"])
    _, _, chosen, _ = create("week-nine", "Week nine", items, count=8, seed="leaks",
                             assignments_dir=tmp_path, source_dir=tmp_path / "source")
    assert len(chosen) >= 6
    course.release("week-nine", tmp_path / "released", settings=config.settings(), source=tmp_path / "source")
    source_nb = nbformat.read(tmp_path / "source" / "week-nine" / "week-nine.ipynb", as_version=4)
    keys = key_leaks.keys(source_nb, None, graded_bank())
    leaks = key_leaks.scan_release(tmp_path / "released" / "week-nine", keys)
    assert leaks == [], _report(leaks)


# ---- The scan finds what is planted -------------------------------------------------------


def _planted(released, name: str, tmp_path: Path) -> tuple[Path, list[key_leaks.Key]]:
    folder, keys = next((f, k) for f, k in released if f.name == name and f.parent.name == "shared")
    copy = tmp_path / name
    shutil.copytree(folder, copy)
    return copy, keys


def test_a_provision_line_planted_under_a_question_is_found_naming_the_item_and_file(released, tmp_path):
    folder, keys = _planted(released, "protection", tmp_path)
    key = next(k for k in keys if k.kind == "citations")
    nb_path = folder / "protection.ipynb"
    before = set(key_leaks.scan_release(folder, keys))
    nb = nbformat.read(nb_path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith(f"### Question {key.question[1:]}"))
    cell.source += f"\n\n*Provisions: {', '.join(key.answer)}.*"
    nbformat.write(nb, nb_path)
    leaks = [leak for leak in key_leaks.scan_release(folder, keys) if leak not in before]
    assert leaks and all(leak.file == nb_path for leak in leaks)
    assert {(leak.item, leak.question) for leak in leaks} == {(key.item, key.question)}
    assert key.item in str(leaks[0]) and str(nb_path) in str(leaks[0])


def test_a_letter_in_metadata_and_an_options_words_elsewhere_are_found(released, tmp_path):
    folder, keys = _planted(released, "protection", tmp_path)
    letter = next(k for k in keys if k.kind == "letter")
    nb_path = folder / "protection.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    before = set(key_leaks.scan_release(folder, keys))
    nb.metadata["answers"] = {letter.question: letter.answer}
    right = letter.options["ABCDEFGH".index(letter.answer)]
    nb.cells[0].source += "\n\nRemember: " + right
    nbformat.write(nb, nb_path)
    forms = {leak.form for leak in key_leaks.scan_release(folder, keys) if leak.item == letter.item
             and leak not in before}
    assert {"the question's value", "the right option's own words"} <= forms


def test_a_number_and_a_citation_in_the_files_beside_the_notebook_are_found(released, tmp_path):
    folder, keys = _planted(released, "capstone", tmp_path)
    number = next(k for k in keys if k.kind == "number")
    data = json.loads((folder / "assignment.json").read_text(encoding="utf-8"))
    data["hint"] = f"about {number.answer:,.0f} US dollars"
    (folder / "assignment.json").write_text(json.dumps(data), encoding="utf-8")
    assert any(leak.item == number.item and leak.file.name == "assignment.json"
               for leak in key_leaks.scan_release(folder, keys))
    # The student module, once it differs from the kit's own, is searched too.
    citation = next(k for k in keys if k.kind == "citations")
    (folder / "course_tools.py").write_text(f"# the answer: article {citation.answer[0]}\n", encoding="utf-8")
    assert any(leak.file.name == "course_tools.py" for leak in key_leaks.scan_release(folder, keys))


def test_a_partial_table_of_provisions_is_searched(released, tmp_path):
    """The whole table singles out nothing; a table of some provisions would."""
    folder, keys = _planted(released, "protection", tmp_path)
    citation = next(k for k in keys if k.kind == "citations")
    data = json.loads((folder / "assignment.json").read_text(encoding="utf-8"))
    data["provisions"] = [p for p in data["provisions"] if p["id"] in citation.answer]
    (folder / "assignment.json").write_text(json.dumps(data), encoding="utf-8")
    assert any(leak.item == citation.item for leak in key_leaks.scan_release(folder, keys))


# ---- The site ------------------------------------------------------------------------------


def test_the_site_publishes_no_key(built_site):
    """The notebooks on the site (lite/files/) as released folders, with the shared facts, and
    every page and the search index for a graded item's own words."""
    bank = graded_bank()
    files = built_site / "lite" / "files"
    leaks = []
    for folder in sorted(p for p in files.iterdir() if p.is_dir()) if files.is_dir() else []:
        source_nb = nbformat.read(kit_source() / folder.name / f"{folder.name}.ipynb", as_version=4)
        leaks += key_leaks.scan_release(folder, key_leaks.keys(source_nb, _shared(_template(source_nb)), bank))
    leaks += key_leaks.scan_site_for_items(built_site, bank.values())
    assert leaks == [], _report(leaks)


def test_the_site_scan_finds_a_graded_stem_planted_on_a_page(built_site, tmp_path):
    item = next(i for i in graded_bank().values() if i.type == "single")
    page = tmp_path / "site" / "book" / "planted.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<html><body><p>{item.stem}</p></body></html>", encoding="utf-8")
    leaks = key_leaks.scan_site_for_items(tmp_path / "site", [item])
    assert [leak.item for leak in leaks] == [item.id] and leaks[0].file == page
