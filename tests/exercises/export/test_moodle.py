"""The Moodle XML export against the rules of Moodle's own importer.

The rules come from Moodle's source (cited at each check): question/format/xml/format.php
(qformat_xml: which elements each question type reads, and their defaults),
question/format.php (qformat_default::importprocess: fractions must be on Moodle's list of
grades, and with "stop on error", the default, one bad question or unknown question type
imports nothing), question/engine/bank.php (question_bank::fraction_options_full: the list),
lib/questionlib.php (match_grade_options: within 0.00001), question/type/multichoice
(save_question_options: a single-answer question needs a 100% answer, a multiple-answer one
positive fractions adding up to 100%) and question/type/ordering/questiontype.php
(qtype_ordering::import_from_xml, standard from Moodle 4.4).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from lms_readers import text_of  # tests/exercises/lms_readers.py
from test_lms import nasty_items  # tests/exercises/export/test_lms.py

from exercises.export import export
from exercises.export.lms import as_pairs, prepare, tags, why_text
from exercises.export.moodle import has_ordering
from exercises.export.numbers import number
from exercises.render.text import to_html

# question_bank::ensure_fraction_options_initialised: p/q for q <= 6, p/10, 1/q for q <= 10, 1/20,
# their negatives, 0 and +-1 (fractions; the XML writes percentages).
RAW_FRACTIONS = (0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
                 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05)
GRADES = (0.0, 1.0, -1.0) + RAW_FRACTIONS + tuple(-f for f in RAW_FRACTIONS)

# qformat_xml::import_question handles these itself; any other type needs a question-type plugin.
CORE_TYPES = {"multichoice", "truefalse", "shortanswer", "numerical", "description", "matching", "match",
              "cloze", "multianswer", "essay", "calculated", "calculatedsimple", "calculatedmulti", "category"}
FORMATS = {"moodle_auto_format", "html", "plain_text", "wiki_like", "markdown"}  # qformat_xml::trans_format
ANSWERNUMBERING = {"abc", "ABCD", "123", "iii", "IIII", "none"}  # qtype_multichoice's numbering styles
ESSAY_FORMATS = {"editor", "editorfilepicker", "plain", "monospaced", "noinline"}  # qtype_essay
MOODLE_TYPE = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse",
               "numeric": "numerical", "matching": "matching", "citation": "shortanswer", "essay": "essay"}


def on_grade_list(percent: str) -> bool:
    """match_grade_options($gradeoptionsfull, $fraction, 'error'): abs(grade - value) < 0.00001."""
    return any(abs(float(percent) / 100 - g) < 0.00001 for g in GRADES)


def trans_single(text: str | None) -> bool:
    """qformat_xml::trans_single: "false" or empty is no, anything else yes."""
    return not (text is None or text.strip() in ("false", ""))


def seen(text: str | None) -> str:
    """What a reader sees of an item's text once exported as HTML."""
    return text_of(to_html(text)) if text else ""


def texts(q: ET.Element, path: str) -> str:
    return text_of(q.findtext(f"{path}/text") or "")


def check_headers(q: ET.Element, item) -> None:
    """qformat_xml::import_headers."""
    assert (q.findtext("name/text") or "").strip(), "a question without a name is refused (xmlimportnoname)"
    assert q.find("questiontext").get("format") in FORMATS
    assert float(q.findtext("defaultgrade")) == item.max_points and q.findtext("defaultgrade") == number(item.max_points)
    assert 0 <= float(q.findtext("penalty")) <= 1
    assert q.findtext("idnumber") == item.id
    assert [t.findtext("text") for t in q.findall("tags/tag")] == tags(item)
    for el in q.iter():
        if el.get("format") is not None:
            assert el.get("format") in FORMATS, (item.id, el.tag, el.get("format"))
    for a in q.findall("answer"):
        if a.get("fraction") is not None and q.get("type") != "ordering":
            assert on_grade_list(a.get("fraction")), (item.id, a.get("fraction"))  # else: invalidgrade


def moodle_grade(fractions: list[float], chosen: list[bool]) -> float:
    """question/type/multichoice/question.php, qtype_multichoice_multi_question::grade_response:
    the fractions of the chosen answers summed, then kept between 0 and 1."""
    return min(max(0.0, sum(f for f, c in zip(fractions, chosen) if c)), 1.0)


def check_partial_marking(fractions: list[float], item) -> None:
    """Every response Moodle can get earns what the course's marking rule gives it (the
    notebooks' rule, exercises/graded/marking.py)."""
    from itertools import product

    from exercises.graded.marking import share

    right = [str(n) for n, o in enumerate(item.options) if o.correct]
    for chosen in product((False, True), repeat=len(item.options)):
        given = [str(n) for n, c in enumerate(chosen) if c]
        assert moodle_grade(fractions, list(chosen)) == pytest.approx(share(given, right), abs=1e-4), (item.id, given)


def check_combined_feedback(q: ET.Element, item, shownumcorrect: bool) -> None:
    """qformat_xml::import_combined_feedback reads correct, partially correct and incorrect
    feedback; shownumcorrect by the element's presence."""
    assert texts(q, "correctfeedback") == seen(item.feedback_correct)
    assert texts(q, "incorrectfeedback") == texts(q, "partiallycorrectfeedback") == \
        seen(item.feedback_incorrect)
    assert (q.find("shownumcorrect") is not None) is shownumcorrect


def check_question(q: ET.Element, item, ordering: bool) -> None:
    kind = q.get("type")
    check_headers(q, item)
    answers = q.findall("answer")
    if item.type in ("single", "multiple"):
        assert kind == "multichoice"
        assert trans_single(q.findtext("single")) is (item.type == "single")
        assert q.findtext("shuffleanswers") in ("true", "false", "1", "0")
        assert q.findtext("answernumbering") in ANSWERNUMBERING
        fractions = [float(a.get("fraction")) / 100 for a in answers]
        assert [texts(a, ".") for a in answers] == [seen(o.text) for o in item.options]
        assert [texts(a, "feedback") for a in answers] == [seen(o.feedback) for o in item.options]
        if item.type == "single":  # fractionsnomax otherwise
            assert max(fractions) == 1 and [f > 0 for f in fractions] == [o.correct for o in item.options]
        else:  # fractionsaddwrong otherwise: round($totalfraction, 2) != 1
            assert round(sum(f for f in fractions if f > 0), 2) == 1
            assert [f > 0 for f in fractions] == [o.correct for o in item.options]
            assert all(f < 0 for f, o in zip(fractions, item.options) if not o.correct)
            check_partial_marking(fractions, item)
        check_combined_feedback(q, item, shownumcorrect=item.type == "multiple")
    elif item.type == "truefalse":
        assert kind == "truefalse"
        # import_truefalse matches the answer text "true"/"false" (else guesses the order and
        # warns); fraction 100 marks the right one.
        by_text = {a.findtext("text"): a for a in answers}
        assert set(by_text) == {"true", "false"}
        assert (by_text["true"].get("fraction") == "100") is item.truth
        right, wrong = (by_text["true"], by_text["false"]) if item.truth else (by_text["false"], by_text["true"])
        assert texts(right, "feedback") == seen(item.feedback_correct)
        assert texts(wrong, "feedback") == seen(item.feedback_incorrect)
    elif item.type == "numeric":
        assert kind == "numerical"
        right, other = answers
        # import_numerical: the answer text and <tolerance>, as written (exactly).
        assert right.findtext("text") == number(item.numeric.value) and right.get("fraction") == "100"
        assert right.findtext("tolerance") == number(item.numeric.tolerance)
        assert re.fullmatch(r"-?\d+(\.\d+)?", right.findtext("text"))
        assert other.findtext("text") == "*" and other.get("fraction") == "0"  # any other number
        assert texts(other, "feedback") == seen(item.feedback_incorrect)
        assert q.findtext("showunits") == "3"  # qtype_numerical::UNITNONE: no unit asked for
    elif item.type == "matching" or (item.type == "ordering" and not ordering):
        assert kind == "matching"
        subs = q.findall("subquestion")
        pairs, distractors = as_pairs(item)
        assert [(texts(s, "."), s.findtext("answer/text")) for s in subs] == \
            [(seen(p), a) for p, a in pairs] + [("", d) for d in distractors]
        # edit_match_form::validation: at least 2 questions and 3 answers, so it can be edited.
        assert sum(1 for s in subs if texts(s, ".")) >= 2 and len(subs) >= 3
        assert q.findtext("shuffleanswers") in ("true", "false", "1", "0")
        check_combined_feedback(q, item, shownumcorrect=True)
    elif item.type == "ordering":
        assert kind == "ordering"
        # qtype_ordering::set_layout_select_count_grading falls back, silently, to RANDOM
        # selection of items and RELATIVE_NEXT_EXCLUDE_LAST grading for a value it does not know.
        assert q.findtext("layouttype") in ("VERTICAL", "HORIZONTAL")
        assert q.findtext("selecttype") == "ALL"
        assert q.findtext("gradingtype") == "ABSOLUTE_POSITION"
        assert q.findtext("showgrading") in ("SHOW", "HIDE")
        assert [texts(a, ".") for a in answers] == [seen(s.text) for s in item.steps]  # in order
        check_combined_feedback(q, item, shownumcorrect=False)
    elif item.type == "citation":
        assert kind == "shortanswer"
        assert q.findtext("usecase") in ("0", "1")
        *accepted, anything = answers
        assert all(a.get("fraction") == "100" for a in accepted)
        assert not any("*" in a.findtext("text").replace(r"\*", "") for a in accepted)  # '*' is a wildcard
        assert anything.findtext("text") == "*" and anything.get("fraction") == "0"
    elif item.type == "essay":
        assert kind == "essay"
        assert q.findtext("responseformat") in ESSAY_FORMATS
        assert q.findtext("responserequired") in ("0", "1")
        assert int(q.findtext("responsefieldlines")) > 0 and int(q.findtext("attachments")) >= 0
        grader = texts(q, "graderinfo")
        assert all(c.criterion in grader for c in item.rubric) and "Model answer" in grader
    else:
        raise AssertionError(item.type)
    # The general feedback, shown after any response: why the answer is so, and its module passage.
    assert texts(q, "generalfeedback") == (seen(why_text(item)) if item.feedback_why else "")
    if item.public:
        assert "In the module:" in texts(q, "generalfeedback"), item.id


def check_file(items, tmp_path, **options):
    out = export(items, "moodle", tmp_path / "q.xml", **options)
    root = ET.parse(out).getroot()
    assert root.tag == "quiz"  # readquestions: $xml['quiz']['#']['question']
    ready, _ = prepare(items, "moodle")
    questions = [q for q in root.findall("question") if q.get("type") != "category"]
    assert [q.findtext("idnumber") for q in questions] == [
        i.id for page in dict.fromkeys(x.section.page for x in ready) for i in ready if i.section.page == page]
    by_id = {q.findtext("idnumber"): q for q in questions}
    ordering = "moodle_version" in options and has_ordering(options["moodle_version"])
    for item in ready:
        check_question(by_id[item.id], item, ordering)
    for cat in root.findall("question[@type='category']"):
        assert cat.findtext("category/text").startswith("$course$/")
    return root


def test_every_bank_item_as_any_moodle_imports_it(bank, tmp_path):
    root = check_file(bank, tmp_path)
    # A type qformat_xml does not know needs a plugin; without one, importprocess imports nothing.
    assert {q.get("type") for q in root.findall("question")} <= CORE_TYPES
    ready, _ = prepare(bank, "moodle")
    assert {i.type for i in ready} == {"single", "multiple", "truefalse", "numeric", "matching", "ordering",
                                      "citation", "essay"}


def test_every_bank_item_as_moodle_4_4_imports_it(bank, tmp_path):
    root = check_file(bank, tmp_path, moodle_version="4.4")
    assert {q.get("type") for q in root.findall("question")} - CORE_TYPES == {"ordering"}


def test_special_characters_as_moodle_imports_them(tmp_path):
    check_file(nasty_items(), tmp_path)
    check_file(nasty_items(), tmp_path, moodle_version="5.0")


def test_the_grade_list_is_the_one_the_importer_checks():
    assert on_grade_list("33.33333") and on_grade_list("-14.28571") and on_grade_list("100")
    assert not on_grade_list("33.3") and not on_grade_list("12.3")


@pytest.mark.parametrize("right, wrong", [(r, w) for r in range(1, 8) for w in range(1, 8) if r + w <= 8])
def test_multiple_select_fractions_are_accepted_for_every_option_count(right, wrong):
    """Up to 8 options (the schema's limit): every share 1/n is on Moodle's list."""
    from exercises.export.moodle import fraction
    assert on_grade_list(fraction(right)) and on_grade_list("-" + fraction(wrong))
    assert round(right * float(fraction(right)) / 100, 2) == 1
