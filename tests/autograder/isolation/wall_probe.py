"""Run inside a sandbox by test_walls.py: what a submission's code can see and do, as JSON."""

import ctypes
import errno
import json
import subprocess
import threading


def _error(e: OSError) -> str:
    return errno.errorcode.get(e.errno, str(e.errno))


def pid1_environment():
    try:
        raw = open("/proc/1/environ", "rb").read()
    except OSError as e:
        return _error(e)
    return sorted(v.split(b"=", 1)[0].decode() for v in raw.split(b"\0") if v)


def new_user_namespace():
    libc = ctypes.CDLL(None, use_errno=True)
    return "made" if libc.unshare(0x10000000) == 0 else errno.errorcode.get(ctypes.get_errno())


def fill(folder: str, files: int = 64):
    """MiB files written one after another until the place is full: (how many, the error)."""
    for i in range(files):
        try:
            with open(f"{folder}/fill-{i}", "wb") as f:
                f.write(b"x" * 2**20)
        except OSError as e:
            return [i, _error(e)]
    return [files, None]


def write(path: str):
    try:
        with open(path, "w") as f:
            f.write("x")
        return "written"
    except OSError as e:
        return _error(e)


thread = threading.Thread(target=lambda: None)
thread.start()
thread.join()
print(json.dumps({
    "pid1_environment": pid1_environment(),
    "user_namespace": new_user_namespace(),
    "unshare_command": subprocess.run(["unshare", "-Ur", "true"], capture_output=True).returncode,
    "threads_and_processes": subprocess.run(["true"]).returncode == 0,
    "dev_shm": fill("/dev/shm"),
    "tmp": fill("/tmp"),
    "work": fill("."),  # the notebook's folder, the kernel's working folder
    "dev": write("/dev/planted"),
}))
