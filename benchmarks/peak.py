"""A command's run time and its own peak resident memory (VmHWM, its high-water mark), read
from /proc until it exits: what the grading benchmarks report of the lecturer's process."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path


def run_with_peak(cmd: list[str], cwd: Path, env: dict, interval: float = 0.1) -> tuple[float, int, bytes]:
    """Seconds, peak bytes of the process itself (not its children), and its stderr. Raises
    CalledProcessError when it fails."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]

    def watch() -> None:  # a high-water mark: its last reading before the exit is the peak
        status = Path(f"/proc/{p.pid}/status")
        while p.poll() is None:
            try:
                line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
                peak[0] = max(peak[0], int(line.split()[1]) * 1024)
            except (OSError, StopIteration):
                pass
            time.sleep(interval)

    watcher = threading.Thread(target=watch)
    watcher.start()
    _, err = p.communicate()
    watcher.join()
    if p.returncode != 0:
        raise subprocess.CalledProcessError(p.returncode, cmd, stderr=err)
    return time.perf_counter() - start, peak[0], err
