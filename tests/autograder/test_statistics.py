"""Item statistics against an independent computation from the definitions (numpy here, not
autograder.statistics), on batches with known patterns written straight into nbgrader's
gradebook; then the report's files and section, on those batches, across two terms, and on
the real graded batch."""

from __future__ import annotations

import csv
import json
import math
import re
import warnings

import numpy as np
import pytest
from nbgrader.api import Gradebook

from autograder import cli, statistics
from autograder.grading import ANSWER_COLUMNS, ANSWERS
from autograder.paths import tools_on_path
from autograder.steps import report

N = 60  # students in the main batch: above the small-class threshold
REQUIRED = ["question", "provisions", "n", "facility", "sd", "discrimination_index", "discriminative_efficiency",
            "effective_weight", "needs_checking"]
CSV_TOLERANCE = 0.0051  # the CSV files round to 2 decimals


# --- building batches ----------------------------------------------------------------------


def build_gradebook(url: str, assignment: str, marks: dict[str, dict[str, float]], max_marks: dict[str, float],
                    pending: set[tuple[str, str]] = frozenset()) -> None:
    """Students' marks as nbgrader's gradebook holds them after `grade`: one submission each,
    one grade per grade cell (auto_score), some still to be graded by hand."""
    tools_on_path()  # nbgrader runs `alembic` when it creates a gradebook
    with warnings.catch_warnings(), Gradebook(url) as gb:
        # nbgrader's own SQLAlchemy use warns on every new submission.
        warnings.filterwarnings("ignore", message=".*not in session.*")
        gb.add_assignment(assignment)
        gb.add_notebook(assignment, assignment)
        for q, points in max_marks.items():
            gb.add_grade_cell(q, assignment, assignment, max_score=points, cell_type="code")
        for student, row in marks.items():
            gb.update_or_create_student(student)
            gb.add_submission(assignment, student)
            for q, score in row.items():
                g = gb.find_grade(q, assignment, assignment, student)
                g.auto_score = score
                g.needs_manual_grade = (student, q) in pending
        gb.db.commit()


def write_answers(out, assignment, rows):
    """OUT/answers.csv as `grade` writes it: each answer and key as JSON."""
    path = out / ANSWERS
    new = not path.exists()
    with open(path, "a", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=ANSWER_COLUMNS)
        if new:
            w.writeheader()
        for student, question, answer, key in rows:
            w.writerow({"assignment": assignment, "student_id": student, "notebook": assignment, "question": question,
                        "answer": json.dumps(answer), "key": json.dumps(key), "right": int(answer == key)})


def students(n):
    return [f"s{i:03d}" for i in range(n)]


def pattern_batch(rng):
    """Good questions, plus one everyone gets right, one the strongest students miss, and a
    letter question keyed wrongly (the strong pick C, the key says B)."""
    ids = students(N)
    ability = rng.normal(size=N)
    noise = lambda: rng.normal(scale=0.7, size=N)  # noqa: E731
    cols = {
        "q1": (ability + noise() > -0.5).astype(float),
        "q2": np.select([ability + noise() > 0.5, ability + noise() > -0.5], [2.0, 1.0], 0.0),
        "q3": (ability + noise() > 0).astype(float),
        "q4": (ability + noise() > 0.8).astype(float),
        "easy": np.ones(N),
        "reversed": (ability < np.median(ability)).astype(float),
    }
    letters = [("C" if a > 0.3 else rng.choice(["A", "B", "D"])) for a in ability]
    cols["miskeyed"] = np.array([1.0 if c == "B" else 0.0 for c in letters])
    key = ["6(3)(a)", "6(3)(b)"]
    cited = [key if a > 0 else ["6(3)(a)"] if a > -0.7 else ["6(3)(a)", "6(4)"] for a in ability]
    cited[int(np.argmin(ability))] = None  # an answer that could not be read
    cols["cite"] = np.array([1.0 if c == key else 0.0 for c in cited])
    max_marks = {"q1": 1.0, "q2": 2.0, "q3": 1.0, "q4": 1.0, "easy": 1.0, "reversed": 1.0, "miskeyed": 1.0, "cite": 1.0}
    marks = {s: {q: float(cols[q][i]) for q in max_marks} for i, s in enumerate(ids)}
    answers = ([(s, "miskeyed", letters[i], "B") for i, s in enumerate(ids)]
               + [(s, "cite", cited[i], key) for i, s in enumerate(ids)])
    return marks, max_marks, answers


# --- the independent computation ----------------------------------------------------------


def expected_items(marks: dict[str, dict[str, float]], max_marks: dict[str, float]) -> dict[str, dict]:
    """Moodle's definitions, computed here with numpy's own correlation and covariance."""
    qs = list(max_marks)
    m = np.array([[marks[s][q] for q in qs] for s in marks])
    total = m.sum(axis=1)
    out = {}
    cov_total = {q: np.cov(m[:, j], total)[0, 1] for j, q in enumerate(qs)}
    positive = sum(math.sqrt(c) for c in cov_total.values() if c >= 0)
    for j, q in enumerate(qs):
        x, rest = m[:, j], total - m[:, j]
        varies = x.std() > 0 and rest.std() > 0
        out[q] = {
            "n": len(x),
            "facility": 100 * x.mean() / max_marks[q],
            "sd": 100 * x.std(ddof=1) / max_marks[q],
            "discrimination_index": 100 * np.corrcoef(x, rest)[0, 1] if varies else math.nan,
            "discriminative_efficiency": (100 * np.cov(x, rest)[0, 1] / np.cov(np.sort(x), np.sort(rest))[0, 1]
                                          if varies else math.nan),
            "effective_weight": 100 * math.sqrt(cov_total[q]) / positive if cov_total[q] >= 0 else math.nan,
            "intended_weight": 100 * max_marks[q] / sum(max_marks.values()),
        }
    return out


def expected_test(marks, max_marks) -> dict:
    qs = list(max_marks)
    m = np.array([[marks[s][q] for q in qs] for s in marks])
    p, total = len(qs), m.sum(axis=1)
    alpha = 100 * p / (p - 1) * (1 - m.var(axis=0, ddof=1).sum() / total.var(ddof=1))
    error_ratio = 100 * math.sqrt(1 - alpha / 100)
    sd = 100 * total.std(ddof=1) / sum(max_marks.values())
    return {"n": len(m), "cronbach_alpha": alpha, "error_ratio": error_ratio, "standard_error": error_ratio * sd / 100}


def expected_thirds(marks) -> tuple[set, set]:
    totals = {s: sum(row.values()) for s, row in marks.items()}
    size = len(totals) // 3
    top = sorted(totals, key=lambda s: (-totals[s], s))[:size]
    bottom = sorted(totals, key=lambda s: (totals[s], s))[:size]
    return set(top), set(bottom)


def close(a, b, tol=CSV_TOLERANCE) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return a == "" or (isinstance(a, float) and math.isnan(a))
    return abs(float(a) - b) <= tol


def read_rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """One grading folder whose gradebook holds several assignments, each a known pattern,
    and the report of each."""
    root = tmp_path_factory.mktemp("statistics")
    out, source = root / "out", root / "source"
    out.mkdir()
    url = f"sqlite:///{out / 'gradebook.db'}"
    rng = np.random.default_rng(2026)
    batches = {}

    marks, max_marks, answers = pattern_batch(rng)
    batches["patterns"] = (marks, max_marks)
    write_answers(out, "patterns", answers)

    ability = rng.normal(size=N)
    same = (ability > 0).astype(float)
    batches["identical"] = ({s: {f"i{j}": same[i] for j in range(6)} for i, s in enumerate(students(N))},
                            {f"i{j}": 1.0 for j in range(6)})
    coin = rng.integers(0, 2, size=(200, 10)).astype(float)
    batches["random"] = ({s: {f"r{j}": coin[i, j] for j in range(10)} for i, s in enumerate(students(200))},
                         {f"r{j}": 1.0 for j in range(10)})
    small = rng.integers(0, 2, size=(8, 4)).astype(float)
    batches["small"] = ({s: {f"q{j}": small[i, j] for j in range(4)} for i, s in enumerate(students(8))},
                        {f"q{j}": 1.0 for j in range(4)})
    batches["tiny"] = ({"s000": {"q0": 1.0, "q1": 0.0}, "s001": {"q0": 0.0, "q1": 1.0}}, {"q0": 1.0, "q1": 1.0})
    hand = rng.integers(0, 2, size=(N, 3)).astype(float)
    batches["handgraded"] = ({s: {"q1": hand[i, 0], "q2": hand[i, 1], "essay": 0.0} for i, s in enumerate(students(N))},
                             {"q1": 1.0, "q2": 1.0, "essay": 6.0})
    pending = {(s, "essay") for s in students(N)[:20]}

    for name, (m, mx) in batches.items():
        build_gradebook(url, name, m, mx, pending if name == "handgraded" else frozenset())
        (source / name).mkdir(parents=True)
        report.write(url, name, out, source)
    return {"out": out, "url": url, "source": source, "batches": batches, "answers": answers}


def folder(course, name):
    return course["out"] / "report" / name


def items_of(course, name) -> dict[str, dict]:
    return {r["question"]: r for r in read_rows(folder(course, name) / "items.csv")}


def summary_of(course, name) -> dict:
    (row,) = read_rows(folder(course, name) / "test.csv")
    return row


# --- question statistics --------------------------------------------------------------------


def test_items_csv_has_the_promised_columns_first(course):
    with open(folder(course, "patterns") / "items.csv", newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[: len(REQUIRED)] == REQUIRED


def test_every_statistic_matches_the_definitions(course):
    marks, max_marks = course["batches"]["patterns"]
    want = expected_items(marks, max_marks)
    got = items_of(course, "patterns")
    assert set(got) == set(want)
    for q, stats in want.items():
        for col, value in stats.items():
            assert close(got[q][col], value), (q, col, got[q][col], value)


def test_the_analysis_itself_is_exact(course):
    """Not only to the CSV's two decimals: the module's own numbers."""
    marks, max_marks = course["batches"]["patterns"]
    df = report.scores(course["url"], "patterns", course["source"])
    a = report.item_analysis(df, report.given_answers(course["out"], "patterns"))
    want = expected_items(marks, max_marks)
    for _, r in a.items.iterrows():
        for col in ("facility", "sd", "discrimination_index", "discriminative_efficiency", "effective_weight"):
            assert close(r[col], want[r["question"]][col], 1e-9), (r["question"], col)


def test_a_question_everyone_gets_right_has_no_discrimination_index_and_says_why(course):
    easy = items_of(course, "patterns")["easy"]
    assert float(easy["facility"]) == 100
    assert easy["discrimination_index"] == "" and easy["discriminative_efficiency"] == ""
    assert easy["needs_checking"] == "cannot tell"
    assert "every student got full marks" in easy["why"]
    page = (folder(course, "patterns") / "report.html").read_text(encoding="utf-8")
    assert "undefined (every student got full marks" in page


def test_nothing_prints_nan(course):
    for name in course["batches"]:
        for f in ("items.csv", "test.csv", "distractors.csv", "report.html"):
            text = (folder(course, name) / f).read_text(encoding="utf-8")
            assert not re.search(r"\bnan\b", text, re.IGNORECASE), (name, f)


def test_a_question_the_strongest_students_miss_is_flagged(course):
    marks, max_marks = course["batches"]["patterns"]
    want = expected_items(marks, max_marks)["reversed"]
    got = items_of(course, "patterns")["reversed"]
    assert want["discrimination_index"] < -30 and float(got["discrimination_index"]) < -30
    assert got["needs_checking"] == "very likely"
    assert "stronger students did worse" in got["why"]
    # Its mark varies against the total: Moodle gives it no effective weight.
    assert math.isnan(want["effective_weight"]) and got["effective_weight"] == ""
    assert got["negative_covariance"] == "True" and "negative covariance" in got["why"]


def test_good_questions_are_not_flagged_very_likely(course):
    got = items_of(course, "patterns")
    for q in ("q1", "q2", "q3"):
        di = float(got[q]["discrimination_index"])
        verdict = "very likely" if di < 30 else "likely" if di < 50 else "unlikely"
        assert got[q]["needs_checking"] == verdict  # Moodle's bands, nothing else fired
        assert di > 30


def test_a_question_keyed_wrongly_is_flagged_from_its_distractors(course):
    got = items_of(course, "patterns")["miskeyed"]
    assert float(got["discrimination_index"]) < 0
    assert got["needs_checking"] == "very likely"
    assert "the top third chose C" in got["why"] and "check the key" in got["why"]


def test_distractor_counts_by_thirds(course):
    marks, _ = course["batches"]["patterns"]
    top, bottom = expected_thirds(marks)
    rows = {(r["question"], r["option"]): r for r in read_rows(folder(course, "patterns") / "distractors.csv")}
    chose: dict[tuple[str, str], set[str]] = {}
    for student, q, answer, _ in course["answers"]:
        options = (["no readable answer"] if answer is None else [answer] if isinstance(answer, str) else answer)
        for o in options:
            chose.setdefault((q, o), set()).add(student)
    assert set(rows) == set(chose)
    for where, who in chose.items():
        r = rows[where]
        assert int(r["chosen"]) == len(who)
        assert int(r["chosen_top"]) == len(who & top) and int(r["chosen_bottom"]) == len(who & bottom)
        assert int(r["top_n"]) == len(top) == N // 3
    assert rows[("miskeyed", "B")]["key"] == "yes" and rows[("miskeyed", "C")]["key"] == "no"
    assert rows[("cite", "6(3)(b)")]["key"] == "yes" and rows[("cite", "6(4)")]["key"] == "no"
    assert rows[("cite", "no readable answer")]["chosen"] == "1"


# --- the test as a whole --------------------------------------------------------------------


def test_cronbach_alpha_error_ratio_and_standard_error_match_the_definitions(course):
    for name in ("patterns", "identical", "random", "small"):
        want, got = expected_test(*course["batches"][name]), summary_of(course, name)
        for col, value in want.items():
            assert close(got[col], value), (name, col, got[col], value)


def test_identical_items_are_perfectly_consistent(course):
    got = summary_of(course, "identical")
    assert float(got["cronbach_alpha"]) == pytest.approx(100)
    assert float(got["error_ratio"]) == pytest.approx(0, abs=1e-6)
    assert got["consistency"] == "satisfactory"


def test_random_answers_are_not_consistent(course):
    alpha = float(summary_of(course, "random")["cronbach_alpha"])
    assert abs(alpha) < 25
    assert summary_of(course, "random")["consistency"] == "unsatisfactory for the test as a whole"


# --- small classes, hand grading ----------------------------------------------------------


def test_a_small_class_is_told_its_statistics_are_unreliable(course):
    t = summary_of(course, "small")
    assert t["reliable"] == "False" and t["n"] == "8"
    assert f"fewer than {statistics.MIN_STUDENTS} students are unreliable" in t["warning"]
    page = (folder(course, "small") / "report.html").read_text(encoding="utf-8")
    assert "<strong>Unreliable:</strong>" in page
    assert summary_of(course, "patterns")["reliable"] == "True"
    assert "Unreliable" not in (folder(course, "patterns") / "report.html").read_text(encoding="utf-8")


def test_two_students_have_no_coefficient_and_the_page_says_so(course):
    t = summary_of(course, "tiny")
    assert t["cronbach_alpha"] == "" and t["error_ratio"] == "" and t["standard_error"] == ""
    page = (folder(course, "tiny") / "report.html").read_text(encoding="utf-8")
    assert "undefined: it needs at least 3 students" in page


def test_a_question_still_being_graded_by_hand_is_left_out_and_said_so(course):
    got = items_of(course, "handgraded")
    assert set(got) == {"q1", "q2"}
    assert all(r["n"] == str(N) for r in got.values())  # no student left out
    assert "essay: 20 answer(s) still to be graded by hand" in summary_of(course, "handgraded")["left_out"]
    page = (folder(course, "handgraded") / "report.html").read_text(encoding="utf-8")
    assert "Not analysed yet: essay (20 answer(s) still to be graded by hand)" in page


def test_the_section_is_readable_by_a_screen_reader(course):
    page = (folder(course, "patterns") / "report.html").read_text(encoding="utf-8")
    section = page[page.index('<h2 id="item-statistics">'):]
    tables = re.findall(r"<table>.*?</table>", section, re.S)
    assert len(tables) >= 3
    for t in tables:
        assert "<caption>" in t and '<th scope="col"' in t and '<th scope="row">' in t
    for img in re.findall(r"<img [^>]*>", section):
        assert re.search(r'alt="[^"]{20,}"', img)
    assert (folder(course, "patterns") / "items.png").stat().st_size > 0


# --- the sharp-change rule ---------------------------------------------------------------------


def test_a_large_change_in_a_small_class_is_not_sharp_but_in_a_large_one_it_is():
    a = {"facility": 50.0, "sd": 50.0, "n": 10, "discrimination_index": 40.0}
    b = {"facility": 70.0, "sd": 46.0, "n": 10, "discrimination_index": 10.0}
    assert statistics.facility_change(a, b) == (20.0, False)  # 2.576 · SE ≈ 55 points
    assert statistics.discrimination_change(a, b) == (-30.0, False)
    big_a, big_b = dict(a, n=400), dict(b, n=400)
    assert statistics.facility_change(big_a, big_b) == (20.0, True)
    assert statistics.discrimination_change(big_a, big_b) == (-30.0, True)
    # Significant but small: not sharp either.
    assert statistics.facility_change(dict(a, n=10_000), dict(b, facility=60.0, n=10_000))[1] is False


# --- two terms -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def terms(tmp_path_factory):
    """Last term and this term of the same assignment, each its own grading folder: q1 got
    much harder, q2 stayed the same, q3 stopped telling students apart."""
    root = tmp_path_factory.mktemp("terms")
    rng = np.random.default_rng(7)
    made = {}
    for term, (q1_threshold, q3_tracks) in {"2025-autumn": (-1.0, True), "now": (0.5, False)}.items():
        ability = rng.normal(size=N)
        cols = {"q1": ability + rng.normal(scale=0.5, size=N) > q1_threshold,
                "q2": ability + rng.normal(scale=0.5, size=N) > 0,
                "q3": (ability + rng.normal(scale=0.3, size=N) > 0) if q3_tracks else rng.integers(0, 2, N) > 0,
                "q4": ability + rng.normal(scale=0.5, size=N) > 0.3}
        marks = {s: {q: float(cols[q][i]) for q in cols} for i, s in enumerate(students(N))}
        out = root / term
        out.mkdir()
        build_gradebook(f"sqlite:///{out / 'gradebook.db'}", "week-9", marks, {q: 1.0 for q in cols})
        made[term] = (out, marks)
    (root / "source" / "week-9").mkdir(parents=True)
    return {"root": root, "made": made, "source": root / "source"}


def _report_comparing(terms, *compare) -> dict[tuple, dict]:
    now, _ = terms["made"]["now"]
    assert cli.main(["report", "week-9", "--out", str(now), "--source", str(terms["source"]), *compare]) == 0
    return {(r["kind"], r["name"], r["term"]): r for r in read_rows(now / "report" / "week-9" / "terms.csv")}


def test_two_terms_side_by_side_flag_the_sharp_changes(terms):
    last, last_marks = terms["made"]["2025-autumn"]
    rows = _report_comparing(terms, "--compare", str(last))
    _, now_marks = terms["made"]["now"]
    before = expected_items(last_marks, {q: 1.0 for q in ("q1", "q2", "q3", "q4")})
    after = expected_items(now_marks, {q: 1.0 for q in ("q1", "q2", "q3", "q4")})
    for q in ("q1", "q2", "q3", "q4"):
        earlier, current = rows[("question", q, "2025-autumn")], rows[("question", q, "this term")]
        assert close(earlier["facility"], before[q]["facility"]) and close(current["facility"], after[q]["facility"])
        assert close(earlier["facility_change"], after[q]["facility"] - before[q]["facility"])
        assert close(earlier["discrimination_change"],
                     after[q]["discrimination_index"] - before[q]["discrimination_index"])
    assert rows[("question", "q1", "2025-autumn")]["changed"] == "facility"
    assert rows[("question", "q2", "2025-autumn")]["changed"] == ""
    assert "discrimination" in rows[("question", "q3", "2025-autumn")]["changed"]
    page = (terms["made"]["now"][0] / "report" / "week-9" / "report.html").read_text(encoding="utf-8")
    assert "<h3>Across terms</h3>" in page and "facility since 2025-autumn" in page
    assert (terms["made"]["now"][0] / "report" / "week-9" / "terms.png").stat().st_size > 0


def test_an_earlier_term_by_its_gradebook_url(terms):
    last, _ = terms["made"]["2025-autumn"]
    by_folder = _report_comparing(terms, "--compare", str(last))
    by_url = _report_comparing(terms, "--compare-db", f"sqlite:///{last / 'gradebook.db'}")
    assert {k: r["changed"] for k, r in by_url.items()} == {k: r["changed"] for k, r in by_folder.items()}
    assert ("question", "q1", "2025-autumn") in by_url  # named by its grading folder


def test_a_mistyped_earlier_gradebook_is_refused_not_created(terms, tmp_path, capsys):
    now, _ = terms["made"]["now"]

    def refused(*compare) -> str:
        """What the command line says when it refuses: exit status 1, the reason on stderr."""
        assert cli.main(["report", "week-9", "--out", str(now), "--source", str(terms["source"]), *compare]) == 1
        return capsys.readouterr().err

    typo = tmp_path / "typo.db"
    assert refused("--compare-db", f"sqlite:///{typo}") == f"--compare-db 'sqlite:///{typo}': no such SQLite file\n"
    assert not typo.exists()
    assert "no gradebook.db" in refused("--compare", str(tmp_path))


# --- the real graded batch ------------------------------------------------------------------


def test_report_on_a_real_graded_batch_writes_the_statistics(batch):
    from autograder_support import ASSIGNMENT

    where = report.write(batch["db_url"], ASSIGNMENT, batch["out"], batch["out"] / "source")
    items = {r["question"]: r for r in read_rows(where / "items.csv")}
    assert list(read_rows(where / "items.csv")[0])[: len(REQUIRED)] == REQUIRED
    # The essay is analysed once no answer to it waits for a hand grade (another test of the
    # batch may have graded the instructor's essay by hand).
    df = report.scores(batch["db_url"], ASSIGNMENT, batch["out"] / "source")
    # Each criterion of a hand-marked answer is a question of its own; its 0-point answer cell none.
    from autograder_support import hand_marked

    waiting = set(df[df["pending"]]["question"])
    assert set(items) == {"q1", "q2", "q3", *hand_marked()} - waiting
    assert items["q1"]["provisions"].split() == ["6(3)(a)", "6(3)(b)", "6(3)(c)", "6(3)(d)", "6(4)", "6(5)"]
    from exercises.assignments.key import graded_bank

    options = len(graded_bank()["capstone-return"].options)  # one right: a guess earns 1 in that many
    assert float(items["q3"]["random_guess_score"]) == pytest.approx(100 / options, abs=0.01)
    (t,) = read_rows(where / "test.csv")
    assert t["n"] == str(len(batch["rows"])) and t["reliable"] == "False"
    assert all(f"{q}: 1 answer(s) still to be graded by hand" in t["left_out"] for q in waiting)
    assert ("still to be graded by hand" in t["left_out"]) == bool(waiting)
    distractors = read_rows(where / "distractors.csv")
    assert {r["option"] for r in distractors if r["question"] == "q3"} >= {"A", "B", "C"}
    page = (where / "report.html").read_text(encoding="utf-8")
    assert '<h2 id="item-statistics">Item statistics</h2>' in page and "<strong>Unreliable:</strong>" in page
    assert not re.search(r"\bnan\b", page, re.IGNORECASE)
