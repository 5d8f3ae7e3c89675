"""Compile what the browser kernel imports as it starts to bytecode, once, at install time.

Run inside Pyodide itself (``precompile.mjs`` starts it in Node), so the bytecode is the browser's
Python's (3.14; the build's 3.11 cannot write it). Pyodide's standard library and PyPI's wheels
hold Python sources only, and the browser compiles every module it imports, at every kernel
start, from scratch: most of the time between a notebook opening and its kernel being ready.

The kernel is started here as in the browser (its packages unpacked, ``import pyodide_kernel``,
the course's helpers' imports), and each module it imported is replaced, in the standard
library's zip and in the wheels, by its compiled ``.pyc`` (unchecked-hash, beside where the
source was, as Pyodide's own packages ship them). Modules not imported at start stay sources.

The bytecode is compiled without column positions (``PYTHONNODEBUGRANGES``, set by
``precompile.mjs``): a traceback through these modules names the file and line but draws no
``^^^`` under the expression. That makes them about a quarter smaller, 1.1 MB less for a student's
first visit. Docstrings and asserts are kept (``help()`` and ``?`` work), and the notebook's own
cells are compiled in the browser with positions as usual.

    precompile(stdlib_zip, wheels, out_dir, sitecustomize)   # writes out_dir/python_stdlib.zip and out_dir/<wheel>

The standard library's zip also gets the course's ``sitecustomize`` (``kernel_start.py``): the
notebook's folder is not searched for the kernel's own modules as it starts.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import marshal
import os
import re
import sys
import zipfile

STDLIB_PREFIX = "/lib/python{}.{}/".format(*sys.version_info[:2])
SITE = STDLIB_PREFIX + "site-packages"
# What the course's helpers (course_tools.py, citations.py) and the kernel's first cell use.
# Left out of the wheels (as Pyodide leaves out packages' tests): jedi's type stubs (typeshed,
# Django's), 1,800 files to unpack at every kernel start for Tab completion alone; in a running
# kernel jedi completes from the live objects (json.lo<Tab> still offers load and loads).
DROPPED = ("jedi/third_party/django-stubs/", "jedi/third_party/typeshed/third_party/",
           "jedi/third_party/typeshed/stdlib/")
KEPT_EMPTY = ("jedi/third_party/typeshed/third_party/", "jedi/third_party/typeshed/stdlib/")  # jedi lists them
# Standard-library modules a browser tab cannot use (no processes, no sockets for mail, FTP or
# XML-RPC servers), and the 8-bit and legacy codecs' tables (the course's files are UTF-8): left
# out of the zip as Pyodide leaves out its tests. Importing one raises ModuleNotFoundError;
# asking for such a codec, LookupError.
STDLIB_DROPPED = ("multiprocessing/", "xmlrpc/", "wsgiref/", "imaplib.py", "smtplib.py", "ftplib.py",
                  "poplib.py", "mailbox.py", "nntplib.py", "telnetlib.py")
CODECS = "encodings/"
CODECS_KEPT = ("__init__", "aliases", "utf_8", "utf_8_sig", "utf_16", "utf_16_be", "utf_16_le", "utf_32",
               "utf_32_be", "utf_32_le", "ascii", "latin_1", "cp1252", "cp437", "charmap", "idna", "punycode",
               "raw_unicode_escape", "unicode_escape", "base64_codec", "hex_codec", "undefined")
# Pygments' lexers, 4 MB of its 5: the kernel highlights Python only (tracebacks, `?`), and
# IPython's own lexers (ipython_pygments_lexers) build on these. The others, and what these do
# not import, are left out; asking Pygments for one of them by name raises ClassNotFound.
PYGMENTS_LEXERS = "pygments/lexers/"
LEXERS_KEPT = ("python", "shell", "html", "javascript", "ruby", "perl", "markup", "special")
ALSO_IMPORTED = ["json", "re", "dataclasses", "pathlib", "typing", "base64", "asyncio", "fractions",
                 "decimal", "csv", "difflib", "unicodedata"]


class PositionsOn(RuntimeError):
    """The interpreter compiles with column positions: run it with PYTHONNODEBUGRANGES=1."""


def _positions_off() -> bool:
    return all(column is None for *_, column in compile("x + 1", "<check>", "eval").co_positions())


def _pyc(source: bytes, filename: str) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True)
    flags = (0b01).to_bytes(4, "little")  # hash-based, not checked against a source
    return importlib.util.MAGIC_NUMBER + flags + importlib.util.source_hash(source) + marshal.dumps(code)


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def unused_lexers(zin: zipfile.ZipFile, used: set[str]) -> set[str]:
    """The members of pygments/lexers/ that neither LEXERS_KEPT nor the kernel's start import,
    directly or through one another."""
    names = {n for n in zin.namelist() if n.startswith(PYGMENTS_LEXERS) and n.endswith(".py")}
    if not names:
        return set()
    imports = re.compile(r"(?:from|import) pygments\.lexers\.(\w+)")
    kept, todo = set(), [*LEXERS_KEPT, "__init__", "_mapping",
                         *(n[len(PYGMENTS_LEXERS):-3] for n in used if n.startswith(PYGMENTS_LEXERS))]
    while todo:
        module = todo.pop()
        name = f"{PYGMENTS_LEXERS}{module}.py"
        if name in kept or name not in names:
            continue
        kept.add(name)
        todo.extend(imports.findall(zin.read(name).decode("utf-8")))
    return names - kept


def unused_stdlib(zin: zipfile.ZipFile, used: set[str]) -> set[str]:
    """The standard library's members in STDLIB_DROPPED, and its codecs not in CODECS_KEPT, that
    the kernel's start did not import (an empty set for a wheel)."""
    names = set(zin.namelist())
    if "encodings/__init__.py" not in names and "encodings/__init__.pyc" not in names:
        return set()
    codecs = {f"{CODECS}{c}.py" for c in CODECS_KEPT}
    return {n for n in names if n not in used and (
        n.startswith(STDLIB_DROPPED) or (n.startswith(CODECS) and n.endswith(".py") and n not in codecs))}


def rewrite(src: str, dest: str, used: set[str], prefix: str = "",
            added: dict[str, bytes] | None = None) -> tuple[int, int]:
    """Copy the zip ``src`` to ``dest``, with each member ``prefix + member`` in ``used`` (a .py)
    compiled to a sourceless .pyc, and each source in ``added`` (member name -> source) added
    compiled. Returns (modules compiled, bytes written)."""
    if not _positions_off():  # the interpreter's setting, the same for every module: asked once
        raise PositionsOn(f"compiling {src}: this Python writes column positions into bytecode; "
                          "start it with PYTHONNODEBUGRANGES=1 (or -X no_debug_ranges)")
    compiled = 0
    with zipfile.ZipFile(src) as zin:
        infos = zin.infolist()
        entries = []
        for name, source in (added or {}).items():
            if name in zin.namelist() or name + "c" in zin.namelist():
                raise ValueError(f"{src} already holds {name}: the course's module would replace it")
            entries.append((name + "c", _pyc(source, name)))
            compiled += 1
        dropped = unused_lexers(zin, used) | unused_stdlib(zin, {u[len(prefix):] for u in used if u.startswith(prefix)})
        for info in infos:
            name = info.filename
            if name.startswith(DROPPED) or name in dropped:
                continue
            data = zin.read(info)
            if name.endswith(".py") and prefix + name in used:
                try:
                    entries.append((name + "c", _pyc(data, name)))
                    compiled += 1
                    continue
                except SyntaxError:
                    pass
            entries.append((name, data))
        for folder in KEPT_EMPTY:
            if any(i.filename.startswith(folder) for i in infos):
                entries.append((folder, b""))
    record = next((n for n, _ in entries if n.endswith(".dist-info/RECORD")), None)
    if record is not None:  # a wheel: its RECORD names what it holds
        lines = [_record_line(n, d) for n, d in entries if n != record and not n.endswith("/")] + [f"{record},,"]
        entries = [(n, ("\n".join(lines) + "\n").encode() if n == record else d) for n, d in entries]
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o40755 << 16 | 0x10) if name.endswith("/") else (0o644 << 16)
            zout.writestr(info, data)
    return compiled, os.path.getsize(dest)


def start_kernel(wheels: list[str]) -> set[str]:
    """Unpack the wheels, start the kernel as the browser does; the files of every module imported."""
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(SITE)
    importlib.invalidate_caches()
    before = set(sys.modules)
    import piplite.piplite  # noqa: F401  (the kernel's worker imports it first, with micropip)
    import pyodide_kernel  # noqa: F401  (imports IPython, comm, jedi... and starts the shell)

    for name in ALSO_IMPORTED:
        __import__(name)
    used = set()
    for module in list(sys.modules.values()):
        origin = getattr(getattr(module, "__spec__", None), "origin", None) or getattr(module, "__file__", None)
        if origin and origin.endswith(".py"):
            used.add(origin)
    print(f"precompile: the kernel imported {len(set(sys.modules) - before)} modules at start")
    return used


def precompile(stdlib_zip: str, wheels: list[str], out_dir: str, sitecustomize: str) -> None:
    """``sitecustomize``: the source of the module Python imports as it starts (kernel_start.py)."""
    used = start_kernel(wheels)
    # Modules from the zip are reported as <zip path>/<member>.
    n, size = rewrite(stdlib_zip, os.path.join(out_dir, "python_stdlib.zip"),
                      {u.split(".zip/", 1)[1] for u in used if ".zip/" in u},
                      added={"sitecustomize.py": sitecustomize.encode("utf-8")})
    print(f"precompile: python_stdlib.zip: {n} modules compiled, {size} bytes")
    site_used = {os.path.relpath(u, SITE) for u in used if u.startswith(SITE + "/")}
    for wheel in wheels:
        n, size = rewrite(wheel, os.path.join(out_dir, os.path.basename(wheel)), site_used)
        print(f"precompile: {os.path.basename(wheel)}: {n} modules compiled, {size} bytes")
