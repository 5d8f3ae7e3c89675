"""Where grading jobs run: in this process, in a pool of local processes, or on Dask.

Every executor takes the same picklable job and function and yields results as they finish,
so the runner does not care which one it has. `--dask-scheduler ADDRESS` uses Dask
distributed's own client (the workers need this repository importable, like the lecturer's
machine: same checkout, same requirements).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any


class SerialExecutor:
    """One job after the other, here: what --jobs 1 means (no process start-up to pay)."""

    name = "serial"

    def map_unordered(self, fn: Callable, jobs: Iterable[Any], on_error: Callable | None = None) -> Iterator[Any]:
        for job in jobs:
            yield fn(job)

    def close(self) -> None:
        from autograder.worker import end_spares

        end_spares()  # the kernel started ahead for a next submission that will not come


def _warm() -> None:
    """Run once per worker process: imports, and the feedback exporter with its templates
    compiled, so that no submission pays for them."""
    import autograder.execution  # noqa: F401
    import autograder.worker  # noqa: F401
    from autograder.feedback import exporter

    exporter(False)


class LocalExecutor:
    """A pool of worker processes on this machine (default: one per core)."""

    name = "local"

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        # forkserver: workers start from a clean process that has nbgrader imported already,
        # without inheriting the parent's open database or kernel sockets.
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["autograder.worker", "autograder.execution", "autograder.feedback",
                                    "nbgrader.api", "nbconvert"])
        self.ctx = ctx
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=self.ctx, initializer=_warm)
        for _ in range(self.jobs):  # start the workers now, while the parent prepares the course
            pool.submit(int)
        return pool

    def map_unordered(self, fn: Callable, jobs: Iterable[Any], on_error: Callable | None = None) -> Iterator[Any]:
        """Results as they finish. A worker process that dies (killed from outside, a crash
        in C) breaks the whole pool: the pool is rebuilt and the unfinished jobs go again;
        a job that breaks it twice is given up on through on_error(job, exception)."""
        pending = {i: job for i, job in enumerate(jobs)}
        tries = dict.fromkeys(pending, 0)
        while pending:
            futures = {self.pool.submit(fn, job): i for i, job in pending.items()}
            broken = False
            for f in as_completed(futures):
                i = futures[f]
                try:
                    result = f.result()
                except BrokenProcessPool as e:
                    broken = True
                    tries[i] += 1
                    if tries[i] >= 2 and on_error is not None:
                        yield on_error(pending.pop(i), e)
                    continue
                except Exception as e:
                    if on_error is None:
                        raise
                    result = on_error(pending[i], e)
                pending.pop(i)
                yield result
            if broken:
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool()

    def close(self) -> None:
        self.pool.shutdown()


class DaskExecutor:
    """Jobs sent to an existing Dask distributed scheduler."""

    name = "dask"

    def __init__(self, address: str) -> None:
        from distributed import Client

        try:
            self.client = Client(address, timeout="20s")
        except OSError as e:
            raise SystemExit(f"cannot reach the Dask scheduler at {address}: {e}. "
                             "Start one (dask scheduler / dask worker) or drop --dask-scheduler.") from None

    def map_unordered(self, fn: Callable, jobs: Iterable[Any], on_error: Callable | None = None) -> Iterator[Any]:
        from distributed import as_completed as dask_completed

        jobs = list(jobs)
        # Dask retries a task whose worker died; after that, it is given up on.
        futures = self.client.map(fn, jobs, pure=False, retries=1)
        index = {f.key: i for i, f in enumerate(futures)}
        for f in dask_completed(futures):
            try:
                yield f.result()
            except Exception as e:
                if on_error is None:
                    raise
                yield on_error(jobs[index[f.key]], e)

    def close(self) -> None:
        self.client.close()


def make_executor(jobs: int | None, dask_scheduler: str | None):
    if dask_scheduler:
        return DaskExecutor(dask_scheduler)
    if jobs == 1:
        return SerialExecutor()
    return LocalExecutor(jobs)
