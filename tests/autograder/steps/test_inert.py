"""Untrusted output made inert (autograder/steps/inert.py): scripts, event handlers,
javascript: links and active output types are gone from what the lecturer and the student
open; ordinary results (a table, text, an image) stay readable; the status says so."""

from __future__ import annotations

import shutil

import nbformat
import pytest
import step_support
from autograder_support import set_answer
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder import config, course, grading, submissions
from autograder.steps import inert
from autograder.steps.inert import make_inert

TABLE = "<table><thead><tr><th>provision</th></tr></thead><tbody><tr><td>6(5)</td></tr></tbody></table>"


def _nb(*cells):
    return new_notebook(cells=list(cells))


def _code(outputs, gid=None):
    c = new_code_cell("x")
    c.outputs = outputs
    if gid:
        c.metadata["nbgrader"] = {"grade_id": gid}
    return c


@pytest.mark.parametrize("hostile", [
    "<script>fetch('/api/contents')</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<iframe src="/tree"></iframe>',
    "<svg><script>alert(1)</script></svg>",
])
def test_active_html_in_an_output_or_a_markdown_cell_is_made_text(hostile):
    nb = _nb(_code([new_output("display_data", data={"text/html": hostile, "text/plain": "shown"})], gid="q2"),
             new_markdown_cell(f"My answer. {hostile}"))
    notes = make_inert(nb)
    assert notes == ["scripts or active HTML removed from q2, cell 2 (shown as text)"]
    for text in (nb.cells[0].outputs[0].data["text/html"], nb.cells[1].source):
        low = text.lower()
        assert "<script" not in low and "<iframe" not in low and "onerror=\"" not in low
        assert 'href="javascript:' not in low
    assert nb.cells[0].outputs[0].data["text/plain"] == "shown"


def test_output_types_that_run_code_are_removed():
    nb = _nb(_code([new_output("display_data", data={"application/javascript": "alert(1)", "text/plain": "t",
                                                     "application/vnd.jupyter.widget-view+json": {"model_id": "m"}})]))
    assert make_inert(nb) == ["scripts or active HTML removed from cell 1 (shown as text)"]
    assert set(nb.cells[0].outputs[0].data) == {"text/plain"}


def test_ordinary_results_stay_as_they_are_and_nothing_is_reported():
    png = "iVBORw0KGgo="
    nb = _nb(_code([new_output("execute_result", data={"text/html": TABLE, "text/plain": "df"}, execution_count=1),
                    new_output("display_data", data={"image/png": png}),
                    new_output("stream", name="stdout", text="<script> is only text here\n")]),
             new_markdown_cell("**Answer.** Article 6(5) applies; *see* the [module](https://example.org)."))
    assert make_inert(nb) == []
    assert nb.cells[0].outputs[0].data["text/html"] == TABLE
    assert nb.cells[0].outputs[1].data["image/png"] == png
    assert nb.cells[0].outputs[2].text == "<script> is only text here\n"


def test_as_a_step_the_autograded_notebook_is_kept_inert_and_the_status_says_so():
    nb = step_support.answered()
    step_support.cell(nb, "q1").outputs = [new_output("display_data", data={"text/html": "<script>x()</script>"})]
    w = step_support.work(nb)
    inert.run(w)
    assert w.result.notes == ["scripts or active HTML removed from q1 (shown as text)"]
    kept = nbformat.reads(w.result.autograded[f"{step_support.NAME}.ipynb"].decode("utf-8"), as_version=4)
    assert "<script>" not in step_support.cell(kept, "q1").outputs[0].data["text/html"]


def test_a_hostile_notebook_reaches_no_one_with_its_scripts(tmp_path):
    """Graded end to end: the feedback page and the autograded notebook hold no student script,
    the points are the same, and the status says what was removed."""
    assignment = "protection"
    settings = config.settings()
    course.release(assignment, tmp_path / "released", settings=settings)
    folder = tmp_path / "submitted" / "mallory" / assignment
    shutil.copytree(tmp_path / "released" / assignment, folder)
    nb_path = folder / f"{assignment}.ipynb"
    set_answer(nb_path, "q1", '"A"')
    nb = nbformat.read(nb_path, as_version=4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1")
    answer.source += ("\nfrom IPython.display import HTML, Javascript, display\n"
                      "display(HTML('<img src=x onerror=\"fetch(`/api/contents`)\">'))\n"
                      "display(Javascript('alert(document.cookie)'))")
    nb.cells.append(nbformat.v4.new_markdown_cell("<script>alert('markdown')</script>"))
    nbformat.write(nb, nb_path)
    out = tmp_path / "out"
    run = grading.grade(assignment, submissions.find(tmp_path / "submitted", assignment), out, jobs=1,
                        settings=settings, progress=False)
    row = run.rows[0]
    assert "scripts or active HTML removed from q1, cell" in row["status"], row["status"]
    page = (out / "feedback" / "mallory" / assignment / f"{assignment}.html").read_text(encoding="utf-8")
    assert _active_elements(page) == []
    graded = nbformat.read(out / "autograded" / "mallory" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in graded.cells:  # what formgrader renders: outputs and markdown
        assert _active_elements(cell.source if cell.cell_type == "markdown" else "") == []
        for output in cell.get("outputs", []):
            assert "application/javascript" not in output.get("data", {})
            assert _active_elements(output.get("data", {}).get("text/html", "")) == []
    assert row["auto_score"] == 1.0  # q1 right: the same points as without the scripts


def _active_elements(page: str) -> list[str]:
    """Elements a browser would run: event-handler attributes, javascript: links, and scripts
    that are the student's (nbgrader's own page has scripts of its own, without these words)."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Finder(HTMLParser):
        script = False

        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                    found.append(f"<{tag} {name}={value!r}>")
            self.script = tag == "script"

        def handle_data(self, data):
            if self.script and ("alert(" in data or "/api/contents" in data):
                found.append(f"<script>{data[:40]}")

        def handle_endtag(self, tag):
            self.script = False

    Finder().feed(page)
    return found
