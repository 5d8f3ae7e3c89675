"""The site's self-check pages: the `{self-check}` directive (_ext/self_check.py) renders the
bank's public items when the site is built, on the pages that use it and with its own script and
stylesheet, again when the bank changes; accessible markup, links to the treaty text, and a
browser-side citation reader that agrees with protocol.parse."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import protocol
from exercises.render.selfcheck import NotPublic, item_form, page_html, provision_link
from exercises.sections import PAGES, REPO, selfcheck_docname

EXT = REPO / "_ext"
JS = EXT / "self-check.js"


def _extension():
    spec = importlib.util.spec_from_file_location("self_check", EXT / "self_check.py")
    ext = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ext)
    return ext


@pytest.fixture(scope="module")
def questions():
    """What the directive shows: public items per page and their "Other facts" variants."""
    per_page, alternates, _ = _extension().questions(None)
    return per_page, alternates


@pytest.fixture(scope="module")
def pages(questions):
    """Page -> the HTML the directive puts on book/self-check/<page>."""
    per_page, alternates = questions
    return {page: page_html(items, selfcheck_docname(page), alternates) for page, items in per_page.items()}


def test_every_key_issue_page_has_questions(questions):
    per_page, _ = questions
    assert set(per_page) == set(PAGES)
    for page, items in per_page.items():
        assert len(items) >= 3, page


def test_every_key_issue_page_has_a_short_self_check_page():
    """Hand-written: title, text, the directive for its own page; no generated markup."""
    for page in PAGES:
        path = REPO / "book" / "self-check" / f"{page}.md"
        text = path.read_text(encoding="utf-8")
        assert f"```{{self-check}} {page}\n```" in text, path
        assert f"{{self-check-count}}`{page}`" in text, path
        assert f"](../{page}.md)" in text, path  # back to its module page
        assert "<form" not in text and "{raw}" not in text, path
    assert sorted(p.stem for p in (REPO / "book" / "self-check").glob("*.md")) == sorted(PAGES)


def test_graded_items_never_reach_the_site(bank, pages):
    site = "\n".join(pages.values())
    graded = [i for i in bank if not i.public]
    assert graded
    for item in graded:
        assert f'id="sc-{item.id}"' not in site
        assert item.stem.split(".")[0] not in site, item.id
        for text in (t for t in [item.model_answer, item.feedback_correct] if t and len(t) > 40):
            assert text not in site, item.id
    with pytest.raises(NotPublic):
        item_form(graded[0], 1, provision_link("book/self-check/x"))


class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self.stack, self.links = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"id": a["id"], "type": a["data-type"], "controls": [], "labels": set(),
                               "legend": False, "fieldset": False, "button": False, "live": False})
        elif self.forms:
            f = self.forms[-1]
            if tag in ("input", "select", "textarea"):
                f["controls"].append(a.get("id"))
            elif tag == "label":
                f["labels"].add(a.get("for"))
            elif tag == "legend":
                f["legend"] = True
            elif tag == "fieldset":
                f["fieldset"] = True
            elif tag == "button" and a.get("type") == "submit":
                f["button"] = True
            elif a.get("aria-live") == "polite" and a.get("role") == "status":
                f["live"] = True
        if tag == "a":
            self.links.append(a.get("href"))


def test_questions_are_accessible_forms(pages):
    for page, text in pages.items():
        m = Markup()
        m.feed(text)
        assert m.forms, page
        ids = [f["id"] for f in m.forms]
        assert len(ids) == len(set(ids))
        for f in m.forms:
            assert f["fieldset"] and f["legend"] and f["button"] and f["live"], (page, f["id"])
            assert f["controls"] and all(c in f["labels"] for c in f["controls"]), (page, f["id"])


def test_provision_links_point_at_treaty_anchors(pages):
    hrefs = set()
    for text in pages.values():
        m = Markup()
        m.feed(text)
        hrefs |= {h for h in m.links if h and "#art-" in h}
    assert hrefs
    anchors = {f"../{protocol.treaty_page(p).split('/')[-1]}.html#{protocol.anchor(p)}" for p in protocol.provision_ids()}
    assert hrefs <= anchors


def test_content_notes_come_before_the_question(bank, pages):
    noted = [i for i in bank if i.public and i.content_note and i.type != "essay"]
    assert noted
    for item in noted:
        text = pages[item.section.page]
        form = text[text.index(f'id="sc-{item.id}"'):]
        assert form.index("Content note:") < form.index(item.stem.split()[0])


SPELLINGS = ["Art. 6(3)(b)", "6.3.b", "article 6, paragraph 3 (b)", "Article 8 para 2", "art 6 (3) b", "Article 14",
             "14(1)", "6(3)(e)", "6(7)", "9(1)", "6", "14(2)", "6(1)(a)", "6(3)(b)(c)", "b 6(3)", "", "foo",
             "Article 6(2)(a) of the Protocol", "ARTICLE 7(2)", "8 (6)", "6(3)(B)", "6/5", "7.1",
             # Not ASCII: refused by both, never read as something else.
             "６(3)", "٦(3)", "6(٣)", "6(3)(é)", "6(3)(b)\u00e9", "Art.\u00a06(1)", "\u212a", "6(1)\u0301",
             "6(3)(\U0001d41b)", "Ⅵ(1)", "6(3)(ｂ)", "006(03)(b)", "12345678901234567890(1)", "6(1)\x00",
             # As lawyers write them, civil-law forms included: read as the same provision.
             "Art. 6 § 6", "Art. 6 § 3 (b)", "Art. 6 §§ 3 (b)", "article 6, paragraph 3, subparagraph (b)",
             "art. 6 para. 3 lit. b", "Art. 6 Abs. 3 lit. b", "art. 6 al. 3 let. b", "Art. 6 par. 3 lett. b",
             "Art. 6, sub-para. 3 (b)", "6(III)(b)", "6 (iii) (b)", "Art. 8 VI", "14(II)", "6 ¶ 5",
             "Art.\u00a06\u00a0§\u00a06", "Art.\u202f6\u202f§\u202f6", "§ 6(3)(b)", "006(III)(b)",
             # Refused, each with its own message.
             "Art. 6 § 7", "Art. 6 § 3 (e)", "6(v)", "14(i)", "8 x", "6(IIII)", "6(IIV)(b)", "6(VII)", "6(3)(ii)",
             "6 § 3 § 4", "6 v 3", "VI(3)", "Art. 9 § 1", "6(3)(b) § 8(2)", "Art. 6 § 3 (b)\u2009"]

# Strings near citations: ASCII pieces people type, mixed with look-alikes from other scripts.
_PIECES = ["6", "7", "8", "14", "3", "2", "1", "9", "0", "b", "a", "e", "B", "(", ")", ".", ",", " ", "/", "-",
           "art", "Article", "para", "paragraph", "point", "of the Protocol", "\t", "\n",
           "§", "¶", "\u202f", "III", "iv", "v", "x", "IIII", "lit.", "Abs.",
           "６", "٦", "٣", "é", "ｂ", "\u00a0", "\u212a", "İ", "ß", "\u0301", "\U0001d7d4", "\U0001f600", "\x00"]
NEAR_CITATION = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)
CITATION_TEXT = st.one_of(NEAR_CITATION, st.text(max_size=12),
                          st.text(alphabet=st.characters(max_codepoint=0x7f), max_size=12))


def _hypothesis_cases(n: int) -> list[str]:
    """n strings drawn by hypothesis, collected first so that node runs once for all of them."""
    drawn: list[str] = []

    @settings(max_examples=n, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(CITATION_TEXT)
    def collect(text):
        drawn.append(text)

    collect()
    return drawn


def _sentence(reason: str) -> str:
    return reason[:1].upper() + reason[1:] + "."


def _py(text):
    try:
        return {"id": protocol.parse(text)}
    except protocol.CitationError as e:
        return {"error": _sentence(e.reason)}


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_browser_citation_reader_agrees_with_protocol_parse():
    """Same id, or the same message, for fixed cases, every LMS spelling and hypothesis' strings
    (sent to node in one batch)."""
    from exercises.export.accept import spellings
    cases = SPELLINGS + [s for pid in protocol.provision_ids() for s in spellings(pid)] + _hypothesis_cases(1500)
    script = (f"const m = require({json.dumps(str(JS))});"
              f"const known = {json.dumps(protocol.provision_ids())};"
              "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(cases.map(c => { const r = m.parseCitation(c, known);"
              " return r.id ? {id: r.id} : {error: r.error}; })));")
    out = subprocess.run(["node", "-e", script], input=json.dumps(cases), capture_output=True, text=True,
                         check=True).stdout
    got = json.loads(out)
    differ = [(c, js, _py(c)) for c, js in zip(cases, got) if js != _py(c)]
    assert not differ, "self-check.js and protocol.parse differ on:\n" + "\n".join(map(repr, differ[:20]))
    assert len(got) == len(cases)


@pytest.mark.parametrize("text", ["６(3)", "٦(3)", "6(3)(é)", "6(3)(ｂ)", "Ⅵ(1)", "Art.\u20096(1)", "6\u20143"])
def test_citations_outside_ascii_are_refused(text):
    with pytest.raises(protocol.CitationError, match="a character citations do not use"):
        protocol.parse(text)


def test_script_names_test_files_that_exist():
    named = re.findall(r"tests/[\w/]+\.py", JS.read_text(encoding="utf-8"))
    assert named and all((REPO / n).is_file() for n in named), named


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_browser_number_reader():
    cases = {"6.7": 6.7, "6,7": 6.7, "1,200": 1200, "1 200": 1200, "$9,000": 9000, "-12.5": -12.5, "abc": None, "": None}
    script = (f"const m = require({json.dumps(str(JS))});"
              f"console.log(JSON.stringify({json.dumps(list(cases))}.map(c => {{ const x = m.parseNumber(c); return isNaN(x) ? null : x; }})));")
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == list(cases.values())


def test_script_makes_no_requests_and_stores_nothing():
    js = JS.read_text(encoding="utf-8")
    for forbidden in ("fetch(", "XMLHttpRequest", "localStorage", "sessionStorage", "document.cookie", "http://", "https://", "eval("):
        assert forbidden not in js


# ---- The directive in a small Sphinx project of its own ------------------------------------

def _project(root: Path, pages: dict[str, str], bank: Path | None = None) -> Path:
    src = root / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(EXT)!r})
        extensions = ["myst_parser", "self_check"]
        self_check_bank = {str(bank) if bank else None!r}
        """), encoding="utf-8")
    for name, text in pages.items():
        (src / f"{name}.md").write_text(text, encoding="utf-8")
    return src


def _sphinx(src: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", str(src),
                           str(src.parent / "out")], capture_output=True, text=True, timeout=300)


QUIZ = "# Quiz\n\nThese {self-check-count}`physical-safety` questions.\n\n```{self-check} physical-safety\n```\n"


def test_unknown_page_is_a_build_error_with_file_line_and_the_pages_to_choose(tmp_path):
    src = _project(tmp_path, {"index": "# Quiz\n\nSome text.\n\n```{self-check} article-9\n```\n"})
    result = _sphinx(src)
    assert result.returncode != 0
    line = next(line for line in result.stderr.splitlines() if "article-9" in line)
    assert line.startswith(f"{src / 'index.md'}:5: ERROR: self-check: 'article-9' is not a key-issue page")
    assert all(page in line for page in PAGES), line


def test_script_and_stylesheet_only_on_pages_with_questions(tmp_path):
    src = _project(tmp_path, {"index": QUIZ + "\n```{toctree}\ntext\n```\n", "text": "# Text\n\nNo questions.\n"})
    result = _sphinx(src)
    assert result.returncode == 0, result.stderr
    out = src.parent / "out"
    quiz, text = (out / "index.html").read_text(encoding="utf-8"), (out / "text.html").read_text(encoding="utf-8")
    assert re.search(r'<script defer="defer" src="_static/self-check\.js\?v=\w+"></script>', quiz)
    assert re.search(r'<link [^>]*href="_static/self-check\.css\?v=\w+"', quiz)
    assert "self-check" not in text
    for name in ("self-check.js", "self-check.css"):
        assert (out / "_static" / name).read_bytes() == (EXT / name).read_bytes()
    assert 'class="self-check-set"' in quiz and re.search(r"These (\d+) questions", quiz)


def test_the_site_loads_the_assets_on_its_self_check_pages_only(built_site):
    text_page = (built_site / "book" / "physical-safety.html").read_text(encoding="utf-8")
    assert "self-check.js" not in text_page and "self-check.css" not in text_page
    for page in PAGES:
        html = (built_site / "book" / "self-check" / f"{page}.html").read_text(encoding="utf-8")
        assert "_static/self-check.js?v=" in html and "_static/self-check.css?v=" in html, page


def test_a_bank_edit_or_a_new_item_rebuilds_the_page(tmp_path, bank_copy):
    src = _project(tmp_path, {"index": QUIZ}, bank=bank_copy)
    assert _sphinx(src).returncode == 0
    page = src.parent / "out" / "index.html"

    def count() -> int:
        return int(re.search(r"These (\d+) questions", page.read_text(encoding="utf-8")).group(1))

    before = count()

    item = bank_copy / "physical-safety" / "safety-wording.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace(
        "title: The physical safety provision", "title: Edited in the bank"), encoding="utf-8")
    result = _sphinx(src)
    assert result.returncode == 0, result.stderr
    assert "Edited in the bank" in page.read_text(encoding="utf-8")

    added = item.with_name("safety-added.yaml")
    added.write_text(item.read_text(encoding="utf-8").replace("id: safety-wording", "id: safety-added"),
                     encoding="utf-8")
    result = _sphinx(src)
    assert result.returncode == 0, result.stderr
    assert 'id="sc-safety-added"' in page.read_text(encoding="utf-8") and count() == before + 1
