"""Where grading jobs run: in this process, in a pool of local processes, or on Dask.

Every executor takes the same picklable job and function and yields results as they finish,
so the runner does not care which one it has. Jobs may come from a generator: each executor
draws the next only when one of its own finishes, with at most `in_flight()` (twice its workers)
drawn and unfinished, since each job holds a whole submission's files in memory.
`--dask-scheduler ADDRESS` uses Dask distributed's own client (the workers need this repository
importable, like the lecturer's machine: same checkout, same requirements).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

_END = object()  # what next() gives once the jobs run out


class SerialExecutor:
    """One job after the other, here: what --jobs 1 means (no process start-up to pay)."""

    name = "serial"

    def __init__(self, limits: dict | None = None, sandbox: str | None = None) -> None:
        if limits is not None:  # the first kernel boots while the course is prepared
            from autograder.isolation.limits import Limits
            from autograder.worker import spare_kernels

            spare_kernels.start_spare(Limits(**limits), sandbox)

    def in_flight(self) -> int:
        return 1

    def map_unordered(self, fn: Callable, jobs: Iterable[Any], on_error: Callable | None = None) -> Iterator[Any]:
        for job in jobs:
            yield fn(job)

    def close(self) -> None:
        from autograder.worker import spare_kernels

        spare_kernels.end()  # the kernel started ahead for a next submission that will not come


def _warm(limits: dict | None = None, sandbox: str | None = None) -> None:
    """Run once per worker process: imports, the feedback exporter with its templates
    compiled, and the first submission's kernel started, so that no submission pays for them."""
    import asyncio

    import jupyter_core.utils

    import autograder.steps.execute  # noqa: F401
    import autograder.worker  # noqa: F401
    from autograder.steps.feedback import exporter

    # A forked worker must not share the parent's event loop (its epoll instance is shared
    # across fork) nor its task-runner threads, which did not survive the fork.
    asyncio.set_event_loop(asyncio.new_event_loop())
    jupyter_core.utils._runner_map.clear()  # noqa: SLF001
    if limits is not None:
        from autograder.isolation.limits import Limits
        from autograder.worker import spare_kernels

        spare_kernels.start_spare(Limits(**limits), sandbox)
    exporter(False)


class LocalExecutor:
    """A pool of worker processes on this machine (default: one per core)."""

    name = "local"

    def __init__(self, jobs: int | None = None, limits: dict | None = None, sandbox: str | None = None) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self.limits, self.sandbox = limits, sandbox
        import threading

        import autograder.steps.execute  # noqa: F401
        import autograder.steps.feedback  # noqa: F401
        import autograder.worker  # noqa: F401

        # fork, before the parent opens the gradebook or starts any thread: the workers
        # start at once with everything imported (a forkserver would import it all again,
        # serially, while the parent prepares the course on the same cores).
        if threading.active_count() == 1:
            self.ctx: multiprocessing.context.BaseContext = multiprocessing.get_context("fork")
        else:  # forking a process with threads can copy a lock mid-use: start clean instead
            self.ctx = multiprocessing.get_context("forkserver")
            self.ctx.set_forkserver_preload(["autograder.worker", "autograder.steps.execute", "autograder.steps.feedback"])
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=self.ctx, initializer=_warm,
                                   initargs=(self.limits, self.sandbox))
        for _ in range(self.jobs):  # start the workers now, while the parent prepares the course
            pool.submit(int)
        return pool

    def in_flight(self) -> int:
        """Jobs drawn and unfinished at most: every worker busy while the parent merges a result,
        and only so many submissions in memory."""
        return 2 * self.jobs

    def map_unordered(self, fn: Callable, jobs: Iterable[Any], on_error: Callable | None = None) -> Iterator[Any]:
        """Results as they finish; a job is drawn from `jobs` only when one finishes. A worker
        process that dies (killed from outside, a crash in C) breaks the whole pool: the pool is
        rebuilt and the unfinished jobs go again, one at a time; a job that breaks it again, alone,
        is given up on through on_error(job, exception)."""
        source = iter(jobs)
        again: deque[tuple[Any, int]] = deque()  # (job, broken pools it was in): before any new job
        running: dict[Future, tuple[Any, int]] = {}
        broken = False
        while True:
            if broken and not running:  # every job of the broken pool is back
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool()
                broken = False
            while not broken and len(running) < self.in_flight():
                if again:
                    # A job that was in a broken pool goes again alone, so that if the pool
                    # breaks again the crash is its own, not a bystander's.
                    if running:
                        break
                    job, tries = again.popleft()
                else:
                    job, tries = next(source, _END), 0
                    if job is _END:
                        break
                try:
                    future = self.pool.submit(fn, job)
                except BrokenProcessPool as e:  # it broke since the last result: as if in it
                    future = Future()
                    future.set_exception(e)
                    broken = True
                running[future] = (job, tries)
                if tries:
                    break
            if not running:
                return
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for f in done:
                job, tries = running.pop(f)
                try:
                    result = f.result()
                except BrokenProcessPool as e:
                    broken = True
                    if tries + 1 >= 2:  # it broke the pool while running alone
                        if on_error is None:
                            raise
                        yield on_error(job, e)
                    else:
                        again.append((job, tries + 1))
                    continue
                except Exception as e:
                    if on_error is None:
                        raise
                    result = on_error(job, e)
                yield result

    def close(self) -> None:
        self.pool.shutdown()


class SchedulerRefused(ValueError):
    """A Dask scheduler the grader will not send its jobs to, or cannot reach; the message says
    how to fix it."""


# Jobs carry the answer keys and the instructor notebooks, and a Dask worker runs whatever its
# scheduler sends, to anyone who can connect: loopback included, since every user of this machine
# can reach it. So only over TLS, whose certificates are also how Dask authenticates client,
# scheduler and workers to each other (mutual TLS).
TLS_HOWTO = (
    "Run the scheduler and every worker over TLS with certificates signed by the course's own authority "
    "(dask scheduler --protocol tls --tls-ca-file CA.pem --tls-cert NODE.pem --tls-key NODE.key; "
    "dask worker tls://HOST:PORT with the same three options), give the grader a certificate of that "
    "authority in Dask's settings (distributed.comm.tls.ca-file, .client.cert and .client.key in a Dask "
    "configuration file, or DASK_DISTRIBUTED__COMM__TLS__CA_FILE, ..._CLIENT__CERT and ..._CLIENT__KEY) "
    "and give --dask-scheduler tls://HOST:PORT")


def _host(address: str) -> tuple[str, str]:
    """(scheme, host) of a Dask address, read by Dask's own parser (tcp:// when none is given)."""
    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, location = parse_address(address)
    if scheme == "inproc":  # a scheduler in this process: no host
        return scheme, ""
    try:
        return scheme, parse_host_port(location)[0]
    except ValueError as e:
        raise SchedulerRefused(f"{address!r} is not a Dask scheduler's address ({e}); write it as "
                               "tls://host:port") from None


def unencrypted_note(address: str, insecure: bool = False) -> str | None:
    """None when jobs may go to `address` as they are (TLS, or a scheduler in this process); the
    note each student's row records when `insecure` let them go unencrypted. SchedulerRefused
    otherwise, on this machine's loopback as anywhere else."""
    scheme, _ = _host(address)
    if scheme in ("tls", "inproc"):
        return None
    if not insecure:
        raise SchedulerRefused(
            f"refusing to send the answer keys and instructor notebooks to {address} unencrypted: anyone "
            f"who can connect to a {scheme}:// scheduler (on this machine's loopback, any other user of the "
            "machine) can read the jobs and have the workers run code of their own. " + TLS_HOWTO +
            "; or give --insecure, which every student's row then records")
    return f"graded through the Dask scheduler at {address} without encryption (--insecure)"


def _security(address: str):
    """Dask's own security settings (its configuration or DASK_DISTRIBUTED__COMM__TLS__*), with
    encryption required for a tls:// address."""
    from distributed.security import Security

    if _host(address)[0] != "tls":
        return Security()
    security = Security(require_encryption=True)
    # Security sets its tls_* fields in __init__ from Dask's configuration: not declared on the class.
    missing = [key for key, value in (("distributed.comm.tls.ca-file",
                                       security.tls_ca_file),  # type: ignore[attr-defined]
                                      ("distributed.comm.tls.client.cert",
                                       security.tls_client_cert))  # type: ignore[attr-defined]
               if not value]
    if missing:
        raise SchedulerRefused(f"{address} is a TLS scheduler, but Dask's settings name no {' and no '.join(missing)}: "
                               "set them in a Dask configuration file or as DASK_DISTRIBUTED__COMM__TLS__CA_FILE, "
                               "..._CLIENT__CERT and ..._CLIENT__KEY")
    return security


class DaskExecutor:
    """Jobs sent to an existing Dask distributed scheduler: over TLS, or (`insecure`) unencrypted."""

    name = "dask"

    def __init__(self, address: str, insecure: bool = False) -> None:
        from distributed import Client

        self.note = unencrypted_note(address, insecure)
        try:
            self.client = Client(address, timeout="20s", security=_security(address))
        except OSError as e:
            raise SchedulerRefused(f"cannot reach the Dask scheduler at {address}: {e}. "
                                   "Start one (dask scheduler / dask worker) or drop --dask-scheduler.") from None

    def in_flight(self) -> int:
        """Twice the threads of the workers connected now: a cluster grows and shrinks."""
        return 2 * max(1, sum(self.client.nthreads().values()))

    def map_unordered(self, fn: Callable, jobs: Iterable[Any], on_error: Callable | None = None) -> Iterator[Any]:
        """Results as they finish; a job is drawn from `jobs` only when one finishes."""
        from distributed import as_completed as dask_completed

        source = iter(jobs)
        running: dict[object, Any] = {}  # a future's key -> its job, for on_error
        finished = dask_completed()

        def draw() -> None:
            limit = self.in_flight()
            while len(running) < limit:
                job = next(source, _END)
                if job is _END:
                    return
                # Dask retries a task whose worker died; after that, it is given up on.
                future = self.client.submit(fn, job, pure=False, retries=1)
                running[future.key] = job
                finished.add(future)

        draw()
        for f in finished:
            job = running.pop(f.key)
            try:
                result = f.result()
            except Exception as e:
                if on_error is None:
                    raise
                result = on_error(job, e)
            yield result
            draw()

    def close(self) -> None:
        self.client.close()


def make_executor(jobs: int | None, dask_scheduler: str | None, limits: dict | None = None,
                  sandbox: str | None = None, insecure: bool = False):
    """`limits` and `sandbox`: start each local worker's first kernel at once, in such a sandbox.
    `insecure`: let jobs go unencrypted to a tcp:// Dask scheduler, on this machine or another."""
    if dask_scheduler:
        return DaskExecutor(dask_scheduler, insecure)
    if jobs == 1:
        return SerialExecutor(limits, sandbox)
    return LocalExecutor(jobs, limits, sandbox)
