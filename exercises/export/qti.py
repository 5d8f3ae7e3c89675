"""A QTI 1.2 package as Canvas imports it (Settings > Import course content > QTI .zip).

Built with ElementTree rather than text2qti: text2qti reads its own Markdown (where "$US200"
would start LaTeX) and has no matching questions, which the bank relies on. The structure
follows Canvas's own QTI exports: imsmanifest.xml, <quiz>/<quiz>.xml and assessment_meta.xml.
Ordering items become matching questions (each step to its position).
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from exercises.export.accept import spellings
from exercises.items import Item
from exercises.render.text import stem_html, to_html

NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CANVAS_TYPE = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
               "truefalse": "true_false_question", "numeric": "numerical_question",
               "matching": "matching_question", "ordering": "matching_question",
               "citation": "short_answer_question", "essay": "essay_question"}


def ident(*parts: str) -> str:
    """Stable identifiers: the same bank gives byte-identical packages."""
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


def _choices(item: Item) -> list[tuple[str, str, bool, str | None]]:
    """(label id, html, correct, feedback) for choice-like items."""
    if item.type == "truefalse":
        return [(ident(item.id, "true"), "True", item.truth is True,
                 item.feedback_correct if item.truth else item.feedback_incorrect),
                (ident(item.id, "false"), "False", item.truth is False,
                 item.feedback_correct if not item.truth else item.feedback_incorrect)]
    return [(ident(item.id, "option", str(n)), to_html(o.text), o.correct, o.feedback)
            for n, o in enumerate(item.options)]


def _pairs(item: Item) -> tuple[list[tuple[str, str]], list[str]]:
    if item.type == "ordering":
        return [(s.text, str(pos)) for pos, s in enumerate(item.steps, start=1)], []
    return [(p.prompt, p.answer) for p in item.pairs], list(item.distractors)


def item_element(item: Item) -> ET.Element:
    el = ET.Element("item", ident=ident(item.id), title=item.label)
    _meta(el, {"question_type": CANVAS_TYPE[item.type], "points_possible": f"{item.max_points:g}",
               "assessment_question_identifierref": ident(item.id, "question"), "course_item_id": item.id})
    pres = ET.SubElement(el, "presentation")
    _mat(pres, stem_html(item))
    proc = ET.SubElement(el, "resprocessing")
    outcomes = ET.SubElement(proc, "outcomes")
    ET.SubElement(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")

    if item.type in ("single", "multiple", "truefalse"):
        choices = _choices(item)
        lid = ET.SubElement(pres, "response_lid", ident="response1",
                            rcardinality="Multiple" if item.type == "multiple" else "Single")
        rc = ET.SubElement(lid, "render_choice")
        for cid, html, _, _ in choices:
            _mat(ET.SubElement(rc, "response_label", ident=cid), html)
        for cid, _, _, fb in choices:  # per-answer feedback, shown whatever the score
            if fb:
                cond = ET.SubElement(proc, "respcondition", {"continue": "Yes"})
                ET.SubElement(ET.SubElement(cond, "conditionvar"), "varequal", respident="response1").text = cid
                ET.SubElement(cond, "displayfeedback", feedbacktype="Response", linkrefid=f"{cid}_fb")
        cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
        cv = ET.SubElement(cond, "conditionvar")
        if item.type == "multiple":
            both = ET.SubElement(cv, "and")
            for cid, _, ok, _ in choices:
                target = both if ok else ET.SubElement(both, "not")
                ET.SubElement(target, "varequal", respident="response1").text = cid
        else:
            ET.SubElement(cv, "varequal", respident="response1").text = next(c for c, _, ok, _ in choices if ok)
        ET.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"
        for cid, _, _, fb in choices:
            if fb:
                _feedback(el, f"{cid}_fb", fb)
    elif item.type in ("matching", "ordering"):
        pairs, distractors = _pairs(item)
        answers = list(dict.fromkeys([a for _, a in pairs] + distractors))
        answer_ids = {a: ident(item.id, "answer", a) for a in answers}
        share = f"{100 / len(pairs):.4f}".rstrip("0").rstrip(".")
        for n, (prompt, answer) in enumerate(pairs):
            rid = f"response_{ident(item.id, 'prompt', str(n))}"
            lid = ET.SubElement(pres, "response_lid", ident=rid)
            _mat(lid, to_html(prompt))
            rc = ET.SubElement(lid, "render_choice")
            for a in answers:
                label = ET.SubElement(rc, "response_label", ident=answer_ids[a])
                ET.SubElement(label, "material").append(_plain(a))
            cond = ET.SubElement(proc, "respcondition")
            ET.SubElement(ET.SubElement(cond, "conditionvar"), "varequal", respident=rid).text = answer_ids[answer]
            ET.SubElement(cond, "setvar", varname="SCORE", action="Add").text = share
    elif item.type in ("numeric", "citation", "essay"):
        rs = ET.SubElement(pres, "response_str", ident="response1", rcardinality="Single")
        fib = ET.SubElement(rs, "render_fib", **({"fibtype": "Decimal"} if item.type == "numeric" else {}))
        ET.SubElement(fib, "response_label", ident="answer1", **({"rshuffle": "No"} if item.type == "essay" else {}))
        if item.type == "numeric":
            n = item.numeric
            cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
            either = ET.SubElement(ET.SubElement(cond, "conditionvar"), "or")
            ET.SubElement(either, "varequal", respident="response1").text = f"{n.value:g}"
            rng = ET.SubElement(either, "and")
            ET.SubElement(rng, "vargte", respident="response1").text = f"{n.value - n.tolerance:g}"
            ET.SubElement(rng, "varlte", respident="response1").text = f"{n.value + n.tolerance:g}"
            ET.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"
        elif item.type == "citation":
            cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
            cv = ET.SubElement(cond, "conditionvar")
            for pid in item.citations:
                for form in spellings(pid):
                    ET.SubElement(cv, "varequal", respident="response1").text = form
            ET.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"
        else:
            cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
            ET.SubElement(ET.SubElement(cond, "conditionvar"), "other")
    if item.feedback_correct and item.type not in ("single", "multiple", "truefalse"):
        _feedback(el, "correct_fb", item.feedback_correct)
    if item.feedback_incorrect and item.type not in ("single", "multiple", "truefalse"):
        _feedback(el, "general_incorrect_fb", item.feedback_incorrect)
    return el


def _plain(text: str) -> ET.Element:
    m = ET.Element("mattext", texttype="text/plain")
    m.text = text
    return m


def assessment(items: list[Item], title: str, quiz_id: str) -> ET.ElementTree:
    root = ET.Element("questestinterop", xmlns=NS)
    a = ET.SubElement(root, "assessment", ident=quiz_id, title=title)
    md = ET.SubElement(ET.SubElement(a, "qtimetadata"), "qtimetadatafield")
    ET.SubElement(md, "fieldlabel").text = "cc_maxattempts"
    ET.SubElement(md, "fieldentry").text = "1"
    section = ET.SubElement(a, "section", ident="root_section")
    for item in items:
        section.append(item_element(item))
    return ET.ElementTree(root)


def manifest(quiz_id: str, title: str) -> ET.ElementTree:
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
    res = ET.SubElement(ET.SubElement(root, "resources"), "resource",
                        identifier=quiz_id, type="imsqti_xmlv1p2")
    ET.SubElement(res, "file", href=f"{quiz_id}/{quiz_id}.xml")
    ET.SubElement(res, "dependency", identifierref=ident(quiz_id, "meta"))
    meta = ET.SubElement(root.find("resources"), "resource", identifier=ident(quiz_id, "meta"),
                         type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
                         href=f"{quiz_id}/assessment_meta.xml")
    ET.SubElement(meta, "file", href=f"{quiz_id}/assessment_meta.xml")
    return ET.ElementTree(root)


def meta(quiz_id: str, title: str, points: float) -> ET.ElementTree:
    root = ET.Element("quiz", {"identifier": quiz_id, "xmlns": "http://canvas.instructure.com/xsd/cccv1p0"})
    for tag, value in (("title", title), ("description", ""), ("shuffle_answers", "true"),
                       ("scoring_policy", "keep_highest"), ("quiz_type", "assignment"),
                       ("points_possible", f"{points:g}"), ("allowed_attempts", "1")):
        ET.SubElement(root, tag).text = value
    return ET.ElementTree(root)


def _bytes(tree: ET.ElementTree) -> bytes:
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
