"""A seccomp filter that keeps a sandbox's processes from making user namespaces.

Inside a new user namespace an unprivileged process is root of its own mounts: it can mount a
tmpfs past the disk limit, and it reaches kernel code (file systems, netfilter) that an
ordinary process cannot, which is where sandbox escapes are found. bwrap's own
``--disable-userns`` needs the sandbox itself to be a user namespace, which it is only when the
grader is not root; a filter works the same with or without root, so the sandbox is the same on
a laptop and on a server.

The filter is classic BPF, as the kernel reads it (``seccomp_data``: the syscall number at
offset 0, the architecture at 4, the arguments from 16), loaded by bwrap before it runs the
kernel (``--add-seccomp-fd``). It refuses ``unshare`` and ``clone`` with ``CLONE_NEWUSER``
(EPERM) and ``clone3``, whose flags sit in memory a filter cannot read (ENOSYS: glibc then
falls back to ``clone``, as it does under Flatpak's and Docker's filters); on x86_64 it refuses
the x32 numbering, another way to name the same calls. Everything else is allowed: the other
limits (namespaces bwrap made, rlimits, no capabilities) do the rest.
"""

from __future__ import annotations

import platform
import struct
from typing import TypedDict

CLONE_NEWUSER = 0x10000000
EPERM, ENOSYS = 1, 38


class Arch(TypedDict):
    audit: int  # <linux/audit.h> AUDIT_ARCH_*
    clone: int  # the syscall numbers of the architecture's table
    unshare: int
    clone3: int
    x32: int | None  # the bit of another numbering of the same calls, where there is one


# <linux/audit.h> AUDIT_ARCH_*, and the syscall numbers of each architecture's table.
ARCHES: dict[str, Arch] = {
    "x86_64": {"audit": 0xC000003E, "clone": 56, "unshare": 272, "clone3": 435, "x32": 0x40000000},
    "aarch64": {"audit": 0xC00000B7, "clone": 220, "unshare": 97, "clone3": 435, "x32": None},
}

# <linux/filter.h> and <linux/seccomp.h>
LD_W_ABS = 0x20
JEQ_K = 0x15
JSET_K = 0x45
RET_K = 0x06
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000
OFFSET_NR, OFFSET_ARCH, OFFSET_ARG0 = 0, 4, 16


class SeccompUnsupported(RuntimeError):
    """No filter is known for this machine's architecture."""


def _op(code: int, k: int = 0, jt: int = 0, jf: int = 0) -> tuple[int, int, int, int]:
    return code, jt, jf, k


def program(machine: str | None = None) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions."""
    machine = machine or platform.machine()
    arch = ARCHES.get(machine)
    if arch is None:
        raise SeccompUnsupported(f"no seccomp filter for {machine!r} (known: {', '.join(ARCHES)})")
    deny_perm, deny_nosys = RET_ERRNO | EPERM, RET_ERRNO | ENOSYS
    ops = [
        _op(LD_W_ABS, OFFSET_ARCH),
        _op(JEQ_K, arch["audit"], jt=1),  # another ABI (32-bit x86 on x86_64): its numbers differ
        _op(RET_K, deny_nosys),
        _op(LD_W_ABS, OFFSET_NR),
    ]
    if arch["x32"] is not None:
        ops += [_op(JSET_K, arch["x32"], jf=1), _op(RET_K, deny_nosys)]
    ops += [
        _op(JEQ_K, arch["clone3"], jf=1), _op(RET_K, deny_nosys),
        # unshare(flags) and clone(flags, ...): flags are the first argument (its low 32 bits,
        # where CLONE_NEWUSER is, on both little-endian architectures here).
        _op(JEQ_K, arch["unshare"], jt=1), _op(JEQ_K, arch["clone"], jf=3),
        _op(LD_W_ABS, OFFSET_ARG0),
        _op(JSET_K, CLONE_NEWUSER, jf=1), _op(RET_K, deny_perm),
        _op(RET_K, RET_ALLOW),
    ]
    return ops


def compiled(machine: str | None = None) -> bytes:
    """The filter as ``struct sock_filter[]`` in this machine's byte order, as bwrap reads it."""
    return b"".join(struct.pack("=HBBI", code, jt, jf, k) for code, jt, jf, k in program(machine))
