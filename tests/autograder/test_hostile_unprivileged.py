"""The hostile batch of test_hostile.py graded again, this time as an ordinary user (nobody,
uid 65534), as on a lecturer's laptop without root: `python -m autograder grade` in a process
of that user's, with a Python it can run (the system's, in the environment `make ordinary-user`
builds with the same pins; the course's packages from the checkout, which it may read but not
write), a secret in its environment, and a grading folder of its own. Every case gets its
status and never gains a point; the snooping case finds no key, no gradebook, no other
student's work and not the grader's secret; the grading folder is that user's alone; nothing
is left running.

Without root there is no uid per sandbox and no memory cgroup (autograder/THREAT_MODEL.md):
the cases that meet those walls are held to what an ordinary user's sandbox does instead, and
still gain nothing. The sandbox's private folder (the notebook's folder and the kernel's
sockets) is a tmpfs of the disk limit's size all the same, made by bwrap inside the sandbox: the
disk filler gets the disk-limit status, and the host's /tmp holds none of what it wrote."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import hostile_cases
import pytest
from autograder_support import kit_source, read_csv
from hostile_cases import ASSIGNMENT, SandboxFolderPeak, leftover_children, write_all

from autograder import config, course
from autograder.paths import REPO
from exercises.paths import graded_dir

NOBODY = 65534
AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
PYTHON = REPO / ".venv" / "ordinary-user" / "bin" / "python"
SECRET = "AUTOGRADER_TEST_SECRET"
# The limits of test_hostile.py, on the command line.
LIMITS = ["--timeout", "10", "--notebook-timeout", "60", "--processes", "32", "--output", "256K", "--disk", "16M"]
# Cases that meet a wall only root can build, and what the ordinary user's sandbox does instead.
WITHOUT_ROOT = {
    # No uid of its own to find the daemon by: the PID namespace still ends it with the sandbox
    # (test_nothing_a_submission_started_is_left_running), but the status cannot say so.
    "escaping-daemon": [],
}


def _why_not() -> str | None:
    if os.geteuid() != 0:
        return "needs root to run the grader as another, ordinary user (setpriv); as root, as CI runs"
    if shutil.which("bwrap") is None or shutil.which("setpriv") is None:
        return "needs bwrap (Debian package bubblewrap) and setpriv (util-linux)"
    r = subprocess.run([*AS_NOBODY, "bwrap", "--unshare-user", "--unshare-pid", "--ro-bind", "/", "/", "--proc",
                        "/proc", "--dev", "/dev", "true"], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        return f"an ordinary user may not make a user namespace here (bwrap: {r.stderr.strip()[-300:]})"
    return None


WHY_NOT = _why_not()
pytestmark = pytest.mark.skipif(WHY_NOT is not None, reason=WHY_NOT or "")


def _theirs(pid: str) -> str | None:
    """The working folder of a process of nobody's, else None."""
    try:
        if Path("/proc", pid).stat().st_uid != NOBODY:
            return None
        return os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return None


def _sandbox_folders() -> set[str]:
    return {str(p) for p in Path("/tmp").glob("ag-*")}


@pytest.fixture(scope="module")
def unprivileged():
    if not PYTHON.is_file():
        pytest.fail(f"no Python environment for an ordinary user at {PYTHON.parent.parent}: run `make ordinary-user` "
                    "(`make test` builds it when run as root)")
    # Built as root first, as `make test` does; the ordinary user's grader then finds it current.
    kit_source()
    root = Path(tempfile.mkdtemp(prefix="hostile-nobody-", dir="/tmp"))
    try:
        released, subs, out, home = root / "released", root / "submitted", root / "out", root / "home"
        course.release(ASSIGNMENT, released, settings=config.settings())
        home.mkdir()
        secrets = [str(kit_source() / "**" / "*.ipynb"), str(REPO / "exercises" / "assignments" / "*.md"),
                   str(REPO / "exercises" / "bank" / "**" / "*.yaml"), str(graded_dir() / "**" / "*.yaml"),
                   str(out / "gradebook.db"), str(out / "**"), str(subs / "*"), str(home / "**"),
                   "/tmp/ag-*/work/*.ipynb", "/tmp/hostile-nobody-*/**/gradebook.db", "/root/**"]
        # Without root no memory cgroup can be made: the memory limit is each process's.
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(hostile_cases, "memory_cap_available", lambda: False)
            cases = write_all(released / ASSIGNMENT, subs, secrets)
        for folder, _, files in os.walk(root):
            for name in [".", *files]:
                os.chown(Path(folder, name), NOBODY, NOBODY, follow_symlinks=False)
        root.chmod(0o700)
        env = {"PATH": f"{PYTHON.parent}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
               "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1", SECRET: "s3cret",
               **{k: v for k, v in os.environ.items() if k.startswith("COURSE_")}}
        before = _sandbox_folders()
        with SandboxFolderPeak() as folders:
            run = subprocess.run([*AS_NOBODY, str(PYTHON), "-m", "autograder", "grade", ASSIGNMENT, "--submissions",
                                  str(subs), "--out", str(out), "--jobs", "2", "--no-progress", *LIMITS],
                                 capture_output=True, text=True, cwd=root, env=env, timeout=3600)
        running = [(pid, cwd) for pid in os.listdir("/proc") if pid.isdigit()
                   for cwd in [_theirs(pid)] if cwd and (cwd.startswith(str(root)) or
                                                         any(cwd.startswith(f) for f in _sandbox_folders() - before))]
        yield {"cases": cases, "run": run, "out": out, "running": running, "folder_peak": folders.peak,
               "rows": read_csv(out / "grades.csv") if (out / "grades.csv").is_file() else {}}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_the_ordinary_user_grades_the_whole_batch(unprivileged):
    run = unprivileged["run"]
    assert run.returncode == 0, run.stderr[-3000:]
    assert "sandbox: bwrap" in run.stdout, run.stdout
    assert sorted(unprivileged["rows"]) == sorted(c.student for c in unprivileged["cases"])


@pytest.mark.parametrize("index", range(len(hostile_cases.cases([]))))
def test_each_case_gets_its_status_and_never_gains_a_point(unprivileged, index):
    case = unprivileged["cases"][index]
    hostile_cases.check_row(case, unprivileged["rows"][case.student], WITHOUT_ROOT.get(case.student, case.status))


def test_the_disk_filler_gets_the_disk_limit_and_the_hosts_tmp_none_of_its_files(unprivileged):
    case = next(c for c in unprivileged["cases"] if c.student == "disk-filler")
    hostile_cases.check_row(case, unprivileged["rows"][case.student], ["disk limit (16 MiB) in cell q2"])
    # The host's sandbox folders held the grader's files (the notebook, the assignment's
    # files, the sockets), never the megabytes the filler wrote.
    assert 0 < unprivileged["folder_peak"] < 2 * 2**20


def test_the_snooping_case_found_no_key_gradebook_other_work_or_secret(unprivileged):
    assert hostile_cases.snoop_found(unprivileged["out"]) == "[]"


def test_the_grading_folder_is_the_ordinary_users_alone(unprivileged):
    st = unprivileged["out"].stat()
    assert (st.st_uid, st.st_gid) == (NOBODY, NOBODY)
    assert stat.S_IMODE(st.st_mode) == 0o700
    db = (unprivileged["out"] / "gradebook.db").stat()
    assert db.st_uid == NOBODY


def test_nothing_a_submission_started_is_left_running(unprivileged):
    assert leftover_children() == []
    assert unprivileged["running"] == []
