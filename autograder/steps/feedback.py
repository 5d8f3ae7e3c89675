"""Feedback without the hidden tests (nbgrader's own feedback shows them).

Removing the hidden region from the source is not enough: a failed hidden assert prints a
traceback quoting the hidden line. So the error output of a cell that had hidden tests is
replaced by a plain sentence, unless the error is the public format check's own message.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import ClearHiddenTests
from traitlets import Bool

from autograder.steps.score import waiting

if TYPE_CHECKING:
    from autograder.steps import NotebookWork

PUBLIC_ERRORS = {"AnswerFormatError"}  # raised by the student module's assert_format: safe to show
HIDDEN_FAILED = "Not right yet. (The checks that decide the grade are not shown.)"


def run(work: NotebookWork) -> None:
    """The step: the student's feedback page, with the scores and comments `score` left."""
    job, name, settings, scored = work.job, work.name, work.settings, work.scored
    if scored is None:
        raise RuntimeError(f"{name}: no scores for the feedback page (the score step did not run)")
    work.result.feedback[f"{name}.html"] = render(work.notebook, notebook=name, assignment=job.assignment,
                                                  student=job.student_id, scores=scored.shown,
                                                  comments=scored.comments,
                                                  show_hidden_tests=settings.show_hidden_tests,
                                                  delimiters=settings.delimiters,
                                                  pending=waiting(scored, name, job.hand_grades))


class HideHiddenTests(ClearHiddenTests):
    show_hidden_tests = Bool(False, help="Show hidden tests and their errors in feedback").tag(config=True)
    enforce_metadata = Bool(False).tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        if self.show_hidden_tests or cell.cell_type != "code":
            return cell, resources
        if self._remove_hidden_test_region(cell):
            cell.outputs = [self._safe(o) for o in cell.get("outputs", [])]
        return cell, resources

    @staticmethod
    def _safe(output):
        if output.get("output_type") != "error":
            return output
        if output.get("ename") in PUBLIC_ERRORS:
            output["traceback"] = [f"{output['ename']}: {output.get('evalue', '')}"]
            return output
        output["ename"], output["evalue"], output["traceback"] = "Result", HIDDEN_FAILED, [HIDDEN_FAILED]
        return output


class SetGrades(Preprocessor):
    """nbgrader's GetGrades without a database: the scores come in `resources`.

    GetGrades opens the gradebook for every notebook; the worker has the scores already
    (its own autograde results plus the lecturer's hand grades), so it passes them in."""

    def preprocess(self, nb, resources):
        self._scores = resources["nbgrader"].pop("cell_scores")
        self._comments = resources["nbgrader"].pop("cell_comments")
        pending = resources["nbgrader"].pop("pending", set())
        resources["rubric"], resources["rubric_questions"] = rubric(nb, self._scores, self._comments, pending)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        nbg = cell.metadata.get("nbgrader", {})
        gid = nbg.get("grade_id")
        if gid and (nbg.get("solution") or nbg.get("task")):
            nbg["comment"] = self._comments.get(gid)
        if gid and (nbg.get("grade") or nbg.get("task")) and gid in self._scores:
            nbg["score"], nbg["points"] = self._scores[gid]
        return cell, resources


def rubric(nb, scores: dict, comments: dict, pending: set) -> tuple[dict[str, dict], list]:
    """Each criterion of a hand-marked answer, as the feedback page shows it: by grade id, and
    by question in the notebook's order."""
    from exercises.graded.kinds import criterion_title
    from exercises.graded.metadata import read

    found = [(cell, c) for _, cell, c in read.criteria(nb)]
    count: dict[str, int] = {}
    for _, c in found:
        count[c.question] = count.get(c.question, 0) + 1
    rows: dict[str, dict] = {}
    questions: dict[str, list] = {}
    for cell, c in found:
        gid = cell.metadata["nbgrader"]["grade_id"]
        score, points = scores.get(gid, (0.0, float(cell.metadata["nbgrader"].get("points", 0))))
        rows[gid] = {"gid": gid, "question": c.question, "number": c.number, "of": count[c.question],
                     "title": criterion_title(cell.source), "score": score, "points": points,
                     "marked": gid not in pending, "comment": comments.get(gid)}
        questions.setdefault(c.question, []).append(rows[gid])
    return rows, list(questions.items())


_exporters: dict[tuple, object] = {}  # per process: one exporter, templates compiled once


def exporter(show_hidden_tests: bool, delimiters: tuple[tuple[str, str], ...] = ()):
    """nbgrader's feedback HTML exporter, made once per process: building it (and compiling
    its Jinja templates) costs more than rendering a notebook."""
    key = (show_hidden_tests, delimiters)
    if key not in _exporters:
        import os

        import nbgrader
        from nbconvert.exporters import HTMLExporter
        from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
        from traitlets.config import Config

        base = os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader")
        c = Config()
        # nbgrader's feedback template, extended to show a rubric criterion by criterion.
        c.HTMLExporter.template_name = "rubric_feedback"
        c.HTMLExporter.extra_template_basedirs = [os.path.join(os.path.dirname(__file__), "templates"),
                                                  os.path.join(base, "templates")]
        # nbgrader's templates folder itself too, where the kit's template finds the one it extends.
        c.HTMLExporter.extra_template_paths = [os.path.join(base, "static", "node_modules", "bootstrap", "dist", "css"),
                                               os.path.join(base, "templates")]
        c.HideHiddenTests.show_hidden_tests = show_hidden_tests
        for name, value in delimiters:
            c.HideHiddenTests[name] = value
        ex = HTMLExporter(config=c)
        ex.register_preprocessor(SetGrades(), enabled=True)
        ex.register_preprocessor(HideHiddenTests(config=c), enabled=True)
        ex.register_preprocessor(CSSHTMLHeaderPreprocessor(config=c), enabled=True)
        _exporters[key] = ex
    return _exporters[key]


@functools.cache
def dark_highlight() -> str:
    """Pygments' rules for code on a dark page (the page's own are for a light one)."""
    from pygments.formatters import HtmlFormatter
    from pygments.util import ClassNotFound

    try:
        rules = HtmlFormatter(style="github-dark").get_style_defs(".highlight").splitlines()
    except ClassNotFound:  # a Pygments older than that style: the page's own colours
        return ""
    return " ".join(r for r in rules if r.startswith(".highlight"))


def render(nb, *, notebook: str, assignment: str, student: str, scores: dict, comments: dict,
           show_hidden_tests: bool, delimiters: tuple[tuple[str, str], ...] = (), pending=()) -> bytes:
    """The student's feedback page. `scores`: grade_id -> (score, max_score); `pending`: the
    grade ids still waiting for the lecturer's mark."""
    import copy

    resources = {"dark_highlight": dark_highlight(), "nbgrader": {"notebook": notebook, "assignment": assignment, "student": student,
                              "score": sum(s for s, _ in scores.values()),
                              "max_score": sum(m for _, m in scores.values()), "late_penalty": 0,
                              "cell_scores": dict(scores), "cell_comments": dict(comments),
                              "pending": set(pending)}}
    body, _ = exporter(show_hidden_tests, delimiters).from_notebook_node(copy.deepcopy(nb), resources=resources)
    return body.encode("utf-8")
