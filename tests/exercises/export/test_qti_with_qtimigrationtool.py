"""The QTI package read by the code Canvas runs on it: Instructure's QTIMigrationTool, and the
QTI 1.2 DTD that ships with it.

Neither is in a package registry, so these tests run where a lecturer or maintainer has a
checkout of QTIMigrationTool (Python 3, with lxml) and names it:

    QTIMIGRATIONTOOL=/path/to/QTIMigrationTool [QTIMIGRATIONTOOL_PYTHON=/its/venv/bin/python] \
        .venv/bin/python -m pytest tests/exercises/export/test_qti_with_qtimigrationtool.py

Elsewhere (CI included) they are skipped, saying so; test_qti.py checks the same package
against those rules as they read in the tool's and Canvas's source. Canvas runs the tool as
`migrate.py --ucvars --nogui --overwrite --cpout=OUT IN` and reads the QTI 2 it writes with
its question converters (canvas-lms, gems/plugins/qti_exporter/lib/qti/*.rb); the checks on
the converted items below are those converters' reading rules.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from test_lms import nasty_items  # tests/exercises/export/test_lms.py

from exercises.export import export
from exercises.export.lms import as_pairs, prepare
from exercises.export.numbers import number
from exercises.render.text import to_html

TOOL = os.environ.get("QTIMIGRATIONTOOL")
PYTHON = os.environ.get("QTIMIGRATIONTOOL_PYTHON", sys.executable)
pytestmark = pytest.mark.skipif(
    not TOOL, reason="QTIMIGRATIONTOOL is not set: no checkout of Instructure's QTIMigrationTool to run")
V2 = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"

# The DTD has no namespaces (it predates them); the package's namespace declaration and
# schemaLocation are dropped before validating, as a DTD validator of QTI 1.2 expects.
VALIDATE = """
import sys
from lxml import etree
dtd = etree.DTD(open(sys.argv[1], "rb"))
doc = etree.parse(sys.argv[2])
for el in doc.iter():
    if isinstance(el.tag, str) and el.tag.startswith("{"):
        el.tag = el.tag.split("}", 1)[1]
root = doc.getroot()
for name in list(root.attrib):
    del root.attrib[name]
etree.cleanup_namespaces(root)
ok = dtd.validate(root)
for e in dtd.error_log:
    print(f"line {e.line}: {e.message}")
sys.exit(0 if ok else 1)
"""


@pytest.fixture(scope="module")
def converted(bank, tmp_path_factory):
    items = bank + nasty_items()
    tmp = tmp_path_factory.mktemp("qtimigrationtool")
    package = export(items, "qti", tmp / "q.zip")
    with zipfile.ZipFile(package) as z:
        z.extractall(tmp / "in")
    run = subprocess.run([PYTHON, str(Path(TOOL) / "migrate.py"), "--ucvars", "--nogui", "--overwrite",
                          f"--cpout={tmp / 'out'}", str(tmp / "in")], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    ready, _ = prepare(items, "qti")
    out = {}
    for path in (tmp / "out" / "assessmentItems").glob("*.xml"):
        root = ET.parse(path).getroot()
        comment = path.read_text(encoding="utf-8").split("-->", 1)[0]
        course_id = re.search(r"course_item_id=(\S+)", comment).group(1)
        out[course_id] = (root, comment)
    return tmp, ready, out


def fields(root: ET.Element) -> dict[str, str]:
    return {f.get("name"): f.get("value") for f in root.iter(f"{V2}instructureField")}


def test_the_qti_1_2_dtd_accepts_the_package(converted):
    tmp, _, _ = converted
    xml = next(p for p in (tmp / "in").glob("*/*.xml") if p.name != "assessment_meta.xml")
    run = subprocess.run([PYTHON, "-c", VALIDATE, str(Path(TOOL) / "schemas" / "ims_qtiasiv1p2.dtd"), str(xml)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_item_converts_with_its_type_and_points(converted):
    _, ready, out = converted
    assert set(out) == {i.id for i in ready}
    types = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
             "truefalse": "true_false_question", "numeric": "numerical_question",
             "matching": "matching_question", "ordering": "matching_question",
             "citation": "short_answer_question", "essay": "essay_question"}
    for item in ready:
        root, comment = out[item.id]
        f = fields(root)
        assert f["question_type"] == types[item.type], item.id
        assert f["points_possible"] == number(item.max_points), item.id
        assert "Error" not in comment, (item.id, comment)


def test_canvas_matches_each_prompt_to_its_own_answer_only(converted):
    """AssociateInteraction (canvas_matching): the choices of the first prompt are the answers,
    each one's id the first run of digits in its identifier; a prompt's match is the choice
    its SCORE-adding condition names."""
    _, ready, out = converted
    for item in (i for i in ready if i.type in ("matching", "ordering")):
        root, _ = out[item.id]
        interactions = list(root.iter(f"{V2}choiceInteraction"))
        choices = [[(c.get("identifier"), "".join(c.itertext()).strip()) for c in ci.iter(f"{V2}simpleChoice")]
                   for ci in interactions]
        assert all(c == choices[0] for c in choices), item.id
        ids = [int(re.search(r"\d+", ident).group()) for ident, _ in choices[0]]
        assert len(set(ids)) == len(ids), (item.id, ids)
        text = dict(choices[0])
        pairs, _ = as_pairs(item)
        for ci, (_, answer) in zip(interactions, pairs):
            rid = ci.get("responseIdentifier")
            named = [cond.find(f"{V2}match/{V2}baseValue").text for cond in root.iter(f"{V2}responseIf")
                     if cond.find(f"{V2}match/{V2}variable[@identifier='{rid}']") is not None
                     and cond.find(f"{V2}setOutcomeValue[@identifier='SCORE']") is not None]
            assert len(named) == 1 and text[named[0]] == answer, (item.id, rid, named)


def test_canvas_reads_each_number_and_its_margin(converted):
    """NumericInteraction#get_canvas_answers on the converted item: the exact value from the
    stringMatch, the margin from varlte minus it (BigDecimal), no vargt (a precision guess)."""
    _, ready, out = converted
    numeric = [i for i in ready if i.type == "numeric"]
    assert numeric
    for item in numeric:
        root, _ = out[item.id]
        either = next(root.iter(f"{V2}or"))
        exact = either.find(f"{V2}stringMatch/{V2}baseValue").text
        upper = either.find(f"{V2}and/{V2}customOperator[@class='varlte']/{V2}baseValue").text
        assert either.find(f"{V2}and/{V2}customOperator[@class='vargt']") is None, item.id
        assert Decimal(exact) == Decimal(number(item.numeric.value)), item.id
        assert Decimal(upper) - Decimal(exact) == Decimal(number(item.numeric.tolerance)), item.id


def test_canvas_finds_the_right_and_wrong_feedback(converted):
    """AssessmentItemConverter#get_feedback: modalFeedback ids matching /wrong|incorrect|_IC$/
    are the wrong-answer comment, then /correct|_C$/ the right-answer one; per-answer ids
    `FEEDBACK_<n>_fb` attach to answer n."""
    _, ready, out = converted
    for item in ready:
        root, _ = out[item.id]
        ids = [m.get("identifier") for m in root.iter(f"{V2}modalFeedback")]
        wrong = [i for i in ids if re.search(r"wrong|incorrect|_IC$", i, re.I)]
        right = [i for i in ids if i not in wrong and re.search(r"correct|_C$", i, re.I)]
        assert bool(right) is bool(item.feedback_correct), (item.id, ids)
        assert bool(wrong) is bool(item.feedback_incorrect), (item.id, ids)
        for other in set(ids) - set(wrong) - set(right):
            assert re.fullmatch(r"FEEDBACK_\d+_fb", other), (item.id, other)


def test_canvas_finds_the_right_choices(converted):
    """ChoiceInteraction: an answer is right when a condition that sets SCORE above 0 names it
    (match or member, not under a not)."""
    _, ready, out = converted
    for item in (i for i in ready if i.type in ("single", "multiple", "truefalse")):
        root, _ = out[item.id]
        text = {c.get("identifier"): "".join(c.itertext()).strip() for c in root.iter(f"{V2}simpleChoice")}
        right = set()
        for cond in root.iter(f"{V2}responseIf"):
            score = cond.find(f"{V2}setOutcomeValue[@identifier='SCORE']/{V2}baseValue")
            if score is None or float(score.text) <= 0:
                continue
            test = next(iter(cond))
            named = [test] if test.tag in (f"{V2}match", f"{V2}member") else [
                t for t in test if t.tag in (f"{V2}match", f"{V2}member")]
            right |= {t.find(f"{V2}baseValue").text for t in named}
        shown = {text[i] for i in right}
        if item.type == "truefalse":
            assert shown == {"True" if item.truth else "False"}, item.id
        else:
            assert shown == {to_html(o.text) for o in item.correct_options}, (item.id, shown)
