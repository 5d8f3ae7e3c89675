"""The outcome directives, and the model answers to the case studies' questions for class: in
the lecturer's own build, never in the public one.

Each test builds a one-page Sphinx project with the course's own extensions (a real Sphinx
build, in seconds), reading the real outcomes file, bank, case pages and model answers; the
last tests read the built course site (COURSE_SITE_DIR) as it is published.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path

import pytest

from tests.book.site_text import ROOT

sys.path.insert(0, str(ROOT / "_ext"))
import class_answers  # noqa: E402

from exercises.bank import GRADED_ENV, graded_dir, load_bank  # noqa: E402
from exercises.coverage import by_outcome  # noqa: E402
from exercises.outcomes import load_outcomes  # noqa: E402

ANSWERS = graded_dir(ROOT / "exercises" / "bank") / class_answers.FILE
CONF = """\
extensions = ["myst_parser", "protocol_text", "outcomes", "class_answers"]
myst_enable_extensions = ["colon_fence"]
smartquotes = False
exclude_patterns = ["_build"]
"""


def _build(tmp_path: Path, page: str, lecturer: bool = False, warnings: list | None = None) -> str:
    """Build a one-page project holding `page`; the HTML of that page."""
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(f"import sys\nsys.path.insert(0, {str(ROOT / '_ext')!r})\n" + CONF, encoding="utf-8")
    (src / "index.md").write_text("# Test page\n\n" + page, encoding="utf-8")
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)
    log = io.StringIO()
    app = Sphinx(str(src), str(src), str(out), str(tmp_path / "doctrees"), "html", status=None, warning=log,
                 freshenv=True, confoverrides={"course_lecturer_build": lecturer})
    app.build()
    if warnings is not None:
        warnings.append(log.getvalue())
    return (out / "index.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).replace("&quot;", '"').replace("&#8217;", "'").split())


@pytest.fixture(autouse=True)
def _course_graded_folder(monkeypatch):
    monkeypatch.delenv(GRADED_ENV, raising=False)
    monkeypatch.delenv(class_answers.SWITCH, raising=False)


def _answer_sentences() -> list[str]:
    """Words of each answer's marking notes, the kit's own (a model answer may open with the
    module's words, which are public): none may reach a public page."""
    text = ANSWERS.read_text(encoding="utf-8")
    notes = re.findall(r"\*\*Marking notes\.\*\* Strong: (.+)", text)
    assert len(notes) == 17
    return [re.split(r"[.;:(]", n.replace("*", ""))[0][:60] for n in notes]


# ---- {outcomes} and {outcome-coverage} -----------------------------------------------------

def test_the_outcomes_directive_lists_the_files_outcomes_in_order(tmp_path):
    html = _build(tmp_path, "```{outcomes}\n```\n")
    [ol] = re.findall(r"<ol\b.*?</ol>", html, flags=re.S)
    items = [_text(li) for li in re.findall(r"<li>(.*?)</li>", ol, flags=re.S)]
    assert items == [o.text for o in load_outcomes().values()]


def test_a_wrong_outcomes_file_fails_the_page_naming_its_line(tmp_path, monkeypatch):
    import exercises.outcomes as outcomes

    bad = tmp_path / "outcomes.yaml"
    bad.write_text("outcomes:\n  - id: a\n    level: use\n    text: A.\n", encoding="utf-8")
    monkeypatch.setattr(outcomes, "OUTCOMES_PATH", bad)
    warnings: list[str] = []
    _build(tmp_path, "```{outcomes}\n```\n", warnings=warnings)
    assert f"{bad}:3: outcome a: level 'use' is not one of" in warnings[0]


def test_the_coverage_table_counts_items_and_never_names_a_graded_item(tmp_path):
    html = _build(tmp_path, "```{outcome-coverage}\n```\n")
    items = load_bank()
    rows = by_outcome(items)
    cells = [[_text(td) for td in re.findall(r"<td.*?</td>", tr, flags=re.S)]
             for tr in re.findall(r"<tr.*?</tr>", html, flags=re.S)][1:]
    assert [c[0].split(";")[0].rstrip(")") for c in cells] == [f"{n}. {r.outcome.label} ({r.outcome.level}"
                                                               for n, r in enumerate(rows, 1)]
    assert [c[1:] for c in cells] == [[f"{r.self_check} ({r.self_check_at_level})", f"{r.graded} ({r.graded_at_level})"]
                                      for r in rows]
    assert [("fewer than 3" in c[0]) for c in cells] == [not r.ok for r in rows]
    page = _text(html)
    for item in items:
        if not item.public:
            assert item.id not in html and (not item.title or item.title not in page), item.id


def test_the_coverage_table_without_the_graded_folder_says_it_counted_none(tmp_path, monkeypatch):
    monkeypatch.setenv(GRADED_ENV, str(tmp_path / "no-graded-folder"))
    html = _build(tmp_path, "```{outcome-coverage}\n```\n")
    assert "Graded items were not counted" in _text(html)


# ---- {class-answers} ------------------------------------------------------------------------

def test_the_public_build_shows_no_model_answer_and_reads_none(tmp_path):
    html = _build(tmp_path, "```{class-answers}\n```\n")
    text = _text(html)
    assert "make lecturer-site" in text
    assert not [s for s in _answer_sentences() if s in text]
    assert "Model answer." not in text
    # Nothing was read from the graded folder, so not even the build environment holds them.
    doctrees = b"".join(p.read_bytes() for p in (tmp_path / "doctrees").rglob("*"))
    assert b"Model answer." not in doctrees and str(ANSWERS).encode() not in doctrees


def test_the_lecturer_build_shows_every_question_with_its_answer(tmp_path):
    html = _build(tmp_path, "```{class-answers}\n```\n", lecturer=True)
    text = _text(html)
    questions = {case: class_answers.case_questions(case) for case in class_answers.cases()}
    assert sum(map(len, questions.values())) == 17
    assert len(re.findall(r'class="[^"]*\bclass-answer\b', html)) == 17
    for sentence in _answer_sentences():
        assert sentence in text
    for case, qs in questions.items():
        title = class_answers.case_title(case)
        for n in qs:
            assert f"{title}, question {n} {_text(qs[n][0])[:30]}" in text
    # The provisions each answer rests on are links, as everywhere on the site.
    assert text.count("Rests on:") == 17 and len(re.findall(r'class="[^"]*provision-ref', html)) >= 17


def test_the_lecturer_build_refuses_the_public_sites_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(class_answers, "PUBLIC_OUTPUT", tmp_path / "out")
    warnings: list[str] = []
    html = _build(tmp_path, "```{class-answers}\n```\n", lecturer=True, warnings=warnings)
    assert "the public site's folder" in warnings[0] and "Model answer." not in _text(html)


@pytest.mark.parametrize("change, message", [
    (lambda t: t[: t.index(":::{class-answer} savannakhet 6")] + t[t.index(":::{class-answer} sabhnani 1"):],
     "no model answer for savannakhet 6"),
    (lambda t: t.replace(":asks: The award of 500 Euros", ":asks: The award of 600 Euros"),
     "is not how the question on the case page begins"),
    (lambda t: t.replace(":provisions: 8(1), 8(2), 8(3), 8(4)", ":provisions: 8(1), 8(9)"),
     "provisions:"),
])
def test_a_wrong_answers_file_fails_the_lecturer_build(tmp_path, monkeypatch, change, message):
    private = tmp_path / "graded"
    private.mkdir()
    (private / class_answers.FILE).write_text(change(ANSWERS.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setenv(GRADED_ENV, str(private))
    warnings: list[str] = []
    _build(tmp_path, "```{class-answers}\n```\n", lecturer=True, warnings=warnings)
    assert message in warnings[0] and str(private / class_answers.FILE) in warnings[0]


# ---- The published site ------------------------------------------------------------------------

def test_the_published_site_has_the_outcomes_and_no_model_answer(built_site):
    from tests.book.site_text import normalise, read_page

    index = normalise(read_page(built_site / "book" / "index.html").text)
    for o in load_outcomes().values():
        assert normalise(o.text) in index
    guide = normalise(read_page(built_site / "book" / "lecturers-guide.html").text)
    assert "make lecturer-site" in guide
    everything = " ".join(normalise(p.read_text(encoding="utf-8", errors="replace"))
                          for p in built_site.rglob("*") if p.suffix in (".html", ".js", ".json", ".txt"))
    assert not [s for s in _answer_sentences() if normalise(s) in everything]
