"""Where the jobs run. Each executor draws its jobs from a generator no further ahead of the
results than its bound (each job holds a submission's files in memory), and a job that kills
the process grading it is graded again.

Grading on a real Dask cluster: a `dask scheduler` and `dask worker` processes of their own,
started here as a lecturer would start them on other machines, over TLS with certificates of a
course authority made here by openssl. A worker killed in the middle of the batch loses no
submission: its work is redone elsewhere and every student has one row. A client without the
authority's certificate is not let in, and jobs never go unencrypted to any scheduler, on this
machine's loopback or another machine, unless the lecturer says so."""

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
import dask  # noqa: E402  (with distributed)

from autograder.executors import (  # noqa: E402
    DaskExecutor,
    LocalExecutor,
    SchedulerRefused,
    SerialExecutor,
    unencrypted_note,
)


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _authority(folder: Path, name: str) -> dict[str, str]:
    """A certificate authority and one certificate it signed, as a course would make them."""
    folder.mkdir(parents=True)
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
             "-days", "2", "-subj", f"/CN={name} authority", cwd=folder)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "node.key", "-out", "node.csr",
             "-subj", f"/CN={name} grading", cwd=folder)
    (folder / "ext.cnf").write_text("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                                    "extendedKeyUsage=serverAuth,clientAuth\n")
    _openssl("x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "node.pem", "-days", "2", "-extfile", "ext.cnf", cwd=folder)
    return {"ca": str(folder / "ca.pem"), "cert": str(folder / "node.pem"), "key": str(folder / "node.key")}


def _settings(tls: dict[str, str]) -> dict:
    """Dask's own settings for a client of the cluster (what a lecturer puts in Dask's config)."""
    return {"distributed.comm.tls.ca-file": tls["ca"], "distributed.comm.tls.client.cert": tls["cert"],
            "distributed.comm.tls.client.key": tls["key"]}


def _tls_args(tls: dict[str, str]) -> list[str]:
    return ["--tls-ca-file", tls["ca"], "--tls-cert", tls["cert"], "--tls-key", tls["key"]]



def _start(args: list[str], log: Path) -> subprocess.Popen:
    # The workers import this module too, for the jobs of the tests of the executor itself.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([str(Path(sys.executable).parent / "dask"), *args], stdout=log.open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True, env=env)


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
    killed worker stays dead), all over TLS; the test runs with the grader's certificate in
    Dask's settings."""
    tls = _authority(tmp_path / "course-authority", "course")
    sched_file = tmp_path / "scheduler.json"
    procs = [_start(["scheduler", "--protocol", "tls", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     *_tls_args(tls), "--scheduler-file", str(sched_file)], tmp_path / "scheduler.log")]
    deadline = time.monotonic() + 60
    address = None
    while address is None and time.monotonic() < deadline:
        try:  # the scheduler writes the file in more than one go: wait for whole JSON
            address = json.loads(sched_file.read_text())["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.2)
    assert address, (tmp_path / "scheduler.log").read_text()
    assert address.startswith("tls://"), address
    for i in range(2):
        procs.append(_start(["worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                             *_tls_args(tls), "--host", "127.0.0.1", "--name", f"w{i}"], tmp_path / f"worker{i}.log"))
    try:
        with dask.config.set(_settings(tls)):
            with distributed.Client(address, timeout="30s",
                                    security=distributed.Security(require_encryption=True)) as c:
                c.wait_for_workers(2, timeout=60)
            # Without a nanny, each `dask worker` process is the worker itself.
            yield {"address": address, "workers": {"w0": procs[1], "w1": procs[2]}, "procs": procs, "tls": tls}
    finally:
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
        with distributed.Client(cluster["address"], timeout="30s", security=distributed.Security()) as c:
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


def test_a_client_without_the_course_certificate_is_not_let_in(cluster, tmp_path):
    stranger = _authority(tmp_path / "stranger", "stranger")
    with dask.config.set(_settings(stranger)):
        with pytest.raises(SchedulerRefused, match="cannot reach the Dask scheduler"):
            grading.grade(ASSIGNMENT, [], tmp_path / "out", dask_scheduler=cluster["address"],
                          settings={}, progress=False)


def test_a_tls_scheduler_without_dasks_tls_settings_says_which_are_missing(tmp_path):
    with dask.config.set({"distributed.comm.tls.ca-file": None, "distributed.comm.tls.client.cert": None}):
        with pytest.raises(SchedulerRefused, match="distributed.comm.tls.ca-file"):
            grading.grade(ASSIGNMENT, [], tmp_path / "out", dask_scheduler="tls://127.0.0.1:1",
                          settings={}, progress=False)
    assert not (tmp_path / "out").exists()  # nothing written before the refusal


@pytest.mark.parametrize("address", ["tcp://10.0.0.5:8786", "10.0.0.5:8786", "tcp://grading.example.edu:8786",
                                     "ws://10.0.0.5:8786", "tcp://[2001:db8::1]:8786", "tcp://127.0.0.1:8786",
                                     "tcp://localhost:8786", "tcp://[::1]:8786", "127.0.0.1:8786"])
def test_jobs_never_go_unencrypted_to_any_scheduler_unless_told(address, tmp_path):
    # Loopback too: every other user of this machine can connect to it.
    with pytest.raises(SchedulerRefused, match="--insecure") as refused:
        unencrypted_note(address)
    assert "--protocol tls --tls-ca-file" in str(refused.value)  # says how to run it over TLS
    assert "--insecure" in unencrypted_note(address, insecure=True)  # the note each row records


def test_an_address_without_a_port_is_refused_with_the_form_to_write():
    with pytest.raises(SchedulerRefused, match="tls://host:port"):
        unencrypted_note("tcp://10.0.0.5")


@pytest.mark.parametrize("address", ["tls://10.0.0.5:8786", "tls://127.0.0.1:8786"])
def test_tls_needs_no_opt_out(address):
    assert unencrypted_note(address) is None


def test_a_plain_loopback_scheduler_is_refused_before_it_is_contacted(tmp_path):
    with pytest.raises(SchedulerRefused, match="any other user of the machine"):
        grading.grade(ASSIGNMENT, [], tmp_path / "out", dask_scheduler="tcp://127.0.0.1:1",
                      settings={}, progress=False)
    assert not (tmp_path / "out").exists()  # nothing written before the refusal


def test_the_command_line_refuses_before_grading(tmp_path, capsys):
    from autograder.cli import main

    subs = tmp_path / "subs"
    (subs / "s1" / ASSIGNMENT).mkdir(parents=True)
    (subs / "s1" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").write_text("{}")
    for address in ("tcp://10.0.0.5:8786", "tcp://127.0.0.1:8786"):
        assert main(["grade", ASSIGNMENT, "--submissions", str(subs), "--out", str(tmp_path / "out"),
                     "--dask-scheduler", address, "--no-progress"]) == 2
        assert "--insecure" in capsys.readouterr().err
        assert not (tmp_path / "out" / "grades.csv").exists()


# Jobs drawn lazily, a bounded number ahead of the results.

class Drawn:
    """A generator's worth of jobs that notes, at each draw, how many jobs are then drawn and
    their results not yet handed back by the executor."""

    def __init__(self, jobs: list) -> None:
        self.jobs, self.drawn, self.results, self.ahead = jobs, 0, 0, []

    def __iter__(self):
        for job in self.jobs:
            self.drawn += 1
            self.ahead.append(self.drawn - self.results)
            yield job

    def run(self, executor, on_error=None) -> list:
        out = []
        for result in executor.map_unordered(_work, self, on_error=on_error):
            self.results += 1
            out.append(result)
        return out


def _work(job: tuple[int, bytes, str | None, bool, float]) -> tuple[int, int]:
    """(n, payload, marker, always, seconds) -> (n, payload's size), after `seconds`. A job with a
    marker kills the process running it: once (the marker then exists, so it lives on the next
    try), or each time (always)."""
    n, payload, marker, always, seconds = job
    time.sleep(seconds)
    if marker is not None and (always or not os.path.exists(marker)):
        Path(marker).touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return n, len(payload)


def _jobs(n: int, die_once: dict[int, Path] | None = None, die_always: dict[int, Path] | None = None,
          seconds: float = 0.0) -> list:
    die_once, die_always = die_once or {}, die_always or {}
    return [(i, bytes(1000 + i), str(die_once.get(i) or die_always.get(i) or "") or None, i in die_always, seconds)
            for i in range(n)]


def _lost(job, error):
    return job[0], "lost"


def test_in_process_one_job_is_drawn_at_a_time():
    executor = SerialExecutor()
    source = Drawn(_jobs(6))
    try:
        assert sorted(source.run(executor)) == [(i, 1000 + i) for i in range(6)]
    finally:
        executor.close()
    assert executor.in_flight() == 1 and source.ahead == [1] * 6


def test_a_process_pool_draws_no_further_ahead_than_twice_its_workers():
    executor = LocalExecutor(2)
    source = Drawn(_jobs(20))
    try:
        assert sorted(source.run(executor)) == [(i, 1000 + i) for i in range(20)]
    finally:
        executor.close()
    assert executor.in_flight() == 4
    assert max(source.ahead) == 4  # every worker kept busy, and never more in memory
    assert source.drawn == 20


def test_a_process_pool_killed_by_a_lazily_drawn_job_is_rebuilt_and_grades_it_again(tmp_path):
    executor = LocalExecutor(2)
    source = Drawn(_jobs(12, die_once={7: tmp_path / "7-died"}))
    try:
        results = source.run(executor, on_error=_lost)
    finally:
        executor.close()
    assert (tmp_path / "7-died").exists()  # it did kill its worker
    assert sorted(results) == [(i, 1000 + i) for i in range(12)]  # and every job, it too, came back
    assert max(source.ahead) <= executor.in_flight()


def test_a_lazily_drawn_job_that_kills_the_pool_twice_is_given_up_on_and_the_rest_go_on(tmp_path):
    executor = LocalExecutor(2)
    source = Drawn(_jobs(10, die_always={3: tmp_path / "3-died"}))
    try:
        results = source.run(executor, on_error=_lost)
    finally:
        executor.close()
    assert (3, "lost") in results
    assert sorted(n for n, _ in results) == list(range(10))
    assert max(source.ahead) <= executor.in_flight()


def test_only_the_job_that_breaks_the_pool_is_given_up_on_not_the_jobs_beside_it(tmp_path):
    """Jobs running beside a crash go again one at a time: the one that breaks the pool alone is
    lost, and every other submission is graded."""
    executor = LocalExecutor(2)
    source = Drawn(_jobs(6, die_always={0: tmp_path / "0-died"}, seconds=0.3))
    try:
        results = source.run(executor, on_error=_lost)
    finally:
        executor.close()
    assert sorted(results) == [(0, "lost")] + [(i, 1000 + i) for i in range(1, 6)]


def test_a_dask_cluster_draws_no_further_ahead_than_twice_its_threads_and_redoes_a_killed_workers_job(
        cluster, tmp_path):
    marker = tmp_path / "5-died"
    with dask.config.set(_settings(cluster["tls"])):
        executor = DaskExecutor(cluster["address"])
    bound = executor.in_flight()
    source = Drawn(_jobs(16, die_once={5: marker}))
    try:
        results = source.run(executor, on_error=_lost)
    finally:
        executor.close()
    assert bound == 4  # two single-threaded workers
    assert max(source.ahead) == bound and source.drawn == 16
    assert marker.exists()
    assert sum(p.poll() is not None for p in cluster["workers"].values()) == 1  # the job killed its worker
    assert sorted(results) == [(i, 1000 + i) for i in range(16)]  # redone on the other
