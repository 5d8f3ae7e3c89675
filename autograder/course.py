"""Course folders: nbgrader's GenerateAssignment for the gradebook, the template and release.

The output folder OUT of `grade` is a complete nbgrader course (source/, submitted/,
autograded/, feedback/, gradebook.db, nbgrader_config.py), so a lecturer can open
nbgrader's formgrader in it for hand grading, and re-run `grade` afterwards without losing
the hand grades.

A lecturer's course keeps its nbgrader configuration where nbgrader reads it, in
``nbgrader_config.py`` at the course root, the folder that holds ``source/``; the runner
reads it from beside the ``--source`` folder (`course_config`) and grades with it
(`course_settings`, `generate`), as does ``autotests.yml`` there (`_autotests`).
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
from traitlets.config import Config
from traitlets.config.loader import LazyConfigValue

from autograder.config import KIT_STUBS, config_file, to_config
from autograder.config import settings as runner_settings
from autograder.errors import CourseError
from autograder.paths import assignment_source, source_notebooks
from autograder.settings import GradingSettings
from exercises.graded.metadata import read as metadata
from exercises.graded.metadata import write as metadata_write


class NbgraderFailed(RuntimeError):
    """nbgrader refused a step; the message carries the errors it logged."""


class _Collect(logging.Handler):
    """Keeps the messages of the errors logged, for quiet_nbgrader's report."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@contextmanager
def quiet_nbgrader(step: str):
    """Keep nbgrader's INFO chatter off the lecturer's terminal, but report its errors."""
    logger = logging.getLogger("traitlets")
    level, propagate = logger.level, logger.propagate
    lines: list[str] = []
    handler = _Collect(lines)
    logger.addHandler(handler)
    logger.setLevel(logging.ERROR)
    logger.propagate = False
    try:
        yield
    except Exception as e:
        detail = "\n".join(lines[-5:])
        raise NbgraderFailed(f"nbgrader could not {step}: {e}\n{detail}") from None
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


COURSE_CONFIG = "nbgrader_config.py"
AUTOTESTS = "autotests.yml"  # nbgrader's InstantiateTests.autotest_filename, unless the course names another
DEFAULT_TIMEOUT = 30  # seconds per cell: nbgrader's Execute.timeout
STORED = "gradebook.json"  # in a grading template: what the gradebook keeps of each notebook

# The runner's defaults that a course's own configuration replaces. Any other setting the
# runner passes came from its command line, and stays.
COURSE_MAY_REPLACE = {("ClearSolutions", "code_stub"), ("ClearSolutions", "text_stub"),
                      ("CourseDirectory", "ignore")}


def _runner_owns(section: str, key: str) -> bool:
    """Settings a course's configuration cannot change here: where the course folder and its
    gradebook are (OUT is the course), and how feedback is made."""
    return (section == "CourseDirectory" and key != "ignore") or section in ("GenerateFeedback", "HideHiddenTests")


def course_config_path(source: Path) -> Path:
    """nbgrader reads a course's configuration from nbgrader_config.py in the folder it runs in,
    the course root, which holds source/: here, the folder above `source`."""
    return source.resolve().parent / COURSE_CONFIG


def course_config(source: Path) -> Config:
    """The course's own nbgrader_config.py (empty if it has none), read as nbgrader reads it:
    run as Python, with `get_config()`. It is the lecturer's file, trusted as nbgrader trusts it."""
    from traitlets.config.loader import PyFileConfigLoader

    path = course_config_path(source)
    if not path.is_file():
        return Config()
    try:
        return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    except Exception as e:
        raise CourseError(f"{path}: this course configuration could not be read "
                          f"({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})") from None


def _entries(cfg: Config):
    for section, values in cfg.items():
        if isinstance(values, Config):
            for key, value in values.items():
                yield section, key, value


def _plain(value: Any) -> bool:
    """Data that travels to the workers and into OUT/nbgrader_config.py as it is."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict) and not isinstance(value, Config):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def is_kit(assignment: str, source: Path) -> bool:
    """Whether the assignment's notebooks are the kit's own (they carry its course metadata)."""
    from exercises.graded.metadata.read import MetadataError

    for p in source_notebooks(assignment, source):
        try:
            if metadata.notebook(nbformat.read(p, as_version=4).metadata) is not None:
                return True
        except MetadataError:
            return True  # the kit's, of another version: the kit's stubs
        except Exception:
            continue
    return False


def course_settings(settings: dict, assignment: str, source: Path) -> dict:
    """The settings an assignment is generated and graded with, by precedence: what the
    runner's command line gave (`settings`), then the course's nbgrader_config.py, then the
    runner's defaults. Notebooks that are not the kit's keep nbgrader's own stubs. Settings of
    the course that are not plain data (a function in InstantiateTests.sanitizers, say) still
    apply when nbgrader generates the assignment (`generate`), but are not in this dict.
    Applying it twice gives the same settings."""
    s = copy.deepcopy(settings)
    if not is_kit(assignment, source):
        stubs = s.get("ClearSolutions", {})
        for key, value in KIT_STUBS.items():
            if stubs.get(key) == value:
                del stubs[key]
    for section, key, value in _entries(course_config(source)):
        if _runner_owns(section, key):
            continue
        if key in s.get(section, {}) and (section, key) not in COURSE_MAY_REPLACE:
            continue
        defaults = runner_settings().get(section, {})
        if isinstance(value, LazyConfigValue) and key in defaults:  # c.CourseDirectory.ignore.append(...)
            value = value.get_value(copy.deepcopy(defaults[key]))
        if _plain(value):
            s.setdefault(section, {})[key] = copy.deepcopy(value)
    s.setdefault("Execute", {}).setdefault("timeout", DEFAULT_TIMEOUT)
    return s


def copy_source(assignment: str, course: Path, source: Path) -> None:
    dest = course / "source" / assignment
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source / assignment, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def _autotests(assignment: str, course: Path, source: Path, cfg: Config) -> Path | None:
    """The course's autotests.yml outside the assignment's folder, copied into `course`.
    nbgrader reads it from the assignment's folder, else from the folder it runs in, the course
    root (InstantiateTests._load_test_template_file); the runner runs in neither, so it names
    the copy by its full path."""
    name = cfg.InstantiateTests.get("autotest_filename", AUTOTESTS)
    if os.path.isabs(name) or (source / assignment / name).is_file():
        return None
    found = source.resolve().parent / name
    if not found.is_file():
        return None
    dest = course / name
    dest.parent.mkdir(parents=True, exist_ok=True)
    if found.resolve() != dest.resolve():
        shutil.copy(found, dest)
    return dest.resolve()


def generate(assignment: str, course: Path, db_url: str, settings: dict, source: Path) -> None:
    """nbgrader's GenerateAssignment: records the assignment in the gradebook, writes release/.
    With the course's own configuration (course_config) under the runner's `settings`."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    from autograder.steps.gradebook import create_missing, structure_lock

    config = Config()
    for section, key, value in _entries(course_config(source)):
        if not _runner_owns(section, key):
            config[section][key] = value
    config.merge(to_config(settings, root=str(course), db_url=db_url, assignment_id=assignment))
    config.GenerateAssignment.force = True
    config.GenerateAssignment.create_assignment = True
    autotests = _autotests(assignment, course, source, config)
    if autotests is not None:
        config.InstantiateTests.autotest_filename = str(autotests)
    with quiet_nbgrader(f"generate assignment {assignment!r} in {course}"):
        # The tables first, under their own lock: nbgrader's Gradebooks inside then find them.
        create_missing(db_url)
        with structure_lock(db_url):
            GenerateAssignment(coursedir=CourseDirectory(config=config), config=config).start()


def _same_tree(a: Path, b: Path) -> bool:
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and "__pycache__" not in p.parts}
    return a.is_dir() and b.is_dir() and files(a) == files(b)


def _fingerprint(db_url: str, settings: dict, source: Path) -> str:
    """What generating depends on besides the assignment's folder: the gradebook, the settings
    and the course's own files (its configuration, its autotests.yml)."""
    h = hashlib.sha256(db_url.encode())
    h.update(json.dumps(settings, sort_keys=True, default=repr).encode())
    for p in sorted(source.resolve().parent.glob("*")):
        if p.is_file() and (p.name == COURSE_CONFIG or p.suffix in (".yml", ".yaml")):
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def prepare_course(assignment: str, out: Path, db_url: str, settings: dict, source: Path) -> None:
    """OUT as an nbgrader course with this assignment generated (gradebook, release/).
    GenerateAssignment runs only when the source or the course's configuration changed since
    the last `grade`. `settings`: as course_settings gives them."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(config_file(settings, db_url), encoding="utf-8")
    stamp = out / ".autograder" / f"{assignment}.generated"  # for which gradebook and settings
    fingerprint = _fingerprint(db_url, settings, source)
    if (stamp.is_file() and stamp.read_text() == fingerprint and (out / "release" / assignment).is_dir()
            and _same_tree(source / assignment, out / "source" / assignment)):
        return
    copy_source(assignment, out, source)
    generate(assignment, out, db_url, settings, source)
    stamp.parent.mkdir(exist_ok=True)
    stamp.write_text(fingerprint)


def _kernel(notebook: str, name: str, language: str | None) -> str:
    """The kernel `name` as jupyter_client reads it ("python" is python3), if it is installed
    here. A Python notebook whose kernel is not installed runs in python3 (said on the
    terminal); any other stops the grading."""
    from jupyter_client.kernelspec import NoSuchKernel
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=name)
    try:
        km.kernel_spec  # noqa: B018 (looks the kernel up)
        return km.kernel_name
    except NoSuchKernel:
        if (language or "python") != "python":
            raise CourseError(f"{notebook}.ipynb runs in the kernel {name!r} ({language}), which is not installed "
                              "here (see `jupyter kernelspec list`): install it, or name one in the course's "
                              "nbgrader_config.py (c.Execute.kernel_name)") from None
        print(f"warning: {notebook}.ipynb asks for the kernel {name!r}, which is not installed here: "
              "it runs in python3", file=sys.stderr)
        return "python3"


def stored_notebooks(assignment: str, db_url: str, settings: GradingSettings) -> dict[str, dict]:
    """What nbgrader's Autograde grades each notebook with, read from the gradebook: the cells
    GenerateAssignment kept (source with hidden tests and expanded AUTOTEST lines, type,
    locked, checksum: what OverwriteCells restores from) and the kernel it runs in (the course's
    Execute.kernel_name, else the notebook's kernelspec, as OverwriteKernelspec and Execute
    choose it)."""
    from autograder.steps.gradebook import open_gradebook

    chosen = settings.kernel_name
    out: dict[str, dict] = {}
    with open_gradebook(db_url) as gb:
        for nb in gb.find_assignment(assignment).notebooks:
            spec = json.loads(nb.kernelspec) if nb.kernelspec else {}
            language = spec.get("language")
            out[nb.name] = {
                "kernel": _kernel(nb.name, chosen or spec.get("name") or "python3", language),
                "language": language,
                "cells": {c.name: {"cell_type": c.cell_type, "source": c.source, "locked": bool(c.locked),
                                   "checksum": c.checksum} for c in nb.source_cells},
            }
    return out


def template_zip(assignment: str, out: Path, db_url: str, settings: GradingSettings) -> bytes:
    """What every grading job starts from, taken from the course prepared in OUT: the
    assignment's files (everything in its source folder but notebooks and what the course's
    CourseDirectory.ignore leaves out, subfolders too: nbgrader's utils.find_all_files), its
    released notebooks and what the gradebook keeps of each (stored_notebooks). The instructor
    notebooks stay here: the gradebook's cells hold no solutions."""
    from nbgrader.utils import find_all_files

    ignore = list(settings.ignore)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        src = out / "source" / assignment
        for f in sorted(find_all_files(str(src), ignore + ["*.ipynb"])):
            z.write(f, str(Path(f).relative_to(out)))
        for p in sorted((out / "release" / assignment).glob("*.ipynb")):
            z.write(p, str(p.relative_to(out)))
        z.writestr(STORED, json.dumps(stored_notebooks(assignment, db_url, settings), sort_keys=True))
    return buf.getvalue()


def facts_template(assignment: str, source: Path) -> str | None:
    """The facts template the assignment's notebooks show each student, if any."""
    for p in sorted((source / assignment).glob("*.ipynb")):
        info = metadata.notebook(nbformat.read(p, as_version=4).metadata)
        if info is not None and info.facts_template:
            return info.facts_template
    return None


def read_roster(path: Path) -> list[str]:
    """The roster's student ids, read as the question bank's variants read it (one reader)."""
    from exercises.variants import RosterError
    from exercises.variants import read_roster as read

    try:
        return read(path)
    except RosterError as e:
        raise CourseError(str(e)) from None


def _rubrics(assignment: str, source: Path):
    """A function of a student's facts giving, per notebook, the criteria of each hand-marked
    answer as those facts raise them (exercises/assignments/key.py), or nothing to show when no
    rubric of the assignment follows the facts."""
    from exercises.assignments.key import graded_bank, rubric_key

    notebooks = {p.stem: nbformat.read(p, as_version=4) for p in sorted((source / assignment).glob("*.ipynb"))}
    if not any(True for nb in notebooks.values() for _ in metadata.criteria(nb)):
        return lambda facts: {}
    bank = graded_bank()
    return lambda facts: {stem: rubric_key(nb, facts, bank, stem) for stem, nb in notebooks.items()}


def release(assignment: str, out: Path, *, roster: Path | None = None, seed: str = "0",
            settings: dict, source: Path | None = None) -> list[Path]:
    """Student notebooks without solutions or hidden tests: OUT/ASSIGNMENT/, or one folder
    per student (OUT/<student_id>/ASSIGNMENT/) with each student's own facts when a roster
    is given and the assignment has facts. `source`: a lecturer's nbgrader source folder;
    by default the kit's assignment, built now."""
    from exercises.assignments import student_facts
    from exercises.graded import kinds

    source = assignment_source(assignment, source)
    settings = course_settings(settings, assignment, source)
    with tempfile.TemporaryDirectory(prefix="autograder-release-") as tmp:
        course = Path(tmp)
        copy_source(assignment, course, source)
        generate(assignment, course, f"sqlite:///{course / 'gradebook.db'}", settings, source)
        released = course / "release" / assignment
        template = facts_template(assignment, source)
        students = read_roster(roster) if roster else [None]
        rubric_for = _rubrics(assignment, source) if template and roster else None
        written: list[Path] = []
        for student in students:
            dest = out / assignment if student is None else out / student / assignment
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(released, dest)
            if template and student is not None:  # the student's own notebooks, with their facts
                f = student_facts.facts(template, student, seed)
                (dest / "variant.json").write_text(json.dumps({"student": student, "facts": f}, indent=1),
                                                   encoding="utf-8")
            for nb_path in dest.glob("*.ipynb"):
                nb = nbformat.read(nb_path, as_version=4)
                metadata_write.for_students(nb)
                if template and student is not None:  # their own (as above)
                    if rubric_for is None:  # a student comes from the roster, which gives rubric_for
                        raise RuntimeError(f"{assignment}: a student's notebooks without the roster's rubrics")
                    for cell in nb.cells:
                        if metadata.facts_template(cell) == template:
                            cell.source = student_facts.render(template, f)
                    kinds.show_rubric(nb, rubric_for(f).get(nb_path.stem, {}))
                    metadata_write.released_for(nb.metadata, student)
                nbformat.write(nb, nb_path)
            written += sorted(dest.glob("*.ipynb"))
        return written
