"""The Pyodide lock file of the browser kernel: the wheels the site serves, and nothing else.

Pyodide's own lock (in the npm package) names about 350 packages, each fetched from its CDN
with a hash of Pyodide's rebuilt wheel. The site serves the ~20 pure-Python wheels the kernel
needs, downloaded from PyPI at install time (their hashes differ from Pyodide's), so the lock is
written here from those wheels: each entry's dependencies are the wheel's own requirements as
they apply in the browser (Emscripten, the runtime's Python), its imports the wheel's top-level
modules, its sha256 the file's. A requirement no served wheel provides is an error, so the kernel
never goes looking for a package the site does not have.

The official tool (pyodide-lock) needs a newer Python than the build's 3.11.
"""

from __future__ import annotations

import email.parser
import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename


@dataclass(frozen=True)
class Wheel:
    path: Path
    name: str  # canonical
    version: str
    requires: tuple[Requirement, ...]
    imports: tuple[str, ...]


def read_wheel(path: Path) -> Wheel:
    name, version, _, tags = parse_wheel_filename(path.name)
    if not any(t.platform == "any" and t.abi == "none" for t in tags):
        raise ValueError(f"{path.name} is not a pure-Python wheel: the browser kernel can only use those")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        meta_name = next(n for n in names if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
        meta = email.parser.Parser().parsestr(zf.read(meta_name).decode("utf-8"))
    tops = set()
    for n in names:
        top = n.split("/", 1)[0]
        if top.endswith((".dist-info", ".data")):
            continue
        if "/" in n:
            tops.add(top)
        elif top.endswith(".py"):
            tops.add(top[:-3])
    return Wheel(path, canonicalize_name(name), str(version),
                 tuple(Requirement(r) for r in meta.get_all("Requires-Dist") or []), tuple(sorted(tops)))


def browser_environment(python: str) -> dict[str, str]:
    """PEP 508 marker values inside Pyodide (Emscripten, CPython ``python``)."""
    # A plain dict, for the "extra" key its TypedDict lacks; its values are all str, but a TypedDict
    # reads as a mapping to object, so str() (a no-op on them) says so.
    env = {key: str(value) for key, value in default_environment().items()}
    env.update({"sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix",
                "platform_machine": "wasm32", "implementation_name": "cpython",
                "platform_python_implementation": "CPython", "python_version": python,
                "python_full_version": f"{python}.0", "implementation_version": f"{python}.0",
                "extra": ""})
    return env


def dependencies(wheel: Wheel, env: dict[str, str]) -> list[str]:
    out = []
    for req in wheel.requires:
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        out.append(canonicalize_name(req.name))
    return sorted(set(out))


def write_lock(wheels: list[Path], runtime_lock: Path, dest: Path) -> dict:
    """Write ``dest`` (pyodide-lock.json) for ``wheels``, which sit beside it; return it.
    ``runtime_lock`` is the runtime's own lock: only its ``info`` (ABI, Python) is kept."""
    info = json.loads(runtime_lock.read_text(encoding="utf-8"))["info"]
    python = ".".join(info["python"].split(".")[:2])
    env = browser_environment(python)
    read = [read_wheel(p) for p in wheels]
    by_name = {w.name: w for w in read}
    if len(by_name) != len(read):
        raise ValueError("two wheels of the same package: " + ", ".join(sorted(p.name for p in wheels)))
    packages = {}
    for w in sorted(read, key=lambda w: w.name):
        depends = dependencies(w, env)
        missing = [d for d in depends if d not in by_name]
        if missing:
            raise ValueError(f"{w.path.name} needs {', '.join(missing)} in the browser, and no wheel of "
                             "the site provides it: add it to _ext/lite/browser-wheels.txt")
        if w.path.parent.resolve() != dest.parent.resolve():
            raise ValueError(f"{w.path} must sit beside {dest.name}")
        packages[w.name] = {
            "name": w.name, "version": w.version, "file_name": w.path.name, "install_dir": "site",
            "sha256": hashlib.sha256(w.path.read_bytes()).hexdigest(), "package_type": "package",
            "imports": list(w.imports), "depends": depends, "unvendored_tests": False,
        }
    lock = {"info": info, "packages": packages}
    dest.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return lock


def closure(lock: dict, names: list[str]) -> list[str]:
    """``names`` and everything they depend on, in the lock (canonical names)."""
    seen: list[str] = []

    def visit(name: str) -> None:
        name = canonicalize_name(name)
        if name in seen:
            return
        if name not in lock["packages"]:
            raise KeyError(f"{name} is not in the browser kernel's lock file")
        seen.append(name)
        for dep in lock["packages"][name]["depends"]:
            visit(dep)

    for n in names:
        visit(n)
    return seen
