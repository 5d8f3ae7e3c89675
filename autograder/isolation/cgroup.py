"""A memory cap for a whole submission, when the machine lets the grader make cgroups.

RLIMIT_AS limits each process; a submission that starts many processes could still use
`processes x memory` in all. A memory cgroup caps their sum: the kernel's OOM killer stops a
process of that submission only, never the grader or another student's kernel. Made when
the grader runs as root and a memory controller is writable (cgroup v1 `memory`, or a
cgroup v2 tree with the memory controller delegated); otherwise grading goes on with the
per-process limit alone, as the threat model says.
"""

from __future__ import annotations

import errno
import os
import signal
import time
import uuid
from pathlib import Path

V1 = Path("/sys/fs/cgroup/memory")
V2 = Path("/sys/fs/cgroup")


def _v2_parent() -> Path | None:
    if not (V2 / "cgroup.controllers").is_file():
        return None
    try:
        own = Path("/proc/self/cgroup").read_text().strip().split("\n")[0].split("::", 1)[1]
    except (OSError, IndexError):
        return None
    parent = V2 / own.lstrip("/")
    ctl = parent / "cgroup.subtree_control"
    try:
        return parent if "memory" in ctl.read_text().split() else None
    except OSError:
        return None


class MemoryCap:
    """One cgroup per sandbox: `join_prefix()` puts the sandbox in it before bwrap starts."""

    def __init__(self, limit_bytes: int) -> None:
        self.path: Path | None = None
        self.v2 = False
        if os.geteuid() != 0 or os.environ.get("AUTOGRADER_NO_CGROUP"):
            return
        name = f"autograder-{uuid.uuid4().hex[:12]}"
        for base, v2, limit_file in ((V1, False, "memory.limit_in_bytes"), (_v2_parent(), True, "memory.max")):
            if base is None or not base.is_dir():
                continue
            try:
                path = base / name
                path.mkdir()
            except OSError:
                continue
            try:
                (path / limit_file).write_text(str(limit_bytes))
                if not v2 and (path / "memory.memsw.limit_in_bytes").exists():
                    try:  # no escape into swap either
                        (path / "memory.memsw.limit_in_bytes").write_text(str(limit_bytes))
                    except OSError:
                        pass
                if v2:
                    (path / "memory.swap.max").write_text("0") if (path / "memory.swap.max").exists() else None
                self.path, self.v2 = path, v2
                return
            except OSError:
                path.rmdir()

    def join_prefix(self) -> list[str]:
        """A command prefix that moves itself into the cgroup, then runs the rest."""
        if self.path is None:
            return []
        return ["sh", "-c", 'echo $$ > "$0" && exec "$@"', str(self.path / "cgroup.procs")]

    def oom_kills(self) -> int:
        """How many times the cap made the kernel kill a process of this submission."""
        if self.path is None:
            return 0
        try:
            text = (self.path / ("memory.events" if self.v2 else "memory.oom_control")).read_text()
        except OSError:
            return 0
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return 0

    def remove(self) -> None:
        """Remove the cgroup, ending any process still in it (a daemon the submission left
        behind, where no uid of its own names it). A killed process may take a moment to leave
        (EBUSY meanwhile), so a second later at most."""
        if self.path is None:
            return
        for _ in range(20):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError as e:
                if e.errno != errno.EBUSY:
                    return
            try:
                for pid in (self.path / "cgroup.procs").read_text().split():
                    os.kill(int(pid), signal.SIGKILL)
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
