"""The lecturer's report: how the class did per question and per provision.

Each graded cell of a source notebook names its question, label, bank item and provisions in
its course metadata (``exercises/graded/metadata/``), so scores from the gradebook can be
grouped by provision: the topics the class got wrong, in the Protocol's own terms.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import nbformat
import pandas as pd
from nbgrader.api import Gradebook

import protocol
from autograder.paths import assignment_source
from exercises import spreadsheet
from exercises.graded.metadata import read


def _questions(assignment: str, source: Path) -> dict[tuple[str, str], read.Question]:
    """(notebook, grade id) -> the question of each grade cell built from a bank item."""
    out = {}
    for p in sorted((source / assignment).glob("*.ipynb")):
        for _, cell, q in read.graded_questions(nbformat.read(p, as_version=4)):
            out[(p.stem, cell.metadata["nbgrader"]["grade_id"])] = q
    return out


def _criteria(assignment: str, source: Path) -> tuple[dict[tuple[str, str], dict], set[tuple[str, str]]]:
    """(notebook, grade id) -> each criterion cell of a hand-marked answer (its question, number,
    item and title as the source words it); and the answer cells those criteria mark, worth 0
    points (the criteria carry them)."""
    from exercises.graded.kinds import criterion_title

    criteria, answers = {}, set()
    for p in sorted((source / assignment).glob("*.ipynb")):
        nb = nbformat.read(p, as_version=4)
        for _, cell, c in read.criteria(nb):
            criteria[(p.stem, cell.metadata["nbgrader"]["grade_id"])] = {
                "question": c.question, "number": c.number, "item": c.item or "", "title": criterion_title(cell.source)}
        answers |= {(p.stem, cell.metadata["nbgrader"]["grade_id"]) for cell in nb.cells if read.rubric_answer(cell)}
    return criteria, answers


def scores(db_url: str, assignment: str, source: Path) -> pd.DataFrame:
    """One row per student and graded cell: score, max, question, item, provisions. Each
    criterion of a hand-marked answer is a question of its own (named by its grade id, q4_c1),
    as Moodle's statistics treat each criterion of a rubric-marked essay; the answer cell it
    marks, worth 0 points, is no question."""
    meta = _questions(assignment, source)
    criteria, rubric_answers = _criteria(assignment, source)
    rows = []
    with Gradebook(db_url) as gb:
        for sub in gb.assignment_submissions(assignment):
            for nb in sub.notebooks:
                for g in nb.grades:
                    if (nb.name, g.name) in rubric_answers:
                        continue
                    q = meta.get((nb.name, g.name))
                    c = criteria.get((nb.name, g.name))
                    essay = meta.get((nb.name, c["question"])) if c else None
                    rows.append({"student_id": sub.student.id, "notebook": nb.name, "grade_id": g.name,
                                 "question": q.question if q else g.name,
                                 "item": q.item if q else (c["item"] if c else ""),
                                 "provisions": q.provisions if q else (essay.provisions if essay else ()),
                                 "criterion_of": c["question"] if c else "", "criterion": c["number"] if c else 0,
                                 "score": g.score, "max_score": g.max_score,
                                 "pending": bool(g.needs_manual_grade)})
    return pd.DataFrame(rows)


def criteria_shown(out: Path, assignment: str, source: Path) -> dict[tuple[str, str, str], str]:
    """(student, notebook, grade id) -> the criterion each student's rubric showed them (their
    facts' wording), from the notebooks `grade` wrote (OUT/autograded/); the source's wording
    where there is none."""
    from exercises.graded.kinds import criterion_title

    shown = {}
    for p in sorted((out / "autograded").glob(f"*/{assignment}/*.ipynb")):
        try:
            nb = nbformat.read(p, as_version=4)
        except Exception:
            continue
        for _, cell, _ in read.criteria(nb):
            shown[(p.parent.parent.name, p.stem, cell.metadata["nbgrader"]["grade_id"])] = criterion_title(cell.source)
    return shown


def per_criterion(df: pd.DataFrame, shown: dict, titles: dict) -> pd.DataFrame:
    """Each criterion's class average, by the wording the students were shown: a criterion that
    changes with the facts has a row for each wording (a child's special needs, an adult's
    recovery). Marked answers only."""
    cols = ["notebook", "question", "number", "criterion", "students", "mean_score", "max_score", "mean_fraction"]
    if "criterion" not in df or not (df["criterion"] > 0).any():
        return pd.DataFrame(columns=cols)
    done = df[(df["criterion"] > 0) & ~df["pending"]].copy()
    if done.empty:
        return pd.DataFrame(columns=cols)
    done["criterion_title"] = [shown.get((s, nb, g), titles.get((nb, g), g))
                               for s, nb, g in zip(done["student_id"], done["notebook"], done["grade_id"])]
    done["fraction"] = done["score"] / done["max_score"]
    table = (done.groupby(["notebook", "criterion_of", "criterion", "criterion_title"], sort=False)
             .agg(students=("student_id", "nunique"), mean_score=("score", "mean"), max_score=("max_score", "first"),
                  mean_fraction=("fraction", "mean"))
             .reset_index().rename(columns={"criterion_of": "question", "criterion": "number",
                                            "criterion_title": "criterion"}))
    return table.sort_values(["notebook", "question", "number"], kind="stable").reset_index(drop=True)[cols].round(3)


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
    df = spreadsheet.plain_frame(pd.read_csv(path, dtype=str, keep_default_na=False))
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
    """(notebook, question) -> what it asks ("Which provisions answer this person's needs"); a
    criterion of a hand-marked answer: its question and title ("q4, criterion 2: Compensation")."""
    labels = {(nb, q.question): q.label or "" for (nb, _), q in _questions(assignment, source).items()}
    for (nb, gid), c in _criteria(assignment, source)[0].items():
        labels[(nb, gid)] = f"{c['question']}, criterion {c['number']}: {_titles(c)}"
    return labels


@cache
def _essays() -> dict:
    """The bank's graded essays by id (none if the bank cannot be read: a lecturer's own notebook)."""
    from exercises.bank import BankError, load_bank

    try:
        return {i.id: i for i in load_bank(use="graded") if i.type == "essay"}
    except (BankError, OSError):
        return {}


def _titles(c: dict) -> str:
    """A criterion's title, and the one that takes its place for other facts, if any (the bank's)."""
    item = _essays().get(c["item"])
    if item is None or not 1 <= c["number"] <= len(item.rubric):
        return c["title"]
    r = item.rubric[c["number"] - 1]
    return f"{r.criterion} (if {r.when.words()}) / {r.otherwise.criterion}" if r.when and r.otherwise else r.criterion


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


def write(db_url: str, assignment: str, out: Path, source: Path | None = None, compare=()) -> Path:
    """The report in OUT/report/ASSIGNMENT/. `source`: a lecturer's nbgrader source folder; by
    default the kit's assignment, built now."""
    import html

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    source = assignment_source(assignment, source)
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
    spreadsheet.inert_frame(per_question).to_csv(folder / "per_question.csv", index=False)
    spreadsheet.inert_frame(per_provision).to_csv(folder / "per_provision.csv", index=False)
    items_html = item_section(df, answers, per_provision, folder, labels, assignment, compare)
    criteria = per_criterion(df, criteria_shown(out, assignment, source),
                             {(nb, g): c["title"] for (nb, g), c in _criteria(assignment, source)[0].items()})
    spreadsheet.inert_frame(criteria).to_csv(folder / "per_criterion.csv", index=False)
    criteria_html = _criteria_html(criteria)
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
    spreadsheet.inert_frame(attention).to_csv(folder / "attention.csv", index=False)
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
{criteria_html}
{items_html}
<h2>Submissions to look at</h2>
<p>Tampering restored, limits reached, unreadable or misnamed notebooks, from the last run of
<code>grade</code> (the status column of grades.csv).</p>{attention_html}</main></body></html>"""
    (folder / "report.html").write_text(page, encoding="utf-8")
    return folder


def _criteria_html(criteria: pd.DataFrame) -> str:
    """The page's section on hand-marked answers, criterion by criterion."""
    if criteria.empty:
        return ""
    t = criteria.copy()
    t["question"] = [f"{q}, criterion {n}" for q, n in zip(t["question"], t["number"])]
    t["average"] = [f"{m:g} of {x:g}" for m, x in zip(t["mean_score"].round(2), t["max_score"])]
    t["share"] = [f"{f:.0%}" for f in t["mean_fraction"]]
    hardest = t.sort_values("mean_fraction", kind="stable").iloc[0]
    return ("<h2 id=\"criteria\">Hand-marked answers, criterion by criterion</h2>\n"
            "<p>The class average on each criterion of a rubric, as each student's rubric worded it (a criterion "
            "that follows the student's facts has a row for each wording). A criterion the class misses is a point "
            f"to teach again. Lowest: <strong>{_esc(hardest['question'])}</strong> ({_esc(hardest['criterion'])}), "
            f"{hardest['share']} of its marks won.</p>\n"
            + _table(t, {"question": "Criterion", "criterion": "As the rubric words it", "students": "Students",
                         "average": "Average", "share": "Share of marks"},
                     "Each criterion's class average (answers marked so far)", numeric=("students", "average", "share")))


def _esc(v) -> str:
    import html

    return html.escape(str(v))


def _unsandboxed(out: Path, assignment: str) -> list[str]:
    """Students of grades.csv whose code last ran without a sandbox."""
    path = out / "grades.csv"
    if not path.exists():
        return []
    df = spreadsheet.plain_frame(pd.read_csv(path, dtype=str, keep_default_na=False))
    if "sandbox" not in df:
        return []
    return sorted(df[(df["assignment"] == assignment) & (df["sandbox"] == "none")]["student_id"])


def statuses(out: Path, assignment: str) -> pd.DataFrame:
    """Rows of grades.csv whose status is more than "graded" or "needs hand grading"."""
    path = out / "grades.csv"
    cols = ["student_id", "score", "status"]
    if not path.exists():
        return pd.DataFrame(columns=cols)
    df = spreadsheet.plain_frame(pd.read_csv(path, dtype={"student_id": str}, keep_default_na=False))
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
    spreadsheet.inert_frame(table.round(4).reset_index()).to_csv(path, index=False)
    return path


# --- Item statistics (autograder/statistics.py): the page's section, its CSV files, and the
# comparison with earlier terms. Calculations stay in autograder.statistics; this is the view.

ITEM_COLUMNS = ["question", "provisions", "n", "facility", "sd", "discrimination_index", "discriminative_efficiency",
                "effective_weight", "needs_checking", "why", "notebook", "item", "label", "random_guess_score",
                "intended_weight", "discrimination_low", "discrimination_high", "negative_covariance", "max_mark",
                "undefined_reason"]
TEST_COLUMNS = ["cronbach_alpha", "error_ratio", "standard_error", "n", "questions", "mean", "sd",
                "standard_error_marks", "sd_marks", "max_total", "consistency", "reliable", "warning", "left_out"]
THIS_TERM = "this term"


def question_names(df: pd.DataFrame) -> pd.Series:
    """A name for each row's question, unique in the assignment: "q1", or "notebook/q1" when
    the assignment has more than one notebook."""
    if df.empty:
        return pd.Series(dtype=object)
    if df["notebook"].nunique() > 1:
        return df["notebook"].astype(str) + "/" + df["question"].astype(str)
    return df["question"].astype(str)


def _letter_options(item_ids) -> dict[str, int]:
    """Bank item -> how many options it offers, for letter questions (a true/false item offers
    two), so the random-guess score is 100/k and an option no one chose is still listed. An
    item the bank does not have (a lecturer's own notebook) has none."""
    from exercises.bank import BankError, load_bank

    wanted = {i for i in item_ids if i}
    if not wanted:
        return {}
    try:
        bank = {i.id: i for i in load_bank(use="graded") if i.id in wanted}
    except (BankError, OSError):
        return {}
    return {i.id: len(i.options) if i.type == "single" else 2 for i in bank.values() if i.type in ("single", "truefalse")}


def item_analysis(df: pd.DataFrame, answers: pd.DataFrame | None = None, labels: dict | None = None,
                  options: bool = True):
    """autograder.statistics.analyse on the gradebook's rows (`scores`) and the marked answers
    (`given_answers`), with each question's notebook, bank item, provisions and label beside
    its statistics."""
    from autograder import statistics

    df = df.assign(name=question_names(df)) if len(df) else df.assign(name=pd.Series(dtype=object))
    meta = df.drop_duplicates("name").set_index("name")
    per_item = _letter_options(meta["item"]) if options and len(meta) else {}
    k = {name: per_item[item] for name, item in meta["item"].items() if item in per_item}
    guess = {name: 100.0 / n for name, n in k.items() if n}
    marks = df.drop(columns=["question"]).rename(columns={"name": "question"})
    given = None
    if answers is not None and len(answers):
        several = len(meta) and meta["notebook"].nunique() > 1
        given = answers.assign(question=answers["notebook"] + "/" + answers["question"] if several
                               else answers["question"])
    a = statistics.analyse(marks, given, random_guess=guess, options=k)
    labels = labels or {}
    items = a.items
    items["notebook"] = [meta.at[q, "notebook"] for q in items["question"]]
    items["item"] = [meta.at[q, "item"] for q in items["question"]]
    items["provisions"] = [" ".join(meta.at[q, "provisions"]) for q in items["question"]]
    items["label"] = [labels.get((meta.at[q, "notebook"], meta.at[q, "question"]), "") for q in items["question"]]
    # What identifies a question across terms: its bank item, which keeps its id when
    # questions are renumbered; a question without one, by its name.
    items["match"] = [i or q for q, i in zip(items["question"], items["item"], strict=True)]
    return a


def _number(v, fmt: str = "{:.0f}") -> str:
    return "–" if v is None or pd.isna(v) else fmt.format(v)


def _write_item_csvs(a, folder: Path) -> None:
    items = a.items.reindex(columns=ITEM_COLUMNS)
    spreadsheet.inert_frame(items.round(2)).to_csv(folder / "items.csv", index=False)  # undefined values: blank cells
    test = dict(a.test, left_out="; ".join(f"{q}: {why}" for q, why in a.marks.left_out.items()))
    pd.DataFrame([test]).reindex(columns=TEST_COLUMNS).round(2).to_csv(folder / "test.csv", index=False)
    spreadsheet.inert_frame(a.distractors).to_csv(folder / "distractors.csv", index=False)


def _rows_table(rows: list[list[str]], headings: list[str], caption: str, numeric: set[int] = frozenset()) -> str:
    """A table whose first cell of each row heads that row (th scope=row), for screen readers."""
    import html

    def cls(i):
        return " class=n" if i in numeric else ""

    head = "".join(f'<th scope="col"{cls(i)}>{html.escape(h)}</th>' for i, h in enumerate(headings))
    body = "".join("<tr>" + "".join((f'<th scope="row">{html.escape(c)}</th>' if i == 0 else
                                     f"<td{cls(i)}>{html.escape(c)}</td>") for i, c in enumerate(r)) + "</tr>"
                   for r in rows)
    return f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _items_plot(items: pd.DataFrame, path: Path) -> bool:
    import matplotlib.pyplot as plt

    from autograder import statistics

    shown = items.dropna(subset=["discrimination_index"])
    if shown.empty:
        return False
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.axhspan(-100, statistics.VERY_LIKELY_BELOW, color="#f4d6d2")
    ax.axhspan(statistics.VERY_LIKELY_BELOW, statistics.LIKELY_BELOW, color="#f6ecc9")
    ax.scatter(shown["facility"], shown["discrimination_index"], color="#1a1a1a")
    for _, r in shown.iterrows():
        ax.annotate(r["question"], (r["facility"], r["discrimination_index"]), xytext=(4, 4), textcoords="offset points")
    ax.set(xlim=(0, 100), ylim=(-100, 100), xlabel="facility (% of the marks won)",
           ylabel="discrimination index", title="Questions: facility and discrimination")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def item_section(df: pd.DataFrame, answers: pd.DataFrame, per_provision: pd.DataFrame, folder: Path,
                 labels: dict, assignment: str, compare=()) -> str:
    """The page's "Item statistics" section; writes items.csv, test.csv, distractors.csv and
    items.png in `folder` (and terms.csv, terms.png with `compare`: (label, gradebook URL,
    source folder) of each earlier term)."""
    import html

    a = item_analysis(df, answers, labels)
    _write_item_csvs(a, folder)
    items, t = a.items, a.test
    parts = ['<h2 id="item-statistics">Item statistics</h2>']
    if t["warning"]:
        parts.append(f'<p class="warning"><strong>Unreliable:</strong> {html.escape(t["warning"])}</p>')
    parts.append("<p>Moodle's quiz statistics, from each student's marks in the gradebook, all in percent: "
                 "<em>facility</em>, the share of the question's marks the class won; <em>discrimination index</em>, "
                 "100 × the correlation between the question's mark and the rest of the test (below 30 Moodle says "
                 "the question very likely needs checking, below 50 likely); <em>discriminative efficiency</em>, that "
                 "correlation as a share of the most these marks allow; <em>effective weight</em>, its share of the "
                 "spread of totals, beside the <em>intended weight</em> its points give it.</p>")
    if a.marks.left_out:
        parts.append("<p>Not analysed yet: " + "; ".join(f"{html.escape(q)} ({html.escape(why)})"
                                                          for q, why in a.marks.left_out.items()) + ".</p>")
    if items.empty:
        parts.append("<p>No question can be analysed yet.</p>")
        return "\n".join(parts)
    alpha = t["cronbach_alpha"]
    alpha_note = (t["consistency"] if not pd.isna(alpha) else
                  "undefined: it needs at least 3 students, 2 questions and totals that vary")
    parts.append(_rows_table(
        [["Students", str(t["n"]), ""],
         ["Questions analysed", str(t["questions"]), ""],
         ["Cronbach's alpha (coefficient of internal consistency)", _number(alpha, "{:.1f}"), alpha_note],
         ["Error ratio", _number(t["error_ratio"], "{:.1f}"), "the share of the spread of totals due to chance"],
         ["Standard error", _number(t["standard_error"], "{:.1f}"),
          f"a student's total is uncertain by this much (% of the {t['max_total']:g} marks analysed)"]],
        ["Statistic", "Value", "What it says"], "The assignment as a whole", numeric={1}))
    rows = []
    for _, r in items.iterrows():
        di = r["discrimination_index"]
        di_text = (f"undefined ({r['undefined_reason']})" if pd.isna(di) else
                   f"{di:.0f}" + (f" (95%: {r['discrimination_low']:.0f} to {r['discrimination_high']:.0f})"
                                  if not pd.isna(r["discrimination_low"]) else ""))
        rows.append([r["question"], r["label"], r["provisions"], _number(r["facility"]), _number(r["sd"]),
                     _number(r["random_guess_score"]), _number(r["intended_weight"]),
                     _number(r["effective_weight"]) if not r["negative_covariance"] else "none (negative covariance)",
                     di_text, _number(r["discriminative_efficiency"]), r["needs_checking"], r["why"]])
    parts.append(_rows_table(rows, ["Question", "Asks", "Provisions", "Facility", "SD", "Random guess",
                                    "Intended weight", "Effective weight", "Discrimination index",
                                    "Discriminative efficiency", "Needs checking?", "Why"],
                             "Each question analysed (– : the question has no such value)",
                             numeric={3, 4, 5, 6, 7, 9}))
    if _items_plot(items, folder / "items.png"):
        parts.append('<img src="items.png" alt="Scatter plot of each question\'s facility (across) against its '
                     'discrimination index (up), with Moodle\'s needs-checking bands below 30 and 50 shaded; '
                     'the values are in the table above, which also lists questions with no discrimination index.">')
    d = a.distractors
    if len(d):
        top_n, bottom_n = int(d["top_n"].max()), int(d["bottom_n"].max())
        parts.append("<h3>Options chosen, by the top and bottom thirds of the class</h3>")
        parts.append(f"<p>By total mark: the top third is {top_n} student(s), the bottom third {bottom_n}. A wrong "
                     "option that draws more of the top third than the right one suggests the key or the wording "
                     "needs checking; an option no one chooses does no work.</p>")
        rows = [[f"{r['question']}: {r['option']}", r["key"], str(r["chosen"]), str(r["chosen_top"]),
                 str(r["chosen_bottom"])] for _, r in d.iterrows()]
        parts.append(_rows_table(rows, ["Question: option", "Right?", "Chosen", "By the top third",
                                        "By the bottom third"],
                                 "Each option of the letter and citation questions", numeric={2, 3, 4}))
    if compare:
        parts.append(_terms_section(items, per_provision, folder, assignment, compare))
    return "\n".join(parts)


def _terms_section(items: pd.DataFrame, per_provision: pd.DataFrame, folder: Path, assignment: str, compare) -> str:
    """This term beside earlier ones: terms.csv, terms.png and the tables."""
    import html

    import matplotlib.pyplot as plt

    from autograder import statistics

    by_term, provisions = {}, {}
    for label, url, source in compare:
        earlier = scores(url, assignment, source)
        if earlier.empty:
            raise SystemExit(f"no graded submissions of {assignment!r} in the gradebook of {label}")
        by_term[label] = item_analysis(earlier, labels={}, options=False).items
        provisions[label] = summarise(earlier)[1]
    by_term[THIS_TERM], provisions[THIS_TERM] = items, per_provision
    terms = list(by_term)
    table = statistics.compare_terms(by_term, provisions, THIS_TERM)
    spreadsheet.inert_frame(table.round(2)).to_csv(folder / "terms.csv", index=False)

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    for kind, ax, title in (("question", ax1, "facility of each question"),
                            ("provision", ax2, "share of marks won, per provision")):
        rows = table[table["kind"] == kind]
        for name, g in rows.groupby("name", sort=False):
            g = g.set_index("term").reindex(terms)
            ax.plot(terms, g["facility"], marker="o", label=name)
        ax.set(title=title, ylim=(0, 100), ylabel="%")
        if len(rows):
            ax.legend(fontsize="small", loc="best")
    fig.tight_layout()
    fig.savefig(folder / "terms.png", dpi=120)
    plt.close(fig)

    def wide(kind, value_cols):
        rows = []
        sub = table[table["kind"] == kind]
        for name, g in sub.groupby("name", sort=False):
            g = g.set_index("term")
            cells = [name]
            for term in terms:
                for col, fmt in value_cols:
                    cells.append(_number(g[col].get(term), fmt) if term in g.index else "not asked")
            sharp = [f"{c} since {t} ({_number(g.at[t, c + '_change'], '{:+.0f}')})"
                     for t in g.index if g.at[t, "changed"] for c in g.at[t, "changed"].split("; ")]
            if kind == "question":
                cells.append("; ".join(sharp) or "no")
            rows.append(cells)
        return rows

    q_heads = ["Question"] + [f"{h}, {t}" for t in terms for h in ("Facility", "Discrimination")] + ["Changed sharply"]
    p_heads = ["Provision"] + [f"Share of marks, {t}" for t in terms]
    sharp_rule = (f"A change is sharp when facility moved by {statistics.SHARP_FACILITY:.0f} points or more, or the "
                  f"discrimination index by {statistics.SHARP_DISCRIMINATION:.0f} or more, and by more than the two "
                  "classes' sampling error allows (1% level).")
    flagged = table[(table["kind"] == "question") & (table["changed"] != "")]
    summary = (f"{flagged['name'].nunique()} question(s) changed sharply." if len(flagged)
               else "No question changed sharply.")
    return "\n".join([
        "<h3>Across terms</h3>",
        f"<p>This term beside {html.escape(', '.join(terms[:-1]))}, question by question (matched by bank item) "
        f"and provision by provision. {html.escape(sharp_rule)} <strong>{html.escape(summary)}</strong></p>",
        _rows_table(wide("question", [("facility", "{:.0f}"), ("discrimination_index", "{:.0f}")]), q_heads,
                    "Each question's facility and discrimination index, term by term",
                    numeric=set(range(1, 1 + 2 * len(terms)))),
        _rows_table(wide("provision", [("facility", "{:.0f}")]), p_heads,
                    "Share of marks won per provision, term by term", numeric=set(range(1, 1 + len(terms))))
        if (table["kind"] == "provision").any() else "<p>No question of this assignment names a provision.</p>",
        '<img src="terms.png" alt="Left: facility of each question, term by term. Right: share of marks won per '
        'provision, term by term. The same values are in the two tables above.">',
    ])

