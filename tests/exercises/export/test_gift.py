"""The GIFT export as a third-party parser reads it: gift-pegjs (pinned in package.json,
installed by `npm ci`), run with node on the export of every bank item.

gift-pegjs refuses a whole file for one question it cannot parse, so the file is parsed whole
and, to name the culprit, each question on its own. Then every question is compared with its
item: type, title, id and tags (from the `// [id:...] [tag:...]` comment, read as Moodle's
qformat_gift::extract_idnumber_and_tags_from_comment reads it), answers, weights and feedback.
GIFT carries no points: the test checks that nothing worth more than 1 point is in the file.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lms_readers import text_of  # tests/exercises/lms_readers.py
from test_lms import nasty_items  # tests/exercises/export/test_lms.py

from exercises.export import export
from exercises.export.accept import spellings
from exercises.export.gift import RIGHT_LABEL, WRONG_LABEL, question
from exercises.export.lms import as_pairs, prepare, tags, why_text
from exercises.export.moodle import fraction
from exercises.render.text import stem_html, to_html

ROOT = Path(__file__).resolve().parents[3]
GIFT_PEGJS = ROOT / "node_modules" / "gift-pegjs"

# Reads a JSON list of GIFT texts on stdin; writes, for each, the parsed questions or the error.
PARSE_ALL = """
const gift = require(process.argv[1]);
let input = '';
process.stdin.on('data', d => input += d).on('end', () => {
  const out = JSON.parse(input).map(text => {
    try { return {questions: gift.parse(text)}; }
    catch (e) { return {error: e.message, location: e.location ? e.location.start : null}; }
  });
  process.stdout.write(JSON.stringify(out));
});
"""

TYPES = {"single": "MC", "multiple": "MC", "truefalse": "TF", "numeric": "Numerical",
         "matching": "Matching", "ordering": "Matching", "citation": "Short"}


def gift_pegjs(texts: list[str]) -> list[dict]:
    if not (GIFT_PEGJS / "package.json").exists():
        pytest.fail(f"{GIFT_PEGJS} is missing: run `npm ci` (gift-pegjs is pinned in package.json devDependencies)")
    node = shutil.which("node")
    if not node:
        pytest.fail("node is not on PATH; the GIFT tests run gift-pegjs with Node 20")
    run = subprocess.run([node, "-e", PARSE_ALL, str(GIFT_PEGJS)], input=json.dumps(texts),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_gift_pegjs_is_the_pinned_version():
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["gift-pegjs"]
    installed = json.loads((GIFT_PEGJS / "package.json").read_text())["version"]
    assert installed == pinned, "node_modules is stale: run `npm ci`"


def html_text(fmt_text: dict | None) -> str:
    return text_of(fmt_text["text"]) if fmt_text else ""


# gift-pegjs 1.0.2 leaves a matching answer's escaped characters as its internal placeholders
# (its Match rule reads the answer as PlainText, which is not decoded); Moodle decodes them.
PLACEHOLDERS = {"&&092;": "\\", "&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{", "&&125;": "}",
                "&&126;": "~"}


def subanswer(text: str) -> str:
    for placeholder, char in PLACEHOLDERS.items():
        text = text.replace(placeholder, char)
    return text


def seen(text: str | None) -> str:
    """What a reader sees of an item's text once exported as HTML."""
    return text_of(to_html(text)) if text else ""


def check(item, q) -> None:
    """One gift-pegjs question against the item it was exported from."""
    where = item.id
    assert q["type"] == TYPES[item.type], where
    assert q["title"] == item.label, where
    assert q["id"] == item.id and q["tags"] == tags(item), where
    assert q["stem"]["format"] == "html" and text_of(q["stem"]["text"]) == text_of(stem_html(item)), where
    overall = html_text(q.get("globalFeedback"))
    if item.type in ("single", "multiple"):
        choices = q["choices"]
        assert [html_text(c["text"]) for c in choices] == [seen(o.text) for o in item.options], where
        assert [html_text(c["feedback"]) for c in choices] == [seen(o.feedback) for o in item.options], where
        if item.type == "single":
            assert [c["isCorrect"] for c in choices] == [o.correct for o in item.options], where
            assert all(c["weight"] is None for c in choices), where
        else:  # every option weighted: right ones share 100%, each wrong one costs a right one's share
            right = len(item.correct_options)
            assert not any(c["isCorrect"] for c in choices), where
            assert [c["weight"] for c in choices] == [
                float(fraction(right)) if o.correct else -float(fraction(right)) for o in item.options], where
            assert sum(c["weight"] for c in choices if c["weight"] > 0) == pytest.approx(100, abs=1e-4), where
    elif item.type == "truefalse":
        assert q["isTrue"] is item.truth, where
        # gift-pegjs keeps the two feedbacks in file order: first the one for a wrong answer,
        # then the one for a right answer, which is how Moodle's importer reads them.
        assert (html_text(q["trueFeedback"]), html_text(q["falseFeedback"])) == \
            (seen(item.feedback_incorrect), seen(item.feedback_correct)), where
    elif item.type == "numeric":
        n = item.numeric
        right, other = q["choices"]
        assert right["isCorrect"] and right["text"] == {"type": "range", "number": n.value, "range": n.tolerance}, where
        assert html_text(right["feedback"]) == seen(item.feedback_correct), where
        assert not other["isCorrect"] and other["text"]["text"] == "*", where  # any other number
        assert html_text(other["feedback"]) == seen(item.feedback_incorrect), where
    elif item.type in ("matching", "ordering"):
        pairs, distractors = as_pairs(item)
        assert [(html_text(p["subquestion"]), subanswer(p["subanswer"])) for p in q["matchPairs"]] == \
            [(seen(prompt), answer) for prompt, answer in pairs] + [("", d) for d in distractors], where
    elif item.type == "citation":
        forms = [form for pid in item.citations for form in spellings(pid)]
        *accepted, anything = q["choices"]
        assert [c["text"]["text"] for c in accepted] == forms, where
        assert all(c["isCorrect"] and c["weight"] is None for c in accepted), where  # full marks
        assert {html_text(c["feedback"]) for c in accepted} == {seen(item.feedback_correct)}, where
        assert anything["text"]["text"] == "*" and anything["weight"] == 0, where
        assert html_text(anything["feedback"]) == seen(item.feedback_incorrect), where
    else:
        raise AssertionError(f"{where}: a {item.type} item should not be in a GIFT file")
    # The general feedback, shown after any response, ends with why the answer is so and its passage.
    why = [seen(why_text(item))] if why_text(item) else []
    if item.type in ("single", "multiple", "matching", "ordering"):
        # No place for overall right/wrong feedback in these GIFT questions: the general feedback.
        expected = " ".join([f"{label} {seen(text)}" for label, text in
                             ((RIGHT_LABEL, item.feedback_correct), (WRONG_LABEL, item.feedback_incorrect)) if text]
                            + why)
        assert overall == expected, where
    else:
        assert overall == " ".join(why), where
    if item.feedback_why:
        assert why and overall.endswith(why[0]) and "In the module:" in overall, where


def check_file(items, tmp_path) -> None:
    out = export(items, "gift", tmp_path / "q.gift.txt")
    ready, left_out = prepare(items, "gift")
    whole, *alone = gift_pegjs([out.read_text(encoding="utf-8")] + [question(i) + "\n" for i in ready])
    refused = {i.id: r["error"] for i, r in zip(ready, alone) if "error" in r}
    assert not refused, f"gift-pegjs refuses {len(refused)} question(s): {refused}"
    assert "error" not in whole, whole
    parsed = [q for q in whole["questions"] if q["type"] != "Category"]
    pages = dict.fromkeys(i.section.page for i in ready)  # the file groups questions by page
    assert [q["id"] for q in parsed] == [i.id for page in pages for i in ready if i.section.page == page]
    by_id = {q["id"]: q for q in parsed}
    for item in ready:
        check(item, by_id[item.id])
    # GIFT has no points: Moodle gives each question 1, so only 1-point items may be in the file.
    assert all(i.max_points == 1 for i in ready)
    assert all("GIFT carries no points" in why for i, why in left_out if i.max_points != 1)


def test_gift_pegjs_reads_every_bank_item(bank, tmp_path):
    check_file(bank, tmp_path)
    ready, _ = prepare(bank, "gift")
    assert {i.type for i in ready} >= {"single", "multiple", "truefalse", "numeric", "matching", "ordering",
                                      "citation"}


def test_gift_pegjs_reads_special_characters(tmp_path):
    check_file(nasty_items(), tmp_path)


def test_numeric_answers_in_the_short_form_are_refused():
    """Why numeric answers are written {#=60:0#right ~#wrong}: gift-pegjs refuses the short form
    with feedback (Moodle reads both)."""
    short, long = gift_pegjs(["::q::How many?{#60:0#Right.}\n", "::q::How many?{#=60:0#Right. ~#Wrong.}\n"])
    assert "error" in short and "error" not in long


def test_gift_and_moodle_xml_file_the_questions_under_the_same_categories(bank, tmp_path):
    """A lecturer who imports both files into one course gets one category tree, as Moodle reads
    a path (qformat_default::split_category_path: a single "/" steps down, "//" is a slash)."""
    title = "Week 3 / Protection"
    gift_file = export(bank, "gift", tmp_path / "q.gift.txt", title=title)
    xml_file = export(bank, "moodle", tmp_path / "q.xml", title=title)
    whole = gift_pegjs([gift_file.read_text(encoding="utf-8")])[0]
    in_gift = [q["title"] for q in whole["questions"] if q["type"] == "Category"]
    in_xml = [c.findtext("category/text") for c in ET.parse(xml_file).getroot().findall("question[@type='category']")]
    assert in_gift == in_xml and len(in_gift) > 1
    pages = dict.fromkeys(i.section.page for i in prepare(bank, "gift")[0])
    names = [[n.replace("//", "/").strip() for n in re.split(r"(?<!/)/(?!/)", path)] for path in in_gift]
    assert names == [["$course$", title, page] for page in pages]
