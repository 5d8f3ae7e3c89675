"""The report's parts on a small gradebook built here: a course error when nothing is graded,
the page escaped and accessible, images drawn without pyplot, the course-wide totals for an LMS."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder import cli
from autograder.errors import CourseError
from autograder.grading import default_db
from autograder.lms import totals
from autograder.paths import tools_on_path
from autograder.steps import report

MARKUP = "<b>\"x'&y</b>"  # a student id a page must show as text


def gradebook(out: Path, assignment: str, marks: dict[str, dict[str, float]]) -> str:
    """One submission per student, one graded cell per question worth 1 point."""
    tools_on_path()  # nbgrader runs `alembic` when it creates a gradebook
    url = default_db(out)
    with warnings.catch_warnings(), Gradebook(url) as gb:
        warnings.filterwarnings("ignore", message=".*not in session.*")
        gb.add_assignment(assignment)
        gb.add_notebook(assignment, assignment)
        questions = sorted({q for row in marks.values() for q in row})
        for q in questions:
            gb.add_grade_cell(q, assignment, assignment, max_score=1.0, cell_type="code")
        for student, row in marks.items():
            gb.update_or_create_student(student)
            gb.add_submission(assignment, student)
            for q, score in row.items():
                g = gb.find_grade(q, assignment, assignment, student)
                g.auto_score, g.needs_manual_grade = score, False
        gb.db.commit()
    return url


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    out = tmp_path_factory.mktemp("report_parts") / "out"
    out.mkdir()
    marks = {f"s{i}": {"q1": float(i % 2), "q2": float(i % 3 > 0)} for i in range(6)}
    url = gradebook(out, "week-1", marks)
    (out / "grades.csv").write_text(
        "assignment,student_id,score,status,sandbox\n"
        f'week-1,"{MARKUP.replace(chr(34), chr(34) * 2)}",0,notebook unreadable: <oops>,none\n', encoding="utf-8")
    source = out.parent / "source"
    (source / "week-1").mkdir(parents=True)
    return {"out": out, "url": url, "source": source, "marks": marks}


def test_nothing_graded_is_a_course_error_the_command_line_prints(course, capsys):
    with Gradebook(course["url"]) as gb:
        gb.add_assignment("week-2")
    (course["source"] / "week-2").mkdir()
    message = "no graded submissions of 'week-2' in the gradebook yet; run `grade` first"
    with pytest.raises(CourseError) as e:
        report.write(course["url"], "week-2", course["out"], course["source"])
    assert str(e.value) == message
    assert cli.main(["report", "week-2", "--out", str(course["out"]), "--source", str(course["source"])]) == 1
    assert capsys.readouterr().err == message + "\n"


def test_the_page_shows_what_students_wrote_as_text_with_headers_and_alt_text(course):
    folder = report.write(course["url"], "week-1", course["out"], course["source"])
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "<b>" not in page and "&lt;b&gt;&#34;x&#39;&amp;y&lt;/b&gt;" in page  # in the warning and the table
    assert "notebook unreadable: &lt;oops&gt;" in page
    tables = re.findall(r"<table>.*?</table>", page)
    assert len(tables) >= 4 and all('<caption>' in t and '<th scope="col"' in t for t in tables)
    assert all(re.search(r'alt="[^"]{20,}"', img) for img in re.findall(r"<img [^>]*>", page))
    for image in re.findall(r'<img src="([^"]+)"', page):
        assert (folder / image).stat().st_size > 0


def test_the_images_are_drawn_without_pyplot(course):
    """The report chooses no matplotlib backend for the process that calls it."""
    code = ("import sys; from pathlib import Path; from autograder.steps import report; "
            f"report.write({course['url']!r}, 'week-1', Path({str(course['out'])!r}), Path({str(course['source'])!r})); "
            "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr


def test_course_totals_for_an_lms_one_row_per_student(course):
    path = totals.export(course["url"], course["out"])
    assert path == course["out"] / "lms_grades.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert set(rows) == set(course["marks"])
    for student, marks in course["marks"].items():
        assert float(rows[student]["week-1"]) == float(rows[student]["total"]) == sum(marks.values())


def test_the_criteria_of_one_essay_are_told_apart_across_terms(tmp_path):
    """The criteria of a hand-marked answer share its bank item: each is compared with the
    same criterion of the earlier term, and the chart draws one line each."""
    import pandas as pd

    from autograder import statistics
    from autograder.steps.report import data, plots

    def row(student: str, grade_id: str, criterion: int, score: float) -> dict:
        return {"student_id": student, "notebook": "capstone", "grade_id": grade_id, "question": grade_id,
                "item": "an-essay" if criterion else "a-choice", "provisions": ("6(3)",),
                "criterion_of": "q4" if criterion else "", "criterion": criterion,
                "score": score, "max_score": 1.0, "pending": False}

    df = pd.DataFrame([row(f"s{i}", gid, c, float((i + c) % 2 or i % 3 == 0))
                       for i in range(20) for gid, c in (("q1", 0), ("q4_c1", 1), ("q4_c2", 2))])
    items = data.item_analysis(df, labels={}, options=False).items
    assert sorted(items["match"]) == ["a-choice", "an-essay criterion 1", "an-essay criterion 2"]
    per_provision = data.summarise(df)[1]
    table = statistics.compare_terms({"last year": items, "this term": items},
                                     {"last year": per_provision, "this term": per_provision}, "this term")
    questions = table[table["kind"] == "question"]
    assert len(questions) == 6 and not questions.duplicated(["name", "term"]).any()
    plots.terms(table, ["last year", "this term"], tmp_path / "terms.png")
    assert (tmp_path / "terms.png").stat().st_size > 0


REPORT_ON_A_PHONE = """() => {
  const root = document.scrollingElement;
  const boxes = [...document.querySelectorAll('table')].map(t => t.parentElement);
  return {page: root.scrollWidth - root.clientWidth,
          unboxed: boxes.filter(b => !b.matches('.wide[role=region][tabindex="0"][aria-label]')).length,
          boxesOffScreen: boxes.filter(b => b.getBoundingClientRect().right > root.clientWidth + 1).length,
          tables: boxes.length, background: getComputedStyle(document.body).backgroundColor};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 390])
def test_the_page_fits_a_phone_and_follows_its_colour_scheme(course, browser, width, scheme):
    """No sideways scrolling of the page: a table wider than the phone scrolls in its own
    labelled box, which a keyboard can reach; dark when the system is."""
    from benchmarks.site_browser import StaticServer

    folder = report.write(course["url"], "week-1", course["out"], course["source"])
    with StaticServer(folder) as server:
        ctx = browser.new_context(viewport={"width": width, "height": 740}, color_scheme=scheme, is_mobile=True)
        page = ctx.new_page()
        page.goto(server.url + "report.html")
        seen = page.evaluate(REPORT_ON_A_PHONE)
        ctx.close()
    assert seen["tables"] >= 4 and seen["unboxed"] == 0 and seen["boxesOffScreen"] == 0, seen
    assert seen["page"] <= 0, seen
    assert (seen["background"] == "rgb(255, 255, 255)") == (scheme == "light"), seen
