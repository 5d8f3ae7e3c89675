"""The hostile, broken and careless submissions of one batch, each with what it must produce.

Each case writes one student's folder; `status` lists the phrases its status must contain
and `score` the score it must get (hostile ones never gain a point: they score what their
honest answers earn, usually zero).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ASSIGNMENT = "protection"
NB = f"{ASSIGNMENT}.ipynb"
RIGHT = {"q1": '"A"', "q2": '["6(3)(b)", "6(3)(c)", "6(3)(d)"]', "q3": '"C"', "q4": '["6(2)(a)", "6(2)(b)", "6(5)"]'}
POINTS = {"q1": 1.0, "q2": 2.0, "q3": 1.0, "q4": 1.0}
MARKER = "sleep 987654"  # children of hostile cases, findable by their command line


@dataclass
class Case:
    student: str
    make: Callable[[Path, Path], None]  # (released folder, student folder)
    score: float
    status: list[str] = field(default_factory=list)  # phrases the status must contain


def _nb(folder: Path):
    return nbformat.read(folder / NB, as_version=4)


def _write(folder: Path, nb) -> None:
    nbformat.write(nb, folder / NB)


def _cell(nb, gid: str):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def answered(released: Path, folder: Path, answers: dict[str, str], extra: dict[str, str] | None = None) -> None:
    """A copy of the released notebook with answers (question -> literal) and extra code
    appended to answer cells (question -> code)."""
    shutil.copytree(released, folder)
    nb = _nb(folder)
    for q, literal in answers.items():
        cell = _cell(nb, q)
        cell.source = "\n".join(f"{q} = {literal}" if line.startswith(f"{q} = ") else line
                                for line in cell.source.split("\n"))
    for q, code in (extra or {}).items():
        _cell(nb, q).source += "\n" + code
    _write(folder, nb)


def honest(answers):
    return lambda rel, f: answered(rel, f, answers)


def hostile(code_in: str, code: str, answers=None):
    return lambda rel, f: answered(rel, f, answers or {}, {code_in: code})


def tampered(change: Callable, answers=None):
    def make(rel, f):
        answered(rel, f, answers or {})
        nb = _nb(f)
        change(nb)
        # Plain JSON: nbformat.write would repair what a careless editor leaves behind.
        (f / NB).write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return make


def raw(data: bytes, name: str = NB):
    def make(rel, f):
        f.mkdir(parents=True)
        (f / name).write_bytes(data)
    return make


def _delete(gid):
    return lambda nb: nb.cells.remove(_cell(nb, gid))


def _edit(gid, source):
    def change(nb):
        _cell(nb, gid).source = source
    return change


def _retype(gid):
    def change(nb):
        c = _cell(nb, gid)
        c.cell_type = "markdown"
        c.pop("outputs", None)
        c.pop("execution_count", None)
    return change


def _duplicate(gid):
    def change(nb):
        import copy

        c = _cell(nb, gid)
        twin = copy.deepcopy(c)
        twin["id"] = c.get("id", "x")  # the same cell id as well
        nb.cells.insert(nb.cells.index(c) + 1, twin)
    return change


def _nbformat3(rel, f):
    answered(rel, f, {})
    nb3 = nbformat.convert(_nb(f), 3)
    (f / NB).write_text(nbformat.writes(nb3, version=3), encoding="utf-8")


def _truncated(rel, f):
    answered(rel, f, RIGHT)
    data = (f / NB).read_bytes()
    (f / NB).write_bytes(data[: len(data) // 2])


def _not_utf8(rel, f):
    answered(rel, f, {})
    text = (f / NB).read_text(encoding="utf-8").replace("Protocol", "Protocolé", 1)
    assert "é" in text
    (f / NB).write_bytes(text.encode("latin-1", errors="replace"))


def _huge(rel, f):
    f.mkdir(parents=True)
    with open(f / NB, "wb") as out:  # 100 MB, written in the test's tmp dir only
        out.write(b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5, "pad": "')
        chunk = b"x" * (1024 * 1024)
        for _ in range(100):
            out.write(chunk)
        out.write(b'"}')


def _wrong_name(rel, f):
    answered(rel, f, RIGHT)
    (f / NB).rename(f / "my_protection.ipynb")


def _extra_files(rel, f):
    answered(rel, f, {})
    (f / "notes.txt").write_text("my notes", encoding="utf-8")
    # A helper of its own that would pass every test, were it used.
    (f / "course_tools.py").write_text(
        "class _Any:\n    def __eq__(self, other):\n        return True\n"
        "def check(*a):\n    pass\ndef show(*a):\n    pass\ndef assert_format(*a):\n    pass\n"
        "def normalise(q, x):\n    return _Any()\n", encoding="utf-8")
    (f / "sitecustomize.py").write_text("print('sitecustomize ran')\n", encoding="utf-8")


def _empty(rel, f):
    f.mkdir(parents=True)


def snoop_code(paths: list[str]) -> str:
    """Looks for the answer key, the gradebook and other students' work."""
    return f"""
import glob, os
_found = []
for _p in {paths!r}:
    for _q in glob.glob(_p, recursive=True):
        try:
            if os.path.isdir(_q):
                os.listdir(_q)
            else:
                open(_q, 'rb').read(1)
            _found.append(_q)
        except OSError:
            pass
if os.environ.get("AUTOGRADER_TEST_SECRET"):
    _found.append("grader environment")
for _f in ("/etc/pip.conf", "/etc/passwd", "/etc/shadow"):
    if os.path.exists(_f):
        _found.append(_f)
try:
    import socket
    socket.create_connection(("127.0.0.1", 22), timeout=1)
    _found.append("network")
except OSError:
    pass
print("SNOOP FOUND:", _found)
"""


# Code that cheats inside the kernel, where nbgrader's tests run: none of it may score.
ALWAYS_EQUAL = """import course_tools
class _Any:
    def __eq__(self, other):
        return True
    def __sub__(self, other):
        return 0
    __rsub__ = __sub__
course_tools.assert_format = lambda *a: None
course_tools.normalise = lambda *a: _Any()
q1 = q2 = q3 = q4 = _Any()"""
SILENCED_ERRORS = "get_ipython().showtraceback = lambda *a, **k: None"
# The report becomes a bare result: nbgrader scores a test cell by its first execute_result.
DISPLAY_HOOK = "import IPython.display as _d\n_d.display = lambda *a, **k: 'pass'"
BLANKED_TESTS = "get_ipython().input_transformers_cleanup.append(lambda lines: [])"
FORGED_REPORTS = """from IPython.display import display as _d
def _forge(info):
    for q in ("q1", "q2", "q3", "q4"):
        _d({"application/vnd.course.answer+json": {"question": q, "value": "A"}}, raw=True)
get_ipython().events.register("pre_run_cell", _forge)"""


def memory_cap_available() -> bool:
    from autograder.isolation.cgroup import MemoryCap

    cap = MemoryCap(2 ** 30)
    try:
        return cap.path is not None
    finally:
        cap.remove()


SPREAD = """import subprocess, sys
_code = ('import sys, time; x = bytearray(400 * 2**20); x[::4096] = bytes(len(x[::4096])); '
         'sys.stdout.write("1"); sys.stdout.flush(); time.sleep(60)')
_ps = [subprocess.Popen([sys.executable, '-c', _code], stdout=subprocess.PIPE) for _ in range(4)]
_ = [p.stdout.read(1) for p in _ps]  # each has its memory, or was killed for it: no race"""


def cases(snoop_paths: list[str]) -> list[Case]:
    score_q1 = POINTS["q1"]
    full = sum(POINTS.values())
    return [
        Case("honest-full", honest(RIGHT), full, ["graded"]),
        Case("honest-partial", honest({"q1": RIGHT["q1"], "q2": '["6(3)(a)"]'}), score_q1, ["graded"]),
        Case("endless-loop", hostile("q2", "while True:\n    pass", {"q1": RIGHT["q1"]}), score_q1,
             ["timeout in cell q2 (10 s)"]),
        Case("sleep-forever", hostile("q3", "import time\ntime.sleep(10**6)"), 0, ["timeout in cell q3 (10 s)"]),
        Case("memory-bomb", hostile("q2", "_hog = []\nwhile True:\n    _hog.append(bytearray(512 * 2**20))"), 0,
             ["memory limit (1 GiB) in cell q2"]),
        # Four processes of 400 MiB: each within the per-process limit, together over it.
        Case("memory-spread", hostile("q2", SPREAD), 0,
             ["memory limit (1 GiB) in cell q2"] if memory_cap_available() else []),
        Case("ignores-interrupt", hostile("q2", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                          "while True:\n    pass", {"q1": RIGHT["q1"], "q3": RIGHT["q3"]}),
             score_q1, ["timeout in cell q2 (10 s)", "the kernel did not stop after the timeout: later cells not run"]),
        Case("fork-bomb", hostile("q2", "import subprocess\n_ps = [subprocess.Popen('" + MARKER +
                                  "'.split()) for _ in range(500)]"), 0, ["process limit (32) in cell q2"]),
        Case("escaping-daemon", hostile("q1", "import os, subprocess\nif os.fork() == 0:\n    os.setsid()\n"
                                        "    subprocess.Popen('" + MARKER + "'.split())\n    os._exit(0)"),
             0, ["processes left running when the notebook ended: stopped"]),
        Case("disk-filler", hostile("q2", "_i = 0\nwhile True:\n    open(f'f{_i}', 'wb').write(bytes(2**20))\n"
                                    "    _i += 1"), 0, ["disk limit (16 MiB) in cell q2"]),
        Case("output-flood", hostile("q2", "while True:\n    print('x' * 10000)"), 0,
             ["output limit (256 KiB) in cell q2"]),
        Case("sys-exit", hostile("q1", "import sys\nsys.exit(1)", {"q1": RIGHT["q1"]}), score_q1, ["sys.exit() in cell q1"]),
        Case("os-exit", hostile("q2", "import os\nos._exit(0)", {"q1": RIGHT["q1"]}), score_q1,
             ["kernel died in cell q2"]),
        Case("kernel-crash", hostile("q3", "import ctypes\nctypes.string_at(0)", {"q1": RIGHT["q1"]}), score_q1,
             ["kernel died in cell q3"]),
        Case("deleted-test", tampered(_delete("q2_test"), {"q2": RIGHT["q2"]}), POINTS["q2"],
             ["test cell q2_test deleted: restored"]),
        Case("edited-test", tampered(_edit("q1_test", "pass"), {"q1": '"B"'}), 0,
             ["test cell q1_test was changed: restored"]),
        Case("retyped-test", tampered(_retype("q3_test"), {"q3": '"A"'}), 0,
             ["test cell q3_test was made a markdown cell: restored as code"]),
        Case("deleted-answer", tampered(_delete("q4")), 0, ["answer cell q4 deleted: restored"]),
        Case("duplicated-ids", tampered(_duplicate("q1_test"), {"q1": RIGHT["q1"]}), score_q1,
             ["grade id q1_test appears 2 times", "duplicated cell ids"]),
        Case("truncated", _truncated, 0, ["not a notebook:", "truncated"]),
        Case("nbformat3", _nbformat3, 0, ["saved in nbformat 3: converted to 4"]),
        Case("binary", raw(bytes(range(256)) * 64), 0, ["not a notebook: protection.ipynb is a binary file"]),
        Case("not-utf8", _not_utf8, 0, ["not a notebook: protection.ipynb is not UTF-8"]),
        Case("invalid-json", raw(b'{\n "cells": [\n  {"cell_type": "code",,}\n ]\n}\n'), 0,
             ["not a notebook: invalid JSON at line 3"]),
        Case("huge", _huge, 0, ["protection.ipynb is too large (100.0 MiB; limit 32 MiB)"]),
        Case("wrong-name", _wrong_name, full, ["missing notebook protection.ipynb (found my_protection.ipynb"]),
        # notes.txt goes beside the notebook, as nbgrader copies it; the planted helper and the
        # start-up hook do not.
        Case("extra-files", _extra_files, 0, ["extra files not used: sitecustomize.py (would run as the kernel starts)",
                                              "course_tools.py: the assignment's own used"]),
        Case("empty", _empty, 0, ["empty submission"]),
        Case("zoë o'brien; $(id) <2>", honest(RIGHT), full, ["graded"]),
        Case("snoop", hostile("q1", snoop_code(snoop_paths)), 0, ["graded"]),
        Case("always-equal", hostile("q1", ALWAYS_EQUAL), 0, []),
        Case("silenced-errors", hostile("q1", SILENCED_ERRORS, {"q2": '["6(1)"]', "q3": '"A"'}), 0,
             ["the error of cell q1_test was hidden: shown again"]),
        Case("blanked-tests", hostile("q1", BLANKED_TESTS), 0, ["test cell q1_test reported no answer"]),
        Case("display-hook", hostile("q1", DISPLAY_HOOK, {"q1": '"B"', "q2": '["6(1)"]', "q3": '"A"', "q4": '["6(1)"]'}),
             0, ["test cell q1_test reported no answer"]),
        # Forges the right answer to q1 beside its own wrong one: more than one answer counts for none.
        Case("forged-reports", hostile("q1", FORGED_REPORTS, {"q1": '"B"'}), 0, ["test cell q1_test reported 5 answers"]),
    ]


def leftover_children() -> list[int]:
    """Processes started by hostile cases that are still running."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if MARKER.encode() in (d / "cmdline").read_bytes().replace(b"\0", b" "):
                    out.append(int(d.name))
            except OSError:
                continue
    return out


class SandboxFolderPeak:
    """While grading runs, the most any of its sandboxes' private folders on the host's /tmp
    held (bytes; /tmp/ag-*, found on the command lines of this process's descendants, not
    another grader's on the same machine): with root that is its own tmpfs; without root the
    notebook's folder is a tmpfs inside the sandbox, and the host's folder holds the grader's
    files alone. A disk filler must never make one larger than the disk limit."""

    def __init__(self, interval: float = 0.2) -> None:
        import threading

        self.peak = 0
        self._interval = interval
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    @staticmethod
    def _ours() -> set[str]:
        from autograder.isolation.sandbox import descendants

        below = descendants(os.getpid())
        folders = set()
        for pid in below:
            try:
                args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            folders |= {m.group(0) for a in args if (m := re.match(r"/tmp/ag-[^/]+", a.decode(errors="replace")))}
        return folders

    @staticmethod
    def _size(folder: str) -> int:
        total = 0
        for top, _, files in os.walk(folder):
            for name in files:
                try:
                    total += os.lstat(os.path.join(top, name)).st_size
                except OSError:  # removed meanwhile
                    continue
        return total

    def _watch(self) -> None:
        while not self._done.is_set():
            for folder in self._ours():
                self.peak = max(self.peak, self._size(folder))
            self._done.wait(self._interval)

    def __enter__(self) -> SandboxFolderPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()


def write_all(released: Path, root: Path, snoop_paths: list[str]) -> list[Case]:
    all_cases = cases(snoop_paths)
    for case in all_cases:
        case.make(released, root / case.student / ASSIGNMENT)
    return all_cases


__all__ = ["ASSIGNMENT", "Case", "SandboxFolderPeak", "write_all", "leftover_children", "POINTS", "RIGHT", "json", "os"]


def check_row(case: Case, row: dict, status: list[str] | tuple[str, ...] | None = None) -> None:
    """A case's row: each phrase of its status (`status`: the one expected here, by default the
    case's own), its score, and no error blamed on the student that the grader hid itself."""
    for phrase in case.status if status is None else status:
        assert phrase in row["status"], f"{case.student}: {row['status']!r} lacks {phrase!r}"
    assert float(row["auto_score"]) == float(case.score), f"{case.student}: {row['status']}"
    if case.student != "silenced-errors":
        assert "was hidden" not in row["status"], f"{case.student}: {row['status']}"


def snoop_found(out: Path) -> str:
    """What the snooping case printed it found, from its autograded notebook in `out`."""
    nb = (out / "autograded" / "snoop" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")
    found = re.search(r"SNOOP FOUND: (\[.*?\])", nb)
    assert found, "the snooping cell did not run"
    return found.group(1)
