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
from typing import Any


class SerialExecutor:
    """One job after the other, here: what --jobs 1 means (no process start-up to pay)."""

    name = "serial"

    def map_unordered(self, fn: Callable, jobs: Iterable[Any]) -> Iterator[Any]:
        for job in jobs:
            yield fn(job)

    def close(self) -> None:
        pass


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
        self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx, initializer=_warm)
        for _ in range(self.jobs):  # start the workers now, while the parent prepares the course
            self.pool.submit(_warm)

    def map_unordered(self, fn: Callable, jobs: Iterable[Any]) -> Iterator[Any]:
        futures = [self.pool.submit(fn, job) for job in jobs]
        for f in as_completed(futures):
            yield f.result()

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

    def map_unordered(self, fn: Callable, jobs: Iterable[Any]) -> Iterator[Any]:
        from distributed import as_completed as dask_completed

        futures = self.client.map(fn, list(jobs), pure=False)
        for f in dask_completed(futures):
            yield f.result()

    def close(self) -> None:
        self.client.close()


def make_executor(jobs: int | None, dask_scheduler: str | None):
    if dask_scheduler:
        return DaskExecutor(dask_scheduler)
    if jobs == 1:
        return SerialExecutor()
    return LocalExecutor(jobs)
