"""The report's CSV files, for a spreadsheet: each figure as ``data`` computed it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from autograder.steps.report.data import Results
from exercises import spreadsheet

ITEM_COLUMNS = ["question", "provisions", "n", "facility", "sd", "discrimination_index", "discriminative_efficiency",
                "effective_weight", "needs_checking", "why", "notebook", "item", "label", "random_guess_score",
                "intended_weight", "discrimination_low", "discrimination_high", "negative_covariance", "max_mark",
                "undefined_reason"]
TEST_COLUMNS = ["cronbach_alpha", "error_ratio", "standard_error", "n", "questions", "mean", "sd",
                "standard_error_marks", "sd_marks", "max_total", "consistency", "reliable", "warning", "left_out"]


def write_all(res: Results, folder: Path) -> None:
    """per_question, per_provision, per_criterion, attention, items, test, distractors (and
    terms, when earlier terms are compared) .csv in `folder`. Cells a student wrote are made
    inert, so a spreadsheet never runs them as formulas."""
    spreadsheet.inert_frame(res.per_question).to_csv(folder / "per_question.csv", index=False)
    spreadsheet.inert_frame(res.per_provision).to_csv(folder / "per_provision.csv", index=False)
    spreadsheet.inert_frame(res.per_criterion).to_csv(folder / "per_criterion.csv", index=False)
    spreadsheet.inert_frame(res.attention).to_csv(folder / "attention.csv", index=False)
    write_items(res.analysis, folder)
    if res.terms is not None:
        spreadsheet.inert_frame(res.terms.table.round(2)).to_csv(folder / "terms.csv", index=False)


def write_items(a, folder: Path) -> None:
    """items.csv, test.csv and distractors.csv of an item analysis (``statistics.Analysis``)."""
    items = a.items.reindex(columns=ITEM_COLUMNS)
    spreadsheet.inert_frame(items.round(2)).to_csv(folder / "items.csv", index=False)  # undefined values: blank cells
    test = dict(a.test, left_out="; ".join(f"{q}: {why}" for q, why in a.marks.left_out.items()))
    pd.DataFrame([test]).reindex(columns=TEST_COLUMNS).round(2).to_csv(folder / "test.csv", index=False)
    spreadsheet.inert_frame(a.distractors).to_csv(folder / "distractors.csv", index=False)
