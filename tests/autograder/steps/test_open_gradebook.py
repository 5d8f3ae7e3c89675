"""A gradebook the kit creates (`open_gradebook`) is the one nbgrader's Gradebook() would
have created: the same tables, alembic's version at the same head, the same course; nbgrader's
own migrations take it as theirs; opening it again changes nothing."""

from __future__ import annotations

import sqlite3
import warnings

from nbgrader import dbutil
from nbgrader.api import Gradebook

from autograder.paths import tools_on_path
from autograder.steps.gradebook import open_gradebook


def _contents(path) -> dict:
    with sqlite3.connect(path) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {"tables": tables,
                "version": db.execute("SELECT version_num FROM alembic_version").fetchall(),
                "course": db.execute("SELECT id FROM course").fetchall()}


def test_the_kits_new_gradebook_is_nbgraders(tmp_path):
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    with open_gradebook(f"sqlite:///{ours}") as gb:
        gb.add_assignment("a1")
    tools_on_path()  # nbgrader's own Gradebook() runs `alembic` for the head
    with warnings.catch_warnings(), Gradebook(f"sqlite:///{theirs}"):
        warnings.filterwarnings("ignore")
    expected = _contents(theirs)
    assert expected["version"] and expected["course"] == [("default_course",)]
    assert _contents(ours) == expected

    with open_gradebook(f"sqlite:///{ours}") as gb:  # again: nothing added, nothing lost
        assert [a.name for a in gb.assignments] == ["a1"]
    assert _contents(ours) == expected
    dbutil.upgrade(f"sqlite:///{ours}")  # `nbgrader db upgrade`: already at the head
    assert _contents(ours) == expected
