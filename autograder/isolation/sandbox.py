"""Where a student's code runs: a bubblewrap sandbox, as an unprivileged user of its own.

One sandbox per submission. Its kernel sees a read-only system (the OS, Python and its
packages) and one private, writable folder holding only this submission's notebook, the
assignment's files and the student's own; the course folder (the bank and its answers, the instructor notebooks), the
gradebook and other students' work are simply not in its file system. Nothing in the
kernel needs them: the answers are marked outside it (autograder/steps/mark.py). It has
no network, its own process tree (a PID namespace: when the sandbox ends, every process
the student started ends with it), and the kernel's resource limits (memory, processes,
CPU) are set before it starts. The threat model is in autograder/THREAT_MODEL.md.

The kernel talks to the grader over Unix sockets in the private folder (ZeroMQ's `ipc`
transport), since the sandbox has no network, not even loopback. Without root that folder is
the sandbox's own tmpfs, which the grader reaches through /proc/<pid>/root (`outside`).

Mechanisms, best first: `bwrap` as root with a uid of its own per sandbox (the grading
server, CI); `bwrap` as an ordinary user (a lecturer's laptop: same isolation, the
lecturer's uid); `none` (limits only), which grading uses only when the lecturer asks for it:
without a working bwrap it refuses to run student code (`choose`).
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from autograder.isolation.limits import Limits

ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives", "fonts", "mime.types",
       "nsswitch.conf", "host.conf", "hosts", "os-release", "ssl")
GIVEN = "/given"  # inside the sandbox without root: the grader's files, read-only, copied into `work`
COPY_FAILED = "copy failed"  # the copy step's last line to the grader, after cp's errors
UID_BASE = 61000  # sandbox users are uids 61000-61999, one per grading process
UID_SPAN = 1000


class SandboxUnavailable(RuntimeError):
    """No sandbox can be had here, and nobody said to grade without one."""


NO_SANDBOX = """no sandbox for student code on this machine: {why}.
Without one, every submission's code runs as you, and can read what you can read: the
answer keys in the question bank, the instructor notebooks with their solutions and hidden
tests, the gradebook and the other students' work, and can write its findings into its own
feedback. No student code was run.
To fix it: install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf
install bubblewrap) and make sure this user may create namespaces (in a container: run it with
--privileged or allow user namespaces). To grade anyway, knowingly: add --no-sandbox (or set
AUTOGRADER_SANDBOX=none); grades.csv and the report then say that the grading was unsandboxed."""


def mechanism() -> str:
    """What a sandbox here would use: "bwrap" when it works, else "none" (see `choose`)."""
    forced = os.environ.get("AUTOGRADER_SANDBOX")  # "bwrap" or "none", for a lecturer who must
    if forced:
        return forced
    return "bwrap" if _bwrap_works() else "none"


def why_not_bwrap() -> str:
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed"
    return "bubblewrap (bwrap) is installed but may not create namespaces here"


def choose(*, no_sandbox: bool = False) -> str:
    """The sandbox grading will use, failing closed: "bwrap", or "none" only when the lecturer
    asked for it (no_sandbox, or AUTOGRADER_SANDBOX=none). Raises SandboxUnavailable otherwise."""
    forced = os.environ.get("AUTOGRADER_SANDBOX")
    if forced not in (None, "", "bwrap", "none"):
        raise SandboxUnavailable(f"AUTOGRADER_SANDBOX={forced!r}: use bwrap or none")
    if no_sandbox or forced == "none":
        return "none"
    if _bwrap_works():
        return "bwrap"
    raise SandboxUnavailable(NO_SANDBOX.format(why=why_not_bwrap()))


@functools.lru_cache(maxsize=1)
def _bwrap_works() -> bool:
    """bwrap installed is not enough: a container without the right to make namespaces
    (unprivileged Docker, some CI runners) refuses them. Try once, as a sandbox will."""
    import subprocess

    if shutil.which("bwrap") is None:
        return False
    probe = ["bwrap", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--unshare-pid",
             "--unshare-net", "--unshare-ipc", "--unshare-uts", "--die-with-parent"]
    if os.geteuid() != 0:
        probe.append("--unshare-user")
    try:
        return subprocess.run([*probe, "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


_uids: dict[int, tuple[int, object]] = {}  # pid -> (uid, its lock file, held while alive)
# Root's own run-time folder, where no other user can plant a file or a link.
UID_LOCKS = Path("/run/autograder-uids")


class UnsafeLockFolder(RuntimeError):
    """The folder of the uid locks is not root's alone: someone could plant links in it."""


def _lock_folder(folder: Path | None = None) -> Path:
    """The uid locks' folder, made if missing; refused unless it is a real folder (not a
    link), owned by root, that no one else may write to."""
    import stat

    folder = folder or UID_LOCKS
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != 0 or st.st_mode & 0o022:
        raise UnsafeLockFolder(
            f"{folder} is not a folder that root alone may write to (owner uid {st.st_uid}, mode "
            f"{stat.filemode(st.st_mode)}): another user could plant links there; remove it and grade again")
    return folder


def sandbox_uid() -> int | None:
    """A uid no one else uses, fixed for this grading process: its processes are countable
    (the process limit is per uid) and findable when the submission ends. Each grading
    process holds a lock on its uid, so two processes never share one."""
    import fcntl

    if os.geteuid() != 0:
        return None
    pid = os.getpid()
    if pid in _uids:
        return _uids[pid][0]
    folder = _lock_folder()
    for i in range(UID_SPAN):
        uid = UID_BASE + (pid + i) % UID_SPAN
        # O_NOFOLLOW: a link in its place is refused, never opened (and truncated) through.
        fd = os.open(folder / f"{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        f = os.fdopen(fd, "r+")  # noqa: SIM115 (held for the process's life)
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.close()
            continue
        _uids[pid] = (uid, f)
        return uid
    raise RuntimeError(f"all {UID_SPAN} sandbox uids are in use by other grading processes")


def _open_parents(paths: list[str]) -> list[str]:
    """Folders above the bound paths, world-traversable inside the sandbox: bwrap copies
    the host's modes, and Python may live under /root (0700), which the sandbox user could
    not cross otherwise."""
    out: list[str] = []
    for p in paths:
        for parent in reversed(Path(p).parents):
            s = str(parent)
            if s not in ("/", "/tmp") and s not in out and not s.startswith(("/usr", "/etc")):
                out.append(s)
    return [arg for d in out for arg in ("--perms", "0755", "--dir", d)]


def _system_binds() -> list[str]:
    binds: list[str] = []
    binds += ["--ro-bind", "/usr", "/usr"]
    # Of /etc only what the dynamic linker, Python and fonts read: a server's /etc may hold
    # package-index tokens (pip.conf, npmrc), user lists and service settings.
    binds += ["--perms", "0755", "--dir", "/etc"]
    for name in ETC:
        if Path("/etc", name).exists():
            binds += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    for link in ("/bin", "/sbin", "/lib", "/lib64", "/lib32"):
        if Path(link).is_symlink():
            binds += ["--symlink", os.readlink(link), link]
        elif Path(link).is_dir():
            binds += ["--ro-bind", link, link]
    return binds


def _python_binds() -> list[str]:
    """Python itself (a pyenv build may live under /root) and the virtual environment.
    Bound after the sandbox's own /tmp, so a checkout or venv under /tmp stays visible."""
    pythons = [p for p in sorted({sys.base_prefix, sys.prefix, str(Path(sys.executable).resolve().parents[1])})
               if not p.startswith("/usr/") and Path(p).is_dir()]
    binds = _open_parents(pythons)
    for p in pythons:
        binds += ["--ro-bind", p, p]
    return binds


def descendants(ancestor: int) -> list[int]:
    """The processes descended from `ancestor`."""
    parents: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parents[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    below: list[int] = []
    frontier = [ancestor]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        below += children
        frontier = children
    return below


class Sandbox:
    """A private folder and the command line that runs a kernel inside the sandbox."""

    def __init__(self, limits: Limits, kind: str | None = None) -> None:
        self.limits = limits
        self.kind = kind or choose()
        if self.kind == "bwrap" and not _bwrap_works():  # e.g. a Dask worker set up differently
            raise SandboxUnavailable(NO_SANDBOX.format(why=why_not_bwrap() + " on this worker"))
        self.uid = sandbox_uid() if self.kind == "bwrap" else None
        # Short path: Unix socket names are limited to 107 bytes.
        from autograder.isolation.cgroup import MemoryCap

        self.memory = MemoryCap(limits.memory_bytes)  # all its processes together
        self.root = Path(tempfile.mkdtemp(prefix="ag-", dir="/tmp"))
        self.mounted = self._own_filesystem()
        self.work = self.root / "work"  # the notebook's folder: its files and variant facts
        self.sockets = self.root / "k"  # the kernel's Unix sockets and connection file
        self.connection_file = self.sockets / "kernel.json"
        # Without root the grader cannot mount that tmpfs; bwrap makes one over the whole
        # private folder inside the sandbox instead (`_own_folder`), and the files the grader
        # wrote into `work` are copied into it as the kernel starts (`wrap`): they must all be
        # there before then. The host's folder is then out of the kernel's reach.
        self.copies_in = self.kind == "bwrap" and self.uid is None and not self.mounted
        # What the copy step said (cp's errors), written through a descriptor the kernel never holds.
        self.copy_log = self.root / "copy.log"
        self.work.mkdir()
        self.sockets.mkdir()
        self.root.chmod(0o711)
        if self.uid is not None:
            os.chown(self.work, self.uid, self.uid)
            os.chown(self.sockets, self.uid, self.uid)

    def _own_filesystem(self) -> bool:
        """The private folder on a tmpfs of its own, of the disk limit's size: a student who
        writes without end fills that, not the grader's /tmp. Needs root; else bwrap makes one
        inside the sandbox (`_own_folder`)."""
        import subprocess

        if os.geteuid() != 0 or self.kind == "none":
            return False
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.limits.disk_bytes},mode=0711,nosuid,nodev",
                            "tmpfs", str(self.root)], capture_output=True)
        return r.returncode == 0

    def copy_failure(self) -> str | None:
        """Why the grader's files could not be copied into the notebook's folder, so that the
        kernel was not started (cp's first line of error), or None. Only the copy step can say
        so: it writes to a file on the host through a descriptor it closes before the kernel
        starts, and bwrap's pid 1 closes its own copy."""
        if not self.copies_in:
            return None
        try:
            lines = self.copy_log.read_text(errors="replace").splitlines()
        except OSError:
            return None
        if not lines or lines[-1] != COPY_FAILED:
            return None
        return (lines[0] if len(lines) > 1 else COPY_FAILED)[:300]  # names the student's files: kept short

    @property
    def ipc_prefix(self) -> str:
        return str(self.sockets / "s")

    def give(self, path: Path) -> None:
        """Let the sandbox user read a file the grader wrote (the connection file)."""
        if self.uid is not None:
            os.chown(path, self.uid, self.uid)

    def wrap(self, argv: list[str]) -> list[str]:
        """The kernel's command line, run inside the sandbox with its limits."""
        limits = [f"--as={self.limits.memory_bytes}", f"--nproc={self.limits.processes}",
                  f"--cpu={self.limits.notebook_seconds + 5}", f"--fsize={self.limits.disk_bytes}", "--core=0"]
        if self.kind == "none":
            env = [f"{k}={v}" for k, v in self.environment().items()]
            # As bwrap's --die-with-parent does: a grading process killed from outside takes
            # its kernel (the one started ahead too) with it, rather than leaving it running.
            return [*self.memory.join_prefix(), "env", "-i", *env, "prlimit", *limits, "--",
                    "setpriv", "--pdeathsig", "KILL", "--", *argv]
        # bwrap itself starts with an empty environment: inside the PID namespace its own
        # process is pid 1, whose /proc/1/environ the sandbox can read when the grader is not
        # root. The seccomp filter (no user namespaces) comes in on fd 9, opened by the shell;
        # when the files are copied in, the copy step's log goes out on fd 8.
        if self.copies_in:
            opener = ["sh", "-c", 'log=$1; shift; exec "$@" 9< "$0" 8> "$log"', str(self._seccomp_filter()),
                      str(self.copy_log)]
        else:
            opener = ["sh", "-c", 'exec "$@" 9< "$0"', str(self._seccomp_filter())]
        cmd = [*self.memory.join_prefix(), "env", "-i", "PATH=/usr/bin:/bin", *opener,
               "bwrap", "--die-with-parent", "--add-seccomp-fd", "9",
               "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
               *_system_binds(), "--proc", "/proc", "--dev", "/dev",
               # Every writable place is as large as the disk limit: /dev/shm is otherwise a
               # tmpfs as large as half the machine's memory.
               "--perms", "1777", "--size", str(self.limits.disk_bytes), "--tmpfs", "/dev/shm",
               "--remount-ro", "/dev",
               "--perms", "1777", "--size", str(self.limits.disk_bytes), "--tmpfs", "/tmp",
               *_python_binds(),
               *self._own_folder(),
               # The grader's environment may hold secrets (a CI token, the gradebook's
               # password): the kernel gets a fresh one.
               "--clearenv", *[a for k, v in self.environment().items() for a in ("--setenv", k, v)],
               "--chdir", str(self.work)]
        if self.uid is None:
            cmd += ["--unshare-user"]
        cmd += ["--"]
        if self.uid is not None:
            # prlimit as root first (it may raise limits), then drop to the sandbox user for good.
            cmd += ["prlimit", *limits, "--",
                    "setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
        else:
            cmd += ["prlimit", *limits, "--"]
        if self.copies_in:
            # Copied under the limits, by the kernel's own user, before any student code runs.
            # cp's errors go to fd 8 (the grader's file, `copy_failure`), which the kernel
            # never gets: closed before it starts, so the student cannot write that verdict.
            # SIGXFSZ ignored for cp alone, so that a file over the size limit is cp's "File
            # too large", not a killed cp.
            cmd += ["sh", "-c", '( trap "" XFSZ; exec cp -R "$0"/. . ) 2>&8 || '
                    f'{{ echo "{COPY_FAILED}" >&8; exit 1; }}; exec "$@" 8>&-', GIVEN]
        return cmd + argv

    def _own_folder(self) -> list[str]:
        """As root, the private folder (the grader's tmpfs) as it is. Without root, a tmpfs of
        the disk limit's size at the same path, made by bwrap (in its user namespace, no root
        needed), so that nothing the kernel writes, its sockets included, lands on the host's
        disk: the host's `work` is seen read-only at GIVEN to be copied from, and the connection
        file read-only at its own path. Copied rather than handed in one by one with bwrap's
        --file: that needs a file descriptor per file passed through jupyter_client's launch,
        which passes none, and a --dir per nested folder."""
        if not self.copies_in:
            return ["--bind", str(self.root), str(self.root)]
        return ["--ro-bind", str(self.work), GIVEN,
                "--size", str(self.limits.disk_bytes), "--tmpfs", str(self.root),
                "--dir", str(self.work), "--dir", str(self.sockets),
                "--ro-bind", str(self.connection_file), str(self.connection_file)]

    def outside(self, launched: int) -> str | None:
        """Where the grader finds the sandbox's private folder without root (`copies_in`): its
        own tmpfs, seen through /proc/<pid>/root of a process inside, once bwrap has moved into
        the sandbox's root (before that, the path would lead to the host's folder). None while
        no such process is found."""
        try:
            host = os.stat(self.root)
        except OSError:
            return None
        for pid in descendants(launched):
            path = f"/proc/{pid}/root{self.root}"
            try:
                st = os.stat(path)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) != (host.st_dev, host.st_ino):
                return path
        return None

    def _seccomp_filter(self) -> Path:
        """The compiled filter, in the sandbox's folder (the grader's: written before the
        kernel starts, read by bwrap before any student code runs)."""
        from autograder.isolation import seccomp

        path = self.root / "seccomp.bpf"
        if not path.exists():
            path.write_bytes(seccomp.compiled())
            path.chmod(0o644)
        return path

    def environment(self) -> dict[str, str]:
        """All the kernel's environment. No JPY_PARENT_PID: inside its PID namespace the
        kernel's parent is pid 1, which ipykernel takes for "the grader has gone"
        (--die-with-parent does that job instead)."""
        return {"PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
                "HOME": str(self.work), "TMPDIR": str(self.work), "MPLCONFIGDIR": str(self.work),
                "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
                # What nbgrader's Autograde sets while it runs a submission (and its FAQ tells
                # notebooks to test, to skip slow work when graded).
                "NBGRADER_EXECUTION": "autograde",
                "MALLOC_ARENA_MAX": "2"}  # glibc arenas reserve address space per thread

    def leftovers(self) -> list[int]:
        """Processes still running as this sandbox's user (none, once it has ended)."""
        if self.uid is None:
            return []
        pids = []
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    if d.stat().st_uid == self.uid:
                        pids.append(int(d.name))
                except OSError:
                    continue
        return pids

    def running_besides_kernel(self) -> int:
        """Processes the student's code started that are still alive (zombies aside)."""
        kernel = self.kernel_pid()
        n = 0
        for pid in self.leftovers():
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            n += pid != kernel and state != "Z"
        return n

    def kernel_pid(self, launched: int | None = None) -> int | None:
        """The kernel's pid as the grader sees it: the sandbox user's oldest ipykernel; without
        a uid of its own (an ordinary user's grader), the oldest below `launched`, the process
        the kernel was started in."""
        found = []
        for pid in self.leftovers() if self.uid is not None else descendants(launched) if launched else []:
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                start = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
                comm = Path(f"/proc/{pid}/comm").read_text().strip()
            except (OSError, ValueError, IndexError):
                continue
            if b"ipykernel" in cmdline and comm != "bwrap":  # bwrap's command line holds the kernel's
                found.append((start, pid))
        return min(found)[1] if found else None

    def interrupt(self, launched: int | None = None) -> bool:
        """SIGINT to the kernel alone: the process group also holds bwrap, which would die."""
        pid = self.kernel_pid(launched)
        if pid is None:
            return False
        try:
            os.kill(pid, signal.SIGINT)
            return True
        except OSError:
            return False

    def end(self) -> int:
        """Make sure no process of the submission is left, then remove the private folder.
        Returns how many stray processes had to be killed (0 when the PID namespace did it)."""
        stray = 0
        for _ in range(20):
            pids = self.leftovers()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                    stray += 1
                except OSError:
                    pass
            time.sleep(0.05)
        if self.mounted:
            import subprocess

            subprocess.run(["umount", "-l", str(self.root)], capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)
        self.memory.remove()
        return stray
