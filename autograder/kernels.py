"""Kernels started ahead: a warm worker starts the next submission's kernel while it finishes
the current one, so that no one waits for a kernel to boot."""

from __future__ import annotations

import os

from jupyter_client.provisioning import LocalProvisioner

from autograder.isolation.limits import Limits
from autograder.isolation.sandbox import Sandbox
from autograder.process import HeldUntilExit
from autograder.steps.execute import Kernel, SandboxKernelManager, start_kernel, stop_kernel


class KernelPool(HeldUntilExit):
    """The kernels a process started ahead, each in a sandbox of its own, by the limits,
    sandbox kind and kernel it was started with. At most one is kept: a process grades one
    submission at a time."""

    def __init__(self) -> None:
        self._spare: dict[str, tuple[Sandbox, SandboxKernelManager]] = {}

    @staticmethod
    def _key(limits: Limits, kind: str | None, kernel: Kernel) -> str:
        return repr((limits, kind, kernel))

    def take(self, limits: Limits, kind: str | None, kernel: Kernel) -> tuple[Sandbox, SandboxKernelManager | None]:
        """The kernel started ahead, if it is the one needed and still alive; else a new
        sandbox (and None: the notebook's client starts its kernel)."""
        spare = self._spare.pop(self._key(limits, kind, kernel), None)
        if spare is not None:
            sandbox, km = spare
            # Our kernels are launched by jupyter_client's LocalProvisioner, which holds the process.
            if isinstance(km.provisioner, LocalProvisioner) and km.provisioner.process is not None \
                    and km.provisioner.process.poll() is None:
                return sandbox, km
            sandbox.end()
        return Sandbox(limits, kind), None

    def start_spare(self, limits: Limits, kind: str | None = None, kernel: Kernel = Kernel()) -> None:
        """Start a kernel for the next submission graded in this process, in place of any
        started before."""
        if os.environ.get("AUTOGRADER_NO_SPARE_KERNEL"):
            return
        self.hold()
        self.end()
        try:
            sandbox = Sandbox(limits, kind)
        except Exception:  # no sandbox here: the submission itself will say so
            return
        if sandbox.copies_in:  # its files are copied in as the kernel starts: none can start ahead
            sandbox.end()
            return
        try:
            self._spare[self._key(limits, kind, kernel)] = (sandbox, start_kernel(sandbox, kernel))
        except Exception:
            sandbox.end()

    def end(self) -> None:
        """Stop the kernels started ahead (for a next submission that will not come)."""
        for key in list(self._spare):
            sandbox, km = self._spare.pop(key)
            stop_kernel(km)
            sandbox.end()
