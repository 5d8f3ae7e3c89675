"""The lecturer's report: how the class did per question and per provision.

Each graded cell of a source notebook names its bank item and provisions in its metadata
(``course.item``, ``course.provisions``), so scores from the gradebook can be grouped by
provision: the topics the class got wrong, in the Protocol's own terms.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
from nbgrader.api import Gradebook

import protocol
from autograder.paths import SOURCE


def _cells(assignment: str, source: Path) -> dict[tuple[str, str], dict]:
    out = {}
    for p in sorted((source / assignment).glob("*.ipynb")):
        for cell in nbformat.read(p, as_version=4).cells:
            nbg, course = cell.metadata.get("nbgrader", {}), cell.metadata.get("course", {})
            if nbg.get("grade") and course.get("item"):
                out[(p.stem, nbg["grade_id"])] = course
    return out


def scores(db_url: str, assignment: str, source: Path = SOURCE) -> pd.DataFrame:
    """One row per student and graded cell: score, max, question, item, provisions."""
    meta = _cells(assignment, source)
    rows = []
    with Gradebook(db_url) as gb:
        for sub in gb.assignment_submissions(assignment):
            for nb in sub.notebooks:
                for g in nb.grades:
                    m = meta.get((nb.name, g.name), {})
                    rows.append({"student_id": sub.student.id, "notebook": nb.name, "grade_id": g.name,
                                 "question": m.get("question", g.name), "item": m.get("item", ""),
                                 "provisions": tuple(m.get("provisions", ())),
                                 "score": g.score, "max_score": g.max_score,
                                 "pending": bool(g.needs_manual_grade)})
    return pd.DataFrame(rows)


def summarise(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    done = df[~df["pending"]].copy()
    done["fraction"] = done["score"] / done["max_score"]
    per_question = (done.groupby(["question", "item"], sort=False)
                    .agg(students=("student_id", "nunique"), mean_score=("score", "mean"),
                         max_score=("max_score", "first"), mean_fraction=("fraction", "mean"))
                    .reset_index())
    long = done.explode("provisions").dropna(subset=["provisions"])
    per_provision = (long.groupby("provisions")
                     .agg(questions=("question", "nunique"), answers=("fraction", "size"),
                          mean_fraction=("fraction", "mean"))
                     .reset_index().rename(columns={"provisions": "provision"}))
    order = {pid: i for i, pid in enumerate(protocol.provision_ids())}
    per_provision["title"] = [protocol.get(p).title for p in per_provision["provision"]]
    per_provision = per_provision.sort_values("provision", key=lambda s: s.map(order)).reset_index(drop=True)
    return per_question.round(3), per_provision.round(3)


def write(db_url: str, assignment: str, out: Path, source: Path = SOURCE) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    df = scores(db_url, assignment, source)
    folder = out / "report" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    if df.empty:
        raise SystemExit(f"no graded submissions of {assignment!r} in the gradebook yet; run `grade` first")
    per_question, per_provision = summarise(df)
    per_question.to_csv(folder / "per_question.csv", index=False)
    per_provision.to_csv(folder / "per_provision.csv", index=False)
    totals = df.groupby("student_id")["score"].sum()

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    ax1.hist(totals, bins=min(10, max(3, len(totals))), color="#3a6ea5")
    ax1.set(title=f"{assignment}: total scores", xlabel="score", ylabel="students")
    ax2.barh(per_provision["provision"], per_provision["mean_fraction"], color="#5b8c5a")
    ax2.invert_yaxis()
    ax2.set(title="mean share of marks, per provision", xlim=(0, 1), xlabel="share of marks")
    fig.tight_layout()
    fig.savefig(folder / "report.png", dpi=120)
    plt.close(fig)

    pending = int(df["pending"].sum())
    attention = statuses(out, assignment)
    attention.to_csv(folder / "attention.csv", index=False)
    attention_html = (attention.to_html(index=False) if len(attention)
                      else "<p>None: every submission was read, run and graded without incident.</p>")
    html = f"""<!doctype html><html lang="en"><meta charset="utf-8"><title>Report: {assignment}</title>
<body><h1>Report: {assignment}</h1>
<p>{totals.size} students; {pending} answers still to be graded by hand (left out below).</p>
<img src="report.png" alt="Histogram of total scores, and mean share of marks per provision">
<h2>Per provision</h2>{per_provision.to_html(index=False)}
<h2>Per question</h2>{per_question.to_html(index=False)}
<h2>Submissions to look at</h2>
<p>Tampering restored, limits reached, unreadable or misnamed notebooks, from the last run of
<code>grade</code> (the status column of grades.csv).</p>{attention_html}</body></html>"""
    (folder / "report.html").write_text(html, encoding="utf-8")
    return folder


def statuses(out: Path, assignment: str) -> pd.DataFrame:
    """Rows of grades.csv whose status is more than "graded" or "needs hand grading"."""
    path = out / "grades.csv"
    cols = ["student_id", "score", "status"]
    if not path.exists():
        return pd.DataFrame(columns=cols)
    df = pd.read_csv(path, dtype={"student_id": str}, keep_default_na=False)
    df = df[df["assignment"] == assignment]
    plain = df["status"].str.fullmatch(r"graded|needs hand grading: [^;]*")
    return df.loc[~plain, cols].reset_index(drop=True)


def export(db_url: str, out: Path) -> Path:
    """Totals per student and assignment, one column per assignment: for an LMS gradebook."""
    with Gradebook(db_url) as gb:
        rows = [{"student_id": s.student.id, "assignment": a.name, "score": s.score}
                for a in gb.assignments for s in gb.assignment_submissions(a.name)]
    df = pd.DataFrame(rows, columns=["student_id", "assignment", "score"])
    table = df.pivot_table(index="student_id", columns="assignment", values="score", aggfunc="sum")
    table["total"] = table.sum(axis=1)
    path = out / "lms_grades.csv"
    table.round(4).reset_index().to_csv(path, index=False)
    return path
