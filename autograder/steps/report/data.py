"""The report's figures: what the gradebook and the grading folder say about one assignment.

Each graded cell of a source notebook names its question, label, bank item and provisions in
its course metadata (``exercises/graded/metadata/``), so scores from the gradebook can be
grouped by provision: the topics the class got wrong, in the Protocol's own terms.

Reads, never writes: the gradebook, the source notebooks, answers.csv and grades.csv. The
report's files are written by ``csv_files``, ``plots`` and ``page``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
import pandas as pd

import protocol
from autograder import statistics
from autograder.errors import CourseError
from autograder.steps.gradebook import open_gradebook
from exercises import spreadsheet
from exercises.graded.metadata import read

THIS_TERM = "this term"



@dataclass
class Terms:
    """This term beside earlier ones (``statistics.compare_terms``): one row per question or
    provision and term."""

    names: list[str]  # the earlier terms' labels in the order given, then THIS_TERM
    table: pd.DataFrame


@dataclass
class Results:
    """Everything the report shows of one assignment, as the CSV files hold it."""

    assignment: str
    scores: pd.DataFrame  # one row per student and graded cell (`scores`)
    answers: pd.DataFrame  # the answers as marked (`given_answers`)
    per_question: pd.DataFrame  # per_question.csv
    per_provision: pd.DataFrame  # per_provision.csv (`provision_table`)
    per_criterion: pd.DataFrame  # per_criterion.csv
    attention: pd.DataFrame  # attention.csv (`statuses`)
    unsandboxed: list[str]  # students whose code last ran without a sandbox
    analysis: statistics.Analysis  # item statistics (`item_analysis`)
    terms: Terms | None  # only when earlier terms are compared and a question can be analysed

    @property
    def totals(self) -> pd.Series:
        """Each student's total score."""
        return self.scores.groupby("student_id")["score"].sum()

    @property
    def pending(self) -> int:
        """Answers still to be graded by hand."""
        return int(self.scores["pending"].sum())


def results(db_url: str, assignment: str, out: Path, source: Path, compare=()) -> Results:
    """The figures of the report on `assignment`; `compare`: (label, gradebook URL, source
    folder) of each earlier term."""
    df = scores(db_url, assignment, source)
    if df.empty:
        raise CourseError(f"no graded submissions of {assignment!r} in the gradebook yet; run `grade` first")
    per_question, per_provision = summarise(df)
    answers = given_answers(out, assignment)
    per_provision = provision_table(per_provision, provision_mistakes(answers))
    labels, letters = _labels(assignment, source), choices(answers)
    where = list(zip(per_question["notebook"], per_question["question"]))
    per_question["label"] = [labels.get(w, "") for w in where]
    per_question["answers_given"] = [letters.get(w, "") for w in where]
    analysis = item_analysis(df, answers, labels)
    # Earlier terms are compared question by question: with no question analysed, nothing is.
    terms = terms_compared(analysis.items, per_provision, assignment, compare) if compare and len(analysis.items) else None
    criteria = per_criterion(df, criteria_shown(out, assignment, source),
                             {(nb, g): c["title"] for (nb, g), c in _criteria(assignment, source)[0].items()})
    return Results(assignment, df, answers, per_question, per_provision, criteria, statuses(out, assignment),
                   unsandboxed(out, assignment), analysis, terms)


def terms_compared(items: pd.DataFrame, per_provision: pd.DataFrame, assignment: str, compare) -> Terms:
    """This term's item statistics and marks per provision beside each earlier term's."""
    by_term, provisions = {}, {}
    for label, url, source in compare:
        earlier = scores(url, assignment, source)
        if earlier.empty:
            raise CourseError(f"no graded submissions of {assignment!r} in the gradebook of {label}")
        by_term[label] = item_analysis(earlier, labels={}, options=False).items
        provisions[label] = summarise(earlier)[1]
    by_term[THIS_TERM], provisions[THIS_TERM] = items, per_provision
    return Terms(list(by_term), statistics.compare_terms(by_term, provisions, THIS_TERM))


def course_totals(db_url: str) -> pd.DataFrame:
    """Every submission's score in the gradebook, all assignments: student_id, assignment, score."""
    with open_gradebook(db_url) as gb:
        rows = [{"student_id": s.student.id, "assignment": a.name, "score": s.score}
                for a in gb.assignments for s in gb.assignment_submissions(a.name)]
    return pd.DataFrame(rows, columns=["student_id", "assignment", "score"])


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
    with open_gradebook(db_url) as gb:
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
    out: dict[tuple[str, str], str] = {}
    for (nb, question), rows in answers.groupby(["notebook", "question"], sort=False):
        keys = {k for k in rows["key"] if isinstance(k, str)}
        if len(keys) != 1:
            continue
        right = keys.pop()
        counts = rows["answer"].map(lambda a: a if isinstance(a, str) else "no readable answer").value_counts()
        out[(text(nb, "a notebook"), text(question, "a question"))] = ", ".join(
            f"{a}: {n}{' (right)' if a == right else ''}" for a, n in sorted(counts.items()))
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


def unsandboxed(out: Path, assignment: str) -> list[str]:
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


# --- Item statistics: the calculations are autograder.statistics'; here, the rows they are made from.


def text(value: object, what: str) -> str:
    """A label or cell that pandas types only as some Hashable or scalar, checked to be the
    text it is here (question names, notebooks, a term's changes)."""
    if not isinstance(value, str):
        raise TypeError(f"{what} is {value!r}, not text")
    return value


def _words(cell: object, what: str) -> str:
    """A cell holding a sequence of names (a question's provisions), space-separated."""
    if not isinstance(cell, (tuple, list)):
        raise TypeError(f"{what} is {cell!r}, not a sequence of names")
    return " ".join(cell)


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
    df = df.assign(name=question_names(df)) if len(df) else df.assign(name=pd.Series(dtype=object))
    meta = df.drop_duplicates("name").set_index("name")
    per_item = _letter_options(meta["item"]) if options and len(meta) else {}
    k = {text(name, "a question name"): per_item[item] for name, item in meta["item"].items() if item in per_item}
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
    # (As Series on the rows' index: the same values a list would give, in a type pandas' stubs take.)
    items["notebook"] = pd.Series([meta.at[q, "notebook"] for q in items["question"]], index=items.index)
    items["item"] = pd.Series([meta.at[q, "item"] for q in items["question"]], index=items.index)
    items["provisions"] = pd.Series([_words(meta.at[q, "provisions"], f"the provisions of {q}")
                                     for q in items["question"]], index=items.index)
    items["label"] = [labels.get((meta.at[q, "notebook"], meta.at[q, "question"]), "") for q in items["question"]]
    # What identifies a question across terms: its bank item, which keeps its id when
    # questions are renumbered; a question without one, by its name. The criteria of one
    # hand-marked answer share its item: each is matched by its number under that item.
    numbers = meta["criterion"].to_dict() if "criterion" in meta else {}
    criterion = [int(numbers.get(q, 0)) for q in items["question"]]
    items["match"] = [f"{text(i or q, 'a question name')} criterion {c}" if c else i or q
                      for q, i, c in zip(items["question"], items["item"], criterion, strict=True)]
    return a
