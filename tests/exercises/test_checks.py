"""`check` finds what is wrong in a bank, and says which file, which line and how to fix it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from bank_support import GOOD

from exercises.bank import GRADED_ENV, BankError, check_bank, graded_dir, load_bank
from exercises.cli import main


def problems_in(root, path):
    _, problems = check_bank(root)
    return [p for p in problems if p.path == path]


@pytest.fixture(autouse=True)
def _graded_folder_of_the_copy(monkeypatch):
    """These tests break a copy of the bank: its graded items are in its own graded/ folder,
    whatever COURSE_GRADED_BANK says where they are run."""
    monkeypatch.delenv(GRADED_ENV, raising=False)


def test_shipped_bank_passes_check(capsys):
    assert main(["check"]) == 0
    assert "no problems" in capsys.readouterr().out


def test_good_item_in_copy_has_no_problem(bank_copy, write_item):
    path = write_item(GOOD.format(id="broken-item"))
    assert problems_in(bank_copy, path) == []


def test_yaml_syntax_error_reports_file_and_line(bank_copy, write_item):
    text = GOOD.format(id="broken-item").replace("difficulty: easy", "difficulty: [easy")
    path = write_item(text)
    [p] = problems_in(bank_copy, path)
    assert "YAML syntax error" in p.message
    assert p.line in (7, 8)  # the unclosed flow sequence opens on line 7


def test_schema_violation_points_at_the_field(bank_copy, write_item):
    path = write_item(GOOD.format(id="broken-item").replace("bloom: remember", "bloom: memorise"))
    [p] = problems_in(bank_copy, path)
    assert p.line == 6
    assert "'memorise' is not one of" in p.message and "remember" in p.message


def test_unknown_field_is_named_with_its_line(bank_copy, write_item):
    path = write_item(GOOD.format(id="broken-item") + "difficulti: hard\n")
    [p] = problems_in(bank_copy, path)
    assert p.line == 17 and "difficulti" in p.message


def test_missing_required_field(bank_copy, write_item):
    path = write_item(GOOD.format(id="broken-item").replace("bloom: remember\n", ""))
    [p] = problems_in(bank_copy, path)
    assert "'bloom' is a required property" in p.message


def test_unknown_provision_reports_line_and_what_exists(bank_copy, write_item):
    path = write_item(GOOD.format(id="broken-item").replace("provisions: ['6(1)']", "provisions:\n  - '6(1)'\n  - '6(7)'"))
    [p] = problems_in(bank_copy, path)
    assert p.line == 7  # the line of '6(7)', not of '6(1)' above it
    assert "unknown provision" in p.message and "paragraphs 1 to 6" in p.message


def test_non_canonical_provision_suggests_the_id(bank_copy, write_item):
    path = write_item(GOOD.format(id="broken-item").replace("['6(1)']", "['Art. 6(1)']"))
    [p] = problems_in(bank_copy, path)
    assert "write the canonical id '6(1)'" in p.message


def test_unquoted_fourteen_is_explained(bank_copy, write_item):
    path = write_item(GOOD.format(id="broken-item").replace("['6(1)']", "[14]"))
    [p] = problems_in(bank_copy, path)
    assert "write it in quotes" in p.message


def test_duplicate_id_names_both_files(bank_copy, write_item):
    a = write_item(GOOD.format(id="privacy-in-judgments"), name="privacy-in-judgments", folder="article-6")
    _, problems = check_bank(bank_copy)
    dup = [p for p in problems if "duplicate id 'privacy-in-judgments'" in p.message]
    assert {p.path for p in dup} == {a, bank_copy / "privacy-and-legal-proceedings" / "privacy-in-judgments.yaml"}
    assert all(p.line == 1 for p in dup)


def test_id_must_match_file_name(bank_copy, write_item):
    path = write_item(GOOD.format(id="another-name"))
    [p] = problems_in(bank_copy, path)
    assert p.line == 1 and "rename the file" in p.message


def test_numeric_answer_outside_its_tolerance(bank_copy, write_item):
    text = """\
id: broken-item
type: numeric
use: self-check
stem: Twelve months at 200 a month less 100 paid; how much is unpaid?
provisions: ['6(6)']
bloom: apply
difficulty: easy
section: {page: compensation, heading: Compensation}
answer:
  value: 1300
  tolerance: 50
  unit: US dollars
  derivation: 12 * (200 - 100)
feedback: {correct: Right., incorrect: Not quite.}
"""
    path = write_item(text, folder="compensation")
    [p] = problems_in(bank_copy, path)
    assert p.line == 10
    assert "outside its own tolerance" in p.message and "gives 1200" in p.message


def test_derivation_must_be_arithmetic(bank_copy, write_item):
    text = """\
id: broken-item
type: numeric
use: self-check
stem: How much?
provisions: ['6(6)']
bloom: apply
difficulty: easy
section: {page: compensation, heading: Compensation}
answer: {value: 1, tolerance: 0, unit: days, derivation: "__import__('os').getcwd()"}
feedback: {correct: Right., incorrect: Not quite.}
"""
    path = write_item(text, folder="compensation")
    [p] = problems_in(bank_copy, path)
    assert "only numbers" in p.message


def test_single_choice_needs_exactly_one_correct(bank_copy, write_item):
    path = write_item(GOOD.format(id="broken-item").replace("feedback: That is compensation.",
                                                            "correct: true\n    feedback: That is compensation."))
    [p] = problems_in(bank_copy, path)
    assert "exactly one option" in p.message and "found 2" in p.message


def test_essay_cannot_be_published(bank_copy, write_item):
    text = """\
id: broken-item
type: essay
use: self-check
stem: Discuss article 14.
provisions: ['14']
bloom: evaluate
difficulty: hard
section: {page: article-14, heading: Savings clause}
rubric: [{criterion: Accuracy, points: 2, descriptor: States article 14 accurately.}]
model_answer: Article 14 preserves rights under international law.
"""
    path = write_item(text, folder="article-14")
    [p] = problems_in(bank_copy, path)
    assert p.line == 3 and "use: graded" in p.message


def test_field_of_another_type_is_refused(bank_copy, write_item):
    path = write_item(GOOD.format(id="broken-item") + "answer: true\n")
    [p] = problems_in(bank_copy, path)
    assert p.line == 17 and "does not belong to this item type" in p.message


def test_quote_must_be_verbatim(bank_copy, write_item):
    from exercises.sections import module_text
    if module_text() is None:
        pytest.skip("module text (protocol/data/module-text.txt) not present")
    text = GOOD.format(id="broken-item").replace(
        "  heading: Privacy and legal proceedings",
        "  heading: Privacy and legal proceedings\n  quote: Victims must always be named in judgments.")
    path = write_item(text)
    [p] = problems_in(bank_copy, path)
    assert p.line == 11 and "not verbatim" in p.message


def test_stigmatising_wording_is_flagged(bank_copy, write_item):
    path = write_item(GOOD.format(id="broken-item").replace("Which provision", "Which provision, for an illegal immigrant,"))
    [p] = problems_in(bank_copy, path)
    assert "irregular situation" in p.message


def test_cli_check_prints_path_line_message_and_exits_1(bank_copy, write_item, capsys):
    write_item(GOOD.format(id="broken-item").replace("['6(1)']", "['9(1)']"))
    assert main(["--bank", str(bank_copy), "check"]) == 1
    # Problems first, each at its file and line; warnings (cues, twins: tests/exercises/test_cues.py) after.
    lines = capsys.readouterr().out.strip().splitlines()
    out = [line for line in lines if ": warning: " not in line]
    assert out and all(re.match(r"^[^:]+\.yaml:\d+: .+", line) for line in out)
    assert lines[:len(out)] == out
    assert any("broken-item.yaml:5: " in line and "article 9 is not covered" in line for line in out)


def test_load_bank_raises_with_every_problem(bank_copy, write_item):
    write_item(GOOD.format(id="broken-item").replace("easy", "trivial"))
    with pytest.raises(BankError) as e:
        load_bank(bank_copy)
    assert "broken-item.yaml:7:" in str(e.value)


# ---- The folder is the boundary of the answer keys ----------------------------------------------

def test_graded_item_in_a_page_folder_is_a_problem(bank_copy, write_item):
    path = write_item(GOOD.format(id="broken-item").replace("use: self-check", "use: graded"))
    [p] = problems_in(bank_copy, path)
    assert p.line == 3
    assert f"move it to {bank_copy / 'graded' / 'privacy-and-legal-proceedings'}/ or set use: self-check" in p.message


def test_self_check_item_in_the_graded_folder_is_a_problem(bank_copy, write_item):
    path = write_item(GOOD.format(id="broken-item"), folder="graded/extra")
    [p] = problems_in(bank_copy, path)
    assert p.line == 3
    assert "set use: graded" in p.message
    assert f"move it to {bank_copy / 'privacy-and-legal-proceedings'}/ to publish it" in p.message


def test_shipped_graded_items_are_all_in_the_graded_folder():
    public = load_bank(use="self-check")
    graded = load_bank(use="graded")
    assert public and graded
    assert all(i.use == "self-check" and graded_dir() not in i.path.parents for i in public)
    assert all(i.use == "graded" and graded_dir() in i.path.parents for i in graded)
    assert len(public) + len(graded) == len(load_bank())


def _without_graded(bank_copy):
    shutil.rmtree(bank_copy / "graded")
    return bank_copy


def test_bank_without_its_graded_folder_loads(bank_copy):
    """A public copy of the kit, keys removed: public items load, graded ones are simply absent."""
    root = _without_graded(bank_copy)
    public = [i.id for i in load_bank(use="self-check")]
    assert [i.id for i in load_bank(root)] == public
    assert [i.id for i in load_bank(root, use="self-check")] == public
    assert load_bank(root, use="graded") == []
    assert main(["--bank", str(root), "check"]) == 0


def test_public_items_are_read_without_the_graded_folder(bank_copy):
    (bank_copy / "graded" / "unreadable.yaml").write_text("id: [", encoding="utf-8")
    assert [i.id for i in load_bank(bank_copy, use="self-check")] == [i.id for i in load_bank(use="self-check")]
    with pytest.raises(BankError, match="unreadable.yaml"):
        load_bank(bank_copy)


def test_graded_bank_outside_the_repository(bank_copy, tmp_path, monkeypatch):
    private = tmp_path / "private" / "keys"
    shutil.move(bank_copy / "graded", private)
    # The copy's own graded/ folder is not read once the variable names another one.
    (bank_copy / "graded").mkdir()
    (bank_copy / "graded" / "unreadable.yaml").write_text("id: [", encoding="utf-8")
    monkeypatch.setenv(GRADED_ENV, str(private))
    assert graded_dir(bank_copy) == graded_dir() == private
    graded = load_bank(bank_copy, use="graded")
    assert [i.id for i in graded] == [i.id for i in load_bank(use="graded")]
    assert all(private in i.path.parents for i in graded)
    assert len(load_bank(bank_copy)) == len(load_bank(bank_copy, use="self-check")) + len(graded)
    stray = private / "extra" / "broken-item.yaml"
    stray.parent.mkdir()
    stray.write_text(GOOD.format(id="broken-item") + "outcomes: [explain-obligations]\nfeedback:\n  why: Because the module says so.\n",
                     encoding="utf-8")
    [p] = problems_in(bank_copy, stray)
    assert p.line == 3 and f"graded folder {private}/" in p.message


def test_graded_bank_variable_naming_no_folder(bank_copy, tmp_path, monkeypatch):
    missing = tmp_path / "no-such-folder"
    monkeypatch.setenv(GRADED_ENV, str(missing))
    with pytest.raises(BankError, match=f"{GRADED_ENV} names {missing}, which is not a folder"):
        load_bank(bank_copy, use="graded")
    _, problems = check_bank(bank_copy)
    assert [p.path for p in problems] == [missing]
    assert load_bank(bank_copy, use="self-check")  # public items never need it


def test_graded_folder_is_found_without_importing_the_checker():
    """Hidden tests find graded items in every student's kernel: graded_dir() must not pull in
    the schema checker, which takes seconds to import."""
    code = "import sys, exercises.bank; exercises.bank.graded_dir(); print('jsonschema' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_bank_folders_import_nothing_of_the_kit():
    """The public and graded folders are found without loading items, checks or the schema:
    exercises.paths, where they are drawn, is the bottom layer of exercises/."""
    code = ("import sys, exercises.paths; exercises.paths.graded_dir(); exercises.paths.public_files();"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('exercises', 'protocol', 'case_studies')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['exercises', 'exercises.paths']"


def test_template_with_unknown_placeholder(bank_copy):
    from exercises.scenarios.templates import check_templates
    path = bank_copy / "templates" / "which-provisions.yaml"
    path.write_text(path.read_text().replace("{name}", "{nickname}"))
    _, problems = check_templates(bank_copy)
    [p] = problems
    assert p.path == path and "nickname" in p.message


def test_citation_answer_mode_is_checked(write_item, bank_copy):
    """Several answers: a self-check page reads one citation; a notebook compares the whole list."""
    from exercises.bank import check_bank
    base = """\
id: {id}
type: citation
use: {use}
stem: Cite the provisions on housing and medical assistance.
provisions: ['6(3)(a)', '6(3)(c)']
bloom: remember
difficulty: easy
section:
  page: recovery-of-victims
  heading: Recovery of victims
answer: ['6(3)(a)', '6(3)(c)']
{mode}feedback:
  correct: Right.
  incorrect: Not quite.
"""
    write_item(base.format(id="public-all", use="self-check", mode=""), name="public-all", folder="recovery-of-victims")
    write_item(base.format(id="graded-any", use="graded", mode="answer_mode: any\n"), name="graded-any",
               folder="graded/protection")
    write_item(base.format(id="public-any", use="self-check", mode="answer_mode: any\n"), name="public-any",
               folder="recovery-of-victims")
    write_item(base.format(id="bad-mode", use="graded", mode="answer_mode: some\n"), name="bad-mode",
               folder="graded/protection")
    _, problems = check_bank(bank_copy)
    by_file = {p.path.stem: p for p in problems}
    assert "reads one citation" in by_file["public-all"].message and by_file["public-all"].line == 11
    assert "compare the whole list" in by_file["graded-any"].message and by_file["graded-any"].line == 12
    assert "'some' is not one of all, any" in by_file["bad-mode"].message
    assert "public-any" not in by_file
    assert set(by_file) == {"public-all", "graded-any", "bad-mode"}


# ---- Robustness: missing module text, template options, citation order, matching ids, wording ----

QUOTED = GOOD.replace("  heading: Privacy and legal proceedings\n",
                      "  heading: Privacy and legal proceedings\n  quote: including when redacting court judgements\n")


def _no_module_text(monkeypatch, tmp_path):
    from exercises import sections
    monkeypatch.setenv("EXERCISES_MODULE_TEXT", str(tmp_path / "absent.txt"))
    monkeypatch.setattr(sections, "module_text_path", lambda: None)
    sections.module_text.cache_clear()
    import exercises.checks as checks
    checks._warn_module_text_missing.cache_clear()


def test_missing_module_text_warns(bank_copy, write_item, monkeypatch, tmp_path, capsys):
    from exercises import sections
    _no_module_text(monkeypatch, tmp_path)
    monkeypatch.delenv("CI", raising=False)
    try:
        path = write_item(QUOTED.format(id="broken-item"))
        assert problems_in(bank_copy, path) == []
        err = capsys.readouterr().err
        assert err.count("warning: section/quote checks skipped") == 1 and "EXERCISES_MODULE_TEXT" in err
    finally:
        sections.module_text.cache_clear()


def test_missing_module_text_fails_in_ci(bank_copy, write_item, monkeypatch, tmp_path):
    from exercises import sections
    _no_module_text(monkeypatch, tmp_path)
    monkeypatch.setenv("CI", "true")
    try:
        path = write_item(QUOTED.format(id="broken-item"))
        [p] = problems_in(bank_copy, path)
        assert p.line == 11 and "module text is missing" in p.message
    finally:
        sections.module_text.cache_clear()


def test_template_option_no_rule_derives(bank_copy):
    from exercises.scenarios.templates import check_templates
    path = bank_copy / "templates" / "which-provisions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("'8(4)', '14']", "'8(4)', '8(5)', '14']"), encoding="utf-8")
    _, problems = check_templates(bank_copy)
    [p] = [p for p in problems if p.path == path]
    assert "no rule in exercises/scenarios/rules.py derives '8(5)'" in p.message
    assert p.line == text.splitlines().index(next(line for line in text.splitlines() if line.startswith("options:"))) + 1


def test_rule_for_unknown_provision_is_a_clear_key_error():
    from exercises.scenarios.rules import rule_for
    with pytest.raises(KeyError, match="no rule"):
        rule_for("8(5)")


CITE = """\
id: {id}
type: citation
use: graded
stem: Cite the provisions on housing and medical assistance.
provisions: ['6(3)(a)', '6(3)(c)']
bloom: remember
difficulty: easy
section:
  page: recovery-of-victims
  heading: Recovery of victims
answer: {answer}
feedback:
  correct: Right.
  incorrect: Not quite.
"""


def test_graded_citation_answer_in_treaty_order(bank_copy, write_item):
    path = write_item(CITE.format(id="out-of-order", answer="['6(3)(c)', '6(3)(a)']"), name="out-of-order",
                      folder="graded/protection")
    [p] = problems_in(bank_copy, path)
    assert p.line == 11 and "treaty order" in p.message and "['6(3)(a)', '6(3)(c)']" in p.message
    ok = write_item(CITE.format(id="in-order", answer="['6(3)(a)', '6(3)(c)']"), name="in-order",
                    folder="graded/protection")
    assert problems_in(bank_copy, ok) == []


MATCH = """\
id: broken-item
type: matching
use: self-check
stem: Match each measure to its provision.
provisions: ['6(1)', '6(2)(a)']
bloom: understand
difficulty: easy
section:
  page: privacy-and-legal-proceedings
  heading: Privacy and legal proceedings
pairs:
  - prompt: Keeping the victim's name out of the press
    answer: '6(1)'
  - prompt: Telling the victim when the hearing is
    answer: 'Art. 6(2)(a)'
distractors: ['6(3)(e)', 'The receiving State']
"""


def test_matching_answers_and_distractors_that_are_citations_are_canonical(bank_copy, write_item):
    path = write_item(MATCH)
    problems = problems_in(bank_copy, path)
    by_line = {p.line: p.message for p in problems}
    assert "write the canonical id '6(2)(a)'" in by_line[15]
    assert "unknown provision" in by_line[16] and "points (a) to (d)" in by_line[16]
    assert len(problems) == 2  # 'The receiving State' is not a citation


@pytest.mark.parametrize("text, line", [
    ("content_note: The case of a child prostitute.\n", 11),
    ("assumptions:\n  - An illegal alien in the invented case.\n", 12),
])
def test_wording_check_reads_content_notes_and_assumptions(bank_copy, write_item, text, line):
    path = write_item(GOOD.format(id="broken-item").replace("options:\n", text + "options:\n"))
    [p] = problems_in(bank_copy, path)
    assert p.line == line and "wording" in p.message


def test_wording_check_reads_pairs_steps_and_rubrics(bank_copy, write_item):
    essay = """\
id: broken-essay
type: essay
use: graded
stem: Discuss.
provisions: ['6(1)']
bloom: evaluate
difficulty: hard
section:
  page: privacy-and-legal-proceedings
  heading: Privacy and legal proceedings
rubric:
  - criterion: Terms
    points: 1
    descriptor: Calls her a sex slave.
model_answer: She is one of the illegal immigrants.
"""
    path = write_item(essay, name="broken-essay", folder="graded/protection")
    lines = sorted(p.line for p in problems_in(bank_copy, path) if "wording" in p.message)
    assert lines == [14, 15]
    path = write_item(MATCH.replace("Keeping the victim's name out of the press",
                                    "Keeping the child prostitute's name out of the press")
                      .replace("'Art. 6(2)(a)'", "'6(2)(a)'").replace("'6(3)(e)', ", ""))
    [p] = problems_in(bank_copy, path)
    assert p.line == 12 and "wording" in p.message
