"""Without root, the sandbox's private folder is still a tmpfs of the disk limit's size: bwrap
makes it inside the sandbox, the grader's files are copied into it as the kernel starts, and the
grader reaches the kernel's sockets through /proc/<pid>/root. Run as an ordinary user (nobody)
with a real bwrap and kernel (disk_probe.py), as on a lecturer's laptop: the files reach the
kernel, a disk filler meets the disk limit and writes nothing to the host's /tmp (in the
notebook's folder, the sockets' folder or the private folder above them), files that do not fit
are said to, with no kernel started, and the student cannot say so instead."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from autograder.paths import REPO

PROBE = Path(__file__).with_name("disk_probe.py")
PYTHON = REPO / ".venv" / "ordinary-user" / "bin" / "python"  # as test_hostile_unprivileged.py
MiB = 2**20


def _why_not() -> str | None:
    if os.geteuid() != 0 or shutil.which("bwrap") is None or shutil.which("runuser") is None:
        return "needs root (to run the probe as nobody), bwrap and runuser"
    if not PYTHON.is_file():
        return f"no Python environment for an ordinary user at {PYTHON.parent.parent} (make ordinary-user)"
    return None


pytestmark = pytest.mark.skipif(_why_not() is not None, reason=_why_not() or "")


def _probe(given_bytes: int, tmp_path: Path, mode: str = "fill") -> dict:
    env = {"PATH": f"{PYTHON.parent}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
           "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1", "AUTOGRADER_SANDBOX": "bwrap"}
    tmp_path.chmod(0o755)
    os.chown(tmp_path, 65534, 65534)
    r = subprocess.run(["runuser", "-u", "nobody", "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()],
                        str(PYTHON), str(PROBE), str(given_bytes), mode],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def filler(tmp_path_factory) -> dict:
    return _probe(1000, tmp_path_factory.mktemp("filler"))


def test_a_disk_filler_meets_the_limit_inside_and_leaves_the_hosts_tmp_alone(filler):
    seen = filler
    assert seen["copies_in"] is True
    assert seen["outputs"][0] == ["1000 True\n"]  # the grader's file, nested, in the kernel's cwd and HOME
    assert seen["incidents"] == ["disk limit (8 MiB) in cell q2"]
    written = int(seen["outputs"][2][0])  # by the filler, counted inside the sandbox
    assert 6 * MiB <= written <= 8 * MiB  # the copied file counts against the limit too
    # The host's folder holds the grader's files (the connection file, the filter, the given
    # file), none of the filler's.
    assert seen["host_bytes"] < 64 * 1024
    assert seen["host_work"] == ["data"]


def test_files_that_do_not_fit_are_said_to_and_no_kernel_starts(tmp_path):
    seen = _probe(9 * MiB, tmp_path)
    assert seen["incidents"] == ["disk limit (8 MiB): the submission's files do not fit in the notebook's folder, "
                                 "the kernel was not started"]
    assert all(out == ["NotRun"] for out in seen["outputs"])


def test_no_kernel_is_started_ahead_when_its_files_must_be_copied_in(filler):
    # A kernel started ahead would start before its submission's files exist.
    assert filler["spare_kernel"] is False


def test_a_disk_filler_in_the_sockets_folder_and_above_meets_the_limit_and_leaves_the_host_alone(tmp_path):
    seen = _probe(1000, tmp_path, "up")
    assert seen["incidents"] == ["disk limit (8 MiB) in cell q2"]
    written = int(seen["outputs"][2][0])  # into ../k and .., counted inside the sandbox
    assert 6 * MiB <= written <= 8 * MiB
    # On the host: the grader's files only (the kernel's sockets were in the sandbox's tmpfs too).
    assert seen["host_bytes"] < 64 * 1024
    assert seen["host_root"] == ["copy.log", "k", "seccomp.bpf", "work"]
    assert set(seen["host_sockets"]) <= {"kernel.json"}


def test_the_student_cannot_say_that_the_files_did_not_fit(tmp_path):
    # A start-up script of the student's, run before the kernel is ready, writes the copy
    # step's verdict wherever it can reach and stops the kernel.
    seen = _probe(1000, tmp_path, "forge")
    assert len(seen["incidents"]) == 1
    assert seen["incidents"][0].startswith("the kernel could not start"), seen["incidents"]


def test_files_that_cannot_be_copied_for_another_reason_are_said_to_with_cps_words(tmp_path):
    seen = _probe(1000, tmp_path, "unreadable")
    assert len(seen["incidents"]) == 1
    assert seen["incidents"][0].startswith("the files could not be copied in: cp: "), seen["incidents"]
    assert "Permission denied" in seen["incidents"][0]
    assert all(out == ["NotRun"] for out in seen["outputs"])
