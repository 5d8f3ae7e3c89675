"""The course's learning outcomes on the site, from ``exercises/outcomes.yaml``.

``{outcomes}`` (a directive, no argument) lists the outcomes' texts, numbered, where it stands:
the start page's list is the file's, never a second copy of it.

``{outcome-coverage}`` is a table of how many bank items assess each outcome, self-check and
graded, and how many at the outcome's level or above (``exercises.coverage.by_outcome``). It
shows counts only: no graded item's id, title or key reaches the page. A build without the
graded folder counts the self-check items and says that the graded ones were not counted.

Pages using either are read again when the outcomes file or a bank file changes, or when an
item file is added or removed.
"""

from __future__ import annotations

from pathlib import Path

import bookkeeping
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

COVERAGE = "outcome-coverage"  # bookkeeping's key: the pages that count the bank


def _outcomes():
    from exercises.outcomes import OUTCOMES_PATH, load_outcomes

    return OUTCOMES_PATH, load_outcomes()


def _bank_files() -> list[Path]:
    from exercises.paths import item_files

    return item_files()


class _Outcomes(SphinxDirective):
    has_content = False

    def outcomes(self):
        from exercises.outcomes import OutcomeError

        try:
            path, outcomes = _outcomes()
        except OutcomeError as e:
            raise self.error(f"{self.name}: {e}") from None
        self.env.note_dependency(str(path))
        return outcomes

    def parsed(self, lines: list[str]) -> list[nodes.Node]:
        # Parsed as the page's own markup (MyST), so roles such as {provision} work in the texts.
        box = nodes.container()
        source, line = self.get_source_info()
        self.state.nested_parse(StringList(lines, source=source), self.content_offset, box)
        return box.children


class OutcomeList(_Outcomes):
    """```{outcomes}```: the outcomes' texts as a numbered list."""

    def run(self) -> list[nodes.Node]:
        return self.parsed([f"{n}. {o.text}" for n, o in enumerate(self.outcomes().values(), 1)])


class OutcomeCoverage(_Outcomes):
    """```{outcome-coverage}```: items per outcome, self-check and graded, and at its level."""

    def run(self) -> list[nodes.Node]:
        from exercises.bank import graded_dir, load_bank
        from exercises.coverage import OUTCOME_MINIMUM, by_outcome
        from exercises.problems import BankError

        outcomes = self.outcomes()
        with_graded = graded_dir().is_dir()
        try:
            items = load_bank(use=None if with_graded else "self-check")
        except BankError as e:
            raise self.error(f"{self.name}: {e}") from None
        for path in _bank_files():
            self.env.note_dependency(str(path))
        bookkeeping.note_page(self.env, COVERAGE)
        rows = by_outcome(items, outcomes)
        # Two figures to a cell, "items (at its level)": three columns fit a phone.
        lines = ["| Outcome (level) | Self-check (at its level) | Graded (at its level) |", "|---|---:|---:|"]
        for n, r in enumerate(rows, 1):
            flag = "" if r.ok else f"; fewer than {OUTCOME_MINIMUM} questions at its level"
            graded = f"{r.graded} ({r.graded_at_level})" if with_graded else "–"
            lines.append(f"| {n}. {r.outcome.label} ({r.outcome.level}{flag}) | "
                         f"{r.self_check} ({r.self_check_at_level}) | {graded} |")
        lines += ["", "*Self-check* and *Graded*: the questions that assess the outcome, and in brackets those that "
                      "ask for the outcome's level of thinking or a higher one "
                      "(levels of the revised Bloom taxonomy: remember, understand, apply, analyse, evaluate, "
                      "create). A question may assess more than one outcome."]
        if not with_graded:
            lines += ["", "*Graded items were not counted: this site was built without the graded folder.*"]
        return self.parsed(lines)


def setup(app):
    app.setup_extension("bookkeeping")
    app.add_directive("outcomes", OutcomeList)
    app.add_directive("outcome-coverage", OutcomeCoverage)
    # A new or removed item file changes the counts; Sphinx knows only the files it was told of.
    bookkeeping.reread_when_changed(app, "outcome-coverage bank", lambda app: tuple(str(p) for p in _bank_files()),
                                    lambda app, env: bookkeeping.pages(env, COVERAGE))
    return {"version": "1", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
