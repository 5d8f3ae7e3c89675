"""The public self-check questions, downloadable from the lecturer's guide as LMS files."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from lms_readers import read_gift, read_moodle, read_qti  # tests/exercises/lms_readers.py
from sphinx.errors import ExtensionError
from test_gift import gift_pegjs  # tests/exercises/export/test_gift.py

from exercises.bank import load_bank
from exercises.export.lms import prepare
from exercises.problems import BankError

ROOT = Path(__file__).resolve().parents[3]

_spec = importlib.util.spec_from_file_location("quiz_files", ROOT / "_ext" / "quiz_files.py")
quiz_files = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(quiz_files)

READERS = {"moodle": read_moodle, "gift": read_gift, "qti": read_qti}


@pytest.fixture(scope="module")
def public():
    return load_bank(use="self-check")


@pytest.mark.parametrize("fmt,name", [(f, n) for f, n, _ in quiz_files.FILES])
def test_each_file_holds_the_public_questions_and_no_graded_one(built_site, public, fmt, name):
    path = built_site / quiz_files.FOLDER / name
    assert path.is_file(), f"{path} is not in the built site"
    found = set(READERS[fmt](path))
    ready, _ = prepare(public, fmt)
    assert found == {i.id for i in ready}
    graded = {i.id for i in load_bank(use="graded")}
    assert graded and not found & graded


def test_the_lecturers_guide_links_every_file(built_site):
    html = (built_site / "book" / "lecturers-guide.html").read_text()
    for _, name, _ in quiz_files.FILES:
        href = f'href="../{quiz_files.FOLDER}/{name}"'
        assert href in html, f"the lecturer's guide has no link {href}"


def test_gift_pegjs_reads_the_published_gift_file(built_site, public):
    text = (built_site / quiz_files.FOLDER / "self-check-gift.txt").read_text()
    whole = gift_pegjs([text])[0]
    assert "error" not in whole, whole
    ready, _ = prepare(public, "gift")
    assert sorted(q["id"] for q in whole["questions"] if q["type"] != "Category") == sorted(i.id for i in ready)


def test_a_graded_item_in_a_public_folder_is_never_published(tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(ROOT / "exercises" / "bank", bank)
    graded = next((bank / "graded").rglob("*.yaml"))
    shutil.copy(graded, bank / "article-6" / graded.name)
    with pytest.raises((BankError, ExtensionError)):
        quiz_files.public_items(bank)
