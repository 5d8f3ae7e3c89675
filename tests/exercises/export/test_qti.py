"""The QTI package against the rules of the code Canvas imports it with.

Canvas converts a QTI 1.2 package with Instructure's QTIMigrationTool (lib/imsqtiv1.py) to
QTI 2, then reads that with its question converters (canvas-lms,
gems/plugins/qti_exporter/lib/qti/*.rb). The rules below are theirs, cited where checked:

- QTIMigrationTool, QTIObjectV1.ReadIdentifier / CheckNMTOKEN: an ident that does not start
  with a letter or "_" gets a prefix ("RESPONSE_" for response_label idents and the values
  compared with them, "FEEDBACK_" for feedback), the same on both sides;
- canvas-lms, Qti::AssociateInteraction#get_canvas_matches: a matching answer's id is the first
  run of digits in its ident (`=~ /(\\d+)/`, then to_i), so two idents whose first digits read
  the same number ("g07c..." and "gb7a...": 7) are the same answer; and the answers offered are
  those of the first prompt; #get_canvas_answers: a prompt's match is set only by a condition
  that adds to SCORE;
- canvas-lms, AssessmentItemConverter#get_or_generate_answer_id: "response_<n>" gives answer
  id n, and 0 means none;
- canvas-lms, Qti::ChoiceInteraction#process_response_conditions and #get_response_weight: an
  answer is right when the last condition naming it sets SCORE above 0;
- canvas-lms, Qti::NumericInteraction#get_canvas_answers: `or` of the exact value and an `and`
  of vargte/varlte, the margin computed in BigDecimal as upper - exact; a lower bound written
  with vargt instead starts its guess that the answer is a precision answer;
- canvas-lms, Qti::ExtendedTextInteraction: a short answer accepts every string compared in its
  response conditions; one without any is an essay;
- canvas-lms, AssessmentItemConverter#get_feedback and #get_feedback_id: itemfeedback idents
  matching /wrong|incorrect|_IC$/ become the feedback for a wrong answer, then /correct|_C$/
  the one for a right answer; a per-answer feedback ident matching
  /general_|_all|wrong|incorrect|correct|_IC$|_C$/ is dropped;
- QTIMigrationTool, ConditionVar.CloseObject: several tests side by side in a conditionvar are
  joined with "and"; the elements it maps to QTI 2 operators (QTIASI_ELEMENTS), of which the
  package uses only varequal, vargte, varlte, and, or, not, other;
- the content models of the QTI 1.2 DTD (ims_qtiasiv1p2.dtd, quoted in QTIMigrationTool's
  docstrings) for every element the package writes, as regular expressions over child
  element names: the DTD ships with QTIMigrationTool and with no registry's package, so the
  real DTD and the real tool run only where a checkout is named
  (test_qti_with_qtimigrationtool.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal

import pytest
from test_lms import nasty_items  # tests/exercises/export/test_lms.py

from exercises.export import export
from exercises.export.accept import spellings
from exercises.export.lms import as_pairs, prepare
from exercises.export.numbers import number

Q = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CANVAS_TYPES = {"multiple_choice_question", "multiple_answers_question", "true_false_question",
                "numerical_question", "matching_question", "short_answer_question", "essay_question"}

# ims_qtiasiv1p2.dtd, the content model of each element the package writes (children only).
DTD = {
    "questestinterop": r"(qticomment )?(objectbank |assessment |((section |item )+))",
    "assessment": r"(qticomment )?(duration )?(qtimetadata )*(objectives )*(assessmentcontrol )*(rubric )*"
                  r"(presentation_material )?(outcomes_processing )*(assessproc_extension )?(assessfeedback )*"
                  r"(selection_ordering )?(reference )?((sectionref |section )+)",
    "section": r"(qticomment )?(duration )?(qtimetadata )*(objectives )*(sectioncontrol )*(sectionprecondition )*"
               r"(sectionpostcondition )*(rubric )*(presentation_material )?(outcomes_processing )*"
               r"(sectionproc_extension )?(sectionfeedback )*(selection_ordering )?(reference )?"
               r"((itemref |item |sectionref |section )*)",
    "item": r"(qticomment )?(duration )?(itemmetadata )?(objectives )*(itemcontrol )*(itemprecondition )*"
            r"(itempostcondition )*((itemrubric |rubric )*)(presentation )?(resprocessing )*(itemproc_extension )?"
            r"(itemfeedback )*(reference )?",
    "itemmetadata": r"(qtimetadata )*",
    "qtimetadata": r"(vocabulary )?(qtimetadatafield )+",
    "qtimetadatafield": r"fieldlabel fieldentry ",
    "presentation": r"(qticomment )?(flow |((material |response_lid |response_xy |response_str |response_num "
                    r"|response_grp |response_extension )+))",
    "material": r"(qticomment )?((mattext |matemtext |matimage |mataudio |matvideo |matapplet |matapplication "
                r"|matref |matbreak |mat_extension )+)(altmaterial )*",
    "response_lid": r"((material |material_ref )?)(render_choice |render_hotspot |render_slider |render_fib "
                    r"|render_extension )((material |material_ref )?)",
    "response_str": r"((material |material_ref )?)(render_choice |render_hotspot |render_slider |render_fib "
                    r"|render_extension )((material |material_ref )?)",
    "render_choice": r"((material |material_ref |response_label |flow_label )*)(response_na )?",
    "render_fib": r"((material |material_ref |response_label |flow_label )*)(response_na )?",
    "response_label": r"((qticomment |material |material_ref |flow_mat )*)",
    "resprocessing": r"(qticomment )?outcomes ((respcondition |itemproc_extension )+)",
    "outcomes": r"(qticomment )?((decvar (interpretvar )*)+)",
    "respcondition": r"(qticomment )?conditionvar (setvar )*(displayfeedback )*(respcond_extension )?",
    "conditionvar": r"((not |and |or |unanswered |other |varequal |varlt |varlte |vargt |vargte |varsubset "
                    r"|varinside |varsubstring |durequal |durlt |durlte |durgt |durgte |var_extension )+)",
    "and": r"((not |and |or |unanswered |other |varequal |varlt |varlte |vargt |vargte |varsubset |varinside "
           r"|varsubstring |durequal |durlt |durlte |durgt |durgte )+)",
    "or": r"((not |and |or |unanswered |other |varequal |varlt |varlte |vargt |vargte |varsubset |varinside "
          r"|varsubstring |durequal |durlt |durlte |durgt |durgte )+)",
    "not": r"(and |or |not |unanswered |other |varequal |varlt |varlte |vargt |vargte |varsubset |varinside "
           r"|varsubstring |durequal |durlt |durlte |durgt |durgte )",
    "itemfeedback": r"((flow_mat |material |solution |hint )+)",
    "flow_mat": r"((flow_mat |material |material_ref )+)",
}
EMPTY = {"mattext", "fieldlabel", "fieldentry", "decvar", "setvar", "displayfeedback", "varequal", "vargte",
         "varlte", "other"}  # #PCDATA only
CONDITIONS = {"varequal", "vargte", "varlte", "and", "or", "not", "other"}  # what the package compares with


def local(el: ET.Element) -> str:
    return el.tag.removeprefix(Q)


def qti_ident(value: str, prefix: str) -> str:
    """QTIMigrationTool's CheckNMTOKEN, as far as the package needs it: a leading character that
    cannot start an XML name gets `prefix`."""
    return value if re.match(r"[A-Za-z_]", value) else prefix + value


def canvas_match_id(ident: str) -> int | None:
    """get_canvas_matches: `ident =~ /(\\d+)/` then to_i; None: Canvas draws a random id."""
    m = re.search(r"\d+", qti_ident(ident, "RESPONSE_"))
    return int(m.group()) if m else None


def read_package(path) -> tuple[ET.Element, dict[str, ET.Element]]:
    with zipfile.ZipFile(path) as z:
        href = next(n for n in z.namelist() if n.count("/") == 1 and not n.endswith("assessment_meta.xml"))
        root = ET.fromstring(z.read(href))
    items = {}
    for item in root.iter(f"{Q}item"):
        meta = {f.findtext(f"{Q}fieldlabel"): f.findtext(f"{Q}fieldentry") for f in item.iter(f"{Q}qtimetadatafield")}
        items[meta["course_item_id"]] = item
    return root, items


def meta(item_el: ET.Element) -> dict[str, str]:
    return {f.findtext(f"{Q}fieldlabel"): f.findtext(f"{Q}fieldentry") for f in item_el.iter(f"{Q}qtimetadatafield")}


def conditions(item_el: ET.Element) -> list[ET.Element]:
    return item_el.findall(f"{Q}resprocessing/{Q}respcondition")


def scores(cond: ET.Element) -> float | None:
    setvar = cond.find(f"{Q}setvar")
    return float(setvar.text) if setvar is not None and setvar.get("varname") == "SCORE" else None


@pytest.fixture(scope="module")
def package(bank, tmp_path_factory):
    items = bank + nasty_items()
    out = export(items, "qti", tmp_path_factory.mktemp("qti") / "q.zip")
    root, by_id = read_package(out)
    ready, _ = prepare(items, "qti")
    assert set(by_id) == {i.id for i in ready}
    return root, by_id, ready


def test_every_element_fits_the_qti_1_2_dtd(package):
    root, _, _ = package
    seen = set()
    for el in root.iter():
        name = local(el)
        kids = "".join(local(c) + " " for c in el)
        if name in EMPTY:
            assert not kids, (name, kids)
            continue
        assert name in DTD, f"<{name}> is written but its content model is not checked"
        assert re.fullmatch(DTD[name], kids), (name, kids)
        seen.add(name)
    assert {"item", "respcondition", "conditionvar", "itemfeedback", "not", "or", "and"} <= seen


def test_answer_idents_are_plain_unique_numbers(package):
    """Like Canvas's own exporter (its answer ids): no ident whose digits could collide."""
    root, _, _ = package
    idents = [label.get("ident") for label in root.iter(f"{Q}response_label")
              if label.get("ident") != "answer1"]  # the text box of a short answer or essay
    per_label = {}
    for lid in root.iter(f"{Q}response_lid"):  # a matching item repeats its answers under each prompt
        for label in lid.iter(f"{Q}response_label"):
            per_label.setdefault(label.get("ident"), set()).add(label.find(f".//{Q}mattext").text)
    assert all(re.fullmatch(r"[1-9]\d*", i) for i in idents), [i for i in idents if not re.fullmatch(r"[1-9]\d*", i)]
    assert all(len(texts) == 1 for texts in per_label.values())  # one ident, one answer
    prompts = [lid.get("ident") for lid in root.iter(f"{Q}response_lid") if lid.get("ident") != "response1"]
    numbers = set(per_label) | {p.removeprefix("response_") for p in prompts}
    assert len(numbers) == len(set(per_label)) + len(prompts)  # unique in the whole package


def test_canvas_grades_every_wrong_match_wrong(package):
    """get_canvas_matches / get_canvas_answers as Canvas runs them, then Canvas's grading: a
    response is right when its match id is the prompt's."""
    _, by_id, ready = package
    matching = [i for i in ready if i.type in ("matching", "ordering")]
    assert any(i.id == "privacy-proceedings-match" for i in matching)
    for item in matching:
        el = by_id[item.id]
        lids = el.findall(f"{Q}presentation/{Q}response_lid")
        offered = [[lab.get("ident") for lab in lid.iter(f"{Q}response_label")] for lid in lids]
        assert all(o == offered[0] for o in offered), item.id  # Canvas reads the first prompt's answers
        match_ids = {ident: canvas_match_id(ident) for ident in offered[0]}
        assert None not in match_ids.values() and 0 not in match_ids.values(), item.id
        assert len(set(match_ids.values())) == len(match_ids), (item.id, match_ids)
        text = {lab.get("ident"): lab.find(f".//{Q}mattext").text for lab in lids[0].iter(f"{Q}response_label")}
        pairs, _ = as_pairs(item)
        for lid, (prompt, answer) in zip(lids, pairs):
            rid = lid.get("ident")
            assert re.fullmatch(r"response_[1-9]\d*", rid)  # get_or_generate_answer_id: its number
            adds = [c for c in conditions(el) if c.find(f"{Q}setvar[@action='Add']") is not None
                    and c.find(f"{Q}conditionvar/{Q}varequal[@respident='{rid}']") is not None]
            assert len(adds) == 1, (item.id, rid)
            correct = match_ids[adds[0].find(f"{Q}conditionvar/{Q}varequal").text]
            for ident, mid in match_ids.items():
                assert (mid == correct) is (text[ident] == answer), (item.id, prompt, text[ident])


def test_canvas_reads_the_right_choices(package):
    """ChoiceInteraction: conditions in order; SCORE set above 0 makes an answer right (for a
    multiple-answer question, the answers directly under the `and`), a condition without
    SCORE makes the answers it names wrong."""
    _, by_id, ready = package
    for item in (i for i in ready if i.type in ("single", "multiple", "truefalse")):
        el = by_id[item.id]
        labels = {lab.get("ident"): lab.find(f".//{Q}mattext").text for lab in el.iter(f"{Q}response_label")}
        weight = {ident: 0 for ident in labels}
        for cond in conditions(el):
            cv = cond.find(f"{Q}conditionvar")
            direct = cv.findall(f"{Q}varequal") + cv.findall(f"{Q}and/{Q}varequal")
            for v in direct:
                weight[v.text] = 100 if (scores(cond) or 0) > 0 else 0
        right = {labels[i] for i, w in weight.items() if w > 0}
        if item.type == "truefalse":
            assert set(labels.values()) == {"True", "False"}  # process_true_false_question
            assert right == {"True" if item.truth else "False"}, item.id
        else:
            from exercises.render.text import to_html
            assert right == {to_html(o.text) for o in item.correct_options}, item.id
        kind = meta(el)["question_type"]
        assert kind == {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
                        "truefalse": "true_false_question"}[item.type]
        if item.type == "multiple":
            check_canvas_marks_as_the_notebooks(list(weight.values()))


def canvas_score(weights: list[int], chosen: list[bool]) -> float:
    """canvas-lms, Quizzes::QuizQuestion::MultipleAnswersQuestion#correct_answer_parts and
    UserAnswer#score: each chosen answer of weight 100 earns 1/total, each other chosen one
    docks 1/total, where total is the number of weight-100 answers; never below 0."""
    total = max(1, sum(1 for w in weights if w == 100))
    correct = sum(1 for w, c in zip(weights, chosen) if c and w == 100)
    incorrect = sum(1 for w, c in zip(weights, chosen) if c and w != 100)
    score = correct / total
    if incorrect > 0:
        score = max(0.0, score - incorrect / total)
    return score


def check_canvas_marks_as_the_notebooks(weights: list[int]) -> None:
    from itertools import product

    from exercises.graded.marking import share

    right = [str(n) for n, w in enumerate(weights) if w == 100]
    for chosen in product((False, True), repeat=len(weights)):
        given = [str(n) for n, c in enumerate(chosen) if c]
        assert canvas_score(weights, list(chosen)) == pytest.approx(share(given, right)), given


def test_canvas_reads_numbers_exactly(package):
    _, by_id, ready = package
    numeric = [i for i in ready if i.type == "numeric"]
    assert numeric
    for item in numeric:
        el = by_id[item.id]
        scoring = [c for c in conditions(el) if scores(c)]
        assert len(scoring) == 1
        either = scoring[0].find(f"{Q}conditionvar/{Q}or")
        exact = either.find(f"{Q}varequal").text
        rng = either.find(f"{Q}and")
        assert rng.find(f"{Q}vargt") is None  # would start Canvas's precision-answer guess
        low, high = rng.find(f"{Q}vargte").text, rng.find(f"{Q}varlte").text
        for text in (exact, low, high):
            assert re.fullmatch(r"-?\d+(\.\d+)?", text), text  # plain decimals for BigDecimal
        n = item.numeric
        assert exact == number(n.value)
        assert Decimal(high) - Decimal(exact) == Decimal(exact) - Decimal(low) == Decimal(number(n.tolerance))
        assert meta(el)["question_type"] == "numerical_question"


def test_canvas_reads_every_spelling_of_a_short_answer(package):
    _, by_id, ready = package
    for item in (i for i in ready if i.type == "citation"):
        el = by_id[item.id]
        scoring = [c for c in conditions(el) if scores(c)]
        assert len(scoring) == 1
        cv = scoring[0].find(f"{Q}conditionvar")
        assert [local(c) for c in cv] == ["or"]  # side by side they would be joined with "and"
        assert [v.text for v in cv.iter(f"{Q}varequal")] == [f for p in item.citations for f in spellings(p)]
        assert meta(el)["question_type"] == "short_answer_question"
    for item in (i for i in ready if i.type == "essay"):
        el = by_id[item.id]
        assert not list(el.iter(f"{Q}varequal")) and meta(el)["question_type"] == "essay_question"


def test_canvas_maps_every_feedback(package):
    _, by_id, ready = package
    for item in ready:
        el = by_id[item.id]
        feedback = {fb.get("ident"): fb for fb in el.findall(f"{Q}itemfeedback")}
        shown = [d.get("linkrefid") for d in el.iter(f"{Q}displayfeedback")]
        assert set(shown) <= set(feedback), item.id
        answer_ids = {lab.get("ident") for lab in el.iter(f"{Q}response_label")} | {
            lid.get("ident").removeprefix("response_") for lid in el.iter(f"{Q}response_lid")}
        overall = {}
        for ident in feedback:
            fid = qti_ident(ident, "FEEDBACK_")
            if re.search(r"wrong|incorrect|_IC$", fid, re.I):
                overall["incorrect"] = ident
            elif re.search(r"correct|_C$", fid, re.I):
                overall["correct"] = ident
            elif re.search(r"general_|_all", fid, re.I):  # neutral comments: an essay's rubric, or why
                overall["neutral"] = ident
            else:  # per answer: "<answer id>_fb", kept by get_feedback_id
                assert not re.search(r"general_|_all|wrong|incorrect|correct|_IC$|_C$", fid, re.I), ident
                assert ident.removesuffix("_fb") in answer_ids, (item.id, ident)
        assert ("correct" in overall) is bool(item.feedback_correct), item.id
        assert ("incorrect" in overall) is bool(item.feedback_incorrect), item.id
        assert ("neutral" in overall) is (item.type == "essay" or bool(item.feedback_why)), item.id
        if item.type not in ("matching", "ordering", "essay") and item.feedback_correct:
            assert overall["correct"] in shown and overall["incorrect"] in shown, item.id
        if item.type in ("single", "multiple"):
            per_option = [o.feedback for o in item.options]
            assert len(feedback) - len(overall) == sum(bool(f) for f in per_option), item.id


def test_response_processing_uses_what_qtimigrationtool_maps(package):
    root, by_id, ready = package
    for cond in root.iter(f"{Q}respcondition"):
        for el in cond.find(f"{Q}conditionvar").iter():
            if el.tag != f"{Q}conditionvar":
                assert local(el) in CONDITIONS, local(el)
        assert cond.get("continue") in ("Yes", "No")
        for setvar in cond.findall(f"{Q}setvar"):
            assert setvar.get("varname") == "SCORE" and setvar.get("action") in ("Set", "Add")
    for item in ready:
        el = by_id[item.id]
        assert el.find(f"{Q}resprocessing/{Q}outcomes/{Q}decvar").get("varname") == "SCORE"
        m = meta(el)
        assert m["question_type"] in CANVAS_TYPES and m["points_possible"] == number(item.max_points)
