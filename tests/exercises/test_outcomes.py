"""Learning outcomes: declared once, named by every item, counted by `coverage --by outcome`,
and an outcome hardly assessed at its level is a warning of `check`."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from bank_support import GOOD

from exercises.bank import GRADED_ENV, check_bank, load_bank
from exercises.checks import outcome_warnings
from exercises.cli import main
from exercises.coverage import OUTCOME_MINIMUM, by_outcome, outcomes_to_csv
from exercises.items import BLOOM
from exercises.outcomes import OUTCOMES_PATH, Outcome, OutcomeError, load_outcomes

START_PAGE = Path(__file__).resolve().parents[2] / "book" / "index.md"


@pytest.fixture(autouse=True)
def _graded_folder_of_the_copy(monkeypatch):
    monkeypatch.delenv(GRADED_ENV, raising=False)


def _outcomes_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "outcomes.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ---- The file ------------------------------------------------------------------------------------

def test_the_outcomes_are_the_start_pages_and_each_has_a_level():
    outcomes = load_outcomes()
    page = START_PAGE.read_text(encoding="utf-8")
    # The start page lists them through the {outcomes} directive; the wording is the file's.
    assert "```{outcomes}" in page
    assert list(outcomes) == ["explain-obligations", "apply-to-facts", "compare-compensation-routes",
                              "calculate-restitution", "explain-savings-clause"]
    assert {o.id: o.level for o in outcomes.values()} == {
        "explain-obligations": "understand", "apply-to-facts": "apply", "compare-compensation-routes": "analyse",
        "calculate-restitution": "apply", "explain-savings-clause": "understand"}
    assert outcomes["compare-compensation-routes"].text.startswith("Compare the routes to compensation")
    assert outcomes["compare-compensation-routes"].label == "Compare the routes to compensation"
    assert outcomes["apply-to-facts"].line == 19  # where its id is written


@pytest.mark.parametrize("text, line, words", [
    ("outcomes:\n  - id: Apply_Facts\n    level: apply\n    text: Apply.\n", 2, "lower-case words joined by hyphens"),
    ("outcomes:\n  - id: apply-facts\n    level: use\n    text: Apply.\n", 3, "level 'use' is not one of remember"),
    ("outcomes:\n  - id: apply-facts\n    level: apply\n", 2, "'text' is missing or empty"),
    ("outcomes:\n  - id: apply-facts\n    level: apply\n    text: Apply.\n    bloom: apply\n", 5,
     "unknown field 'bloom'"),
    ("outcomes:\n  - id: a\n    level: apply\n    text: A.\n  - id: a\n    level: apply\n    text: B.\n", 5,
     "duplicate outcome id 'a': also declared at line 2"),
    ("outcomes:\n  - id: a\n    level: [apply\n", 4, "YAML syntax error"),
    ("- id: a\n", 1, "one key, 'outcomes:'"),
])
def test_a_wrong_outcomes_file_is_reported_with_its_line(tmp_path, text, line, words):
    path = _outcomes_file(tmp_path, text)
    with pytest.raises(OutcomeError) as e:
        load_outcomes(path)
    [p] = e.value.problems
    assert (p.path, p.line) == (path, line) and words in p.message, str(p)


def test_a_missing_outcomes_file_says_so(tmp_path):
    with pytest.raises(OutcomeError, match="learning outcomes is missing"):
        load_outcomes(tmp_path / "outcomes.yaml")


# ---- Items name them ------------------------------------------------------------------------------

def test_every_item_of_the_bank_names_a_declared_outcome(bank):
    declared = set(load_outcomes())
    assert all(i.outcomes and set(i.outcomes) <= declared for i in bank)


def test_an_unknown_outcome_is_an_error_naming_the_file_line_and_the_known_ids(bank_copy, write_item):
    text = GOOD.format(id="broken-item").replace(
        "provisions: ['6(1)']\n", "provisions: ['6(1)']\noutcomes:\n  - explain-obligations\n  - apply-facts\n")
    path = write_item(text)
    _, problems = check_bank(bank_copy)
    [p] = [p for p in problems if p.path == path]
    assert p.line == 8  # the line of 'apply-facts', not of the outcome before it
    assert "unknown outcome 'apply-facts'" in p.message and "exercises/outcomes.yaml" in p.message
    assert all(oid in p.message for oid in load_outcomes())


def test_an_item_without_outcomes_is_an_error(bank_copy):
    path = bank_copy / "privacy-and-legal-proceedings" / "broken-item.yaml"
    path.write_text(GOOD.format(id="broken-item"), encoding="utf-8")  # past write_item: no outcome added
    _, problems = check_bank(bank_copy)
    [p] = [p for p in problems if p.path == path]
    assert "'outcomes' is a required property" in p.message


# ---- coverage --by outcome -------------------------------------------------------------------------

def _expected(items, outcome: Outcome) -> dict:
    """The figures worked out here, item by item, without the coverage module."""
    naming = [i for i in items if outcome.id in i.outcomes]
    at = [i for i in naming if BLOOM.index(i.bloom) >= BLOOM.index(outcome.level)]
    return {"items": len(naming), "at_level": len(at),
            "self_check": sum(i.use == "self-check" for i in naming),
            "self_check_at_level": sum(i.use == "self-check" for i in at),
            "graded": sum(i.use == "graded" for i in naming), "graded_at_level": sum(i.use == "graded" for i in at)}


def test_coverage_by_outcome_csv_counts_items_and_items_at_level(bank, capsys):
    main(["coverage", "--by", "outcome", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    outcomes = load_outcomes()
    assert [r["outcome"] for r in rows] == list(outcomes)
    for r in rows:
        o = outcomes[r["outcome"]]
        assert {k: int(r[k]) for k in _expected(bank, o)} == _expected(bank, o)
        assert r["level"] == o.level and r["text"] == o.text
        assert r["ok"] == ("yes" if int(r["at_level"]) >= OUTCOME_MINIMUM else "no")
        assert sum(int(r[f"bloom_{b}"]) for b in BLOOM) == int(r["items"])


def test_coverage_by_outcome_table_and_exit_status(bank, capsys):
    status = main(["coverage", "--by", "outcome"])
    out = capsys.readouterr().out
    rows = by_outcome(bank)
    assert status == (0 if all(r.ok for r in rows) else 1)
    for r in rows:
        e = _expected(bank, r.outcome)
        [line] = [line for line in out.splitlines() if line.startswith(r.outcome.id + " ")]
        assert line.split()[1:8] == [r.outcome.level] + [str(e[k]) for k in (
            "items", "at_level", "self_check", "self_check_at_level", "graded", "graded_at_level")]


def test_coverage_by_outcome_counts_a_new_item_where_it_belongs(bank_copy, write_item, capsys):
    def figures():
        main(["--bank", str(bank_copy), "coverage", "--by", "outcome", "--format", "csv"])
        return {r["outcome"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}

    before = figures()
    # A self-check item at 'remember' on an 'understand' outcome counts, but not at its level.
    write_item(GOOD.format(id="new-recall").replace("provisions: ['6(1)']\n",
                                                    "provisions: ['6(1)']\noutcomes: [explain-obligations]\n"),
               name="new-recall")
    after = figures()
    changed = {k for k in after["explain-obligations"] if after["explain-obligations"][k] != before["explain-obligations"][k]}
    assert changed == {"items", "self_check", "bloom_remember"}
    assert all(after[o] == before[o] for o in before if o != "explain-obligations")


def test_the_csv_keeps_a_formula_in_an_outcome_text_as_text():
    rows = by_outcome([], {"x": Outcome("x", '=HYPERLINK("http://example.org","click")', "apply", 2)})
    [row] = list(csv.DictReader(io.StringIO(outcomes_to_csv(rows))))
    assert row["text"] == "'" + '=HYPERLINK("http://example.org","click")'
    assert row["items"] == "0" and row["ok"] == "no"


# ---- The check warning ---------------------------------------------------------------------------

def test_an_outcome_with_too_few_items_at_its_level_is_a_warning_at_its_line():
    items = load_bank()
    outcome = load_outcomes()["calculate-restitution"]
    # Keep only two of the items at its level (and every item below it).
    at_level = [i for i in items if outcome.id in i.outcomes and outcome.reached_by(i.bloom)]
    kept = [i for i in items if i not in at_level[2:]]
    [w] = [w for w in outcome_warnings(kept) if "calculate-restitution" in w.message]
    assert w.warning and (w.path, w.line) == (OUTCOMES_PATH, outcome.line)
    assert re.search(r"by 2 item\(s\) \(\d+ self-check, \d+ graded; \d+ name it in all\), fewer than 3", w.message)
    assert not [w for w in outcome_warnings(items) if "calculate-restitution" in w.message]


def test_check_prints_the_outcome_warning_and_strict_fails_on_it(bank_copy, capsys):
    outcome = load_outcomes()["calculate-restitution"]
    items = load_bank(bank_copy)
    at_level = [i for i in items if outcome.id in i.outcomes and outcome.reached_by(i.bloom)]
    for item in at_level[2:]:  # a bank where the outcome is hardly assessed at its level
        text = item.path.read_text(encoding="utf-8")
        item.path.write_text(re.sub(r"^bloom: \w+$", "bloom: remember", text, flags=re.M), encoding="utf-8")
    assert main(["--bank", str(bank_copy), "check"]) == 0
    out = capsys.readouterr().out
    [line] = [line for line in out.splitlines() if "'calculate-restitution'" in line]
    assert f"outcomes.yaml:{outcome.line}: warning: " in line
    assert main(["--bank", str(bank_copy), "check", "--strict"]) == 1
