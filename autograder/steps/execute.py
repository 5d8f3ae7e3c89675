"""Run a submission's notebook in its sandbox, cell by cell, within its limits.

nbgrader's Execute stops a whole submission when the kernel dies or will not interrupt;
here every cell ends in an outcome, and what went wrong becomes an incident with the
cell's name ("timeout in cell q3 (30 s)"). Cells that could not run (the kernel had died,
the notebook ran out of time) get an error output, so their tests score zero, never the
full points nbgrader gives a test cell without an error.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode

from autograder.isolation.limits import Limits, size
from autograder.isolation.sandbox import Sandbox

if TYPE_CHECKING:
    from autograder.steps import NotebookWork

NOT_RUN = "NotRun"
REPLY_TEXT = 2000  # characters of an error name or value taken from a kernel reply


def run(work: NotebookWork) -> None:
    """The step: the notebook run in a sandbox of its own, beside the student's files and the
    assignment's, in nbgrader's order (Autograde.init_assignment): the student's first, then the
    assignment's over them, except those the course's Autograde.exclude_overwriting leaves to
    the student. What went wrong goes into the status."""
    sub = work.submission
    stored = sub.assignment.stored[work.name]
    kernel = Kernel.of(stored["kernel"], stored.get("language"), sub.settings.extra_arguments)
    sandbox, km = sub.kernels.take(sub.limits, sub.job.sandbox, kernel)
    try:
        _write(sandbox.work, sub.files)
        _write(sandbox.work, sub.provided)
        if sub.job.facts is not None:  # the grader's facts, never a variant.json the student sent
            (sandbox.work / "variant.json").write_text(
                json.dumps({"student": sub.job.student_id, "facts": sub.job.facts}, indent=1), encoding="utf-8")
        if sandbox.uid is not None:
            for root, dirs, files in os.walk(sandbox.work):
                for p in [*dirs, *files]:
                    os.chown(os.path.join(root, p), sandbox.uid, sandbox.uid)
        outcome = SubmissionClient(work.notebook, sandbox, sub.limits, work.name, km=km, kernel=kernel).run()
    finally:
        stray = sandbox.end()
        if sub.job.spare_kernel:
            sub.kernels.start_spare(sub.limits, sub.job.sandbox, kernel)
    if stray:
        work.result.log.append(f"{stray} process(es) outlived the sandbox and were killed")
    work.result.problems += outcome.incidents


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


class SandboxKernelManager(AsyncKernelManager):
    """A kernel launched inside a Sandbox, talking over Unix sockets in its private folder."""

    sandbox: Sandbox | None = None

    def _sandbox(self) -> Sandbox:
        # Set by kernel_manager right after the manager is made, before any kernel starts.
        if self.sandbox is None:
            raise RuntimeError("SandboxKernelManager has no sandbox: make it with kernel_manager()")
        return self.sandbox

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        sandbox = self._sandbox()
        sandbox.give(Path(self.connection_file))
        return sandbox.wrap(cmd)

    async def _async_pre_start_kernel(self, **kw):
        # The connection file the kernel reads names its sockets as it sees them.
        self.ip = self._sandbox().ipc_prefix
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        await super()._async_launch_kernel(kernel_cmd, **kw)
        sandbox = self._sandbox()
        if not sandbox.copies_in:
            return
        # Without root the kernel's sockets are in the sandbox's own tmpfs: the grader (its
        # control socket, from here on, and every client) connects through /proc/<pid>/root.
        # Until that is found (or if the sandbox ended first) `ip` stays the host's path, where
        # only the grader writes and so no socket of the kernel's can be.
        launched = getattr(getattr(self.provisioner, "process", None), "pid", None)
        end = time.monotonic() + 60
        while launched is not None and time.monotonic() < end:
            folder = sandbox.outside(launched)
            if folder is not None:
                ip = folder + sandbox.ipc_prefix.removeprefix(str(sandbox.root))
                if len(f"{ip}-65535") > 107:  # a Unix socket's path limit
                    raise RuntimeError(f"the kernel's socket paths are too long: {ip}")
                self.ip = ip
                return
            if self.provisioner is None or await self.provisioner.poll() is not None:
                return
            await asyncio.sleep(0.02)

    # AsyncKernelManager makes this a coroutine; mypy compares it with the synchronous
    # KernelManager's (jupyter_client ignores the same clash on its own assignment).
    async def interrupt_kernel(self) -> None:  # type: ignore[override]
        # Not jupyter_client's SIGINT to the launched process's group: bwrap is in it, and the
        # kernel dies with bwrap (as an ordinary user's grader did, on every timeout and flood).
        launched = getattr(getattr(self.provisioner, "process", None), "pid", None)
        sandbox = self._sandbox()
        if not sandbox.interrupt(launched) and sandbox.uid is None:  # no bwrap (--no-sandbox)
            return await super().interrupt_kernel()


@dataclass
class Outcome:
    incidents: list[str] = field(default_factory=list)  # for the status, in cell order
    cells_run: int = 0


def cell_name(cell: NotebookNode, index: int) -> str:
    gid = cell.metadata.get("nbgrader", {}).get("grade_id")
    return gid if gid else str(index + 1)


def _not_run(cell: NotebookNode, why: str) -> None:
    if cell.cell_type == "code":
        cell.outputs = [NotebookNode(output_type="error", ename=NOT_RUN, evalue=why,
                                     traceback=[f"{NOT_RUN}: {why}"])]


@dataclass(frozen=True)
class Kernel:
    """The kernel a notebook runs in (chosen in the lecturer's process: autograder.course) and
    the arguments it starts with."""

    name: str = "python3"
    arguments: tuple[str, ...] = ("--HistoryManager.hist_file=:memory:",)  # an IPython kernel's, as nbclient's

    @classmethod
    def of(cls, name: str, language: str | None, extra: tuple[str, ...] = ()) -> Kernel:
        """nbclient gives an IPython kernel an in-memory history; other kernels take no such
        argument. `extra`: the course's Execute.extra_arguments."""
        ipython = (language or "python") == "python"
        return cls(name, (*(cls.arguments if ipython else ()), *extra))


def kernel_manager(sandbox: Sandbox, kernel: Kernel = Kernel()) -> SandboxKernelManager:
    km = SandboxKernelManager(kernel_name=kernel.name, transport="ipc", ip=sandbox.ipc_prefix)
    km.sandbox = sandbox
    km.connection_file = str(sandbox.connection_file)
    return km


def start_kernel(sandbox: Sandbox, kernel: Kernel = Kernel()) -> SandboxKernelManager:
    """Launch a fresh kernel in an empty sandbox and return at once, without waiting for it
    to be ready: a warm worker starts the next submission's kernel while it finishes the
    current one, so no one waits for a kernel to boot. It has run no one's code."""
    import subprocess

    from jupyter_core.utils import run_sync

    km = kernel_manager(sandbox, kernel)
    run_sync(km.start_kernel)(extra_arguments=list(kernel.arguments), cwd=str(sandbox.work),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return km


def stop_kernel(km: SandboxKernelManager) -> None:
    from jupyter_core.utils import run_sync

    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:
        pass


class SubmissionClient(NotebookClient):
    """nbclient's NotebookClient with per-notebook time, output limits and named incidents."""

    def __init__(self, nb: NotebookNode, sandbox: Sandbox, limits: Limits, name: str = "",
                 km: SandboxKernelManager | None = None, kernel: Kernel = Kernel()) -> None:
        self.started_km = km  # a kernel started ahead, or None to start one here
        super().__init__(nb, km=km or kernel_manager(sandbox, kernel), timeout=limits.cell_seconds, allow_errors=True,
                         interrupt_on_timeout=True, startup_timeout=60, record_timing=False,
                         shutdown_kernel="immediate",
                         error_on_timeout={"ename": "CellTimeoutError", "evalue": f"over {limits.cell_seconds} s",
                                           "traceback": [f"CellTimeoutError: over {limits.cell_seconds} s"]},
                         kernel_name=kernel.name, extra_arguments=list(kernel.arguments),
                         resources={"metadata": {"path": str(sandbox.work)}})
        self.sandbox, self.limits, self.name = sandbox, limits, name
        self.outcome = Outcome()
        self._cell_bytes: dict[int, int] = {}
        self._flooded: set[int] = set()
        self._reply: dict | None = None
        self.on_cell_executed = self._record_reply

    def _manager(self) -> SandboxKernelManager:
        # __init__ always gives nbclient one (started ahead, or made by kernel_manager).
        if not isinstance(self.km, SandboxKernelManager):
            raise RuntimeError(f"the notebook client's kernel manager is {type(self.km).__name__}, "
                               "not a SandboxKernelManager")
        return self.km

    def _record_reply(self, cell, cell_index, execute_reply, **_):
        self._reply = execute_reply

    async def async_start_new_kernel(self, **kwargs):
        # The kernel's own chatter (connection banners) is not the lecturer's business.
        import subprocess

        kwargs.setdefault("stdout", subprocess.DEVNULL)
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        await super().async_start_new_kernel(**kwargs)

    # -- output limit ------------------------------------------------------------------
    def output(self, outs, msg, display_id, cell_index):
        # Every byte the message would add to the notebook: text and data, and an error's
        # name, value and traceback, and metadata, which a student can make as large.
        content = msg.get("content", {})
        n = len(json.dumps(content, default=str))
        total = self._cell_bytes.get(cell_index, 0) + n
        self._cell_bytes[cell_index] = total
        if total > self.limits.output_bytes:
            if cell_index not in self._flooded:
                self._flooded.add(cell_index)
                # Stop the flood at its source; the cell ends with KeyboardInterrupt.
                asyncio.ensure_future(self._manager().interrupt_kernel())
            return None
        return super().output(outs, msg, display_id, cell_index)

    # -- running -----------------------------------------------------------------------
    def run(self) -> Outcome:
        import atexit

        from jupyter_core.utils import run_sync

        try:
            run_sync(self._run)()
        finally:
            atexit.unregister(self._cleanup_kernel)  # nbclient's; the kernel is gone by now
            if self.started_km is not None:  # nbclient shuts down only kernels it started
                stop_kernel(self.started_km)
        return self.outcome

    async def _run(self) -> None:
        deadline = time.monotonic() + self.limits.notebook_seconds
        cells = self.nb.cells
        stop: str | None = None
        try:
            async with self.async_setup_kernel():
                # Replies of the kernel's start-up are not the student's; drop them.
                for index, cell in enumerate(cells):
                    if stop:
                        _not_run(cell, stop)
                        continue
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        stop = f"not run: the notebook's time ({self.limits.notebook_seconds} s) was up"
                        self._incident(f"notebook time limit ({self.limits.notebook_seconds} s) reached "
                                       f"before cell {cell_name(cell, index)}")
                        _not_run(cell, stop)
                        continue
                    stop = await self._run_cell(cell, index, remaining)
                if not stop:
                    # Daemons and children left behind end with the sandbox; say they existed
                    # (not how many: that depends on timing, and the table must not).
                    if self.sandbox.running_besides_kernel():
                        self._incident("processes left running when the notebook ended: stopped")
        except DeadKernelError:
            pass  # recorded by _run_cell
        except Exception as e:  # the kernel would not start
            if self.outcome.cells_run == 0:
                failure = self.sandbox.copy_failure()
                if failure and any(s in failure for s in ("No space left", "File too large")):
                    self._incident(f"disk limit ({size(self.limits.disk_bytes)}): the submission's files do not fit "
                                   "in the notebook's folder, the kernel was not started")
                elif failure:
                    self._incident(f"the files could not be copied in: {failure}")
                else:
                    self._incident(f"the kernel could not start ({type(e).__name__})")
                for cell in cells:
                    _not_run(cell, "not run: the kernel could not start")
            else:
                raise

    async def _run_cell(self, cell: NotebookNode, index: int, remaining: float) -> str | None:
        """Run one cell; returns why the rest of the notebook cannot run, or None."""
        name = cell_name(cell, index)
        self._reply = None
        if cell.cell_type != "code":
            return None
        ooms = self.sandbox.memory.oom_kills()
        ends = time.monotonic() + remaining
        try:
            await asyncio.wait_for(self.async_execute_cell(cell, index, execution_count=index + 1), remaining)
        except (TimeoutError, DeadKernelError) as e:
            # nbclient reports the cancellation by wait_for as DeadKernelError: tell them apart
            # by the clock.
            if isinstance(e, DeadKernelError) and time.monotonic() < ends:
                self._incident(self._death(name, self.sandbox.memory.oom_kills() > ooms))
                _not_run(cell, "the kernel stopped while running this cell")
                return "not run: the kernel had stopped"
            self._incident(f"notebook time limit ({self.limits.notebook_seconds} s) reached in cell {name}")
            _not_run(cell, f"stopped: the notebook's time ({self.limits.notebook_seconds} s) was up")
            await self._kill()
            return "not run: the notebook's time was up"
        except CellTimeoutError:  # only when the interrupt itself failed
            self._incident(f"timeout in cell {name} ({self.limits.cell_seconds} s)")
            _not_run(cell, "stopped: time limit")
            await self._kill()
            return "not run: the kernel did not stop after a timeout"
        self.outcome.cells_run += 1
        reply: dict = self._reply or {}
        content = reply.get("content", {})
        ename = content.get("ename") if content.get("status") == "error" else None
        # (Not for a cut flood or a timeout: the grader itself dropped, or never got, that error.)
        if (ename and ename != "CellTimeoutError" and index not in self._flooded
                and not any(o.get("output_type") == "error" for o in cell.outputs)):
            # The kernel says the cell failed, but no error reached the notebook: the student's
            # code silenced it (a replaced showtraceback). nbgrader would score that a pass.
            evalue = str(content.get("evalue", ""))[:REPLY_TEXT]  # the reply is the student's too: kept short
            cell.outputs.append(NotebookNode(output_type="error", ename=str(ename)[:REPLY_TEXT], evalue=evalue,
                                             traceback=[f"{str(ename)[:REPLY_TEXT]}: {evalue}"]))
            self._incident(f"the error of cell {name} was hidden: shown again")
        if index in self._flooded:
            self._incident(f"output limit ({size(self.limits.output_bytes)}) in cell {name}: output cut, cell stopped")
            cell.outputs.append(NotebookNode(output_type="error", ename="OutputLimit",
                                             evalue=f"more than {size(self.limits.output_bytes)} of output",
                                             traceback=[f"OutputLimit: output cut at {size(self.limits.output_bytes)}"]))
        elif ename == "CellTimeoutError":
            self._incident(f"timeout in cell {name} ({self.limits.cell_seconds} s)")
            if not any(o.get("ename") == "CellTimeoutError" for o in cell.outputs):
                cell.outputs.append(NotebookNode(output_type="error", ename="CellTimeoutError",
                                                 evalue=f"over {self.limits.cell_seconds} s",
                                                 traceback=[f"CellTimeoutError: over {self.limits.cell_seconds} s"]))
            if not await self._responsive():
                self._incident("the kernel did not stop after the timeout: later cells not run")
                await self._kill()
                return "not run: the kernel did not stop after a timeout"
        elif ename == "MemoryError" or self.sandbox.memory.oom_kills() > ooms:
            self._incident(f"memory limit ({size(self.limits.memory_bytes)}) in cell {name}")
        elif ename == "BlockingIOError" or "Resource temporarily unavailable" in str(content.get("evalue", "")):
            self._incident(f"process limit ({self.limits.processes}) in cell {name}")
        elif any(s in str(content.get("evalue", "")) for s in ("No space left on device", "File too large",
                                                                "Disk quota exceeded")):
            self._incident(f"disk limit ({size(self.limits.disk_bytes)}) in cell {name}")
        elif ename == "SystemExit":
            self._incident(f"sys.exit() in cell {name}")
        return None

    def _death(self, name: str, out_of_memory: bool = False) -> str:
        """Why the kernel died, as far as the grader can tell."""
        if out_of_memory:
            return f"memory limit ({size(self.limits.memory_bytes)}) in cell {name}: the kernel was stopped"
        return f"kernel died in cell {name}"

    async def _responsive(self) -> bool:
        """After an interrupt: does the kernel answer again (or is it stuck in C code)?"""
        kc = self.kc
        if kc is None:  # no kernel client (the kernel never started): nothing can answer
            return False
        try:
            msg_id = kc.kernel_info()
            end = time.monotonic() + 15  # generous: a loaded machine answers slowly
            while time.monotonic() < end:
                reply = await kc.shell_channel.get_msg(timeout=max(0.1, end - time.monotonic()))
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    return True
        except Exception:
            pass
        return False

    async def _kill(self) -> None:
        try:
            await self._manager().shutdown_kernel(now=True)
        except Exception:
            pass

    def _incident(self, text: str) -> None:
        if text not in self.outcome.incidents:
            self.outcome.incidents.append(text)
