"""The sandbox's walls, the same with or without root: a probe run inside it (wall_probe.py)
reads no variable of the grader's environment, cannot make a user namespace, and finds every
writable place as small as the disk limit (its own folder too: made by bwrap without root),
while threads and child processes still work.
Without root is run as an ordinary user (nobody), with the system's Python, as a lecturer's
laptop runs bwrap."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.isolation import sandbox as sandboxes
from autograder.isolation import seccomp
from autograder.isolation.limits import Limits

PROBE = Path(__file__).with_name("wall_probe.py")
DISK = 8 * 2**20
SECRET = "AUTOGRADER_TEST_SECRET"

needs_root_and_bwrap = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("bwrap") is None,
                                          reason="needs root (as CI and a course server run) and bwrap")


def _probe(sb: sandboxes.Sandbox, python: str, as_user: list[str]) -> dict:
    # In the notebook's folder: without root the folder above it is the sandbox's own tmpfs.
    shutil.copy(PROBE, sb.work / PROBE.name)
    (sb.work / PROBE.name).chmod(0o644)
    env = {**os.environ, SECRET: "the gradebook's password", "AUTOGRADER_NO_CGROUP": "1"}
    r = subprocess.run([*as_user, *sb.wrap([python, str(sb.work / PROBE.name)])], capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    seen = json.loads(r.stdout)
    # As root the host's folder is the sandbox's tmpfs; without root, bwrap's tmpfs hides it:
    # either way no more than the limit was written there.
    on_host = sum(p.stat().st_size for p in sb.root.rglob("*") if p.is_file() and not p.is_symlink())
    assert on_host <= DISK, on_host
    return seen


def _check_walls(seen: dict) -> None:
    assert seen["pid1_environment"] == "EACCES" or SECRET not in seen["pid1_environment"], seen
    assert seen["pid1_environment"] == "EACCES" or set(seen["pid1_environment"]) <= {"PATH", "PWD"}, seen
    assert seen["user_namespace"] == "EPERM" and seen["unshare_command"] != 0, seen
    assert seen["threads_and_processes"], seen
    for place in ("dev_shm", "tmp", "work"):  # a full place (ENOSPC) or the file-size limit (EFBIG), at the limit
        written, error = seen[place]
        assert error in ("ENOSPC", "EFBIG") and written <= DISK // 2**20, (place, seen[place])
    assert seen["dev"] in ("EROFS", "EACCES"), seen


@needs_root_and_bwrap
def test_as_root_the_sandbox_holds(monkeypatch):
    monkeypatch.setenv("AUTOGRADER_NO_CGROUP", "1")
    sb = sandboxes.Sandbox(Limits(disk_bytes=DISK), kind="bwrap")
    try:
        _check_walls(_probe(sb, sys.executable, []))
    finally:
        sb.end()


@needs_root_and_bwrap
@pytest.mark.skipif(not Path("/usr/bin/python3").is_file(), reason="no system Python for an ordinary user to run")
def test_as_an_ordinary_user_the_sandbox_holds_the_same(monkeypatch):
    """bwrap run by an ordinary user (its sandbox is a user namespace of that user's), as on a
    laptop: the grader's own Python may be in root's home, so the probe runs the system's."""
    monkeypatch.setenv("AUTOGRADER_NO_CGROUP", "1")
    monkeypatch.setattr(sandboxes, "sandbox_uid", lambda: None)  # no uid of its own without root
    monkeypatch.setattr(sandboxes.Sandbox, "_own_filesystem", lambda self: False)
    monkeypatch.setattr(sandboxes, "_python_binds", lambda: [])  # /usr holds the system's Python
    sb = sandboxes.Sandbox(Limits(disk_bytes=DISK), kind="bwrap")
    try:
        # Made by root here, used by nobody: as a lecturer's own grader would have them, its
        # folders are the user's, and the connection file jupyter_client writes is there.
        sb.connection_file.write_text("{}", encoding="utf-8")
        for folder in (sb.root, sb.work, sb.sockets):
            os.chown(folder, 65534, 65534)
        assert "--unshare-user" in sb.wrap(["true"])
        _check_walls(_probe(sb, "/usr/bin/python3", ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]))
    finally:
        sb.end()


def test_the_filter_is_known_for_this_machine_and_refuses_an_unknown_one():
    assert len(seccomp.compiled()) % 8 == 0 and seccomp.compiled()  # struct sock_filter: 8 bytes each
    with pytest.raises(seccomp.SeccompUnsupported, match="no seccomp filter for 'sparc64'"):
        seccomp.program("sparc64")


@needs_root_and_bwrap
def test_the_uid_locks_live_where_no_one_else_can_plant_a_link(tmp_path):
    safe = tmp_path / "locks"
    assert sandboxes._lock_folder(safe) == safe and (safe.stat().st_mode & 0o777) == 0o700
    open_to_all = tmp_path / "open"
    open_to_all.mkdir(mode=0o777)
    open_to_all.chmod(0o1777)
    with pytest.raises(sandboxes.UnsafeLockFolder, match="another user could plant links there"):
        sandboxes._lock_folder(open_to_all)
    planted = tmp_path / "planted"
    planted.symlink_to(safe)
    with pytest.raises(sandboxes.UnsafeLockFolder):
        sandboxes._lock_folder(planted)
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 65534, 65534)
    with pytest.raises(sandboxes.UnsafeLockFolder, match="owner uid 65534"):
        sandboxes._lock_folder(theirs)


@needs_root_and_bwrap
def test_a_link_planted_as_a_lock_file_is_refused_not_followed(tmp_path, monkeypatch):
    victim = tmp_path / "victim"
    victim.write_text("root's file", encoding="utf-8")
    locks = tmp_path / "locks"
    locks.mkdir(mode=0o700)
    for uid in range(sandboxes.UID_BASE, sandboxes.UID_BASE + sandboxes.UID_SPAN):
        (locks / f"{uid}.lock").symlink_to(victim)
    monkeypatch.setattr(sandboxes, "UID_LOCKS", locks)
    monkeypatch.setattr(sandboxes, "_uids", {})
    with pytest.raises(OSError):
        sandboxes.sandbox_uid()
    assert victim.read_text(encoding="utf-8") == "root's file"
