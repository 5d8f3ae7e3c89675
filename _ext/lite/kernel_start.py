"""The browser kernel's ``sitecustomize``: the notebook's folder is not searched for the kernel's own modules.

JupyterLite's Pyodide kernel makes the notebook's folder (its files come from the page, one
synchronous request for each look) the current directory before it imports IPython and itself, and
Python looks in the current directory first for every module it imports: about 110 requests, near a
second, at every start. Until the kernel's module has finished importing (``kernel_instance`` is the
name the kernel's worker reads from it), a folder of the notebooks' drive is passed over; from then
on it is searched first, as usual, so that ``import course_tools`` finds the notebook's helpers.

``precompile.py`` puts this file in the browser's standard library as ``sitecustomize``: Python
imports it as it starts, before the kernel's worker mounts the drive.
"""

from __future__ import annotations

import sys

DRIVE = "/drive"  # where the kernel's worker mounts the notebooks' folders


def _kernel_started() -> bool:
    return hasattr(sys.modules.get("pyodide_kernel"), "kernel_instance")


def _in_drive(path: str) -> bool:
    return path == DRIVE or path.startswith(DRIVE + "/")


class _AfterKernelStart:
    """The finder of a drive folder met while the kernel was starting: finds nothing until the
    kernel has started, then hands over to the finder Python would have used."""

    def __init__(self, path: str):
        self.path = path
        self._finder = None

    def find_spec(self, fullname, target=None):
        if not _kernel_started():
            return None
        if self._finder is None:
            self._finder = _next_finder(self.path)
        return self._finder.find_spec(fullname, target) if self._finder is not None else None

    def invalidate_caches(self) -> None:
        if self._finder is not None and hasattr(self._finder, "invalidate_caches"):
            self._finder.invalidate_caches()


def _next_finder(path: str):
    for hook in sys.path_hooks:
        if hook is path_hook:
            continue
        try:
            return hook(path)
        except ImportError:
            continue
    return None


def path_hook(path: str) -> _AfterKernelStart:
    if not _in_drive(path) or _kernel_started():
        raise ImportError("not a drive folder met while the kernel starts")  # the next hook decides
    return _AfterKernelStart(path)


if path_hook not in sys.path_hooks:
    sys.path_hooks.insert(0, path_hook)
