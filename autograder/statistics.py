"""Item analysis of one assignment: which questions work, which need checking.

Pure calculations on marks (pandas and numpy, no files, no HTML); the lecturer's report
(``autograder/steps/report/``) reads the gradebook and answers.csv and shows the results.

The definitions are Moodle's quiz statistics, for one attempt per student, as its code
computes them: ``question/classes/statistics/questions/calculator.php`` (question
statistics), ``mod/quiz/report/statistics/classes/calculator.php`` (test statistics),
``question/bank/statistics/classes/helper.php`` (the "Needs checking?" thresholds) and
``mod/quiz/report/statistics/statistics_table.php`` (the questions the report marks as
dubious). Variances and covariances divide by n - 1, as Moodle's do. Every statistic is a
percentage, as Moodle shows it. Where Moodle has no value (a mark that does not vary), the
value is missing (NaN) and a sentence says why: nothing prints "NaN".

What is this kit's own and not Moodle's is said so where it is defined: the questions left
out while hand grading is under way, the small-class warning, the distractor analysis by
thirds, two hints drawn from it, and the rule for a sharp change between terms.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

import numpy as np
import pandas as pd

# Below this many students the statistics are shown with a warning that they are unreliable.
# Why 30: the 95% interval of a discrimination index from n students is about ±196/√(n - 3)
# points wide on each side near 0 (Fisher's z): ±38 at 30 students, ±52 at 17, ±74 at 10,
# so below 30 one question's index may fall anywhere from "very likely needs checking" to
# "unlikely" in Moodle's bands (30 and 50) by the chance of who sat the test; and the top
# and bottom thirds of the distractor analysis then hold fewer than 10 students each.
MIN_STUDENTS = 30

# Moodle's "Needs checking?" bands on the discrimination index (qbank_statistics helper:
# NEED_FOR_REVISION_LOWER_THRESHOLD = 30, NEED_FOR_REVISION_UPPER_THRESHOLD = 50).
VERY_LIKELY_BELOW = 30.0
LIKELY_BELOW = 50.0
# Moodle's quiz statistics report marks a question as dubious below this discriminative
# efficiency (statistics_table.php, is_dubious_question).
DUBIOUS_EFFICIENCY_BELOW = 15.0
# Moodle's docs on the coefficient of internal consistency ("Quiz report statistics"):
# above 75% is satisfactory; below 64% the test as a whole is unsatisfactory.
CIC_SATISFACTORY = 75.0
CIC_UNSATISFACTORY = 64.0

VERDICTS = ("very likely", "likely", "unlikely", "cannot tell")
NO_ANSWER = "no readable answer"


# --- the marks -------------------------------------------------------------------------------


@dataclass
class Marks:
    """The marks analysed: one row per student, one column per question (marks, not %)."""

    matrix: pd.DataFrame
    max_marks: pd.Series  # per question
    left_out: dict[str, str] = field(default_factory=dict)  # question -> why it is not analysed

    @property
    def n(self) -> int:
        return len(self.matrix)

    @property
    def totals(self) -> pd.Series:
        return self.matrix.sum(axis=1)


def marks(scores: pd.DataFrame) -> Marks:
    """The mark matrix from long rows (columns student_id, question, score, max_score, pending),
    one per student and grade cell, as the gradebook has them; a question's mark is the sum of
    its grade cells.

    One attempt per student: nbgrader's gradebook holds one submission per student and
    assignment. A question with any answer still to be graded by hand is left out of the
    analysis, and said so, until every answer to it is graded. (Moodle leaves out the whole
    attempt instead; here that would leave out every student who wrote an essay, and keep
    only those who did not.) A question no student has a mark for is not in the matrix."""
    cols = ["student_id", "question", "score", "max_score", "pending"]
    missing = [c for c in cols if c not in scores]
    if missing:
        raise ValueError(f"marks need the columns {cols}; missing: {missing}")
    if scores.empty:
        return Marks(pd.DataFrame(dtype=float), pd.Series(dtype=float))
    df = scores[cols].copy()
    df["score"] = pd.to_numeric(df["score"]).fillna(0.0)
    df["max_score"] = pd.to_numeric(df["max_score"])
    order = list(dict.fromkeys(df["question"]))
    left_out: dict[str, str] = {}
    pending = df.groupby("question", sort=False)["pending"].sum()
    for q in order:
        if pending.get(q, 0):
            left_out[q] = f"{int(pending[q])} answer(s) still to be graded by hand"
    kept = [q for q in order if q not in left_out]
    # Every student keeps a row, even when no question can be analysed yet.
    matrix = df.pivot_table(index="student_id", columns="question", values="score", aggfunc="sum")
    matrix = matrix.reindex(columns=kept)
    df = df[df["question"].isin(kept)]
    max_marks = df.groupby(["question", "student_id"])["max_score"].sum().groupby("question").max()
    # A student with no grade for a question (nbgrader creates every grade of a submission,
    # so only a gradebook edited by hand): left out rather than counted as a zero.
    incomplete = matrix.isna().any(axis=1)
    matrix = matrix[~incomplete].astype(float)
    return Marks(matrix, max_marks.reindex(kept).astype(float), left_out)


# --- question statistics -------------------------------------------------------------------


def _var(x: np.ndarray) -> float:
    """Sample variance (n - 1), exactly 0 for a constant mark (no rounding noise)."""
    if len(x) < 2:
        return math.nan
    if np.all(x == x[0]):
        return 0.0
    return float(np.var(x, ddof=1))


def _cov(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 2:
        return math.nan
    return float(np.sum((x - x.mean()) * (y - y.mean())) / (len(x) - 1))


def facility(x: np.ndarray, max_mark: float) -> float:
    """Facility index: the mean mark as a percentage of the question's maximum mark
    (Moodle: markaverage / maxmark). 100 means every student got full marks."""
    return 100.0 * float(np.mean(x)) / max_mark if max_mark and len(x) else math.nan


def sd_percent(x: np.ndarray, max_mark: float) -> float:
    """Standard deviation of the question's mark (n - 1), as a percentage of its maximum mark."""
    v = _var(x)
    return 100.0 * math.sqrt(v) / max_mark if max_mark and not math.isnan(v) else math.nan


def discrimination_index(x: np.ndarray, rest: np.ndarray) -> float:
    """Discrimination index: 100 × the correlation between the question's mark and the rest of
    the test (each student's total minus this question), so that a question is not
    correlated with itself (Moodle: 100 · covariance / √(markvariance · othermarkvariance)).
    Undefined (NaN) when either does not vary: a question every student got right tells no
    one apart."""
    vx, vr = _var(x), _var(rest)
    if math.isnan(vx) or math.isnan(vr) or vx * vr == 0:
        return math.nan
    return 100.0 * _cov(x, rest) / math.sqrt(vx * vr)


def discriminative_efficiency(x: np.ndarray, rest: np.ndarray) -> float:
    """Discriminative efficiency: the discrimination index as a share of the most it could be
    for these marks: 100 × cov(mark, rest) / covmax, where covmax is the covariance of the two
    lists of marks each sorted from lowest to highest, as if the students who did best on the
    question were exactly those who did best on the rest (Moodle: covariance / covariancemax).
    Undefined (NaN) when covmax is 0."""
    if len(x) < 2:
        return math.nan
    cmax = _cov(np.sort(x), np.sort(rest))
    if cmax == 0 or _var(x) == 0 or _var(rest) == 0:
        return math.nan
    return 100.0 * _cov(x, rest) / cmax


def discrimination_interval(index: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% interval of a discrimination index from n students (Fisher's z: atanh(r) is
    about normal with standard error 1/√(n - 3)). Not Moodle's: it says how far the index
    can be trusted for this class size."""
    if math.isnan(index) or n <= 3 or abs(index) >= 100:
        return math.nan, math.nan
    centre, half = math.atanh(index / 100), z / math.sqrt(n - 3)
    return 100 * math.tanh(centre - half), 100 * math.tanh(centre + half)


def effective_weights(matrix: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Effective weight of each question: how much of the spread of total marks it accounts
    for, 100 × √cov(mark, total) / Σ √cov(markᵢ, total) over the questions whose covariance with
    the total is not negative (Moodle's calculator). A question whose mark varies against the
    total (negative covariance) has no effective weight (NaN), and neither does any question
    when no covariance is positive. Returns (weights, negative-covariance flags)."""
    total = matrix.sum(axis=1).to_numpy(dtype=float)
    covs = pd.Series({q: _cov(matrix[q].to_numpy(dtype=float), total) for q in matrix.columns}, dtype=float)
    negative = covs < 0
    denominator = float(np.sqrt(covs[~negative & covs.notna()]).sum())
    if not denominator:
        return pd.Series(math.nan, index=matrix.columns, dtype=float), negative
    weights = 100.0 * pd.Series(np.sqrt(covs.clip(lower=0).to_numpy()), index=covs.index) / denominator
    return weights.where(~negative & covs.notna()), negative


def item_statistics(m: Marks, random_guess: dict[str, float] | None = None) -> pd.DataFrame:
    """One row per analysed question: n, facility, sd, random_guess_score, intended_weight,
    effective_weight, discrimination_index (with its 95% interval), discriminative_efficiency,
    negative_covariance. All in percent; NaN where undefined (see `undefined_reason`).

    Intended weight: the question's maximum mark as a percentage of the maximum of all the
    questions analysed (Moodle: maxmark / sumgrades). Random-guess score: the facility a
    student would get by guessing, where the question has one: 100/k for a letter question
    with k options (Moodle's multichoice with one right answer); given by the caller."""
    random_guess = random_guess or {}
    mat = m.matrix
    total = mat.sum(axis=1).to_numpy(dtype=float)
    weights, negative = effective_weights(mat) if len(mat.columns) else (pd.Series(dtype=float),) * 2
    all_max = float(m.max_marks.sum())
    rows = []
    for q in mat.columns:
        x = mat[q].to_numpy(dtype=float)
        rest = total - x
        di = discrimination_index(x, rest)
        low, high = discrimination_interval(di, len(x))
        rows.append({
            "question": q, "n": len(x),
            "facility": facility(x, m.max_marks[q]), "sd": sd_percent(x, m.max_marks[q]),
            "random_guess_score": random_guess.get(q, math.nan),
            "intended_weight": 100.0 * m.max_marks[q] / all_max if all_max else math.nan,
            "effective_weight": weights.get(q, math.nan),
            "discrimination_index": di, "discrimination_low": low, "discrimination_high": high,
            "discriminative_efficiency": discriminative_efficiency(x, rest),
            "negative_covariance": bool(negative.get(q, False)),
            "max_mark": float(m.max_marks[q]),
            "undefined_reason": undefined_reason(x, rest, m.max_marks[q]),
        })
    return pd.DataFrame(rows, columns=["question", "n", "facility", "sd", "random_guess_score", "intended_weight",
                                       "effective_weight", "discrimination_index", "discrimination_low",
                                       "discrimination_high", "discriminative_efficiency", "negative_covariance",
                                       "max_mark", "undefined_reason"])


def undefined_reason(x: np.ndarray, rest: np.ndarray, max_mark: float) -> str:
    """Why the discrimination index is undefined, in words; "" when it is defined."""
    if len(x) < 2:
        return "fewer than 2 students"
    if np.all(x == x[0]):
        if x[0] >= max_mark:
            return "every student got full marks: it tells no one apart"
        if x[0] == 0:
            return "no student got any mark: it tells no one apart"
        return f"every student got the same mark ({x[0]:g}): it tells no one apart"
    if np.all(rest == rest[0]):
        return "the rest of the test gives every student the same mark"
    return ""


# --- the test as a whole --------------------------------------------------------------------


class WholeTest(TypedDict):
    """What test_statistics says of the whole assignment (its docstring says what each is)."""

    n: int
    questions: int
    cronbach_alpha: float
    error_ratio: float
    standard_error: float
    standard_error_marks: float
    mean: float
    sd: float
    sd_marks: float
    max_total: float
    reliable: bool
    warning: str
    consistency: str


def test_statistics(m: Marks) -> WholeTest:
    """The whole assignment (the questions analysed), as Moodle's quiz calculator has it:

    - n: students; questions: questions analysed; mean and sd (n - 1) of the total, as a
      percentage of the maximum total (sd_marks in marks);
    - cronbach_alpha: the coefficient of internal consistency,
      100 · p/(p - 1) · (1 - Σ variance of each question / variance of the total), p questions;
      Moodle computes it from 3 students and 2 questions on, when the total varies;
    - error_ratio: 100 · √(1 - alpha/100), the share of the spread of totals due to chance;
    - standard_error: error_ratio · sd / 100, the spread of a student's total about their
      "true" score (in % of the maximum total; standard_error_marks in marks);
    - reliable: whether there are at least MIN_STUDENTS students; warning: what to say if not.
    """
    n, p = m.n, len(m.matrix.columns)
    out: WholeTest = {"n": n, "questions": p, "cronbach_alpha": math.nan, "error_ratio": math.nan,
                      "standard_error": math.nan, "standard_error_marks": math.nan, "mean": math.nan,
                      "sd": math.nan, "sd_marks": math.nan, "max_total": float(m.max_marks.sum()),
                      "reliable": n >= MIN_STUDENTS, "warning": small_class_warning(n), "consistency": ""}
    if not n:
        return out
    total = m.totals.to_numpy(dtype=float)
    out["mean"] = 100.0 * total.mean() / out["max_total"] if out["max_total"] else math.nan
    if n > 1:
        out["sd_marks"] = math.sqrt(_var(total))
        out["sd"] = 100.0 * out["sd_marks"] / out["max_total"] if out["max_total"] else math.nan
    k2 = _var(total)
    if n > 2 and p > 1 and k2:
        item_var = sum(_var(m.matrix[q].to_numpy(dtype=float)) for q in m.matrix.columns)
        alpha = 100.0 * p / (p - 1) * (1 - item_var / k2)
        out["cronbach_alpha"] = alpha
        out["error_ratio"] = 100.0 * math.sqrt(1 - alpha / 100)
        out["standard_error_marks"] = out["error_ratio"] * out["sd_marks"] / 100
        out["standard_error"] = out["error_ratio"] * out["sd"] / 100
        out["consistency"] = ("satisfactory" if alpha > CIC_SATISFACTORY else
                              "unsatisfactory for the test as a whole" if alpha < CIC_UNSATISFACTORY
                              else "between unsatisfactory and satisfactory")
    return out


def small_class_warning(n: int) -> str:
    if n >= MIN_STUDENTS:
        return ""
    return (f"Only {n} student(s): item statistics from fewer than {MIN_STUDENTS} students are unreliable "
            f"(a question's discrimination index can move by ±{_half_width(n)} points by the chance of who "
            f"sat the test); read them as hints, not verdicts.")


def _half_width(n: int) -> str:
    return f"{196 / math.sqrt(n - 3):.0f}" if n > 3 else "100"


# --- distractors ----------------------------------------------------------------------------


def thirds(totals: pd.Series) -> tuple[list[Hashable], list[Hashable]]:
    """The top and bottom thirds of the class by total mark: n // 3 students each (none below
    3 students). Students with the same total are ordered by student id, so the groups
    always have that size and the same data always gives the same groups. (Classical item
    analysis, not Moodle's report, which counts responses for the whole class.)"""
    size = len(totals) // 3
    if not size:
        return [], []
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], str(kv[0])))
    top = [s for s, _ in ranked[:size]]
    bottom = [s for s, _ in sorted(totals.items(), key=lambda kv: (kv[1], str(kv[0])))[:size]]
    return top, bottom


def distractors(answers: pd.DataFrame, totals: pd.Series, options: dict[str, int] | None = None) -> pd.DataFrame:
    """How often each option was chosen, by the whole class and by its top and bottom thirds.

    `answers` has one row per student and question (columns student_id, question, answer,
    key), as ``grade`` marks them: a letter for a letter question, a list of provision ids for
    a citation question. `options`: the number of options of each letter question (A, B, …),
    so an option no one chose is listed too. One row per question and option (a letter, a
    provision, or "no readable answer"): chosen, chosen_top and chosen_bottom are counts of
    students; top_n, bottom_n the size of each third; key says whether the option is right
    ("yes", "no", or "for some" when each student's key depends on their own facts).
    Students not in `totals` (not analysed) are left out."""
    options = options or {}
    top, bottom = thirds(totals)
    top_set, bottom_set = set(top), set(bottom)
    rows = []
    if answers.empty:
        return pd.DataFrame(columns=DISTRACTOR_COLUMNS)
    answers = answers[answers["student_id"].isin(totals.index)]
    for q, group in answers.groupby("question", sort=False):
        keys = [k for k in group["key"] if k is not None]
        if keys and all(isinstance(k, str) for k in keys):
            kind = "letter"
            # str(q): a question's name, which pandas types only as a label
            letters = [chr(ord("A") + i) for i in range(options.get(str(q), 0))]
            chosen_sets = [{a} if isinstance(a, str) else {NO_ANSWER} for a in group["answer"]]
            key_sets = [{k} if isinstance(k, str) else set() for k in group["key"]]
        elif keys and all(isinstance(k, list) for k in keys):
            kind = "provision"
            letters = []
            # An empty list cites nothing; anything but a list could not be read.
            chosen_sets = [set(a) if isinstance(a, list) else {NO_ANSWER} for a in group["answer"]]
            key_sets = [set(k) if isinstance(k, list) else set() for k in group["key"]]
        else:
            continue  # a number or an essay: no options
        found = [o for s in chosen_sets + key_sets for o in sorted(s) if o != NO_ANSWER]
        every = list(dict.fromkeys(letters + sorted(set(found), key=_option_order)))
        if any(NO_ANSWER in s for s in chosen_sets):
            every.append(NO_ANSWER)
        students = list(group["student_id"])
        for option in every:
            picked = [s for s, c in zip(students, chosen_sets, strict=True) if option in c]
            in_key = [option in k for k in key_sets]
            rows.append({"question": q, "kind": kind, "option": option,
                         "key": "no" if option == NO_ANSWER or not any(in_key) else "yes" if all(in_key) else "for some",
                         "chosen": len(picked), "chosen_top": sum(s in top_set for s in picked),
                         "chosen_bottom": sum(s in bottom_set for s in picked),
                         "top_n": len(top_set & set(students)), "bottom_n": len(bottom_set & set(students)),
                         "students": len(students)})
    return pd.DataFrame(rows, columns=DISTRACTOR_COLUMNS)


DISTRACTOR_COLUMNS = ["question", "kind", "option", "key", "chosen", "chosen_top", "chosen_bottom",
                      "top_n", "bottom_n", "students"]


def _option_order(option: str):
    """Provisions in the Protocol's order, anything else after them."""
    import protocol

    ids = protocol.provision_ids()
    return (0, ids.index(option), option) if option in ids else (1, 0, option)


def distractor_hints(table: pd.DataFrame) -> dict[str, list[str]]:
    """Signs in the distractor table that a question's key or wording needs checking (this
    kit's own reading of the counts, not Moodle's):

    - a wrong letter chosen by more of the top third than the right letter: the key may be
      wrong, or that option may also be right;
    - a wrong provision cited by more of the top third than of the bottom third, and by at
      least a third of the top third: the question may be ambiguous, or the key incomplete.
    Only for questions with one key for everyone and a top third of at least 1 student."""
    hints: dict[str, list[str]] = {}
    for q, t in table.groupby("question", sort=False):
        if (t["key"] == "for some").any() or not t["top_n"].max():
            continue
        top_n = t["top_n"].max()
        right = t[t["key"] == "yes"]
        wrong = t[(t["key"] == "no") & (t["option"] != NO_ANSWER)]
        if (t["kind"] == "letter").all() and len(right):
            best_right = right["chosen_top"].max()
            for _, r in wrong.iterrows():
                if r["chosen_top"] > best_right:
                    hints.setdefault(str(q), []).append(
                        f"the top third chose {r['option']} ({r['chosen_top']} of {top_n}) more often than the key "
                        f"{'/'.join(right['option'])} ({best_right}): check the key")
        elif (t["kind"] == "provision").all():
            for _, r in wrong.iterrows():
                if r["chosen_top"] > r["chosen_bottom"] and 3 * r["chosen_top"] >= top_n:
                    hints.setdefault(str(q), []).append(
                        f"{r['option']}, not in the key, was cited by {r['chosen_top']} of {top_n} in the top third "
                        f"and {r['chosen_bottom']} in the bottom: ambiguous, or the key incomplete?")
    return hints


# --- needs checking -------------------------------------------------------------------------


def needs_checking(items: pd.DataFrame, hints: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Moodle's "Needs checking?" for each question, with the reasons:

    - from the discrimination index (qbank_statistics): below 30 "very likely", below 50
      "likely", otherwise "unlikely"; undefined: "cannot tell", with why;
    - a negative covariance with the total (Moodle leaves its effective weight out): "very likely";
    - discriminative efficiency below 15, which Moodle's quiz report marks as dubious: at
      least "likely";
    - this kit's own: a facility no better than the random-guess score, at least "likely";
      the distractor hints (`distractor_hints`), "very likely".
    Returns columns question, needs_checking, why."""
    hints = hints or {}
    out = []
    for _, r in items.iterrows():
        why: list[str] = []
        di = r["discrimination_index"]
        if math.isnan(di):
            verdict = 3
            why.append(f"discrimination index undefined: {r['undefined_reason']}")
        elif di < VERY_LIKELY_BELOW:
            verdict = 0
            why.append(f"discrimination index {di:.0f} is below {VERY_LIKELY_BELOW:.0f}"
                       + (": stronger students did worse on it than weaker ones" if di < 0 else ""))
        elif di < LIKELY_BELOW:
            verdict = 1
            why.append(f"discrimination index {di:.0f} is below {LIKELY_BELOW:.0f}")
        else:
            verdict = 2
        if r["negative_covariance"]:
            verdict = 0
            why.append("its mark varies against the total (negative covariance): no effective weight")
        de = r["discriminative_efficiency"]
        if not math.isnan(de) and de < DUBIOUS_EFFICIENCY_BELOW:
            verdict = min(verdict, 1)
            why.append(f"discriminative efficiency {de:.0f} is below {DUBIOUS_EFFICIENCY_BELOW:.0f}")
        guess = r["random_guess_score"]
        if not math.isnan(guess) and r["facility"] <= guess:
            verdict = min(verdict, 1)
            why.append(f"facility {r['facility']:.0f} is no better than guessing ({guess:.0f})")
        for h in hints.get(r["question"], []):
            verdict = 0
            why.append(h)
        out.append({"question": r["question"], "needs_checking": VERDICTS[verdict], "why": "; ".join(why)})
    return pd.DataFrame(out, columns=["question", "needs_checking", "why"])


# --- terms ----------------------------------------------------------------------------------

# A change between two terms is sharp when it is both large and more than chance: a facility
# that moved by at least 15 points, or a discrimination index by at least 20 (the width of
# Moodle's "likely" band, 30 to 50), and by more than the two classes' sampling error allows
# at the 1% level (at 5%, one unchanged question in twenty would be flagged, one or two per
# assignment compared over a few terms). Large classes then do not flag small moves, and
# small classes do not flag noise.
SHARP_FACILITY = 15.0
SHARP_DISCRIMINATION = 20.0
Z_SHARP = 2.576  # two-sided 1%


def facility_change(a: Mapping[str, Any] | pd.Series, b: Mapping[str, Any] | pd.Series) -> tuple[float, bool]:
    """b's facility minus a's, and whether it is sharp: |Δ| ≥ SHARP_FACILITY and
    |Δ| > 2.576 · √(sd_a²/n_a + sd_b²/n_b) (the standard error of a difference of two means)."""
    if not (a.get("n") and b.get("n")) or _nan(a["facility"]) or _nan(b["facility"]):
        return math.nan, False
    delta = b["facility"] - a["facility"]
    se = math.sqrt(_zero(a["sd"]) ** 2 / a["n"] + _zero(b["sd"]) ** 2 / b["n"])
    return delta, abs(delta) >= SHARP_FACILITY and abs(delta) > Z_SHARP * se


def discrimination_change(a: Mapping[str, Any] | pd.Series,
                          b: Mapping[str, Any] | pd.Series) -> tuple[float, bool]:
    """b's discrimination index minus a's, and whether it is sharp: |Δ| ≥ SHARP_DISCRIMINATION
    and Fisher's z of the two correlations differ by more than 2.576 · √(1/(n_a - 3) + 1/(n_b - 3))."""
    da, db = a.get("discrimination_index", math.nan), b.get("discrimination_index", math.nan)
    if _nan(da) or _nan(db):
        return math.nan, False
    delta = db - da
    if a["n"] <= 3 or b["n"] <= 3:
        return delta, False
    za, zb = (math.atanh(max(min(d / 100, 0.999999), -0.999999)) for d in (da, db))
    se = math.sqrt(1 / (a["n"] - 3) + 1 / (b["n"] - 3))
    return delta, abs(delta) >= SHARP_DISCRIMINATION and abs(zb - za) > Z_SHARP * se


def compare_terms(items: dict[str, pd.DataFrame], provisions: dict[str, pd.DataFrame], current: str) -> pd.DataFrame:
    """Each question and provision in every term, beside the current term.

    `items`: term -> item statistics with a `match` column (what identifies a question
    across terms: its bank item, else its name); `provisions`: term -> per provision
    (columns provision, mean_fraction as 0-1, answers). One row per (kind, name, term), with
    facility (the share of marks won, for a provision), discrimination_index, and for an
    earlier term the change to the current one and whether it is sharp (`changed`)."""
    rows = []
    now = {r["match"]: r for _, r in items.get(current, pd.DataFrame(columns=["match"])).iterrows()}
    for term, table in items.items():
        for _, r in table.iterrows():
            row = {"kind": "question", "name": r["match"], "question": r["question"], "term": term,
                   "current": term == current, "n": r["n"], "facility": r["facility"],
                   "discrimination_index": r["discrimination_index"], "facility_change": math.nan,
                   "discrimination_change": math.nan, "changed": ""}
            if term != current and r["match"] in now:
                fd, fs = facility_change(r, now[r["match"]])
                dd, ds = discrimination_change(r, now[r["match"]])
                row.update(facility_change=fd, discrimination_change=dd,
                           changed="; ".join([w for w, s in (("facility", fs), ("discrimination", ds)) if s]))
            rows.append(row)
    now_p = {r["provision"]: r for _, r in provisions.get(current, pd.DataFrame(columns=["provision"])).iterrows()}
    for term, table in provisions.items():
        for _, r in table.iterrows():
            if _nan(r.get("mean_fraction", math.nan)):
                continue
            share = 100.0 * r["mean_fraction"]
            row = {"kind": "provision", "name": r["provision"], "question": "", "term": term, "current": term == current,
                   "n": r.get("answers", math.nan), "facility": share, "discrimination_index": math.nan,
                   "facility_change": math.nan, "discrimination_change": math.nan, "changed": ""}
            if term != current and r["provision"] in now_p and not _nan(now_p[r["provision"]].get("mean_fraction")):
                row["facility_change"] = 100.0 * now_p[r["provision"]]["mean_fraction"] - share
            rows.append(row)
    return pd.DataFrame(rows, columns=TERM_COLUMNS)


TERM_COLUMNS = ["kind", "name", "question", "term", "current", "n", "facility", "discrimination_index",
                "facility_change", "discrimination_change", "changed"]


def _nan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _zero(v) -> float:
    return 0.0 if _nan(v) else float(v)


# --- all of it ------------------------------------------------------------------------------


@dataclass
class Analysis:
    marks: Marks
    items: pd.DataFrame  # item statistics joined with needs_checking
    test: WholeTest
    distractors: pd.DataFrame


def analyse(scores: pd.DataFrame, answers: pd.DataFrame | None = None, *,
            random_guess: dict[str, float] | None = None, options: dict[str, int] | None = None) -> Analysis:
    """Everything above for one assignment: the marks (`marks`), item statistics with
    needs-checking verdicts, the test statistics and the distractor table."""
    m = marks(scores)
    items = item_statistics(m, random_guess)
    table = distractors(answers if answers is not None else pd.DataFrame(), m.totals, options)
    checked = needs_checking(items, distractor_hints(table))
    items = items.merge(checked, on="question", how="left")
    return Analysis(m, items, test_statistics(m), table)
