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
    per_question = (done.groupby(["notebook", "question", "item"], sort=False)
                    .agg(students=("student_id", "nunique"), mean_score=("score", "mean"),
                         max_score=("max_score", "first"), mean_fraction=("fraction", "mean"))
                    .reset_index())
    long = done.explode("provisions").dropna(subset=["provisions"])
    per_provision = (long.groupby("provisions")
                     .agg(questions=("question", "nunique"), answers=("fraction", "size"),
                          mean_fraction=("fraction", "mean"))
                     .reset_index().rename(columns={"provisions": "provision"}))
    return per_question.round(3), per_provision.round(3)  # titles and order: provision_table


def given_answers(out: Path, assignment: str) -> pd.DataFrame:
    """The answers as marked (OUT/answers.csv, written by `grade`): one row per student and question."""
    import json

    from autograder.grading import ANSWER_COLUMNS, ANSWERS

    path = out / ANSWERS
    if not path.exists():
        return pd.DataFrame(columns=ANSWER_COLUMNS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df[df["assignment"] == assignment].copy()
    for col in ("answer", "key"):
        df[col] = [json.loads(v) if v else None for v in df[col]]
    df["right"] = df["right"] == "1"
    return df.reset_index(drop=True)


def provision_mistakes(answers: pd.DataFrame) -> pd.DataFrame:
    """For questions answered with provisions: per provision, how many students left it out
    where it applied (missed) and cited it where it did not (cited_wrongly)."""
    missed: dict[str, int] = {}
    wrong: dict[str, int] = {}
    for answer, key in zip(answers["answer"], answers["key"]):
        if not isinstance(key, list):
            continue  # not a provisions question
        for pid in key:
            missed.setdefault(pid, 0)
        if not isinstance(answer, list):
            continue  # no readable answer
        for pid in set(key) - set(answer):
            missed[pid] = missed.get(pid, 0) + 1
        for pid in set(answer) - set(key):
            wrong[pid] = wrong.get(pid, 0) + 1
    pids = sorted(set(missed) | set(wrong), key=protocol.provision_ids().index)
    return pd.DataFrame({"provision": pd.Series(pids, dtype=object),
                         "missed": pd.Series([missed.get(p, 0) for p in pids], dtype="Int64"),
                         "cited_wrongly": pd.Series([wrong.get(p, 0) for p in pids], dtype="Int64")})


def provision_table(per_provision: pd.DataFrame, mistakes: pd.DataFrame) -> pd.DataFrame:
    """Marks per provision beside the counts of mistakes. Outer: a provision cited wrongly may
    belong to no question at all (the usual mistake). A provision no question asked to be cited
    has no counts: blank in the CSV, a dash on the page."""
    table = per_provision.astype({"provision": object}).merge(mistakes, on="provision", how="outer")
    table["title"] = [protocol.get(p).title for p in table["provision"]]
    order = {pid: i for i, pid in enumerate(protocol.provision_ids())}
    return table.sort_values("provision", key=lambda c: c.map(order)).reset_index(drop=True)


def choices(answers: pd.DataFrame) -> dict[tuple[str, str], str]:
    """For letter questions, by (notebook, question): each letter chosen, how often, the right one marked."""
    out = {}
    for q, rows in answers.groupby(["notebook", "question"], sort=False):
        keys = {k for k in rows["key"] if isinstance(k, str)}
        if len(keys) != 1:
            continue
        right = keys.pop()
        counts = rows["answer"].map(lambda a: a if isinstance(a, str) else "no readable answer").value_counts()
        out[q] = ", ".join(f"{a}: {n}{' (right)' if a == right else ''}" for a, n in sorted(counts.items()))
    return out


def _labels(assignment: str, source: Path) -> dict[tuple[str, str], str]:
    """(notebook, question) -> its heading ("Which provisions answer this person's needs")."""
    import re

    out = {}
    for p in sorted((source / assignment).glob("*.ipynb")):
        for cell in nbformat.read(p, as_version=4).cells:
            q = cell.metadata.get("course", {}).get("question")
            m = re.match(r"#+\s*Question \d+:\s*(.*?)\s*\(\d+(?:\.\d+)? points?\)", cell.source)
            if q and m and cell.cell_type == "markdown" and (p.stem, q) not in out:
                out[(p.stem, q)] = m.group(1)
    return out


STYLE = """body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;max-width:64rem;margin:1rem auto;padding:0 1rem}
img{max-width:100%;height:auto}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #8a8a8a;padding:.3rem .6rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right}caption{text-align:left;font-style:italic;padding:.3rem 0}"""


def _table(df: pd.DataFrame, headings: dict[str, str], caption: str, numeric=()) -> str:
    import html

    head = "".join(f'<th scope="col"{" class=n" if c in numeric else ""}>{html.escape(h)}</th>'
                   for c, h in headings.items())
    body = "".join("<tr>" + "".join(f'<td{" class=n" if c in numeric else ""}>{html.escape(str(row[c]))}</td>'
                                    for c in headings) + "</tr>" for _, row in df.iterrows())
    return f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write(db_url: str, assignment: str, out: Path, source: Path = SOURCE) -> Path:
    import html

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    df = scores(db_url, assignment, source)
    folder = out / "report" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    if df.empty:
        raise SystemExit(f"no graded submissions of {assignment!r} in the gradebook yet; run `grade` first")
    per_question, per_provision = summarise(df)
    answers = given_answers(out, assignment)
    mistakes = provision_mistakes(answers)
    per_provision = provision_table(per_provision, mistakes)
    labels, letters = _labels(assignment, source), choices(answers)
    where = list(zip(per_question["notebook"], per_question["question"]))
    per_question["label"] = [labels.get(w, "") for w in where]
    per_question["answers_given"] = [letters.get(w, "") for w in where]
    per_question.to_csv(folder / "per_question.csv", index=False)
    per_provision.to_csv(folder / "per_provision.csv", index=False)
    totals = df.groupby("student_id")["score"].sum()

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    ax1.hist(totals, bins=min(10, max(3, len(totals))), color="#3a6ea5")
    ax1.set(title=f"{assignment}: total scores", xlabel="score", ylabel="students")
    marked = per_provision.dropna(subset=["mean_fraction"])
    ax2.barh(marked["provision"], marked["mean_fraction"], color="#5b8c5a")
    ax2.invert_yaxis()
    ax2.set(title="mean share of marks, per provision", xlim=(0, 1), xlabel="share of marks")
    fig.tight_layout()
    fig.savefig(folder / "report.png", dpi=120)
    plt.close(fig)

    hardest = per_provision.sort_values(["mean_fraction", "provision"], na_position="last").reset_index(drop=True)
    for col in ("questions", "missed", "cited_wrongly"):
        hardest[col] = ["–" if pd.isna(v) else str(int(v)) for v in hardest[col]]
    hardest["share"] = ["–" if pd.isna(f) else f"{f:.0%}" for f in hardest["mean_fraction"]]
    marked_rows = hardest[hardest["share"] != "–"]
    worst = (f"The provision the class found hardest: <strong>{html.escape(marked_rows.iloc[0]['provision'])}</strong> "
             f"({html.escape(marked_rows.iloc[0]['title'])}), {marked_rows.iloc[0]['share']} of its marks won."
             if len(marked_rows) else "")
    per_question["share"] = [f"{f:.0%}" for f in per_question["mean_fraction"]]
    per_question["average"] = [f"{m:g} of {x:g}" for m, x in zip(per_question["mean_score"].round(2), per_question["max_score"])]
    pending = int(df["pending"].sum())
    attention = statuses(out, assignment)
    attention.to_csv(folder / "attention.csv", index=False)
    attention_html = (_table(attention, {"student_id": "Student", "score": "Score", "status": "Status"},
                             "Submissions whose grading met a problem", numeric=("score",)) if len(attention)
                      else "<p>None: every submission was read, run and graded without incident.</p>")
    no_answers = "" if len(answers) else ("<p>(Missed and wrongly cited provisions come from <code>answers.csv</code>, "
                                         "which <code>grade</code> writes; grade again to fill them in.)</p>")
    unsandboxed = _unsandboxed(out, assignment)
    sandbox_html = (f'<p class="warning"><strong>Graded without a sandbox</strong> (as the lecturer asked, with '
                    f'<code>--no-sandbox</code>): {len(unsandboxed)} submission(s), whose code could read the answer '
                    f'keys and other students\' work: {html.escape(", ".join(unsandboxed))}.</p>' if unsandboxed
                    else "<p>Every submission's code ran in the sandbox.</p>")
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Report: {html.escape(assignment)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>
<body><main><h1>Report: {html.escape(assignment)}</h1>
{sandbox_html}
<p>{totals.size} students; {pending} answers still to be graded by hand (left out below). {worst}</p>
<h2>What the class got wrong, by provision</h2>
<p>Hardest first. From the questions answered with provisions: <em>left out</em> counts the answers
that left the provision out where it applied; <em>cited wrongly</em>, the answers that cited it where it
did not apply (a provision no question was about can only be cited wrongly).</p>
{_table(hardest, {"provision": "Provision", "title": "Title", "questions": "Questions", "share": "Share of marks won",
                  "missed": "Answers that left it out", "cited_wrongly": "Answers that cited it wrongly"},
        "Provisions, from the least to the most marks won", numeric=("questions", "share", "missed", "cited_wrongly"))}
{no_answers}
<img src="report.png" alt="Left: histogram of total scores. Right: share of marks won per provision, as in the table above.">
<h2>Per question</h2>
{_table(per_question, {"question": "Question", "label": "Asks", "item": "Bank item", "students": "Students",
                       "average": "Average", "share": "Share of marks", "answers_given": "Letters chosen"},
        "Each auto-graded question", numeric=("students", "average", "share"))}
<h2>Submissions to look at</h2>
<p>Tampering restored, limits reached, unreadable or misnamed notebooks, from the last run of
<code>grade</code> (the status column of grades.csv).</p>{attention_html}</main></body></html>"""
    (folder / "report.html").write_text(page, encoding="utf-8")
    return folder


def _unsandboxed(out: Path, assignment: str) -> list[str]:
    """Students of grades.csv whose code last ran without a sandbox."""
    path = out / "grades.csv"
    if not path.exists():
        return []
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "sandbox" not in df:
        return []
    return sorted(df[(df["assignment"] == assignment) & (df["sandbox"] == "none")]["student_id"])


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
