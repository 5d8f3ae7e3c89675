"""The memory cgroup of a submission (autograder/isolation/cgroup.py), where this machine lets
the grader make one: it is gone once the submission's processes are, even when the last one
was killed a moment before."""

from __future__ import annotations

import signal
import subprocess

import pytest

from autograder.isolation.cgroup import MemoryCap


def test_the_cgroup_goes_with_its_last_process():
    cap = MemoryCap(256 * 2**20)
    if cap.path is None:
        pytest.skip("no memory cgroup can be made here (not root, or no writable memory controller)")
    process = subprocess.Popen([*cap.join_prefix(), "sleep", "60"])
    try:
        for _ in range(100):  # the prefix writes its pid, then execs sleep
            if (cap.path / "cgroup.procs").read_text().split():
                break
            subprocess.run(["sleep", "0.02"])
        assert (cap.path / "cgroup.procs").read_text().split() == [str(process.pid)]
        process.send_signal(signal.SIGKILL)  # not waited for: it may still be leaving the cgroup
        cap.remove()
        assert not cap.path.exists()
    finally:
        process.kill()
        process.wait()


def test_a_process_left_in_the_cgroup_is_ended_with_it():
    """Without a uid of its own (--no-sandbox as root), a daemon the submission left behind
    is found by its cgroup and ended, rather than keeping the cgroup alive."""
    cap = MemoryCap(256 * 2**20)
    if cap.path is None:
        pytest.skip("no memory cgroup can be made here (not root, or no writable memory controller)")
    process = subprocess.Popen([*cap.join_prefix(), "sleep", "60"])
    try:
        for _ in range(100):
            if (cap.path / "cgroup.procs").read_text().split():
                break
            subprocess.run(["sleep", "0.02"])
        cap.remove()
        assert not cap.path.exists()
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        process.kill()
        process.wait()
