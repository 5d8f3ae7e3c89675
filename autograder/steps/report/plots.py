"""The report's figures as PNG images, drawn with matplotlib's object API.

A ``Figure`` made directly (not through pyplot) renders with the Agg canvas when saved, so
the report chooses no backend for the process and leaves no figure open in pyplot's registry.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from autograder import statistics

DPI = 120


def overview(totals: pd.Series, per_provision: pd.DataFrame, assignment: str, path: Path) -> None:
    """Left, a histogram of the students' total scores; right, the share of marks won per
    provision (provisions no question asked about have none and are left out)."""
    fig = Figure(figsize=(11, 4))
    ax1, ax2 = fig.subplots(1, 2)
    ax1.hist(totals, bins=min(10, max(3, len(totals))), color="#3a6ea5")
    ax1.set(title=f"{assignment}: total scores", xlabel="score", ylabel="students")
    marked = per_provision.dropna(subset=["mean_fraction"])
    ax2.barh(marked["provision"], marked["mean_fraction"], color="#5b8c5a")
    ax2.invert_yaxis()
    ax2.set(title="mean share of marks, per provision", xlim=(0, 1), xlabel="share of marks")
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)


def items(items: pd.DataFrame, path: Path) -> bool:
    """Each question's facility against its discrimination index, over Moodle's needs-checking
    bands. False, and no file, when no question has a discrimination index."""
    shown = items.dropna(subset=["discrimination_index"])
    if shown.empty:
        return False
    fig = Figure(figsize=(7, 4.5))
    ax = fig.subplots()
    ax.axhspan(-100, statistics.VERY_LIKELY_BELOW, color="#f4d6d2")
    ax.axhspan(statistics.VERY_LIKELY_BELOW, statistics.LIKELY_BELOW, color="#f6ecc9")
    ax.scatter(shown["facility"], shown["discrimination_index"], color="#1a1a1a")
    for _, r in shown.iterrows():
        ax.annotate(r["question"], (r["facility"], r["discrimination_index"]), xytext=(4, 4), textcoords="offset points")
    ax.set(xlim=(0, 100), ylim=(-100, 100), xlabel="facility (% of the marks won)",
           ylabel="discrimination index", title="Questions: facility and discrimination")
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    return True


def terms(table: pd.DataFrame, names: list[str], path: Path) -> None:
    """Each question's facility (left) and each provision's share of marks (right), term by term."""
    fig = Figure(figsize=(11, 4))
    ax1, ax2 = fig.subplots(1, 2)
    for kind, ax, title in (("question", ax1, "facility of each question"),
                            ("provision", ax2, "share of marks won, per provision")):
        rows = table[table["kind"] == kind]
        for name, g in rows.groupby("name", sort=False):
            g = g.set_index("term").reindex(names)
            ax.plot(names, g["facility"], marker="o", label=name)
        ax.set(title=title, ylim=(0, 100), ylabel="%")
        if len(rows):
            ax.legend(fontsize="small", loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
