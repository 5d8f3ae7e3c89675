"""What a student sees when an answer is written in a way Python cannot run, in a real kernel.

Every assignment is released as students get it (``python -m autograder release``), and its
cells run in a real ipykernel through nbclient, in the released folder, as Jupyter runs them:

- the first question's answer cell, run first and alone (no setup cell above it), prints the
  plain line of the check and no error;
- each slip a student makes (an unquoted value, curly quotes, a list written as one string, a
  missing bracket or quote, a misspelt name, a number with a currency sign or thousands
  separators) ends in one line that says what to type: no error output, no traceback, no
  warning; and that line is the same for every question of its kind, whatever its key, so it
  says nothing of the right answer.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from kernel_support import ipc_config
from nbclient import NotebookClient

from exercises.assignments.build import assignment_names

ANSWER_LINE = re.compile(r"^(q\d+) = .*$", re.M)

# (what the student writes, with Q for the question's name; what the line printed must say)
SLIPS = {
    "letter": [
        ("Q = A", 'put the letter between quotes: Q = "A"'),
        ("Q = b", 'put the letter between quotes: Q = "b"'),
        ("Q = \u201cA\u201d", 'type straight quotes " from the keyboard'),
        ("Q = \u2018B\u2019", 'not the curly quotes'),
        ('Q = "A', 'a quote is missing: each value needs one " before it and one after it: Q = "A"'),
        ("Q = 6(3)(a)", 'write one letter between quotes, such as "A"'),
        ("BIG = \"A\"", "the answer line must start with Q = as it did (you wrote BIG =)"),
        ("SPACED = \"A\"", "the answer line must start with Q = as it did (you wrote SPACED =)"),
    ],
    "citations": [
        ("Q = 6(3)(a)", 'put each provision between quotes, and square brackets around the list: Q = ["6(3)(a)"]'),
        ("Q = [6(3)(a), 6(3)(b)]", 'square brackets around the list: Q = ["6(3)(a)", "6(3)(b)"]'),
        ('Q = "6(3)(a), 6(3)(b)"', 'put each provision between its own quotes: Q = ["6(3)(a)", "6(3)(b)"]'),
        ("Q = [\u201c6(3)(a)\u201d, \u201c6(4)\u201d]", 'straight quotes " from the keyboard'),
        ('Q = ["6(3)(a)", "6(4)"', "a square bracket is missing"),
        ('Q = ["6(3)(a), "6(4)"]', "a quote is missing"),
        ('Q = ["6(3)(a)"; "6(4)"]', 'separate the values with commas, not semicolons: Q = ["6(3)(a)", "6(4)"]'),
        ("Q = Art. 6(3)(b)", 'Q = ["Art. 6(3)(b)"]'),
        ("BIG = [\"6(1)\"]", "the answer line must start with Q = as it did (you wrote BIG =)"),
    ],
    "number": [
        ("Q = $1,250", "without quotes, a currency sign, a unit or thousands separators: Q = 1250"),
        ("Q = 1,250", "Q = 1250"),
        ('Q = "1,250 USD"', "Q = 1250"),
        ("Q = 1 250", "Q = 1250"),
        ("Q = 1250 USD", "Q = 1250"),
        ("Q = \u20ac1.250,50", "Q = 1250.50"),
        ("Q = \u201c1250\u201d", "Q = 1250"),
        ("Q = twelve hundred", "write the number in digits only"),
        ("BIG = 1250", "the answer line must start with Q = as it did (you wrote BIG =)"),
    ],
}


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """Every assignment as students get it (the shared facts)."""
    from autograder import config, course

    out = tmp_path_factory.mktemp("released")
    for name in assignment_names():
        course.release(name, out, settings=config.settings())
    return out


def answer_cells(notebook: Path) -> list[tuple[str, str, str]]:
    """(question, kind, source) of each answer cell a student edits."""
    nb = nbformat.read(notebook, as_version=4)
    out = []
    for cell in nb.cells:
        nbg = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and nbg.get("solution") and not nbg.get("locked"):
            out.append((nbg["grade_id"], cell.metadata["course"]["kind"], cell.source))
    return out


def run(folder: Path, sources: list[str]) -> list[list[dict]]:
    """Run the cells in one fresh kernel, in the notebook's folder; the outputs of each."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=120, config=ipc_config(folder),
                   resources={"metadata": {"path": str(folder)}}).execute()
    return [c.outputs for c in nb.cells]


def one_line(outputs: list[dict]) -> str:
    """The single line a cell printed; fails on an error, a traceback, a warning or more."""
    assert [(o["output_type"], o.get("name")) for o in outputs][:1] == [("stream", "stdout")], outputs
    # Jupyter shows consecutive pieces of one stream as one text, as the kernel may send them.
    assert all((o["output_type"], o.get("name")) == ("stream", "stdout") for o in outputs), outputs
    text = "".join(o["text"] for o in outputs)
    assert "Traceback" not in text and "Error" not in text and "Warning" not in text, text
    assert text.endswith("\n") and text.count("\n") == 1, text
    return text.strip()


def named(text: str, question: str) -> str:
    """A slip or an expected line for `question`: Q is its name, BIG its name in capitals and
    SPACED its name with a space."""
    text = text.replace("Q", question)
    return text.replace("BIG", question.upper()).replace("SPACED", f"{question[0]} {question[1:]}")


def written(source: str, question: str, slip: str) -> str:
    """The answer cell with its answer line replaced by the slip."""
    line = named(slip, question)
    return ANSWER_LINE.sub(lambda m: line if m.group(1) == question else m.group(0), source)


@pytest.mark.parametrize("assignment", assignment_names())
def test_the_first_answer_cell_run_first_and_alone_prints_a_plain_line(released, assignment):
    folder = released / assignment
    question, kind, source = answer_cells(folder / f"{assignment}.ipynb")[0]
    assert source.startswith("from course_tools import check\n")
    (outputs,) = run(folder, [source])
    line = one_line(outputs)
    assert line.startswith(f"Not readable yet. {question}: not answered yet"), line
    # Right in form: the plain line that the grader can read it.
    value = {"letter": '"A"', "citations": '["6(1)"]', "number": "1000"}[kind]
    (outputs,) = run(folder, [written(source, question, f"Q = {value}")])
    assert one_line(outputs).startswith(f"{question}: the grader can read this answer")


def test_every_slip_gets_one_line_that_says_what_to_type_and_nothing_of_the_key(released):
    by_kind: dict[str, list[tuple[Path, str, str]]] = {}
    for name in assignment_names():
        for question, kind, source in answer_cells(released / name / f"{name}.ipynb"):
            by_kind.setdefault(kind, []).append((released / name, question, source))
    assert set(SLIPS) <= set(by_kind), by_kind.keys()
    for kind, slips in SLIPS.items():
        said: dict[str, set[str]] = {}
        for folder, question, source in by_kind[kind][:3]:  # three questions, three keys, one line
            # The cell as released, run once (as a student first runs it), then each slip.
            cells = [source] + [written(source, question, slip) for slip, _ in slips]
            outputs = run(folder, cells)
            for (slip, expected), out in zip(slips, outputs[1:]):
                line = one_line(out)
                assert line.startswith(f"Not readable yet. {question}: "), (slip, line)
                assert named(expected, question) in line, (question, slip, line)
                said.setdefault(slip, set()).add(line.replace(question.upper(), "BIG").replace(question, "Q")
                                                 .replace(f"{question[0]} {question[1:]}", "SPACED"))
        # The same slip gets the same line in every question of a kind: it cannot depend on the key.
        for slip, lines in said.items():
            assert len(lines) == 1, (kind, slip, lines)


def test_a_slip_in_the_check_line_is_named_as_such_not_blamed_on_the_answer(released):
    """A readable answer, and a check line misspelt or left without its closing bracket: the
    sentence points to that line (it once asked for quotes the answer already had)."""
    name = assignment_names()[0]
    folder = released / name
    question, kind, source = answer_cells(folder / f"{name}.ipynb")[0]
    value = {"letter": '"A"', "citations": '["6(1)"]', "number": "1000"}[kind]
    answered = written(source, question, f"Q = {value}")
    call = f'check("{question}", {question})'
    assert call in answered
    cells = [answered.replace(call, f'chek("{question}", {question})'), answered.replace(call, call[:-1])]
    for out in run(folder, cells):
        assert one_line(out) == (f"Not readable yet. {question}: keep the last line of the cell as it was: "
                                 f"{call}")


def test_several_provisions_in_one_quoted_value_of_a_list_are_split_for_the_student(released):
    for name in assignment_names():
        cells = [c for c in answer_cells(released / name / f"{name}.ipynb") if c[1] == "citations"]
        if cells:
            question, _, source = cells[0]
            (out,) = run(released / name, [written(source, question, 'Q = ["6(3)(a), 6(4)"]')])
            assert one_line(out).endswith(f'{question}: put each provision between its own quotes: '
                                          f'{question} = ["6(3)(a)", "6(4)"]')
            return
    pytest.fail("no assignment asks for a list of provisions")


def test_a_provision_given_to_show_without_quotes_gets_one_line_that_says_what_to_type(released):
    """show(8(1)) fails in Python before show() runs ('int' object is not callable): the line says
    to quote it; several provisions at once, and a number, are shown as asked."""
    folder = released / assignment_names()[0]
    setup, *slips, several, number = run(folder, [
        "from course_tools import check, show",
        "show(8(1))", "show(6(3)(b), 6(6))", "show(\u201c8(1)\u201d)", "show(art 7)",
        'show("8(1)", "8(2)")', "show(14)"])
    assert setup == []
    assert [one_line(out) for out in slips] == [
        'show: put each provision between quotes: show("8(1)")',
        'show: put each provision between quotes: show("6(3)(b)", "6(6)")',
        'show: type straight quotes " from the keyboard, not the curly quotes a word processor or phone '
        'puts in: show("8(1)")',
        'show: put each provision between quotes: show("art 7")']
    text = "".join(o.get("text", "") for o in several)
    assert "Article 8(1):" in text and "Article 8(2):" in text and "Error" not in text
    assert "Article 14" in "".join(o.get("text", "") for o in number)


def test_a_check_line_changed_to_another_question_points_back_to_this_one(released):
    name = assignment_names()[0]
    folder = released / name
    (q1, kind, source), (q2, _, _) = answer_cells(folder / f"{name}.ipynb")[:2]
    value = {"letter": '"A"', "citations": '["6(1)"]', "number": "1000"}[kind]
    answered = written(source, q1, f"Q = {value}")
    cells = [answered.replace(f'check("{q1}", {q1})', f'check("{q2}", {q1})'),
             answered.replace(f'check("{q1}", {q1})', f'check("{q2}", {q2})')]
    for out in run(folder, cells):
        assert one_line(out) == (f"Not readable yet. {q1}: this cell answers {q1}, so keep its last line as it "
                                 f'was: check("{q1}", {q1})')


def test_a_slip_in_a_cell_that_is_not_an_answer_cell_is_shown_as_python_shows_it(released):
    name = assignment_names()[0]
    folder = released / name
    _, _, source = answer_cells(folder / f"{name}.ipynb")[0]
    first, other = run(folder, [source, "x = A"])
    one_line(first)
    assert [o["output_type"] for o in other] == ["error"] and other[0]["ename"] == "NameError"


def grader_cells(notebook: Path) -> dict[str, str]:
    """question: source of each of the grader's test cells."""
    nb = nbformat.read(notebook, as_version=4)
    return {c.metadata["course"]["question"]: c.source for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}


def test_the_graders_cell_run_before_the_answer_says_so_in_a_sentence(released):
    """Run All before answering: the grader's cell of an unanswered question, and of one whose
    answer cell has not run, each print one sentence that points to the answer cell."""
    name = assignment_names()[0]
    folder = released / name
    (q1, _, source), (q2, _, _) = answer_cells(folder / f"{name}.ipynb")[:2]
    tests = grader_cells(folder / f"{name}.ipynb")
    _, unanswered, not_run = run(folder, [source, tests[q1], tests[q2]])
    assert one_line(unanswered).startswith(f"Not readable yet. {q1}: not answered yet")
    assert "Write your answer in the cell above" in one_line(unanswered)
    assert one_line(not_run).startswith(f"Not answered yet. {q2}: run your answer cell above first")


def test_under_grading_the_graders_cell_still_fails(released, monkeypatch):
    """nbgrader scores a test cell by its error: under grading it stays AnswerFormatError."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    name = assignment_names()[0]
    folder = released / name
    question, _, source = answer_cells(folder / f"{name}.ipynb")[0]
    _, test = run(folder, [source, grader_cells(folder / f"{name}.ipynb")[question]])
    assert [o["output_type"] for o in test] == ["error"] and test[0]["ename"] == "AnswerFormatError"


def test_under_grading_nothing_is_installed(released, monkeypatch):
    """nbgrader and the course's grader set NBGRADER_EXECUTION: a slip stays Python's error, so
    every cell scores as it always has."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    name = assignment_names()[0]
    folder = released / name
    question, _, source = answer_cells(folder / f"{name}.ipynb")[0]
    _, slip = run(folder, [source, written(source, question, "Q = A")])
    assert [o["output_type"] for o in slip] == ["error"] and slip[0]["ename"] == "NameError"


@pytest.mark.parametrize("assignment", assignment_names())
def test_one_cell_to_edit_per_question_and_the_notebook_says_where_the_work_is_kept(released, assignment):
    nb = nbformat.read(released / assignment / f"{assignment}.ipynb", as_version=4)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
    assert tests, assignment
    for cell in tests:  # the grader's cell: folded, and says so in the line that stays visible
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, cell.id
        assert cell.source.startswith("# Used by the grader; leave as it is.\n"), cell.source
    top = next(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "**Where your work is kept.**" in top and "in this browser" in top and "**Download to hand in**" in top


def test_semicolons_in_a_letter_answer_get_the_letters_form_not_a_list(released):
    for name in assignment_names():
        cells = [c for c in answer_cells(released / name / f"{name}.ipynb") if c[1] == "letter"]
        if cells:
            question, _, source = cells[0]
            _, out = run(released / name, [source, written(source, question, 'Q = ["6(3)(a)"; "6(4)"]')])
            line = one_line(out)
            assert "semicolons" not in line and "[" not in line.split(":", 1)[1], line
            return
    pytest.fail("no assignment asks for a letter")
