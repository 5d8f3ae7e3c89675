"""`python -m exercises assignment`: a new graded notebook from the bank's graded items."""

from __future__ import annotations

import nbformat
import pytest

from exercises.assignments import new
from exercises.bank import load_bank
from exercises.cli import main
from exercises.graded.metadata import read
from exercises.select import select


@pytest.fixture(scope="module")
def graded():
    return load_bank(use="graded")


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    monkeypatch.setattr(new, "ASSIGNMENTS_DIR", tmp_path / "assignments")
    monkeypatch.setattr(new, "SOURCE_DIR", tmp_path / "source")
    (tmp_path / "assignments").mkdir()
    return tmp_path


def _questions(nb):
    return [q.item for _, _, q in read.graded_questions(nb)]


def test_the_command_writes_an_editable_source_and_its_nbgrader_notebook(dirs, capsys):
    assert main(["assignment", "return-home", "--title", "Going home safely", "--select", "provision=8(2)",
                 "--count", "2", "--seed", "week-9"]) == 0
    out = capsys.readouterr()
    md = dirs / "assignments" / "return-home.md"
    assert f"wrote {md}: 2 questions" in out.out and "python -m autograder release return-home" in out.out
    assert "capstone-return" in out.err and "facts of a case" in out.err  # left out, and why
    text = md.read_text(encoding="utf-8")
    assert 'title: "Going home safely"' in text and text.count('+++ {"item": ') == 2
    nb = nbformat.read(dirs / "source" / "return-home" / "return-home.ipynb", as_version=4)
    assert len(_questions(nb)) == 2
    for name in ("course_tools.py", "citations.py", "assignment.json"):  # the student bundle
        assert (dirs / "source" / "return-home" / name).is_file()


def test_the_same_seed_picks_the_same_questions_in_the_modules_order(graded):
    items = select(graded, ["use=graded"])
    a, _ = new.choose(items, count=4, seed="s1")
    b, _ = new.choose(items, count=4, seed="s1")
    assert [i.id for i in a] == [i.id for i in b] and len(a) == 4
    pages = list(new.PAGES)
    assert [pages.index(i.section.page) for i in a] == sorted(pages.index(i.section.page) for i in a)
    others = {tuple(i.id for i in new.choose(items, count=4, seed=f"s{n}")[0]) for n in range(2, 8)}
    assert len(others) > 1  # the seed matters


def test_items_a_notebook_cannot_hold_are_left_out_with_the_reason(graded):
    chosen, left_out = new.choose(graded)
    why = {i.id: w for i, w in left_out}
    assert "cannot be answered with one value" in why[next(i.id for i in graded if i.type == "matching")]
    assert "facts of a case" in why["compensation-unpaid-wages"] and "facts of a case" in why["capstone-essay"]
    assert not {i.id for i in chosen} & set(why)


@pytest.mark.parametrize("argv, message", [
    (["assignment", "Week 9!"], "cannot name an assignment"),
    (["assignment", "w9", "--select", "provision=6(9)"], "article 6 has paragraphs"),
    (["assignment", "w9", "--select", "type=matching"], "cannot be answered with one value"),
    (["assignment", "w9", "--count", "0"], "at least one question"),
])
def test_bad_requests_say_what_to_change_and_write_nothing(dirs, capsys, argv, message):
    assert main(argv) == 1
    assert message in capsys.readouterr().err
    assert list((dirs / "assignments").iterdir()) == [] and not (dirs / "source").exists()


def test_an_existing_assignment_is_not_replaced_without_force(dirs, capsys):
    assert main(["assignment", "w9", "--select", "page=article-14"]) == 0
    before = (dirs / "assignments" / "w9.md").read_text()
    assert main(["assignment", "w9", "--select", "page=article-7"]) == 1
    assert "--force" in capsys.readouterr().err
    assert (dirs / "assignments" / "w9.md").read_text() == before
    assert main(["assignment", "w9", "--select", "page=article-7", "--force"]) == 0
