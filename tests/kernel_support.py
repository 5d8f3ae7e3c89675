"""The kernels the tests start talk to their client over Unix sockets (ZeroMQ's ``ipc``
transport), not over loopback TCP.

Over TCP, jupyter_client finds free ports, closes them, and only then does the kernel bind them.
While several test workers, a browser, a database and a Dask cluster open connections, another
process can take such a port in between and the kernel dies with "Address already in use". A
socket file in the test's own folder cannot be taken by anyone else. The graded run does the same
inside its sandbox (autograder/steps/execute.py).
"""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Config

# A Unix socket's path must fit in 108 bytes; the kernel adds "-<channel number>".
_MAX_PREFIX = 96


def _settings(folder: Path) -> dict[str, str]:
    prefix = str(Path(folder).resolve() / "kernel")
    if len(prefix.encode()) > _MAX_PREFIX:
        raise ValueError(f"{prefix} is too long for a Unix socket's path: give a shorter folder")
    return {"transport": "ipc", "ip": prefix}


def ipc_config(folder: Path) -> Config:
    """For a client in this process: ``NotebookClient(..., config=ipc_config(tmp_path))``."""
    return Config({"KernelManager": _settings(folder)})


def ipc_arguments(folder: Path) -> list[str]:
    """For a Jupyter application on the command line (``nbgrader autograde``, ``jupyter lab``)."""
    return [f"--KernelManager.{name}={value}" for name, value in _settings(folder).items()]
