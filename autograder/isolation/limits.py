"""Resource limits for one submission: what a student's code may use while it is graded.

The defaults suit the course's notebooks (a few short cells, no data files) with a wide
margin; a lecturer changes them with `grade --cell-timeout ... --memory ...`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

KiB = 1024
MiB = 1024 ** 2
GiB = 1024 ** 3


@dataclass(frozen=True)
class Limits:
    cell_seconds: int = 30  # wall time per cell
    notebook_seconds: int = 300  # wall time for the whole notebook, kernel start included
    memory_bytes: int = 1 * GiB  # address space of the kernel and of each process it starts
    processes: int = 64  # processes and threads the student's code may run at once
    output_bytes: int = 1 * MiB  # text and images a cell may print; the rest is cut
    notebook_bytes: int = 32 * MiB  # a submitted notebook larger than this is not opened
    disk_bytes: int = 64 * MiB  # files the student's code may write (its folder and /tmp each)

    def as_dict(self) -> dict:
        return asdict(self)


def size(n: int) -> str:
    """1073741824 -> '1 GiB', for statuses a lecturer reads."""
    for unit, factor in (("GiB", GiB), ("MiB", MiB), ("KiB", 1024)):
        if n >= factor:
            v = n / factor
            return f"{v:.0f} {unit}" if v == int(v) else f"{v:.1f} {unit}"
    return f"{n} bytes"


def parse_size(text: str) -> int:
    """'1G', '512M', '1 GiB', '2000000' -> bytes (for the command line)."""
    t = text.strip().upper().replace("IB", "").replace("B", "").replace(" ", "")
    factors = {"K": 1024, "M": MiB, "G": GiB}
    if t and t[-1] in factors:
        return int(float(t[:-1]) * factors[t[-1]])
    return int(t)
