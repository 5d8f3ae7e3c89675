"""The report's web page (report.html): the figures of ``data`` as text and tables, rendered
by the Jinja template ``templates/report/report.html.j2`` with autoescaping on.

Here numbers become the words and percentages the lecturer reads; the template lays them out.
Every table has a caption and column headers, the item statistics' tables a header on each
row too, and every image alt text, for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from autograder import statistics
from autograder.steps.report.data import Results, Terms, text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "report"
DASH = "–"  # a value the figure does not have


@dataclass
class Table:
    """A table of the page, each cell as the lecturer reads it (templates/report/tables.html.j2)."""

    caption: str
    headings: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()  # columns aligned right
    row_headers: bool = False  # the first cell of each row heads it (th scope=row)


@cache
def _environment():
    """Templates compiled once per process. A block tag alone on its line leaves no line behind
    (trim_blocks, lstrip_blocks), so the template can be laid out for reading; a name the
    template uses and render() does not give is an error, not an empty cell."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True,
                       undefined=StrictUndefined)


def render(res: Results, items_plotted: bool) -> str:
    """The page; `items_plotted`: whether items.png was drawn (no question may have a
    discrimination index)."""
    hardest = _hardest(res.per_provision)
    marked = hardest[hardest["share"] != DASH]
    return _environment().get_template("report.html.j2").render(
        assignment=res.assignment, students=res.totals.size, pending=res.pending, unsandboxed=res.unsandboxed,
        worst=marked.iloc[0] if len(marked) else None, answers_read=len(res.answers) > 0,
        provisions=_frame_table(hardest, {"provision": "Provision", "title": "Title", "questions": "Questions",
                                          "share": "Share of marks won", "missed": "Answers that left it out",
                                          "cited_wrongly": "Answers that cited it wrongly"},
                                "Provisions, from the least to the most marks won",
                                numeric=("questions", "share", "missed", "cited_wrongly")),
        questions=_questions(res.per_question), criteria=_criteria(res.per_criterion),
        items=_items(res.analysis, items_plotted, res.terms),
        attention=_frame_table(res.attention, {"student_id": "Student", "score": "Score", "status": "Status"},
                               "Submissions whose grading met a problem", numeric=("score",))
        if len(res.attention) else None)


def number(v, fmt: str = "{:.0f}") -> str:
    return DASH if v is None or pd.isna(v) else fmt.format(v)


def _frame_table(df: pd.DataFrame, headings: dict[str, str], caption: str, numeric=()) -> Table:
    """A table of some of a frame's columns (headings: column -> its header), each value as str() prints it."""
    return Table(caption, list(headings.values()), [[str(row[c]) for c in headings] for _, row in df.iterrows()],
                 frozenset(i for i, c in enumerate(headings) if c in numeric))


def _hardest(per_provision: pd.DataFrame) -> pd.DataFrame:
    """Provisions from the least to the most marks won, counts as text; those no question
    asked about last, with dashes."""
    hardest = per_provision.sort_values(["mean_fraction", "provision"], na_position="last").reset_index(drop=True)
    for col in ("questions", "missed", "cited_wrongly"):
        hardest[col] = [DASH if pd.isna(v) else str(int(v)) for v in hardest[col]]
    hardest["share"] = [DASH if pd.isna(v) else f"{v:.0%}" for v in hardest["mean_fraction"]]
    return hardest


def _average(mean_score: pd.Series, max_score: pd.Series) -> list[str]:
    return [f"{m:g} of {x:g}" for m, x in zip(mean_score.round(2), max_score)]


def _questions(per_question: pd.DataFrame) -> Table:
    t = per_question.assign(share=[f"{v:.0%}" for v in per_question["mean_fraction"]],
                            average=_average(per_question["mean_score"], per_question["max_score"]))
    return _frame_table(t, {"question": "Question", "label": "Asks", "item": "Bank item", "students": "Students",
                            "average": "Average", "share": "Share of marks", "answers_given": "Letters chosen"},
                        "Each auto-graded question", numeric=("students", "average", "share"))


def _criteria(per_criterion: pd.DataFrame) -> dict | None:
    """The section on hand-marked answers, criterion by criterion: its table and the criterion
    the class did worst on. None when no answer is hand-marked."""
    if per_criterion.empty:
        return None
    t = per_criterion.copy()
    t["question"] = [f"{q}, criterion {n}" for q, n in zip(t["question"], t["number"])]
    t["average"] = _average(t["mean_score"], t["max_score"])
    t["share"] = [f"{v:.0%}" for v in t["mean_fraction"]]
    return {"lowest": t.sort_values("mean_fraction", kind="stable").iloc[0],
            "table": _frame_table(t, {"question": "Criterion", "criterion": "As the rubric words it",
                                      "students": "Students", "average": "Average", "share": "Share of marks"},
                                  "Each criterion's class average (answers marked so far)",
                                  numeric=("students", "average", "share"))}


def _items(a: statistics.Analysis, plotted: bool, terms: Terms | None) -> dict:
    """The "Item statistics" section: the assignment as a whole, each question, each option
    chosen, and the earlier terms."""
    items, t = a.items, a.test
    section = {"warning": t["warning"], "left_out": a.marks.left_out, "any": len(items) > 0}
    if items.empty:
        return section
    alpha = t["cronbach_alpha"]
    alpha_note = (t["consistency"] if not pd.isna(alpha) else
                  "undefined: it needs at least 3 students, 2 questions and totals that vary")
    section["test"] = Table("The assignment as a whole", ["Statistic", "Value", "What it says"], [
        ["Students", str(t["n"]), ""],
        ["Questions analysed", str(t["questions"]), ""],
        ["Cronbach's alpha (coefficient of internal consistency)", number(alpha, "{:.1f}"), alpha_note],
        ["Error ratio", number(t["error_ratio"], "{:.1f}"), "the share of the spread of totals due to chance"],
        ["Standard error", number(t["standard_error"], "{:.1f}"),
         f"a student's total is uncertain by this much (% of the {t['max_total']:g} marks analysed)"]],
        frozenset({1}), row_headers=True)
    section["questions"] = Table(
        "Each question analysed (– : the question has no such value)",
        ["Question", "Asks", "Provisions", "Facility", "SD", "Random guess", "Intended weight", "Effective weight",
         "Discrimination index", "Discriminative efficiency", "Needs checking?", "Why"],
        [_item_row(r) for _, r in items.iterrows()], frozenset({3, 4, 5, 6, 7, 9}), row_headers=True)
    section["plotted"] = plotted
    section["options"] = _options(a.distractors)
    section["terms"] = _terms(terms) if terms is not None else None
    return section


def _item_row(r: pd.Series) -> list[str]:
    di = r["discrimination_index"]
    di_text = (f"undefined ({r['undefined_reason']})" if pd.isna(di) else
               f"{di:.0f}" + (f" (95%: {r['discrimination_low']:.0f} to {r['discrimination_high']:.0f})"
                              if not pd.isna(r["discrimination_low"]) else ""))
    return [r["question"], r["label"], r["provisions"], number(r["facility"]), number(r["sd"]),
            number(r["random_guess_score"]), number(r["intended_weight"]),
            number(r["effective_weight"]) if not r["negative_covariance"] else "none (negative covariance)",
            di_text, number(r["discriminative_efficiency"]), r["needs_checking"], r["why"]]


def _options(d: pd.DataFrame) -> dict | None:
    """Each option of the letter and citation questions, chosen by the top and bottom thirds."""
    if not len(d):
        return None
    rows = [[f"{r['question']}: {r['option']}", r["key"], str(r["chosen"]), str(r["chosen_top"]),
             str(r["chosen_bottom"])] for _, r in d.iterrows()]
    return {"top_n": int(d["top_n"].max()), "bottom_n": int(d["bottom_n"].max()),
            "table": Table("Each option of the letter and citation questions",
                           ["Question: option", "Right?", "Chosen", "By the top third", "By the bottom third"],
                           rows, frozenset({2, 3, 4}), row_headers=True)}


def _terms(terms: Terms) -> dict:
    """This term beside earlier ones: what changed sharply, and the two tables."""
    table, names = terms.table, terms.names
    flagged = table[(table["kind"] == "question") & (table["changed"] != "")]
    provisions = (table["kind"] == "provision").any()
    return {
        "earlier": ", ".join(names[:-1]),
        "sharp_rule": (f"A change is sharp when facility moved by {statistics.SHARP_FACILITY:.0f} points or more, or "
                       f"the discrimination index by {statistics.SHARP_DISCRIMINATION:.0f} or more, and by more than "
                       "the two classes' sampling error allows (1% level)."),
        "summary": (f"{flagged['name'].nunique()} question(s) changed sharply." if len(flagged)
                    else "No question changed sharply."),
        "questions": Table("Each question's facility and discrimination index, term by term",
                           ["Question"] + [f"{h}, {t}" for t in names for h in ("Facility", "Discrimination")]
                           + ["Changed sharply"],
                           _wide(table, names, "question", [("facility", "{:.0f}"), ("discrimination_index", "{:.0f}")]),
                           frozenset(range(1, 1 + 2 * len(names))), row_headers=True),
        "provisions": Table("Share of marks won per provision, term by term",
                            ["Provision"] + [f"Share of marks, {t}" for t in names],
                            _wide(table, names, "provision", [("facility", "{:.0f}")]),
                            frozenset(range(1, 1 + len(names))), row_headers=True) if provisions else None,
    }


def _wide(table: pd.DataFrame, names: list[str], kind: str, value_cols) -> list[list[str]]:
    """One row per question (or provision), its values term by term ("not asked" in a term
    that did not have it); a question's row ends with what changed sharply since which term."""
    rows = []
    for name, g in table[table["kind"] == kind].groupby("name", sort=False):
        g = g.set_index("term")
        cells = [text(name, "a question or provision")]
        for term in names:
            for col, fmt in value_cols:
                cells.append(number(g[col].get(term), fmt) if term in g.index else "not asked")
        if kind == "question":
            sharp = [f"{c} since {t} ({number(g.at[t, c + '_change'], '{:+.0f}')})"
                     for t in g.index if (changed := g.at[t, "changed"])
                     for c in text(changed, f"what changed since {t}").split("; ")]
            cells.append("; ".join(sharp) or "no")
        rows.append(cells)
    return rows
