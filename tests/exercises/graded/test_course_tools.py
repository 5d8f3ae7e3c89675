"""The student module (exercises/graded/course_tools.py): what a student's check says of an
answer, what show() and facts() give, and that the bundle released beside a notebook runs on
the standard library alone, with the course's one citation parser."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import protocol
from exercises.graded import bundle, course_tools
from exercises.sections import REPO

# The questions of the capstone: a list of provisions, a number, a letter, an essay.
QUESTIONS = {"q1": {"kind": "citations"}, "q2": {"kind": "number", "unit": "USD"},
             "q3": {"kind": "letter", "options": ["A", "B", "C"]}, "q4": {"kind": "essay"}}
SHARED = {"name": "Dana", "months_worked": 10}


@pytest.fixture
def tools() -> course_tools.Assignment:
    return course_tools.Assignment(bundle.data(QUESTIONS, SHARED))


@pytest.fixture
def released(tmp_path) -> Path:
    """The bundle as it is released beside a notebook."""
    for name, data in bundle.files(QUESTIONS, SHARED).items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def _student(folder: Path, code: str) -> str:
    """Run code as a student's kernel does, in the notebook's folder, with the standard
    library only: no site-packages (so not the course's packages, nor PyYAML)."""
    run = subprocess.run([sys.executable, "-S", "-E", "-c", code], cwd=folder, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("question, answer, message", [
    ("q1", ["6(3)(e)"], "q1: '6(3)(e)' is not a provision: article 6(3) has points (a) to (d)"),
    ("q1", "6(1)", 'write a list, even for one provision: q1 = ["6(1)"]'),
    # A list written as one string: each provision gets its own quotes (never ['6(3)(a), 6(3)(b)']).
    ("q1", "6(3)(a), 6(3)(b)", 'q1: put each provision between its own quotes: q1 = ["6(3)(a)", "6(3)(b)"]'),
    ("q1", "Art. 6(3)(a); 6.4", 'q1: put each provision between its own quotes: q1 = ["Art. 6(3)(a)", "6.4"]'),
    ("q1", [], "not answered yet"),
    ("q1", ["6.1", "Art. 6(1)"], "names the same provision as '6.1'; list it once"),
    ("q1", ["article 9(1)"], "article 9 is not covered by this module"),
    ("q1", 7, 'q1: write a list of provisions: ["…", "…"] (you wrote 7)'),
    ("q2", "1,250 USD", "without quotes, a currency sign, a unit or thousands separators: q2 = 1250"),
    ("q2", "1.250,50 €", "without quotes, a currency sign, a unit or thousands separators: q2 = 1250.50"),
    ("q2", "1250", "q2: write the number in digits only, without quotes, a currency sign, a unit or thousands "
                   "separators: q2 = 1250"),
    ("q2", "1,25", "q2: write the number in digits only, without quotes, a currency sign, a unit, or commas or "
                   "spaces between the thousands, and a point before any decimals (you wrote '1,25')"),
    ("q2", True, "write the number in digits only"),
    ("q2", (1, 250), "(you wrote (1, 250))"),
    ("q2", float("nan"), "q2: write a number"),
    ("q3", "?", "not answered yet: replace ? with A, B or C"),
    ("q3", "D", "'D' is not one of the choices: write A, B or C"),
    ("q3", "AB", "'AB' is not one of the choices: write A, B or C"),
    ("q3", 2, 'q3: write one letter between quotes, such as "A" (you wrote 2)'),
    ("q9", "A", "there is no question 'q9' in this notebook (questions: q1, q2, q3, q4)"),
])
def test_check_explains_a_malformed_answer(tools, capsys, question, answer, message):
    tools.check(question, answer)
    out = capsys.readouterr().out
    assert out.startswith("Not readable yet.") and message in out
    with pytest.raises(course_tools.AnswerFormatError, match="."):
        tools.assert_format(question, answer)
    with pytest.raises(AssertionError):  # what nbgrader counts as a failed test
        tools.normalise(question, answer)


@pytest.mark.parametrize("question, answer, said", [
    ("q1", ["Art. 6(3)(b)", "6.5"], "2 provisions: 6(3)(b), 6(5)"), ("q1", ("14",), "1 provision: 14"),
    ("q2", 1250, "the number 1250"), ("q2", 99.5, "the number 99.5"),
    ("q3", "a", "choice A"), ("q3", " C ", "choice C"),
])
def test_check_accepts_a_readable_answer_without_saying_if_it_is_right(tools, capsys, question, answer, said):
    tools.check(question, answer)
    out = capsys.readouterr().out
    assert out == (f"{question}: the grader can read this answer ({said}). "
                   "Whether it is right is decided after you hand in.\n")


@pytest.mark.parametrize("question, answer, marked", [
    ("q1", ["6(5)", "article 6, paragraph 3 (a)"], ["6(3)(a)", "6(5)"]),  # canonical, in treaty order
    ("q2", 2500, 2500.0), ("q3", " b ", "B"),
])
def test_normalise_gives_the_answer_as_it_is_marked(tools, capsys, question, answer, marked):
    assert tools.normalise(question, answer) == marked
    assert capsys.readouterr().out == f"{question}: answer readable\n"


def test_show_prints_the_official_text_and_says_where_the_module_differs(tools, capsys):
    tools.show("Art. 6(3)")
    out = capsys.readouterr().out
    for p in [protocol.get("6(3)"), *protocol.children("6(3)")]:
        assert f"Article {p.id}: {p.title}\n  Official text: {p.official}\n" in out
    # 6(3)(c): the module leaves out the official text's closing "and"; the rest it quotes as it is.
    assert out.count("The module quotes it in the same words.") == 4
    assert f"The module quotes it in other words: {protocol.get('6(3)(c)').text}" in out
    assert out.endswith(f"Source of the official text: {protocol.OFFICIAL_SOURCE}.\n")
    assert "vol. 2237, p. 319" in out
    tools.show("6(3)(e)")
    assert capsys.readouterr().out == "'6(3)(e)' is not a provision: article 6(3) has points (a) to (d)\n"


@pytest.mark.parametrize("citation, official, module", [
    ("6(4)", "shall take into account, in applying", '"...Party shall consider, in..." where the official text has '
                                                     '"...Party shall take into account, in..."'),
    ("7(2)", "shall give appropriate consideration to humanitarian", '"...Party shall consider humanitarian and..."'),
    ("6(6)", "compensation for damage suffered.", '"...compensation for damages suffered."'),
])
def test_show_gives_the_official_words_where_a_question_turns_on_them(tools, capsys, citation, official, module):
    tools.show(citation)
    out = capsys.readouterr().out
    first, second = out.splitlines()[1:3]
    assert first.startswith("  Official text: ") and official in first
    assert second.startswith("  The module quotes it in other words: ")
    assert f"the module has {module}" in out


def test_show_prints_article_14_2_and_says_the_module_does_not_quote_it(tools, capsys):
    tools.show("14(2)")
    out = capsys.readouterr().out
    assert out.startswith(f"Article 14(2): {protocol.get('14(2)').title}\n  Official text: The measures set forth")
    assert "The module does not quote this provision." in out
    tools.show("Art. 14")
    out = capsys.readouterr().out
    assert out.startswith("Article 14: Savings clause\n  (article 14, paragraph 1, of the Protocol)\n")
    assert "non-refoulement" in out and "14(2)" not in out


def test_the_student_modules_source_line_is_the_protocols():
    assert course_tools.OFFICIAL_SOURCE == protocol.OFFICIAL_SOURCE


def test_facts_are_the_students_own_when_released_with_them(tools, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert tools.facts() == SHARED
    (tmp_path / "variant.json").write_text(json.dumps({"student": "s1", "facts": {"name": "Mai"}}), encoding="utf-8")
    assert tools.facts() == {"name": "Mai"}
    (tmp_path / "variant.json").unlink()
    with pytest.raises(LookupError, match="this assignment has no case facts"):
        course_tools.Assignment(bundle.data(QUESTIONS, None)).facts()


def test_the_bundle_runs_on_the_standard_library_beside_the_notebook(released):
    out = _student(released, "import sys, course_tools as t\n"
                             "t.check('q1', ['6(3)(e)'])\n"
                             "t.check('q3', 'b')\n"
                             "t.show('14')\n"
                             "print(t.facts()['name'], t.normalise('q1', ['6.5', '6(3)(a)']))\n"
                             "print(sorted(m for m in ('yaml', 'protocol', 'exercises') if m in sys.modules))\n"
                             "print(t.Citations.__module__)")
    lines = out.splitlines()
    assert lines[0] == "Not readable yet. q1: '6(3)(e)' is not a provision: article 6(3) has points (a) to (d)"
    assert lines[1].startswith("q3: the grader can read this answer (choice B)")
    assert lines[2] == f"Article 14: {protocol.get('14').title}"
    # No PyYAML, none of the course's packages; the parser is the file beside it.
    assert lines[-4:] == ["q1: answer readable", "Dana ['6(3)(a)', '6(5)']", "[]", "citations"]


def test_the_bundle_is_the_repositorys_own_files_and_its_data(released):
    assert (released / "course_tools.py").read_bytes() == (REPO / "exercises" / "graded" / "course_tools.py").read_bytes()
    assert (released / "citations.py").read_bytes() == (REPO / "protocol" / "citations.py").read_bytes()
    data = json.loads((released / "assignment.json").read_text(encoding="utf-8"))
    assert data["questions"] == QUESTIONS and data["shared_facts"] == SHARED
    assert [p["id"] for p in data["provisions"]] == protocol.provision_ids()


def test_the_citation_parser_has_one_implementation():
    """The grammar of a citation is in protocol/citations.py only (the site's reader in the
    browser, _ext/self-check.js, is JavaScript); nothing splices or copies it."""
    import re

    definition = re.compile(r"^(_NOISE = |_SCAN = |class Citations\b|.*inspect\.getsource)", re.MULTILINE)
    defining = []
    for path in sorted(REPO.rglob("*.py")):
        if {".venv", "_build", "node_modules"} & set(path.relative_to(REPO).parts):
            continue
        if definition.search(path.read_text(encoding="utf-8")):
            defining.append(path.relative_to(REPO).as_posix())
    assert defining == ["protocol/citations.py"]


def test_the_parser_imports_nothing_of_the_course():
    text = (REPO / "protocol" / "citations.py").read_text(encoding="utf-8")
    imports = sorted({line.split()[1] for line in text.splitlines() if line.startswith(("import ", "from "))})
    assert imports == ["__future__", "collections.abc", "re", "typing"]
