"""Plain nbgrader agrees with the runner: `nbgrader generate_assignment` and `nbgrader autograde`
on the built source, with the hidden tests run in the kernel as nbgrader runs them, give every
test cell of the batch's submissions the score the runner gave it outside the kernel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from autograder_support import ASSIGNMENT, hand_marked, kit_source
from kernel_support import ipc_arguments
from nbgrader.api import Gradebook

from autograder import config
from autograder.paths import REPO


def _auto_scores(db_url: str) -> dict[tuple[str, str], float | None]:
    with Gradebook(db_url) as gb:
        return {(sub.student.id, g.name): g.auto_score
                for sub in gb.assignment_submissions(ASSIGNMENT) for nb in sub.notebooks for g in nb.grades}


def test_plain_nbgrader_autograde_gives_the_runners_scores(batch, tmp_path):
    c = tmp_path / "course"
    shutil.copytree(kit_source() / ASSIGNMENT, c / "source" / ASSIGNMENT)
    shutil.copytree(batch["subs"], c / "submitted")
    # As released: the student with facts of their own has them beside the notebook.
    shutil.copy(batch["released"] / "s-variant" / ASSIGNMENT / "variant.json",
                c / "submitted" / "s-variant" / ASSIGNMENT / "variant.json")
    db_url = f"sqlite:///{c / 'gradebook.db'}"
    (c / "nbgrader_config.py").write_text(config.config_file(config.settings(), db_url), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO),  # the hidden tests import the course's named answers
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    for step in (["generate_assignment", ASSIGNMENT, "--force"], ["autograde", ASSIGNMENT]):
        subprocess.run([nbgrader, *step, *ipc_arguments(c)], cwd=c, env=env, check=True, capture_output=True, timeout=600)
    plain, ours = _auto_scores(db_url), _auto_scores(batch["db_url"])
    criteria = hand_marked()
    essays = {c.split("_c")[0] for c in criteria}  # their answer cells, worth 0 points
    assert set(plain) == set(ours) and len(plain) == 4 * (3 + len(essays) + len(criteria))
    # Where the runner differs on purpose: a hand-marked answer's 0-point answer cell has nothing
    # to mark (plain nbgrader waits for the lecturer), and each criterion of a blank answer
    # scores zero, as nbgrader scores the blank answer; plain nbgrader leaves every task cell.
    for (student, cell), score in plain.items():
        if cell in criteria:
            assert score is None and ours[(student, cell)] == (0.0 if student != "teacher" else None), (student, cell)
        elif cell in essays:
            assert ours[(student, cell)] == 0.0 and score == (None if student == "teacher" else 0.0), (student, cell)
        else:
            assert score == ours[(student, cell)], (student, cell)
    assert plain[("teacher", "q1_test")] == 3.0 and plain[("s-variant", "q2_test")] == 2.0
    assert plain[("partial", "q1_test")] == 0.0 and plain[("teacher", "q4")] is None  # the essay: by hand
