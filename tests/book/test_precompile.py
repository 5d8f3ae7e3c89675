"""The browser kernel's bytecode, compiled at install time (_ext/lite/precompile.py): without
column positions (smaller), with docstrings and line numbers, and never silently with positions."""

from __future__ import annotations

import marshal
import subprocess
import sys
import zipfile
from pathlib import Path

LITE = Path(__file__).resolve().parents[2] / "_ext" / "lite"
SOURCE = b'"""A module a student may ask help() about."""\n\n\ndef total(a, b):\n    return a + b\n'


def _rewrite(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess:
    with zipfile.ZipFile(tmp_path / "in.zip", "w") as zf:
        zf.writestr("m.py", SOURCE)
        zf.writestr("unused.py", SOURCE)
    script = (f"import sys; sys.path.insert(0, {str(LITE)!r}); import precompile; "
              f"precompile.rewrite({str(tmp_path / 'in.zip')!r}, {str(tmp_path / 'out.zip')!r}, {{'m.py'}})")
    return subprocess.run([sys.executable, *flags, "-c", script], capture_output=True, text=True, timeout=60)


def test_bytecode_has_lines_and_docstrings_but_no_column_positions(tmp_path):
    _rewrite(tmp_path, "-X", "no_debug_ranges").check_returncode()
    with zipfile.ZipFile(tmp_path / "out.zip") as zf:
        assert sorted(zf.namelist()) == ["m.pyc", "unused.py"]
        code = marshal.loads(zf.read("m.pyc")[16:])
    namespace: dict = {}
    exec(code, namespace)
    assert namespace["__doc__"] == "A module a student may ask help() about."
    function = namespace["total"].__code__
    positions = list(function.co_positions())
    assert {line for line, *_ in positions if line} == {4, 5}
    assert all(start is None and end is None for _, _, start, end in positions)


def test_an_interpreter_writing_positions_is_refused_not_used(tmp_path):
    run = _rewrite(tmp_path)
    assert run.returncode != 0
    assert "PositionsOn" in run.stderr and "PYTHONNODEBUGRANGES=1" in run.stderr and "in.zip" in run.stderr
    assert not (tmp_path / "out.zip").exists()


KERNEL_START = """
import importlib, os, sys, types
sys.path.insert(0, {lite!r})
import kernel_start
kernel_start.DRIVE = {drive!r}
sys.path.insert(0, "")  # as Pyodide puts it, after site has run
os.chdir({drive!r})  # as the kernel's worker does, before it imports the kernel
importlib.invalidate_caches()
import json  # the standard library is found as before
try:
    import course_helper
    print("while starting: found")
except ModuleNotFoundError:
    print("while starting: passed over")
sys.modules["pyodide_kernel"] = types.SimpleNamespace(kernel_instance=object())  # the kernel has started
import course_helper
print("after the start:", course_helper.VALUE)
os.chdir("folder")  # the worker's move into the notebook's folder
import other_helper
print("in the notebook's folder:", other_helper.VALUE)
"""


def test_the_notebooks_folder_is_searched_only_once_the_kernel_has_started(tmp_path):
    """The browser kernel's sitecustomize (kernel_start.py): while the kernel starts, a folder of
    the drive is not looked in (each look is a request to the page); afterwards the notebook's
    helpers import as before, from the folder the kernel moves into too."""
    drive = tmp_path / "drive"
    (drive / "folder").mkdir(parents=True)
    (drive / "course_helper.py").write_text("VALUE = 'root'\n")
    (drive / "folder" / "other_helper.py").write_text("VALUE = 'folder'\n")
    run = subprocess.run([sys.executable, "-c", KERNEL_START.format(lite=str(LITE), drive=str(drive))],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["while starting: passed over", "after the start: root",
                                       "in the notebook's folder: folder"]
