"""The course's gradebook (nbgrader's, any SQLAlchemy URL): merge results, keep hand grades.

Within one run only the parent process writes here, one result at a time, so SQLite is safe.
Autograde scores are replaced on every run; a grade entered by hand (`manual_score`, in
formgrader or through nbgrader's API) is never touched, and neither is whether it still needs
review.

On a PostgreSQL server several runs may grade into one gradebook at once (teaching assistants
each grading their share, or the same students twice). What nbgrader does not make safe for
that, this module does (`open_gradebook`, `structure_lock`, and the upserts of `_merge_result`):

- nbgrader's Gradebook() creates the tables, stamps alembic's version and adds the course
  whenever it finds them missing, with no lock: two runs opening an empty database together
  both create them, and one fails ("relation already exists");
- nbgrader's GenerateAssignment deletes and recreates a notebook that has no submission yet:
  run at the same time as another run's first merge, or as another GenerateAssignment, the
  notebook could be removed under it;
- two runs merging the same new student or submission both find it missing and both insert it:
  one fails on the unique constraint.

So every gradebook the kit opens goes through `open_gradebook`, which creates what is missing
itself under an advisory lock before nbgrader's Gradebook() looks; a whole GenerateAssignment
holds an exclusive advisory lock (`structure_lock`) and each merge a shared one; and a merge
that loses an insert race reads the winner's row and updates it. On SQLite the locks are no-ops.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import zlib
from collections.abc import Iterator
from typing import Any

from nbgrader import utils
from nbgrader.api import Grade, Gradebook, InvalidEntry, MissingEntry

from autograder.job import GradingResult

# Advisory lock keys (any two bigints no other program uses on the server): one for creating
# the tables, one for an assignment's notebooks and cells. Two keys, so that opening a
# gradebook never waits for another run's whole GenerateAssignment.
SCHEMA_LOCK = zlib.crc32(b"autograder: gradebook tables")
STRUCTURE_LOCK = zlib.crc32(b"autograder: assignment notebooks and cells")


def is_postgresql(db_url: str) -> bool:
    from sqlalchemy.engine import make_url

    return make_url(db_url).get_backend_name() == "postgresql"


class LockConnection:
    """A connection of its own that holds PostgreSQL session advisory locks, so that a lock
    lasts across the commits nbgrader makes while it is held. On another database, nothing."""

    def __init__(self, db_url: str) -> None:
        self.engine = self.conn = None
        if is_postgresql(db_url):
            from sqlalchemy import create_engine
            from sqlalchemy.pool import NullPool

            self.engine = create_engine(db_url, poolclass=NullPool)
            self.conn = self.engine.connect()

    @contextlib.contextmanager
    def hold(self, key: int, *, shared: bool = False):
        """Wait for the lock, hold it for the block."""
        if self.conn is None:
            yield
            return
        from sqlalchemy import text

        kind = "_shared" if shared else ""
        self.conn.execute(text(f"SELECT pg_advisory_lock{kind}(:key)"), {"key": key})
        self.conn.commit()
        try:
            yield
        finally:
            self.conn.execute(text(f"SELECT pg_advisory_unlock{kind}(:key)"), {"key": key})
            self.conn.commit()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            if self.engine is not None:  # always, with a connection
                self.engine.dispose()


@contextlib.contextmanager
def advisory_lock(db_url: str, key: int, *, shared: bool = False):
    """Hold a PostgreSQL advisory lock for the block, on a connection opened for it."""
    locks = LockConnection(db_url)
    try:
        with locks.hold(key, shared=shared):
            yield
    finally:
        locks.close()


@functools.cache
def _migrations():
    """nbgrader's alembic migrations, read with alembic's API in this process (nbgrader itself
    runs the `alembic` command to learn their head: a second Python start-up)."""
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", ALEMBIC_DIR)
    return ScriptDirectory.from_config(cfg)


def create_missing(db_url: str, course_id: str = "default_course") -> None:
    """What nbgrader's Gradebook(db_url, course_id) would create in a database that lacks it
    (its tables, alembic's version when the database was empty, the course), made here under
    the schema lock: nbgrader then finds it all there, and neither races another run nor runs
    `alembic`. Idempotent."""
    from alembic.runtime.migration import MigrationContext
    from nbgrader.api import Base, Course
    from sqlalchemy import create_engine, inspect, select
    from sqlalchemy.pool import NullPool

    with advisory_lock(db_url, SCHEMA_LOCK):
        engine = create_engine(db_url, poolclass=NullPool)
        try:
            with engine.begin() as conn:
                tables = set(inspect(conn).get_table_names())
                if not tables.issuperset(Base.metadata.tables):
                    Base.metadata.create_all(bind=conn)
                if not tables:  # as nbgrader: a new gradebook is at the head of its migrations
                    MigrationContext.configure(conn).stamp(_migrations(), "head")
                if course_id and conn.execute(select(Course.id).where(Course.id == course_id)).first() is None:
                    conn.execute(Course.__table__.insert().values(id=course_id))
        finally:
            engine.dispose()


@contextlib.contextmanager
def open_gradebook(db_url: str) -> Iterator[Gradebook]:
    """nbgrader's Gradebook on `db_url`, its tables made first if missing (`create_missing`)."""
    create_missing(db_url)
    with Gradebook(db_url) as gb:
        yield gb


def structure_lock(db_url: str):
    """Held around nbgrader's GenerateAssignment, which may delete and recreate an assignment's
    notebooks and cells: it waits for the merges under way, and they for it."""
    return advisory_lock(db_url, STRUCTURE_LOCK)


@contextlib.contextmanager
def _quiet_rollbacks():
    """nbgrader logs a traceback for every insert it rolls back; a lost insert race that
    `_upsert` then resolves is no error for the lecturer to read."""
    logger = logging.getLogger("tornado.application")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _upsert(find, add):
    """The row `find` returns, or the one `add` inserts; if another run inserted it first
    (nbgrader rolls back and raises InvalidEntry), the row that run inserted."""
    try:
        return find()
    except MissingEntry:
        pass
    try:
        with _quiet_rollbacks():
            return add()
    except InvalidEntry as lost:
        try:
            return find()
        except MissingEntry:
            raise lost from None  # not a race: the insert itself was refused

COLUMNS = ["student_id", "assignment", "score", "max_score", "auto_score", "auto_max_score",
           "hand_score", "hand_max_score", "status", "timestamp", "sandbox"]


def all_hand_grades(db_url: str, assignment: str) -> dict[str, tuple[dict, dict]]:
    """hand_grades for every student at once: one gradebook session, not one per student."""
    out: dict[str, tuple[dict, dict]] = {}
    with open_gradebook(db_url) as gb:
        try:
            subs = gb.assignment_submissions(assignment)
        except MissingEntry:
            return out
        for sub in subs:
            grades: dict[str, dict[str, Any]] = {}
            comments: dict[str, str] = {}
            for nb in sub.notebooks:
                for g in nb.grades:
                    if g.manual_score is not None or g.extra_credit is not None:
                        grades[f"{nb.name}/{g.name}"] = {"manual_score": g.manual_score,
                                                         "extra_credit": g.extra_credit}
                for c in nb.comments:
                    if c.manual_comment:
                        comments[f"{nb.name}/{c.name}"] = c.manual_comment
            out[sub.student.id] = (grades, comments)
    return out


def _merge(gb: Gradebook, result: GradingResult) -> None:
    import warnings

    with warnings.catch_warnings():
        # nbgrader's own SQLAlchemy use warns on every new submission; not ours to fix here.
        warnings.filterwarnings("ignore", message=".*not in session.*")
        _merge_result(gb, result)


def _merge_result(gb: Gradebook, result: GradingResult) -> None:
    # Every submission gets its row, even one that could not be read: it scores zero.
    sid, assignment = result.student_id, result.assignment
    _upsert(lambda: gb.find_student(sid), lambda: gb.add_student(sid))
    kwargs = {"timestamp": result.timestamp} if result.timestamp else {}
    submission = _upsert(lambda: gb.find_submission(assignment, sid),
                         lambda: gb.add_submission(assignment, sid, **kwargs))
    if result.timestamp:
        submission.timestamp = utils.parse_utc(result.timestamp)
    for rec in result.grades:
        try:
            grade = gb.find_grade(rec.name, rec.notebook, assignment, sid)
        except MissingEntry:
            continue
        grade.auto_score = rec.auto_score
        # Whether it still needs grading by hand, only where no one has graded it by hand:
        # decided in the UPDATE itself, so a hand grade saved meanwhile (formgrader, another
        # run) is not marked as waiting again.
        gb.db.query(Grade).filter(Grade.id == grade.id, Grade.manual_score.is_(None)) \
            .update({Grade.needs_manual_grade: rec.needs_manual_grade}, synchronize_session=False)
    for key, auto_comment in result.comments.items():
        nb, name = key.split("/", 1)
        try:
            gb.find_comment(name, nb, result.assignment, result.student_id).auto_comment = auto_comment
        except MissingEntry:
            continue
    gb.db.commit()


class Merger:
    """The gradebook held open for a whole run: results merge as they arrive."""

    def __init__(self, db_url: str, assignment: str) -> None:
        self.db_url, self.assignment = db_url, assignment

    def __enter__(self) -> Merger:
        with contextlib.ExitStack() as opened:
            self.gb = opened.enter_context(open_gradebook(self.db_url))
            self.locks = LockConnection(self.db_url)
            opened.callback(self.locks.close)
            self.opened = opened.pop_all()
        return self

    def merge(self, result: GradingResult) -> None:
        # Shared: merges of several runs go on together; a GenerateAssignment waits for them.
        with self.locks.hold(STRUCTURE_LOCK, shared=True):
            _merge(self.gb, result)

    def __exit__(self, *exc) -> None:
        self.opened.__exit__(*exc)


def _hand_cells(gb: Gradebook, assignment: str) -> set[tuple[str, str]]:
    """(notebook, grade_id) of what is marked by hand: grade cells that are also solution cells,
    and task cells (nbgrader never scores those itself)."""
    out = set()
    for nb in gb.find_assignment(assignment).notebooks:
        solutions = {c.name for c in nb.solution_cells}
        out |= {(nb.name, c.name) for c in nb.grade_cells if c.name in solutions}
        out |= {(nb.name, c.name) for c in nb.task_cells}
    return out


def assignment_names(db_url: str) -> list[str]:
    """The assignments the gradebook knows, for a message about a name it does not."""
    with open_gradebook(db_url) as gb:
        return sorted(a.name for a in gb.assignments)


def status_from_gradebook(gb: Gradebook, sub) -> str:
    pending = sorted(g.name for nb in sub.notebooks for g in nb.grades if g.needs_manual_grade)
    return f"needs hand grading: {', '.join(pending)}" if pending else "graded"


def rows(db_url: str, assignment: str, notes: dict[str, list[str]] | None = None,
         errors: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One row per student who has a submission of `assignment`, as grades.csv has them
    (none when the gradebook has no such assignment)."""
    notes, errors = notes or {}, errors or {}
    out: list[dict[str, Any]] = []
    with open_gradebook(db_url) as gb:
        try:
            hand = _hand_cells(gb, assignment)
        except MissingEntry:
            return out
        for sub in sorted(gb.assignment_submissions(assignment), key=lambda s: s.student.id):
            sid = sub.student.id
            auto = auto_max = hand_score = hand_max = 0.0
            hand_done = True
            for nb in sub.notebooks:
                for g in nb.grades:
                    if (nb.name, g.name) in hand:
                        hand_max += g.max_score
                        if g.manual_score is None:
                            hand_done = hand_done and not g.needs_manual_grade
                            hand_score += g.auto_score or 0
                        else:
                            hand_score += g.manual_score
                    else:
                        auto_max += g.max_score
                        auto += g.auto_score or 0
            # What went wrong first; then what is still to do by hand; then notes.
            base = status_from_gradebook(gb, sub)
            parts = [errors[sid]] if errors.get(sid) else []
            if not parts or base != "graded":
                parts.append(base)
            status = "; ".join([*parts, *notes.get(sid, [])])
            out.append({
                "student_id": sid, "assignment": assignment,
                "score": round(sub.score, 4), "max_score": round(sub.max_score, 4),
                "auto_score": round(auto, 4), "auto_max_score": round(auto_max, 4),
                "hand_score": round(hand_score, 4) if hand_done else "",
                "hand_max_score": round(hand_max, 4), "status": status,
                "timestamp": sub.timestamp.isoformat() if sub.timestamp else "",
            })
    return out
