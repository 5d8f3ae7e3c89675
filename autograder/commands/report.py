"""`report`: how the class did, per question and per provision."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("assignment")
    p.add_argument("--out", type=Path, required=True, help="the course folder given to grade")
    p.add_argument("--db", metavar="URL")
    p.add_argument("--compare", type=Path, action="append", default=[], metavar="DIR",
                   help="an earlier term's grading folder (its gradebook.db and source/), shown beside this "
                        "term per provision and per question; repeat for more terms")
    p.add_argument("--compare-db", action="append", default=[], metavar="URL",
                   help="an earlier term's gradebook as an SQLAlchemy URL (its questions read from this term's "
                        "source); repeat for more terms")


def main(args) -> int:
    from autograder.grading import default_db
    from autograder.paths import assignment_source
    from autograder.steps.report import write

    source = assignment_source(args.assignment, args.source)
    folder = write(args.db or default_db(args.out), args.assignment, args.out, source, compare=earlier_terms(args, source))
    print(f"report: {folder / 'report.html'}")
    return 0


def earlier_terms(args, source):
    """(label, gradebook URL, source folder) of each earlier term of `--compare DIR` and
    `--compare-db URL`. A grading folder keeps the assignment as it was graded then
    (DIR/source/), so that term's questions are read from there; a bare gradebook URL is read
    with this term's source."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from autograder.errors import CourseError
    from autograder.grading import default_db

    terms, labels = [], set()

    def label(name: str) -> str:
        n, out = 1, name
        while out in labels:
            n += 1
            out = f"{name} ({n})"
        labels.add(out)
        return out

    for folder in args.compare:
        if not (folder / "gradebook.db").is_file():
            raise CourseError(f"--compare {folder}: no gradebook.db in it; give an earlier term's grading folder "
                              "(the --out of its grade), or its gradebook with --compare-db URL")
        own = folder / "source"
        terms.append((label(folder.resolve().name), default_db(folder),
                      own if (own / args.assignment).is_dir() else source))
    for url in args.compare_db:
        try:
            parsed = make_url(url)
        except (ArgumentError, ValueError) as e:
            raise CourseError(f"--compare-db {url!r}: not a database URL ({e})") from None
        # nbgrader creates a gradebook that is not there: a mistyped SQLite path must not.
        if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
            raise CourseError(f"--compare-db {url!r}: no such SQLite file")
        if parsed.get_backend_name() == "sqlite":
            path = Path(parsed.database or "")  # a file, checked above
            # A grading folder's gradebook.db is named by its folder, as --compare names it.
            name = path.parent.resolve().name if path.name == "gradebook.db" else path.stem
        else:
            name = parsed.database or parsed.render_as_string(hide_password=True)
        terms.append((label(name), url, source))
    return terms
