"""Grading on a real Dask cluster: a `dask scheduler` and `dask worker` processes of their own,
started here as a lecturer would start them on other machines. A worker killed in the middle
of the batch loses no submission: its work is redone elsewhere and every student has one row."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from autograder_support import ASSIGNMENT, SEED

from autograder import grading, submissions

distributed = pytest.importorskip("distributed")



def _start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen([str(Path(sys.executable).parent / "dask"), *args], stdout=log.open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def _stop(p: subprocess.Popen) -> None:
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(10)


@pytest.fixture
def cluster(tmp_path):
    """A scheduler on loopback and two single-threaded workers, each a process (no nanny, so a
    killed worker stays dead)."""
    sched_file = tmp_path / "scheduler.json"
    procs = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(sched_file)], tmp_path / "scheduler.log")]
    deadline = time.monotonic() + 60
    address = None
    while address is None and time.monotonic() < deadline:
        try:  # the scheduler writes the file in more than one go: wait for whole JSON
            address = json.loads(sched_file.read_text())["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.2)
    assert address, (tmp_path / "scheduler.log").read_text()
    for i in range(2):
        procs.append(_start(["worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                             "--host", "127.0.0.1", "--name", f"w{i}"], tmp_path / f"worker{i}.log"))
    with distributed.Client(address, timeout="30s") as c:
        c.wait_for_workers(2, timeout=60)
    # Without a nanny, each `dask worker` process is the worker itself.
    yield {"address": address, "workers": {"w0": procs[1], "w1": procs[2]}, "procs": procs}
    for p in procs:
        _stop(p)


def _batch(batch, tmp_path: Path, n: int) -> list:
    """n submissions: copies of the batch's, under new student ids (those released with the
    shared facts, which do not depend on who hands them in)."""
    subs = tmp_path / "subs"
    originals = sorted(p for p in batch["subs"].iterdir() if p.name != "s-variant")
    for i in range(n):
        src = originals[i % len(originals)]
        shutil.copytree(src, subs / f"{src.name}-{i:02d}")
    return submissions.find(subs, ASSIGNMENT)


def test_a_worker_killed_mid_batch_loses_no_submission(batch, cluster, tmp_path):
    subs = _batch(batch, tmp_path, 8)
    killed = threading.Event()

    def kill_one_worker_once_busy():
        with distributed.Client(cluster["address"], timeout="30s") as c:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                busy = {addr: tasks for addr, tasks in c.processing().items() if tasks}
                info = c.scheduler_info()["workers"]
                if any(info.get(a, {}).get("name") == "w0" for a in busy):
                    time.sleep(1.0)  # mid-submission: its kernel is running
                    os.killpg(cluster["workers"]["w0"].pid, signal.SIGKILL)
                    killed.set()
                    return
                time.sleep(0.1)

    t = threading.Thread(target=kill_one_worker_once_busy, daemon=True)
    t.start()
    run = grading.grade(ASSIGNMENT, subs, tmp_path / "out", dask_scheduler=cluster["address"], seed=SEED,
                        settings=batch["settings"], progress=False, roster=["s-variant"])
    t.join(30)
    assert killed.is_set(), "the worker was never seen busy"
    assert run.executor == "dask"
    ids = [r["student_id"] for r in run.rows]
    assert sorted(ids) == sorted(s.student_id for s in subs)  # every row, once
    keys = ("score", "max_score", "auto_score", "auto_max_score", "status")
    for r in run.rows:
        original = batch["rows"][r["student_id"].rsplit("-", 1)[0]]
        assert {k: r[k] for k in keys} == {k: original[k] for k in keys}, r["student_id"]
    assert all(r["sandbox"] == "bwrap" for r in run.rows)
