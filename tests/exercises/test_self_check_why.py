"""Every self-check question says why its answer is what it is, and names the module passage it
rests on: `check` requires the why, the public-twin check reads it, the page shows it (hidden until
an answer is checked) with the passage linked to its heading on the site."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from bank_support import GOOD

from exercises import checks
from exercises.bank import GRADED_ENV, check_bank, load_bank
from exercises.items import from_dict
from exercises.render.selfcheck import Passage, item_form, page_html, provision_link
from exercises.sections import PAGES, REPO

EXT = REPO / "_ext"


@pytest.fixture(autouse=True)
def _graded_folder_of_the_copy(monkeypatch):
    monkeypatch.delenv(GRADED_ENV, raising=False)


def _sentences(text: str) -> int:
    # A full stop, then a capital: "(2013, p. 278)" and "Art. 6" do not end a sentence.
    return len(re.findall(r"[.!?][\"”)]?\s+(?=[A-Z\"“])", " ".join(text.split()))) + 1


def test_every_self_check_item_says_why_in_one_to_three_sentences():
    public = load_bank(use="self-check")
    assert public and all(i.feedback_why for i in public), [i.id for i in public if not i.feedback_why]
    too_long = [(i.id, _sentences(i.feedback_why)) for i in public if _sentences(i.feedback_why) > 3]
    assert too_long == []


def test_a_self_check_item_without_why_is_a_problem_at_its_feedback(bank_copy, write_item):
    text = GOOD.format(id="no-why").replace("options:", "feedback:\n  correct: Right.\noptions:")
    path = write_item(text, name="no-why", why=False)
    found = [p for p in check_bank(bank_copy)[1] if p.path == path]
    assert [(p.line, p.message.split(":")[0]) for p in found] == [(11, "feedback/why is missing")]
    assert "add 'why: ...' under 'feedback:'" in found[0].message


def test_without_a_feedback_block_the_problem_is_at_its_section(bank_copy, write_item):
    path = write_item(GOOD.format(id="no-why"), name="no-why", why=False)
    [problem] = [p for p in check_bank(bank_copy)[1] if p.path == path]
    assert problem.line == 8 and problem.message.startswith("feedback/why is missing")


def test_a_graded_item_needs_no_why(bank_copy, write_item):
    text = GOOD.format(id="graded-no-why").replace("use: self-check", "use: graded")
    path = write_item(text, name="graded-no-why", folder="graded/privacy-and-legal-proceedings", why=False)
    assert [p for p in check_bank(bank_copy)[1] if p.path == path] == []


def _item(**fields):
    base = {"type": "single", "stem": "Which provision applies?", "provisions": ["6(5)"], "outcomes": ["x"],
            "bloom": "apply", "difficulty": "medium", "section": {"page": "physical-safety", "heading": "Physical safety"},
            "options": [{"text": "Article 6(5)", "correct": True, "feedback": "Right."},
                        {"text": "Article 6(1)", "feedback": "No."}, {"text": "Article 6(6)", "feedback": "No."}]}
    return from_dict({**base, **fields})


def test_a_why_that_answers_a_graded_question_makes_a_public_twin():
    """The why is on the site beside the answer: a graded question it answers is a public twin,
    though the public question's stem alone is far from it."""
    graded = _item(id="graded-threat", use="graded",
                   stem="A prosecutor's witness is threatened by the trafficker's cousin while she waits for the "
                        "trial in a hostel. Which provision asks the State to endeavour to keep her safe?")
    why = ("Article 6(5) covers harm from anyone, not only the traffickers: a threat from a trafficker's cousin "
           "to a witness waiting for the trial in a hostel engages the State's endeavour to keep her safe.")
    public = _item(id="public-safety", use="self-check", stem="What does the module say about witnesses?")
    assert checks.twins([graded, public]) == []
    [twin] = checks.twins([graded, _item(id="public-safety", use="self-check",
                                         stem="What does the module say about witnesses?", feedback={"why": why})])
    assert twin.public.id == "public-safety" and {"cousin", "hostel"} <= set(twin.shared)


def test_no_shipped_why_makes_a_public_twin():
    """The twins of the bank with its why texts are those it has without them: no why gives a
    graded answer away."""
    items = load_bank()
    pairs = {(t.graded.id, t.public.id) for t in checks.twins(items)}
    without = {(t.graded.id, t.public.id) for t in checks.twins([replace(i, feedback_why=None) for i in items])}
    assert pairs - without == set()


def _why_box(form: ET.Element) -> ET.Element:
    return next(e for e in form.iter("div") if e.get("class") == "sc-why")


def test_the_form_carries_why_and_the_passage_verbatim_hidden_until_checked():
    item = next(i for i in load_bank(use="self-check") if i.id == "comp-tvpa-restitution")
    box = _why_box(item_form(item, 1, provision_link("book/self-check/compensation")))
    text = " ".join("".join(box.itertext()).split())
    assert box.get("hidden") == "hidden"
    assert text.startswith("Why: " + " ".join(item.feedback_why.split()))
    assert f"In the module: {PAGES['compensation']}: {item.section.heading}" in text
    assert f"\u201c{item.section.quote}\u201d" in text
    assert not [a for a in box.iter("a") if a.get("class") == "sc-passage-link"]  # no site: named, not linked


def test_the_passage_is_linked_where_the_site_resolves_it():
    item = next(i for i in load_bank(use="self-check") if i.id == "a6-cite-compensation")
    html = page_html([item], "book/self-check/article-6",
                     passage=lambda s: Passage("Protection and assistance (article 6)", s.heading, "../article-6.html#box-2"))
    assert ('<a href="../article-6.html#box-2" class="sc-passage-link">'
            "Protection and assistance (article 6): Box 2, Article 6</a>") in html
    assert "sc-quote" not in html  # the item quotes nothing: no quotation is made up


# ---- In a small Sphinx project: the heading is linked, or its absence is a build warning ---------

QUIZ = "# Quiz\n\n```{self-check} physical-safety\n```\n\n```{toctree}\n:hidden:\nbook/physical-safety\n```\n"


def _build(tmp_path: Path, safety_page: str | None) -> tuple[subprocess.CompletedProcess, Path]:
    src = tmp_path / "src"
    (src / "book").mkdir(parents=True)
    (src / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(EXT)!r})
        extensions = ["myst_parser", "self_check"]
        """), encoding="utf-8")
    (src / "index.md").write_text(QUIZ if safety_page is not None else QUIZ.split("```{toctree}")[0], encoding="utf-8")
    if safety_page is not None:
        (src / "book" / "physical-safety.md").write_text(safety_page, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", str(src),
                             str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    return result, tmp_path / "out"


SAFETY = "# Physical safety\n\nText.\n\n(box-2)=\n## Box 2\n\nArticle 6.\n"


def test_passages_link_to_the_box_label_or_the_heading_of_the_page(tmp_path):
    result, out = _build(tmp_path, SAFETY)
    assert result.returncode == 0, result.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'<a href="([^"]+)" class="sc-passage-link">', html))
    assert links == {"book/physical-safety.html#physical-safety", "book/physical-safety.html#box-2"}
    target = (out / "book" / "physical-safety.html").read_text(encoding="utf-8")
    assert all(f'id="{link.split("#")[1]}"' in target for link in links)


def test_a_heading_the_page_does_not_have_is_a_warning_at_the_item(tmp_path):
    result, _ = _build(tmp_path, SAFETY.replace("# Physical safety", "# Safety of victims"))
    assert result.returncode != 0
    line = next(line for line in result.stderr.splitlines() if "section heading 'Physical safety'" in line)
    m = re.match(rf"({re.escape(str(REPO / 'exercises' / 'bank' / 'physical-safety'))}/[\w-]+\.yaml):(\d+): WARNING", line)
    assert m, line
    lines = Path(m.group(1)).read_text(encoding="utf-8").splitlines()
    assert lines[int(m.group(2)) - 1] == "  heading: Physical safety"  # the line to fix
    assert "write the heading as the page shows it" in line


def test_a_page_left_out_of_the_site_leaves_the_passage_named_unlinked(tmp_path):
    result, out = _build(tmp_path, None)
    assert result.returncode == 0, result.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "sc-passage-link" not in html and "In the module: </strong>Physical safety" in html
