"""The citation parser: every canonical id round-trips through every accepted spelling;
near-misses are refused with a message that says what exists."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import protocol
from exercises.export.accept import spellings

IDS = protocol.provision_ids()


def _parts(pid: str) -> tuple[int, int, str | None]:
    p = protocol.get(pid)
    return p.article, p.paragraph, p.subparagraph


ARTICLE_WORD = st.sampled_from(["", "Art. ", "art ", "Art ", "Article ", "article ", "ARTICLE ", "Articles "])
PARA_STYLE = st.sampled_from(["({p})", " ({p})", ".{p}", ", paragraph {p}", " para {p}", " para. {p}",
                              " paragraph {p}", " ({p}) ", "/{p}", "-{p}", " {p}"])
LETTER_STYLE = st.sampled_from(["({l})", " ({l})", "{l}", ".{l}", " {l}", " point ({l})", " sub-paragraph ({l})",
                                " lit. {l}", "({L})", " ({l}) "])
SUFFIX = st.sampled_from(["", " of the Protocol", " ", ".", " of the Trafficking in Persons Protocol"])


@st.composite
def spelling(draw):
    pid = draw(st.sampled_from(IDS))
    article, paragraph, letter = _parts(pid)
    if article == 14:
        return pid, draw(ARTICLE_WORD) + "14" + draw(st.sampled_from(["", "(1)", " para 1"])) + draw(SUFFIX)
    text = draw(ARTICLE_WORD) + str(article) + draw(PARA_STYLE).format(p=paragraph)
    if letter:
        text += draw(LETTER_STYLE).format(l=letter, L=letter.upper())
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
    ("14(2)", "single savings clause"),
    ("14(a)", "single savings clause"),
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


def test_parse_many_keeps_order_and_drops_repeats():
    assert protocol.parse_many(["8(2)", "Art. 6(1)", "article 8 para 2"]) == ["8(2)", "6(1)"]


def test_anchor_and_treaty_page():
    assert protocol.anchor("6(3)(b)") == "art-6-3-b"
    assert protocol.treaty_page("6(3)(b)") == "book/article-6"
    assert protocol.anchor("14") == "art-14"


@settings(max_examples=300, deadline=None)
@given(case=spelling(), at=st.integers(min_value=0, max_value=40),
       odd=st.characters(min_codepoint=0x80, exclude_categories=("Cs",)))
def test_any_character_outside_ascii_is_refused(case, at, odd):
    """Full-width or Arabic-Indic digits, accented letters: refused, never read as something else."""
    _, text = case
    at = min(at, len(text))
    with pytest.raises(protocol.CitationError, match="a character citations do not use"):
        protocol.parse(text[:at] + odd + text[at:])
