"""Build the JupyterLite app of the course site: the released notebooks, runnable in the browser.

``build_site(...)`` makes ``<site>/lite/``:

- the released (generic) notebook of each assignment, with its helper files, exactly as
  ``python -m autograder release <assignment> --out DIR`` writes them, under ``files/<assignment>/``;
- JupyterLite's Notebook and file-browser apps, with only two extensions: the Pyodide kernel and
  the course's own (``extension/``: Download to hand in, helpers without a service worker);
- the Pyodide runtime (from the npm package ``pyodide``) and the kernel's pure-Python wheels
  (from PyPI, pinned with hashes in ``browser-wheels.txt``) under ``static/pyodide/``, with what
  the kernel imports at start compiled to bytecode at install time (``precompile.py``), and a
  lock file of those wheels only (``lock.py``): the kernel loads all of them at once while
  Pyodide starts, and asks no other host for anything (no CDN, no PyPI fallback);
- a service worker that is JupyterLite's own with the course's offline layer in front
  (``offline-worker.js``).

Each build starts from empty folders (no state kept between builds), then checks what it wrote
(``check``): a build that would send the kernel to another host fails.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    from .lock import closure, write_lock
except ImportError:  # run as a script
    # The same file, by its own name: mypy counts the two imports as two modules.
    from lock import closure, write_lock  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
EXTENSION = HERE / "extension"
OFFLINE_WORKER = HERE / "offline-worker.js"
BROWSER_WHEELS = HERE / "browser-wheels.txt"

# Installed by `make` (see the Makefile): the runtime files of the npm package and the wheels.
ASSETS = Path(os.environ.get("COURSE_LITE_ASSETS") or Path(sys.prefix) / "share" / "course-lite")
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
RUNTIME_LOCK = "pyodide-lock.json"  # the npm package's lock: only its "info" (ABI, Python) is used

KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
KERNEL_EXTENSION = "@jupyterlite/pyodide-kernel-extension"
# The kernel's own wheels, shipped in its labextension's pypi/ folder.
KERNEL_WHEELS = ("piplite", "pyodide_kernel", "ipykernel")
# What the kernel would otherwise install one by one once Pyodide is up (the pyodide-kernel
# worker skips every name given here): loaded in one go, with their dependencies, by Pyodide.
PRELOAD = ["micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython"]
APPS = ["notebooks", "tree"]
# Plugins a student's app goes without (jupyter-lite.json's disabledExtensions): each takes its
# commands out of every menu, toolbar and the command palette.
DISABLED = [
    # Replaced by the course's extension: it names downloads after the file, not its folder path.
    "@jupyterlite/application-extension:download",
    # "Not Trusted" beside the title: JavaScript output is not part of any course notebook, and a
    # student reads the word as a judgement of their work.
    "@jupyter-notebook/notebook-extension:trusted",
    "@jupyterlab/notebook-extension:trust-status",
    # "Last Checkpoint: 4 days ago" on a notebook just opened (the build's file date): replaced
    # by the course's own "Saved at ..." of this browser's last save.
    "@jupyter-notebook/notebook-extension:checkpoints",
    # Open from URL, the Jupyter forum, the kernel's and JupyterLab's reference pages: other hosts.
    "@jupyterlab/filebrowser-extension:open-url",
    "@jupyterlab/help-extension:jupyter-forum",
    "@jupyterlab/help-extension:resources",
    # Help > Clear Browser Data deletes every notebook the student saved here, with no copy.
    "@jupyterlite/application-extension:clear-browser-data",
]
# Menu items, context-menu items, toolbar buttons and the command palette's keys (it lists every
# command; switched off as a plugin, it breaks the file view's settings), taken out through
# JupyterLab's settings (JupyterLite's overrides.json): see DESIGN.md.
OVERRIDES = HERE / "overrides.json"
# Build leftovers that no page loads.
UNUSED = ("rspack.config.js", "rspack.config.analyze.js", "rspack.config.watch.js", "package.json",
          "jupyterlite.schema.v0.json")
PYODIDE_DIR = "static/pyodide"


class LiteBuildError(Exception):
    """The app could not be built: what went wrong, and how to fix it."""


def assets_missing(assets: Path = ASSETS) -> list[str]:
    wanted = [assets / "pyodide" / f for f in (*RUNTIME_FILES, RUNTIME_LOCK)]
    missing = [str(p) for p in wanted if not p.is_file()]
    if not list((assets / "wheels").glob("*.whl")):
        missing.append(str(assets / "wheels" / "*.whl"))
    return missing


def release(assignments: list[str], dest: Path, python: str = sys.executable, cwd: Path | None = None) -> None:
    """``python -m autograder release <a> --out dest`` for each assignment (two at a time)."""

    def one(name: str) -> tuple[str, subprocess.CompletedProcess]:
        return name, subprocess.run([python, "-m", "autograder", "release", name, "--out", str(dest)],
                                    cwd=cwd, capture_output=True, text=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, assignments))
    failed = [(n, r) for n, r in results if r.returncode != 0]
    if failed:
        raise LiteBuildError("; ".join(
            f"`python -m autograder release {n}` failed: {(r.stderr or r.stdout).strip()[-800:]}" for n, r in failed))
    for name in assignments:
        if not (dest / name / f"{name}.ipynb").is_file():
            raise LiteBuildError(f"`python -m autograder release {name}` wrote no {name}/{name}.ipynb")


def kernel_extension_dir() -> Path:
    import jupyterlite_pyodide_kernel

    path = Path(jupyterlite_pyodide_kernel.__file__).parent / "labextension"
    if not (path / "package.json").is_file():  # installed as shared data instead of in the package
        path = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / KERNEL_EXTENSION
    if not (path / "package.json").is_file():
        raise LiteBuildError("the Pyodide kernel's labextension is not installed: pip install -r requirements.txt")
    return path


def lite_settings() -> dict:
    return {
        "pyodideUrl": f"./{PYODIDE_DIR}/pyodide.mjs",
        "disablePyPIFallback": True,
        "loadPyodideOptions": {"packages": PRELOAD},
    }


def _course_date() -> int:
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=HERE, capture_output=True, text=True)
        return int(out.stdout.strip())
    except (OSError, ValueError):
        return 1_700_000_000  # no git: a fixed date (November 2023)


def _run_lite(lite_dir: Path, contents: Path, out: Path, cache: Path) -> None:
    config = {"LiteBuildConfig": {
        "ignore_sys_prefix": True,  # the build venv's other labextensions (nbgrader, widgets) stay out
        "federated_extensions": [str(kernel_extension_dir()), str(EXTENSION)],
        "apps": APPS,
        "no_sourcemaps": True,
        "no_unused_shared_packages": True,
        "contents": [str(contents)],
        "output_dir": str(out),
        "cache_dir": str(cache),
        # The files' dates in the app's file view, and the same bytes for the same course (so a
        # rebuild with nothing changed keeps the students' offline copy): the course's last commit.
        "source_date_epoch": _course_date(),
    }}
    (lite_dir / "jupyter_lite_config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    shutil.copyfile(OVERRIDES, lite_dir / "overrides.json")
    (lite_dir / "jupyter-lite.json").write_text(json.dumps({
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "Course notebooks",
            "disabledExtensions": DISABLED,
            "litePluginSettings": {KERNEL_PLUGIN: lite_settings()},
        },
    }, indent=1), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "jupyterlite_core", "build"], cwd=lite_dir,
                            capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if result.returncode != 0 or not (out / "jupyter-lite.json").is_file():
        raise LiteBuildError(f"jupyter lite build failed:\n{(result.stdout + result.stderr)[-3000:]}")


def _install_kernel(out: Path, assets: Path) -> dict:
    dest = out / PYODIDE_DIR
    dest.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        shutil.copyfile(assets / "pyodide" / name, dest / name)
    wheels = []
    for wheel in sorted((assets / "wheels").glob("*.whl")):
        wheels.append(Path(shutil.copyfile(wheel, dest / wheel.name)))
    # The kernel's own wheels, as make copied (and compiled) them: the installed kernel's versions.
    pypi = kernel_extension_dir() / "static" / "pypi"
    for stem in KERNEL_WHEELS:
        shipped = sorted(p.name for p in pypi.glob(f"{stem}-*-py3-none-any.whl"))
        here = sorted(p.name for p in wheels if p.name.startswith(f"{stem}-"))
        if len(shipped) != 1 or here != shipped:
            raise LiteBuildError(f"the browser runtime's {stem} wheel {here} is not the installed kernel's "
                                 f"{shipped}: run `make site` again, which installs it")
    try:
        lock = write_lock(wheels, assets / "pyodide" / RUNTIME_LOCK, dest / RUNTIME_LOCK)
        closure(lock, PRELOAD)
    except (ValueError, KeyError) as e:
        raise LiteBuildError(f"the browser kernel's wheels do not fit together: {e}") from None
    return lock


def _config(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _set_kernel_settings(out: Path) -> None:
    # Written into the built config last, whatever the addons did before.
    path = out / "jupyter-lite.json"
    config = _config(path)
    data = config["jupyter-config-data"]
    plugin = data.setdefault("litePluginSettings", {}).setdefault(KERNEL_PLUGIN, {})
    plugin.update(lite_settings())
    data["disabledExtensions"] = sorted(set(data.get("disabledExtensions", [])) | set(DISABLED))
    # There is no JupyterLab app (lab/) here: lite/ opens the file view, and the icon is the apps'.
    data["appUrl"] = "./tree"
    data["faviconUrl"] = "./notebooks/favicon.ico"
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def site_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file())


def _version(out: Path) -> str:
    digest = hashlib.sha256()
    for path in site_files(out):
        if path.name == "service-worker.js" and path.parent == out:
            continue
        digest.update(path.relative_to(out).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def _service_worker(out: Path) -> None:
    path = out / "service-worker.js"
    jupyterlite = path.read_text(encoding="utf-8")
    kernel_files = [f"./{PYODIDE_DIR}/{p.name}" for p in sorted((out / PYODIDE_DIR).iterdir())]
    layer = (OFFLINE_WORKER.read_text(encoding="utf-8")
             .replace("__VERSION__", _version(out))
             .replace("__KERNEL_FILES__", json.dumps(kernel_files)))
    path.write_text(layer + jupyterlite, encoding="utf-8")


def _favicons(out: Path) -> None:
    # The Notebook app swaps the tab's icon for these while the kernel works, and the pages name
    # no icon of their own, so the browser would ask the host's root for one: both were 404s.
    icon = out / "notebooks" / "favicon.ico"
    (out / "static" / "favicons").mkdir(parents=True, exist_ok=True)
    for name in ("favicon-notebook.ico", "favicon-busy-1.ico"):
        shutil.copyfile(icon, out / "static" / "favicons" / name)
    for page, href in [(out / "index.html", "notebooks/favicon.ico"),
                       *((out / app / "index.html", "favicon.ico") for app in APPS)]:
        html = page.read_text(encoding="utf-8")
        if 'rel="icon"' not in html:
            html = html.replace("<head>", f'<head>\n    <link rel="icon" href="{href}">', 1)
            page.write_text(html, encoding="utf-8")


def _prune(out: Path) -> None:
    for name in UNUSED:
        for path in [out / name, *(out / app / name for app in APPS)]:
            if path.is_file():
                path.unlink()


def check(out: Path, assignments: list[str]) -> None:
    """What the browser will do, read from the built files: the kernel's runtime and every
    package it loads are on the site, and no configuration names another host."""
    problems = []
    for config_path in [out / "jupyter-lite.json", *(out / app / "jupyter-lite.json" for app in APPS)]:
        text = config_path.read_text(encoding="utf-8") if config_path.is_file() else ""
        for url in re.findall(r"[a-z][a-z0-9+.-]*://[^\s\"']+", text):
            problems.append(f"{config_path.relative_to(out)} names another host: {url}")
    data = _config(out / "jupyter-lite.json")["jupyter-config-data"]
    kernel = data.get("litePluginSettings", {}).get(KERNEL_PLUGIN, {})
    if kernel.get("pyodideUrl") != f"./{PYODIDE_DIR}/pyodide.mjs":
        problems.append(f"the kernel's pyodideUrl is {kernel.get('pyodideUrl')!r}, not the site's copy")
    if kernel.get("disablePyPIFallback") is not True:
        problems.append("the kernel may fall back to PyPI (disablePyPIFallback is not true)")
    for name in RUNTIME_FILES:
        if not (out / PYODIDE_DIR / name).is_file():
            problems.append(f"{PYODIDE_DIR}/{name} is missing")
    lock_path = out / PYODIDE_DIR / RUNTIME_LOCK
    if lock_path.is_file():
        lock = _config(lock_path)
        for entry in lock["packages"].values():
            wheel = out / PYODIDE_DIR / entry["file_name"]
            if "/" in entry["file_name"] or not wheel.is_file():
                problems.append(f"the lock names {entry['file_name']}, which the site does not have")
            elif hashlib.sha256(wheel.read_bytes()).hexdigest() != entry["sha256"]:
                problems.append(f"{entry['file_name']} does not match its hash in the lock")
        missing = [p for p in kernel.get("loadPyodideOptions", {}).get("packages", []) if p not in lock["packages"]]
        if missing:
            problems.append(f"the kernel preloads packages the lock does not have: {missing}")
    else:
        problems.append(f"{PYODIDE_DIR}/{RUNTIME_LOCK} is missing")
    off = sorted(set(DISABLED) - set(data.get("disabledExtensions", [])))
    if off:
        problems.append(f"plugins a student does not need are on: {off}")
    if data.get("settingsOverrides", {}).get("@jupyterlab/mainmenu-extension:plugin") != _config(OVERRIDES)[
            "@jupyterlab/mainmenu-extension:plugin"]:
        problems.append(f"the menus are not those of {OVERRIDES.name} (jupyter lite build did not take it)")
    if not any(e.get("name") == "@course-kit/lite" for e in data.get("federated_extensions", [])):
        problems.append("the course's extension is not in the app")
    names = {e.get("name") for e in data.get("federated_extensions", [])}
    if names - {"@course-kit/lite", KERNEL_EXTENSION}:
        problems.append(f"unexpected extensions in the app: {sorted(names - {'@course-kit/lite', KERNEL_EXTENSION})}")
    if "course-kit-lite-" not in (out / "service-worker.js").read_text(encoding="utf-8"):
        problems.append("the service worker has no offline layer")
    for name in assignments:
        if not (out / "files" / name / f"{name}.ipynb").is_file():
            problems.append(f"files/{name}/{name}.ipynb is missing")
    if problems:
        raise LiteBuildError("the built JupyterLite app is not what the course needs:\n  " + "\n  ".join(problems))


def build_site(site: Path, released: Path, assignments: list[str], assets: Path = ASSETS) -> Path:
    """Build ``site/lite`` from ``released`` (``release``'s output folder, used as it is) for
    ``assignments``; return it."""
    missing = assets_missing(assets)
    if missing:
        raise LiteBuildError("the browser runtime is not installed (missing: " + ", ".join(missing[:3]) +
                             "): run `make site`, which installs it, or switch the browser notebooks off "
                             "(course_lite: false in _config.yml)")
    final = Path(site) / "lite"
    with tempfile.TemporaryDirectory(prefix="course-lite-") as tmp_name:
        tmp = Path(tmp_name)
        lite_dir, out = tmp / "lite-dir", tmp / "lite"
        lite_dir.mkdir()
        _run_lite(lite_dir, Path(released), out, tmp / "cache")
        _install_kernel(out, assets)
        _set_kernel_settings(out)
        _prune(out)
        _favicons(out)
        _service_worker(out)
        check(out, assignments)
        if final.exists():
            shutil.rmtree(final)
        shutil.copytree(out, final)
    return final


if __name__ == "__main__":  # python _ext/lite/build.py SITE_DIR ASSIGNMENT... (for trying it out)
    with tempfile.TemporaryDirectory() as released:
        release(sys.argv[2:], Path(released), cwd=HERE.parents[1])
        print(build_site(Path(sys.argv[1]), Path(released), sys.argv[2:]))
