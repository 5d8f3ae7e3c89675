"""What a grading process holds between submissions goes with the process."""

from __future__ import annotations

import os


class HeldUntilExit:
    """Something a process keeps between submissions (kernels started ahead, unpacked
    templates), ended when the process exits, however it exits."""

    _held_in: int | None = None  # the process that registered end()

    def end(self) -> None:
        raise NotImplementedError

    def hold(self) -> None:
        """Register end() once per process: atexit for plain processes, and multiprocessing's
        finalizers for pool workers (which leave through os._exit, skipping atexit). Registered
        in the process itself: a forked worker starts with an empty finalizer registry."""
        import atexit
        from multiprocessing import util

        if self._held_in == os.getpid():
            return
        self._held_in = os.getpid()
        atexit.register(self.end)
        util.Finalize(None, self.end, exitpriority=10)
