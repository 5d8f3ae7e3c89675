"""Course folders: nbgrader's GenerateAssignment for the gradebook, the template and release.

The output folder OUT of `grade` is a complete nbgrader course (source/, submitted/,
autograded/, feedback/, gradebook.db, nbgrader_config.py), so a lecturer can open
nbgrader's formgrader in it for hand grading, and re-run `grade` afterwards without losing
the hand grades.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

import nbformat

from autograder.config import config_file, to_config
from autograder.paths import assignment_source, tools_on_path
from exercises.graded.metadata import read as metadata
from exercises.graded.metadata import write as metadata_write


class NbgraderFailed(RuntimeError):
    """nbgrader refused a step; the message carries the errors it logged."""


@contextmanager
def quiet_nbgrader(step: str):
    """Keep nbgrader's INFO chatter off the lecturer's terminal, but report its errors."""
    logger = logging.getLogger("traitlets")
    level, propagate = logger.level, logger.propagate
    lines: list[str] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = lambda record: lines.append(record.getMessage())
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


def copy_source(assignment: str, course: Path, source: Path) -> None:
    dest = course / "source" / assignment
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source / assignment, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def _alembic_head_in_process() -> None:
    """nbgrader stamps a new gradebook with alembic's head revision, which it asks for by
    running the `alembic` command (a second Python start-up, a second or more on a busy
    machine). The same answer comes from alembic's API in this process."""
    import nbgrader.api
    from nbgrader.dbutil import ALEMBIC_DIR

    if getattr(nbgrader.api.get_alembic_version, "in_process", False):
        return
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", ALEMBIC_DIR)
    head = ScriptDirectory.from_config(cfg).get_current_head()

    def get_alembic_version() -> str:
        return head

    get_alembic_version.in_process = True
    nbgrader.api.get_alembic_version = get_alembic_version


def generate(assignment: str, course: Path, db_url: str, settings: dict) -> None:
    """nbgrader's GenerateAssignment: records the assignment in the gradebook, writes release/."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    config = to_config(settings, root=str(course), db_url=db_url, assignment_id=assignment)
    config.GenerateAssignment.force = True
    config.GenerateAssignment.create_assignment = True
    tools_on_path()
    _alembic_head_in_process()
    with quiet_nbgrader(f"generate assignment {assignment!r} in {course}"):
        GenerateAssignment(coursedir=CourseDirectory(config=config), config=config).start()


def _same_tree(a: Path, b: Path) -> bool:
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and "__pycache__" not in p.parts}
    return a.is_dir() and b.is_dir() and files(a) == files(b)


def prepare_course(assignment: str, out: Path, db_url: str, settings: dict, source: Path) -> None:
    """OUT as an nbgrader course with this assignment generated (gradebook, release/).
    GenerateAssignment runs only when the source changed since the last `grade`."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(config_file(settings, db_url), encoding="utf-8")
    stamp = out / ".autograder" / f"{assignment}.generated"  # for which gradebook
    if (stamp.is_file() and stamp.read_text() == db_url and (out / "release" / assignment).is_dir()
            and _same_tree(source / assignment, out / "source" / assignment)):
        return
    copy_source(assignment, out, source)
    generate(assignment, out, db_url, settings)
    stamp.parent.mkdir(exist_ok=True)
    stamp.write_text(db_url)


def template_zip(assignment: str, out: Path) -> bytes:
    """What every grading job starts from: the assignment's instructor and released
    notebooks (and helpers), taken from the course prepared in OUT."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for kind in ("source", "release"):
            for p in sorted((out / kind / assignment).rglob("*")):
                if p.is_file() and "__pycache__" not in p.parts:
                    z.write(p, str(p.relative_to(out)))
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
        raise SystemExit(str(e)) from None


def release(assignment: str, out: Path, *, roster: Path | None = None, seed: str = "0",
            settings: dict, source: Path | None = None) -> list[Path]:
    """Student notebooks without solutions or hidden tests: OUT/ASSIGNMENT/, or one folder
    per student (OUT/<student_id>/ASSIGNMENT/) with each student's own facts when a roster
    is given and the assignment has facts. `source`: a lecturer's nbgrader source folder;
    by default the kit's assignment, built now."""
    from exercises.assignments import student_facts

    source = assignment_source(assignment, source)
    with tempfile.TemporaryDirectory(prefix="autograder-release-") as tmp:
        course = Path(tmp)
        copy_source(assignment, course, source)
        generate(assignment, course, f"sqlite:///{course / 'gradebook.db'}", settings)
        released = course / "release" / assignment
        template = facts_template(assignment, source)
        students = read_roster(roster) if roster else [None]
        written: list[Path] = []
        for student in students:
            dest = out / assignment if student is None else out / student / assignment
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(released, dest)
            if template and student is not None:
                f = student_facts.facts(template, student, seed)
                (dest / "variant.json").write_text(json.dumps({"student": student, "facts": f}, indent=1),
                                                   encoding="utf-8")
                for nb_path in dest.glob("*.ipynb"):
                    nb = nbformat.read(nb_path, as_version=4)
                    for cell in nb.cells:
                        if metadata.facts_template(cell) == template:
                            cell.source = student_facts.render(template, f)
                    metadata_write.released_for(nb.metadata, student)
                    nbformat.write(nb, nb_path)
            written += sorted(dest.glob("*.ipynb"))
        return written
