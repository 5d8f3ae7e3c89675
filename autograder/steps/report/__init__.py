"""The lecturer's report: how the class did per question and per provision.

``write`` makes OUT/report/ASSIGNMENT/ from four parts:

- ``data``: the figures, read from the gradebook and the grading folder (no file written);
- ``csv_files``: each figure as a CSV file, for a spreadsheet;
- ``plots``: the PNG images (matplotlib's object API);
- ``page``: report.html, rendered by the Jinja template ``templates/report/report.html.j2``.

The course-wide totals for an LMS gradebook (``export``, the ``grades`` command) are in
``autograder.lms.totals``.
"""

from __future__ import annotations

from pathlib import Path

from autograder.paths import assignment_source
from autograder.steps.report import csv_files, page, plots
from autograder.steps.report.data import (
    THIS_TERM,
    Results,
    criteria_shown,
    given_answers,
    item_analysis,
    per_criterion,
    provision_mistakes,
    provision_table,
    question_names,
    results,
    scores,
    statuses,
    summarise,
)


def write(db_url: str, assignment: str, out: Path, source: Path | None = None, compare=()) -> Path:
    """The report in OUT/report/ASSIGNMENT/. `source`: a lecturer's nbgrader source folder; by
    default the kit's assignment, built now. `compare`: (label, gradebook URL, source folder)
    of each earlier term, shown beside this one (terms.csv, terms.png)."""
    source = assignment_source(assignment, source)
    folder = out / "report" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    r = results(db_url, assignment, out, source, compare)
    csv_files.write_all(r, folder)
    plots.overview(r.totals, r.per_provision, assignment, folder / "report.png")
    items_plotted = len(r.analysis.items) > 0 and plots.items(r.analysis.items, folder / "items.png")
    if r.terms is not None:
        plots.terms(r.terms.table, r.terms.names, folder / "terms.png")
    (folder / "report.html").write_text(page.render(r, items_plotted), encoding="utf-8")
    return folder


__all__ = ["THIS_TERM", "Results", "criteria_shown", "results", "given_answers", "item_analysis",
           "per_criterion", "provision_mistakes", "provision_table", "question_names", "scores", "statuses",
           "summarise", "write"]
