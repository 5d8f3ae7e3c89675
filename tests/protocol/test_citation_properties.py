"""The citation parser: every canonical id round-trips through every accepted spelling;
near-misses are refused with a message that says what exists."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import protocol
from exercises.export.accept import spellings

IDS = protocol.provision_ids()
REPO = Path(__file__).resolve().parents[2]


def _parts(pid: str) -> tuple[int, int, str | None]:
    p = protocol.get(pid)
    return p.article, p.paragraph, p.subparagraph


ARTICLE_WORD = st.sampled_from(["", "Art. ", "art ", "Art ", "Article ", "article ", "ARTICLE ", "Articles "])
PARA_STYLE = st.sampled_from(["({p})", " ({p})", ".{p}", ", paragraph {p}", " para {p}", " para. {p}",
                              " paragraph {p}", " ({p}) ", "/{p}", "-{p}", " {p}",
                              # civil-law writing: the paragraph sign, Absatz, alinea, a Roman paragraph
                              " § {p}", "\u00a0§\u00a0{p}", ", § {p}", " ¶ {p}", " Abs. {p}", " al. {p}", " par. {p}",
                              "({R})", " {R}", " § {R}"])
LETTER_STYLE = st.sampled_from(["({l})", " ({l})", "{l}", ".{l}", " {l}", " point ({l})", " sub-paragraph ({l})",
                                " lit. {l}", "({L})", " ({l}) ", ", subparagraph ({l})", " let. {l}", " lett. {l}",
                                " litt. {l}", ", sub-para. ({l})"])
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}
SUFFIX = st.sampled_from(["", " of the Protocol", " ", ".", " of the Trafficking in Persons Protocol"])


@st.composite
def spelling(draw):
    pid = draw(st.sampled_from(IDS))
    article, paragraph, letter = _parts(pid)
    if pid == "14":  # the savings clause: the module's "article 14", the Protocol's article 14(1)
        return pid, draw(ARTICLE_WORD) + "14" + draw(st.sampled_from(["", "(1)", " para 1", ", paragraph 1"])) + draw(SUFFIX)
    style = draw(PARA_STYLE)
    if "{R}" in style and ROMAN[paragraph] in ("I", "V") and not letter:
        style = "({p})"  # a lone I or V could be a lettered point: refused as ambiguous (tested below)
    roman = draw(st.sampled_from([ROMAN[paragraph], ROMAN[paragraph].lower()]))
    text = draw(ARTICLE_WORD) + str(article) + style.format(p=paragraph, R=roman)
    if letter:
        letter_style = draw(LETTER_STYLE)
        if "{R}" in style and letter_style.startswith("{l}"):
            letter_style = "({l})"  # "6 IIa" runs the numeral into the letter: one word, not read
        text += letter_style.format(l=letter, L=letter.upper())
    return pid, text + draw(SUFFIX)


@settings(max_examples=600, deadline=None)
@given(spelling())
def test_every_accepted_spelling_round_trips(case):
    pid, text = case
    assert protocol.parse(text) == pid


@pytest.mark.parametrize("pid", IDS)
def test_canonical_ids_parse_to_themselves(pid):
    assert protocol.parse(pid) == pid
    assert protocol.parse(protocol.get(pid).label) == pid  # "article 6(3)(b)"


# exercises/export/accept.py spells every provision of article 14 as the savings clause ("Article 14"),
# which was right while article 14 had one provision: it needs `if pid == "14"` for article 14(2).



@pytest.mark.parametrize("pid", IDS)
def test_lms_spellings_parse_back(pid):
    for form in spellings(pid):
        assert protocol.parse(form) == pid, form


def _missing_paragraph(article: int) -> int:
    have = {p.paragraph for p in protocol.in_article(article)}
    return max(have) + 1


@settings(max_examples=300, deadline=None)
@given(article=st.integers(min_value=1, max_value=99).filter(lambda a: a not in protocol.ARTICLES),
       paragraph=st.integers(min_value=1, max_value=9))
def test_articles_outside_the_module_are_refused(article, paragraph):
    with pytest.raises(protocol.CitationError, match="not covered by this module"):
        protocol.parse(f"Art. {article}({paragraph})")


@settings(max_examples=300, deadline=None)
@given(article=st.sampled_from([6, 7, 8]), extra=st.integers(min_value=0, max_value=50))
def test_paragraphs_past_the_last_are_refused(article, extra):
    paragraph = _missing_paragraph(article) + extra
    with pytest.raises(protocol.CitationError, match=f"article {article} has paragraphs 1 to"):
        protocol.parse(f"article {article}({paragraph})")


@settings(max_examples=300, deadline=None)
@given(pid=st.sampled_from([p for p in IDS if not protocol.get(p).subparagraph and p != "14"]),
       letter=st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
def test_letters_that_do_not_exist_are_refused(pid, letter):
    points = [c.subparagraph for c in protocol.children(pid)]
    text = f"{pid}({letter})"
    if letter in points:
        assert protocol.parse(text) == f"{pid}({letter})"
    else:
        with pytest.raises(protocol.CitationError):
            protocol.parse(text)


@pytest.mark.parametrize("text, message", [
    ("6(3)(e)", "points (a) to (d)"),
    ("6(7)", "paragraphs 1 to 6"),
    ("7(3)", "paragraphs 1 to 2"),
    ("8(0)", "paragraphs 1 to 6"),
    ("6(1)(a)", "no lettered points"),
    ("6", "names a whole article"),
    ("Article 8", "names a whole article"),
    ("14(3)", "article 14 has paragraphs 1 to 2"),
    ("14(a)", "article 14(1) has no lettered points"),
    ("14(2)(a)", "article 14(2) has no lettered points"),
    ("Art. 14(1)(b)", "article 14(1) has no lettered points"),
    ("9(1)", "not covered"),
    ("6(3)(b)(c)", "not a citation this course can read"),
    ("6(3)(b) and 8(2)", "not a citation this course can read"),
    ("b 6(3)", "not a citation this course can read"),
    ("6(3)(b)2", "not a citation this course can read"),
    ("", "not a citation"),
    ("article", "not a citation"),
])
def test_near_misses_are_refused_with_a_helpful_message(text, message):
    with pytest.raises(protocol.CitationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        protocol.parse(text)


@pytest.mark.parametrize("value", [None, 6, 6.3, ["6(1)"]])
def test_non_text_is_refused(value):
    with pytest.raises(protocol.CitationError, match="a citation is text"):
        protocol.parse(value)


@pytest.mark.parametrize("text", ["14", "Art. 14", "article 14", "Article 14 of the Protocol", "14(1)",
                                  "article 14, paragraph 1", "14.1"])
def test_the_savings_clause_keeps_its_id(text):
    """Keys and answers written "14" or "Art. 14" before article 14(2) was added still name the
    savings clause: the module quotes article 14(1) and calls it "article 14"."""
    assert protocol.parse(text) == "14"
    assert protocol.get("14").treaty_id == "14(1)"


@pytest.mark.parametrize("text", ["14(2)", "Art. 14(2)", "article 14, paragraph 2", "14.2", "Article 14 para 2"])
def test_article_14_paragraph_2_is_its_own_provision(text):
    assert protocol.parse(text) == "14(2)"
    p = protocol.get("14(2)")
    assert (p.article, p.paragraph, p.subparagraph) == (14, 2, None)
    assert not p.quoted and "not discriminatory" in p.official


def test_parse_many_keeps_order_and_drops_repeats():
    assert protocol.parse_many(["8(2)", "Art. 6(1)", "article 8 para 2"]) == ["8(2)", "6(1)"]


def test_anchor_and_treaty_page():
    assert protocol.anchor("6(3)(b)") == "art-6-3-b"
    assert protocol.treaty_page("6(3)(b)") == "book/article-6"
    assert protocol.anchor("14") == "art-14"
    assert protocol.anchor("14(2)") == "art-14-2"
    assert protocol.treaty_page("14(2)") == "book/article-14"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_browser_reader_reads_article_14_as_protocol_parse_does():
    """_ext/self-check.js keeps in step with the parser on article 14's two paragraphs."""
    cases = ["14", "Art. 14", "14(1)", "14 para 1", "14(2)", "Art. 14(2)", "14.2", "14(3)", "14(0)", "14(a)",
             "14(1)(a)", "14(2)(b)", "article 14, paragraph 2", "14 2 a"]
    script = (f"const m = require({json.dumps(str(REPO / '_ext' / 'self-check.js'))});"
              f"const known = {json.dumps(protocol.provision_ids())};"
              f"console.log(JSON.stringify({json.dumps(cases)}.map(c => m.parseCitation(c, known))));")
    got = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)

    def py(text):
        try:
            return {"id": protocol.parse(text)}
        except protocol.CitationError as e:
            return {"error": e.reason[:1].upper() + e.reason[1:] + "."}

    assert got == [py(c) for c in cases]
    assert got[4] == {"id": "14(2)"} and got[0] == {"id": "14"}


# Outside ASCII, only the paragraph signs and the no-break spaces separate numbers, as a space does.
SEPARATORS = "\u00a0\u00a7\u00b6\u202f"


@settings(max_examples=300, deadline=None)
@given(case=spelling(), at=st.integers(min_value=0, max_value=40),
       odd=st.characters(min_codepoint=0x80, exclude_categories=("Cs",), exclude_characters=SEPARATORS))
def test_any_character_outside_ascii_is_refused(case, at, odd):
    """Full-width or Arabic-Indic digits, accented letters: refused, never read as something else."""
    _, text = case
    text = text.translate({ord(c): " " for c in SEPARATORS})
    at = min(at, len(text))
    with pytest.raises(protocol.CitationError, match="a character citations do not use"):
        protocol.parse(text[:at] + odd + text[at:])


@pytest.mark.parametrize("text, pid", [
    ("Art. 6 § 6", "6(6)"),
    ("Art. 6 § 3 (b)", "6(3)(b)"),
    ("Art. 6 §§ 3 (b)", "6(3)(b)"),
    ("article 6, paragraph 3, subparagraph (b)", "6(3)(b)"),
    ("art. 6 para. 3 lit. b", "6(3)(b)"),
    ("Art. 6 Abs. 3 lit. b", "6(3)(b)"),
    ("art. 6 al. 3 let. b", "6(3)(b)"),
    ("Art. 6 par. 3 lett. b", "6(3)(b)"),
    ("Art. 6, sub-para. 3 (b)", "6(3)(b)"),
    ("6.3.b", "6(3)(b)"),
    ("6(III)(b)", "6(3)(b)"),
    ("6 (iii) (b)", "6(3)(b)"),
    ("6(iii)", "6(3)"),
    ("Art. 8 VI", "8(6)"),
    ("Art. 6 § IV", "6(4)"),
    ("14(II)", "14(2)"),
    ("6 ¶ 5", "6(5)"),
    ("Art.\u00a06\u00a0§\u00a06", "6(6)"),  # the no-break spaces a word processor puts in
    ("Art.\u202f6\u202f§\u202f6", "6(6)"),
    ("§ 14", "14"),
])
def test_citations_as_lawyers_write_them(text, pid):
    assert protocol.parse(text) == pid


@pytest.mark.parametrize("text, message", [
    ("Art. 6 § 7", "article 6 has paragraphs 1 to 6"),
    ("Art. 6 § 3 (e)", "points (a) to (d)"),
    ("Art. 6 § VII", "article 6 has paragraphs 1 to 6"),
    ("6(v)", "ambiguous: 'v' after article 6 can be read as paragraph 5 in Roman numerals or as a lettered point: "
             "write the paragraph in digits, such as '6(5)'"),
    ("14(i)", "such as '14(1)'"),
    ("6(IIII)", "'IIII' is not a Roman numeral"),
    ("6(IIV)(b)", "'IIV' is not a Roman numeral"),
    ("6(3)(ii)", "article 6(3) has points (a) to (d)"),
    ("6 § 3 § 4", "not a citation this course can read"),
    ("6 v 3", "not a citation this course can read"),
    ("VI(3)", "not a citation this course can read"),
    ("Art. 9 § 1", "not covered"),
    ("6(3)(b) § 8(2)", "not a citation this course can read"),
    ("Art. 6 § 3 (b)\u2009", "it contains '\u2009' (U+2009)"),  # a thin space is not one of them
])
def test_lawyers_forms_that_name_no_provision_are_refused_with_the_reason(text, message):
    with pytest.raises(protocol.CitationError) as refused:
        protocol.parse(text)
    assert message in refused.value.reason
