"""A QTI 1.2 package as Canvas imports it (Settings > Import course content > QTI .zip).

Built with ElementTree rather than text2qti: text2qti reads its own Markdown (where "$US200"
would start LaTeX) and has no matching questions, which the bank relies on. The structure
follows Canvas's own QTI exports: imsmanifest.xml, <quiz>/<quiz>.xml and assessment_meta.xml.
Ordering items become matching questions (each step to its position). Response processing
and feedback follow Canvas's own exporter (per-answer feedback first, then the scoring
condition with the feedback for a right answer, then the one for any other response), since
Canvas reads the file back through QTIMigrationTool and its own question converters; the
rules they apply are checked in tests/exercises/export/test_qti.py.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from exercises.export.accept import spellings
from exercises.export.lms import as_pairs, pair_feedback, why_text
from exercises.export.numbers import bounds, number
from exercises.items import Item
from exercises.render.text import stem_html, to_html

NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CANVAS_TYPE = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
               "truefalse": "true_false_question", "numeric": "numerical_question",
               "matching": "matching_question", "ordering": "matching_question",
               "citation": "short_answer_question", "essay": "essay_question"}


def ident(*parts: str) -> str:
    """Stable identifiers for the package, its items and resources ("g" and hex, as Canvas's own
    exports write them): the same bank gives byte-identical packages. Answers have numbers
    (`AnswerIds`)."""
    return "g" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:24]


def _mat(parent: ET.Element, html: str) -> ET.Element:
    material = ET.SubElement(parent, "material")
    ET.SubElement(material, "mattext", texttype="text/html").text = html
    return material


def _meta(item_el: ET.Element, fields: dict[str, str]) -> None:
    md = ET.SubElement(ET.SubElement(item_el, "itemmetadata"), "qtimetadata")
    for k, v in fields.items():
        f = ET.SubElement(md, "qtimetadatafield")
        ET.SubElement(f, "fieldlabel").text = k
        ET.SubElement(f, "fieldentry").text = v


def _feedback(item_el: ET.Element, fid: str, text: str) -> None:
    fb = ET.SubElement(item_el, "itemfeedback", ident=fid)
    _mat(ET.SubElement(fb, "flow_mat"), to_html(text))


class AnswerIds:
    """Identifiers for answers and matches: plain numbers, unique in the package, from 1 up.

    Canvas's importer takes a matching answer's id from the first run of digits in its ident
    (and treats 0 as "no id"), so idents such as "g07c7..." and "gb7a6..." both became match 7
    and a wrong match was graded right. Canvas's own exporter writes its database ids, plain
    numbers; so do we, counting in item order, so the same items give the same package."""

    def __init__(self) -> None:
        self.last = 0

    def __call__(self) -> str:
        self.last += 1
        return str(self.last)


def _varequal(parent: ET.Element, respident: str, value: str) -> None:
    ET.SubElement(parent, "varequal", respident=respident).text = value


def _condition(proc: ET.Element, cont: str, score: str | None = None, action: str = "Set",
               feedback: str | None = None) -> ET.Element:
    """A respcondition that sets (or adds to) the score and shows the itemfeedback `feedback`;
    returns its conditionvar for the caller to fill."""
    cond = ET.SubElement(proc, "respcondition", {"continue": cont})
    cv = ET.SubElement(cond, "conditionvar")
    if score is not None:
        ET.SubElement(cond, "setvar", action=action, varname="SCORE").text = score
    if feedback:
        ET.SubElement(cond, "displayfeedback", feedbacktype="Response", linkrefid=feedback)
    return cv


CORRECT_FB, INCORRECT_FB = "correct_fb", "general_incorrect_fb"  # the idents Canvas maps to its overall feedback
GENERAL_FB = "general_fb"  # Canvas's neutral comments, shown whatever the answer


def rubric_text(item: Item) -> str:
    """An essay's rubric as its general feedback: the criteria the lecturer marks, each with its
    points and descriptor (students read them in the notebooks too); never the model answer,
    since Canvas shows this feedback to the student."""
    lines = ["How this answer is marked, criterion by criterion:", ""]
    for n, c in enumerate(item.rubric, 1):
        if c.when and c.otherwise:
            lines.append(f"{n}. {c.criterion} ({number(c.points)}; only if {c.when.words()}): "
                         f"{' '.join(c.descriptor.split())} Or, if {c.when.negated_words()}: "
                         f"{c.otherwise.criterion}: {' '.join(c.otherwise.descriptor.split())}")
        else:
            lines.append(f"{n}. {c.criterion} ({number(c.points)}): {' '.join(c.descriptor.split())}")
        lines.append("")
    return "\n".join(lines).strip()


def item_element(item: Item, new_id: AnswerIds) -> ET.Element:
    el = ET.Element("item", ident=ident(item.id), title=item.label)
    _meta(el, {"question_type": CANVAS_TYPE[item.type], "points_possible": number(item.max_points),
               "assessment_question_identifierref": ident(item.id, "question"), "course_item_id": item.id})
    pres = ET.SubElement(el, "presentation")
    _mat(pres, stem_html(item))
    proc = ET.SubElement(el, "resprocessing")
    outcomes = ET.SubElement(proc, "outcomes")
    ET.SubElement(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    feedback: list[tuple[str, str]] = []  # (itemfeedback ident, text), written after resprocessing
    right = CORRECT_FB if item.feedback_correct else None

    if item.type in ("single", "multiple", "truefalse"):
        if item.type == "truefalse":
            choices = [(new_id(), "True", item.truth is True,
                        item.feedback_correct if item.truth else item.feedback_incorrect),
                       (new_id(), "False", item.truth is False,
                        item.feedback_correct if not item.truth else item.feedback_incorrect)]
        else:
            choices = [(new_id(), to_html(o.text), o.correct, o.feedback) for o in item.options]
        lid = ET.SubElement(pres, "response_lid", ident="response1",
                            rcardinality="Multiple" if item.type == "multiple" else "Single")
        rc = ET.SubElement(lid, "render_choice")
        for cid, html, _, _ in choices:
            _mat(ET.SubElement(rc, "response_label", ident=cid), html)
        for cid, _, _, fb in choices:  # per-answer feedback, shown whatever the score
            if fb:
                _varequal(_condition(proc, "Yes", feedback=f"{cid}_fb"), "response1", cid)
                feedback.append((f"{cid}_fb", fb))
        cv = _condition(proc, "No", "100", feedback=right)
        if item.type == "multiple":
            both = ET.SubElement(cv, "and")
            for cid, _, ok, _ in choices:
                _varequal(both if ok else ET.SubElement(both, "not"), "response1", cid)
        else:
            _varequal(cv, "response1", next(c for c, _, ok, _ in choices if ok))
    elif item.type in ("matching", "ordering"):
        pairs, distractors = as_pairs(item)
        answers = list(dict.fromkeys([a for _, a in pairs] + distractors))
        answer_ids = {a: new_id() for a in answers}
        share = number(round(100 / len(pairs), 4))
        for (prompt, answer), fb in zip(pairs, pair_feedback(item)):
            pid = new_id()
            rid = f"response_{pid}"  # Canvas: response_<answer id>
            lid = ET.SubElement(pres, "response_lid", ident=rid)
            _mat(lid, to_html(prompt))
            rc = ET.SubElement(lid, "render_choice")
            for a in answers:
                label = ET.SubElement(rc, "response_label", ident=answer_ids[a])
                ET.SubElement(label, "material").append(_plain(a))
            # continue="Yes": every pair adds its share (the default, "No", stops at the first).
            _varequal(_condition(proc, "Yes", share, "Add"), rid, answer_ids[answer])
            if fb:  # as Canvas writes a matching answer's comments: shown when the match is wrong
                cv = _condition(proc, "Yes", feedback=f"{pid}_fb")
                _varequal(ET.SubElement(cv, "not"), rid, answer_ids[answer])
                feedback.append((f"{pid}_fb", fb))
    elif item.type in ("numeric", "citation", "essay"):
        rs = ET.SubElement(pres, "response_str", ident="response1", rcardinality="Single")
        fib = ET.SubElement(rs, "render_fib", {"fibtype": "Decimal"} if item.type == "numeric" else {})
        ET.SubElement(fib, "response_label", {"ident": "answer1", **({"rshuffle": "No"} if item.type == "essay" else {})})
        if item.type == "essay":
            ET.SubElement(_condition(proc, "No"), "other")
        else:
            either = ET.SubElement(_condition(proc, "No", "100", feedback=right), "or")
            if item.type == "numeric":
                n = item.numeric_answer
                _varequal(either, "response1", number(n.value))
                low, high = bounds(n.value, n.tolerance)
                rng = ET.SubElement(either, "and")
                ET.SubElement(rng, "vargte", respident="response1").text = low
                ET.SubElement(rng, "varlte", respident="response1").text = high
            else:
                for pid in item.citations:
                    for form in spellings(pid):
                        _varequal(either, "response1", form)
    if item.feedback_incorrect and item.type not in ("matching", "ordering", "essay"):
        # After the scoring condition (continue="No"): reached only by a response that is not right.
        ET.SubElement(_condition(proc, "Yes", feedback=INCORRECT_FB), "other")
    for fid, text in ([(CORRECT_FB, item.feedback_correct)] if item.feedback_correct else []) \
            + ([(INCORRECT_FB, item.feedback_incorrect)] if item.feedback_incorrect else []) + feedback \
            + ([(GENERAL_FB, rubric_text(item))] if item.type == "essay" and item.rubric else []) \
            + ([(GENERAL_FB, why)] if (why := why_text(item)) and item.type != "essay" else []):
        _feedback(el, fid, text)
    return el


def _plain(text: str) -> ET.Element:
    m = ET.Element("mattext", texttype="text/plain")
    m.text = text
    return m


def assessment(items: list[Item], title: str, quiz_id: str) -> ET.ElementTree[ET.Element]:
    new_id = AnswerIds()
    root = ET.Element("questestinterop", xmlns=NS)
    a = ET.SubElement(root, "assessment", ident=quiz_id, title=title)
    md = ET.SubElement(ET.SubElement(a, "qtimetadata"), "qtimetadatafield")
    ET.SubElement(md, "fieldlabel").text = "cc_maxattempts"
    ET.SubElement(md, "fieldentry").text = "1"
    section = ET.SubElement(a, "section", ident="root_section")
    for item in items:
        section.append(item_element(item, new_id))
    return ET.ElementTree(root)


def manifest(quiz_id: str, title: str) -> ET.ElementTree[ET.Element]:
    root = ET.Element("manifest", {
        "identifier": ident(quiz_id, "manifest"),
        "xmlns": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1",
        "xmlns:lom": "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource",
        "xmlns:imsmd": "http://www.imsglobal.org/xsd/imsmd_v1p2",
        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "xsi:schemaLocation": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1 http://www.imsglobal.org/xsd/imscp_v1p1.xsd",
    })
    md = ET.SubElement(root, "metadata")
    ET.SubElement(md, "schema").text = "IMS Content"
    ET.SubElement(md, "schemaversion").text = "1.1.3"
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    res = ET.SubElement(resources, "resource",
                        identifier=quiz_id, type="imsqti_xmlv1p2")
    ET.SubElement(res, "file", href=f"{quiz_id}/{quiz_id}.xml")
    ET.SubElement(res, "dependency", identifierref=ident(quiz_id, "meta"))
    meta = ET.SubElement(resources, "resource", identifier=ident(quiz_id, "meta"),
                         type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
                         href=f"{quiz_id}/assessment_meta.xml")
    ET.SubElement(meta, "file", href=f"{quiz_id}/assessment_meta.xml")
    return ET.ElementTree(root)


def meta(quiz_id: str, title: str, points: float) -> ET.ElementTree[ET.Element]:
    root = ET.Element("quiz", {"identifier": quiz_id, "xmlns": "http://canvas.instructure.com/xsd/cccv1p0"})
    for tag, value in (("title", title), ("description", ""), ("shuffle_answers", "true"),
                       ("scoring_policy", "keep_highest"), ("quiz_type", "assignment"),
                       ("points_possible", number(points)), ("allowed_attempts", "1")):
        ET.SubElement(root, tag).text = value
    return ET.ElementTree(root)


def _bytes(tree: ET.ElementTree[ET.Element]) -> bytes:
    ET.indent(tree)
    return ET.tostring(tree.getroot(), encoding="UTF-8", xml_declaration=True)


def write(items: list[Item], out: Path, title: str) -> None:
    quiz_id = ident(title, *(i.id for i in items))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, tree in (("imsmanifest.xml", manifest(quiz_id, title)),
                           (f"{quiz_id}/{quiz_id}.xml", assessment(items, title, quiz_id)),
                           (f"{quiz_id}/assessment_meta.xml", meta(quiz_id, title, sum(i.max_points for i in items)))):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))  # reproducible bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, _bytes(tree))
