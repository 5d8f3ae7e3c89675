"""The kit calls the libraries it grades with; it replaces none of their functions. A replaced
attribute changes nbgrader for every caller in the process (formgrader's too, when a lecturer
imports the kit there) and breaks silently when nbgrader renames what it replaced."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from autograder.paths import REPO

# Run in a fresh interpreter: the attributes as nbgrader defines them, before anything of the
# kit is imported; then after every module of the kit is imported and a release has generated
# an assignment into a new gradebook (where the kit once replaced them lazily).
SNAPSHOT = r'''
import importlib, inspect, json, pkgutil, sys, tempfile, warnings
from pathlib import Path

warnings.filterwarnings("ignore")
import nbgrader.api, nbgrader.converters, nbgrader.coursedir, nbgrader.dbutil, nbgrader.preprocessors
import nbgrader.utils

WATCHED = ("nbgrader", "alembic", "sqlalchemy", "traitlets", "nbconvert", "nbformat", "jupyter_client")


def public(name):
    """Names a caller could replace to change the library: public ones and special methods.
    Private ones (a counter, a cache, SQLAlchemy's compiled dispatch) change as it runs."""
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def attributes():
    """(module, name) and (module, class, name) -> the object, for every module of the watched
    libraries loaded now."""
    out = {}
    for modname, mod in list(sys.modules.items()):
        if mod is None or modname.split(".")[0] not in WATCHED:
            continue
        for name, value in list(vars(mod).items()):
            if not public(name):
                continue
            out[f"{modname}.{name}"] = value
            if inspect.isclass(value) and value.__module__ == modname:
                for attr, member in list(vars(value).items()):
                    if public(attr):
                        out[f"{modname}.{name}.{attr}"] = member
    return out


before = attributes()

import autograder
for info in pkgutil.walk_packages(autograder.__path__, "autograder."):
    if not info.name.endswith("__main__"):  # that one runs the command line
        importlib.import_module(info.name)

import nbformat
from autograder import config, course

with tempfile.TemporaryDirectory() as tmp:
    mine = Path(tmp) / "mine" / "week-1"
    mine.mkdir(parents=True)
    cell = nbformat.v4.new_code_cell("answer = 1\n### BEGIN HIDDEN TESTS\nassert answer == 1\n### END HIDDEN TESTS")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "t1", "locked": True, "points": 1.0,
                                 "schema_version": 3, "solution": False, "task": False}
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), mine / "week-1.ipynb")
    course.release("week-1", Path(tmp) / "released", settings=config.settings(), source=Path(tmp) / "mine")

after = attributes()
replaced = sorted(k for k, v in before.items() if k in after and after[k] is not v
                  and not (isinstance(v, (str, int, float, bool, type(None))) and after[k] == v))
named = {
    "Gradebook.__init__": nbgrader.api.Gradebook.__init__ is before["nbgrader.api.Gradebook.__init__"],
    "GenerateAssignment.start": nbgrader.converters.GenerateAssignment.start
    is before["nbgrader.converters.generate_assignment.GenerateAssignment.start"],
    "get_alembic_version": nbgrader.api.get_alembic_version is before["nbgrader.api.get_alembic_version"],
}
print(json.dumps({"replaced": replaced, "named": named}))
'''


def _snapshot() -> dict:
    # No `alembic` command on PATH: were nbgrader still to run it for a new gradebook, the
    # release would fail.
    env = {**os.environ, "PATH": os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                                                 if p and not (Path(p) / "alembic").exists())}
    done = subprocess.run([sys.executable, "-c", SNAPSHOT], cwd=REPO, capture_output=True, text=True,
                          timeout=600, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_no_attribute_of_nbgrader_or_its_libraries_is_replaced_by_the_kit():
    found = _snapshot()
    assert found["named"] == {"Gradebook.__init__": True, "GenerateAssignment.start": True,
                              "get_alembic_version": True}
    assert found["replaced"] == []
