"""Grading fails closed: without a working sandbox no student code runs, unless the lecturer
says so, and then every row and the report record it. Run as a lecturer would, through
`python -m autograder`, on a machine where bwrap cannot be found."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from autograder_support import kit_source

from autograder.paths import REPO

ASSIGNMENT = "savings-clause"


def _grade(tmp: Path, *extra: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    subs = tmp / "subs"
    if not subs.exists():
        # The instructor notebook handed in: it prints where it runs, so a leak would show.
        shutil.copytree(kit_source() / ASSIGNMENT, subs / "s1" / ASSIGNMENT)
    # A PATH with the venv and the few system tools the runner uses, but no bwrap: a laptop
    # without bubblewrap.
    tools = tmp / "bin"
    tools.mkdir(exist_ok=True)
    for name in ("sh", "env", "prlimit", "setpriv"):
        if not (tools / name).exists():
            (tools / name).symlink_to(shutil.which(name))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOGRADER_")}
    env.update({"PATH": f"{tools}{os.pathsep}{Path(sys.executable).parent}", "AUTOGRADER_NO_SPARE_KERNEL": "1"},
               **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--submissions", str(subs),
                           "--out", str(tmp / "out"), "--jobs", "1", "--no-progress", *extra],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=600)


def _rows(out: Path) -> list[dict]:
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_refuses_without_a_sandbox(tmp_path):
    r = _grade(tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "bubblewrap (bwrap) is not installed" in r.stderr
    assert "answer" in r.stderr and "keys" in r.stderr  # the risk, in words
    assert "apt-get install bubblewrap" in r.stderr and "--no-sandbox" in r.stderr  # the fixes
    assert "No student code was run" in r.stderr
    assert not (tmp_path / "out" / "grades.csv").exists()
    assert not (tmp_path / "out" / "autograded").exists()


@pytest.mark.parametrize("how", ["flag", "env"])
def test_grades_unsandboxed_only_when_told_and_records_it(tmp_path, how):
    if how == "flag":
        r = _grade(tmp_path, "--no-sandbox")
    else:
        r = _grade(tmp_path, env_extra={"AUTOGRADER_SANDBOX": "none"})
    assert r.returncode == 0, r.stdout + r.stderr
    assert "sandbox: none" in r.stdout
    rows = _rows(tmp_path / "out")
    assert [(row["student_id"], row["sandbox"]) for row in rows] == [("s1", "none")]
    # The instructor's notebook: every automatic mark (its written answers wait for the lecturer).
    assert float(rows[0]["auto_score"]) == float(rows[0]["auto_max_score"]) > 0
    report = subprocess.run([sys.executable, "-m", "autograder", "report", ASSIGNMENT, "--out",
                             str(tmp_path / "out")], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert report.returncode == 0, report.stderr
    page = (tmp_path / "out" / "report" / ASSIGNMENT / "report.html").read_text(encoding="utf-8")
    top = page[page.index("<h1>"):page.index("<h2>")]
    assert "Graded without a sandbox" in top and "s1" in top


def test_unknown_sandbox_setting_is_refused(tmp_path):
    r = _grade(tmp_path, env_extra={"AUTOGRADER_SANDBOX": "docker"})
    assert r.returncode == 2
    assert "AUTOGRADER_SANDBOX='docker': use bwrap or none" in r.stderr


def test_an_unsandboxed_kernel_dies_with_the_grading_process_that_started_it():
    """Without bwrap (--no-sandbox) nothing like its --die-with-parent: a grading process killed
    from outside must not leave its kernels (the one started ahead too) running."""
    code = ("import subprocess, sys, time\n"
            "from autograder.isolation.limits import Limits\n"
            "from autograder.isolation.sandbox import Sandbox\n"
            "s = Sandbox(Limits(), kind='none')\n"
            "p = subprocess.Popen(s.wrap(['sleep', '600']))\n"
            "print(p.pid, flush=True)\n"
            "time.sleep(600)\n")
    grader = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        kernel = int(grader.stdout.readline())
        for _ in range(100):  # through the wrapper's programs (each execs the next) to the kernel
            if Path(f"/proc/{kernel}/comm").read_text().strip() == "sleep":
                break
            subprocess.run(["sleep", "0.05"])
        grader.kill()
        grader.wait()
        for _ in range(100):
            state = Path(f"/proc/{kernel}/stat")
            if not state.exists() or state.read_text().rsplit(")", 1)[1].split()[0] == "Z":
                break
            subprocess.run(["sleep", "0.1"])
        else:
            os.kill(kernel, 9)
            pytest.fail("the kernel outlived the grading process")
    finally:
        grader.kill()
