"""Readers for the three LMS formats, written apart from the exporters, for round-trip tests.

Each returns {item id: {"type": ..., "stem": text, "answer": ...}} with the answer in the
shape tests compare against the bank.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment: tags dropped, entities decoded, spaces normalised."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


# ---- Moodle XML -------------------------------------------------------------

def read_moodle(path: Path) -> dict[str, dict]:
    out = {}
    for q in ET.parse(path).getroot().findall("question"):
        kind = q.get("type")
        if kind == "category":
            continue
        qid = q.findtext("idnumber")
        answers = [(float(a.get("fraction")), a.findtext("text")) for a in q.findall("answer")]
        rec = {"type": kind, "stem": text_of(q.findtext("questiontext/text"))}
        if kind == "multichoice":
            rec["single"] = q.findtext("single") == "true"
            rec["answer"] = sorted(text_of(t) for f, t in answers if f > 0)
            rec["weights"] = [(f, text_of(t)) for f, t in answers]
        elif kind == "truefalse":
            rec["answer"] = next(t for f, t in answers if f == 100) == "true"
        elif kind == "numerical":
            a = next(a for a in q.findall("answer") if float(a.get("fraction")) == 100)
            rec["answer"] = (float(a.findtext("text")), float(a.findtext("tolerance")))
        elif kind == "matching":
            rec["answer"] = [(text_of(s.findtext("text") or ""), s.findtext("answer/text"))
                             for s in q.findall("subquestion") if (s.findtext("text") or "").strip()]
        elif kind == "ordering":
            rec["answer"] = [text_of(t) for _, t in sorted(answers)]
        elif kind == "shortanswer":
            rec["answer"] = sorted(t for f, t in answers if f == 100)
            rec["weights"] = answers
        elif kind == "essay":
            rec["answer"] = text_of(q.findtext("graderinfo/text") or "")
        out[qid] = rec
    return out


# ---- GIFT -------------------------------------------------------------------

SPECIAL = "~=#{}:\\"


def _unescape(s: str) -> str:
    return re.sub(r"\\([~=#{}:\\])", r"\1", s)


def _split_unescaped(s: str, seps: str) -> list[tuple[str, str]]:
    """Split s at unescaped characters in seps; returns (separator, chunk) pairs."""
    parts, cur, sep, i = [], "", "", 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            cur += s[i:i + 2]
            i += 2
            continue
        if c in seps:
            parts.append((sep, cur))
            sep, cur = c, ""
        else:
            cur += c
        i += 1
    parts.append((sep, cur))
    return parts


def _find_unescaped(s: str, ch: str, start: int = 0) -> int:
    i = start
    while i < len(s):
        if s[i] == "\\":
            i += 2
            continue
        if s[i] == ch:
            return i
        i += 1
    return -1


def _general_feedback(body: str) -> tuple[str, str]:
    """(answers, general feedback): GIFT's general feedback follows an unescaped '####'."""
    i = 0
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        if body.startswith("####", i):
            return body[:i].strip(), _unescape(body[i + 4:]).strip()
        i += 1
    return body, ""


def read_gift(path: Path) -> dict[str, dict]:
    """Questions by the id in their `// [id:...]` comment; the kind from `// type: ...`."""
    text = path.read_text(encoding="utf-8")
    blocks = []
    current: list[str] = []
    comments: list[str] = []
    for line in text.splitlines() + [""]:
        if line.startswith("//"):
            comments.append(line)
            continue
        if line.startswith("$CATEGORY"):
            continue
        if not line.strip():
            if current:
                blocks.append(("\n".join(current), "\n".join(comments)))
            current, comments = [], []
            continue
        current.append(line)
    out = {}
    for block, comment in blocks:
        assert block.startswith("::"), block[:80]
        end_title = _find_unescaped(block, ":", 2)
        assert block[end_title:end_title + 2] == "::"
        qid = re.search(r"\[id:([^\]]+)\]", comment).group(1)
        rest = block[end_title + 2:]
        open_ = _find_unescaped(rest, "{")
        assert rest.rstrip().endswith("}") and open_ > 0
        stem = _unescape(rest[:open_].removeprefix("[html]"))
        body, general = _general_feedback(rest[open_ + 1:rest.rstrip().rfind("}")].strip())
        kind = re.search(r"type: (\w+)", comment).group(1)
        rec = {"type": kind, "stem": text_of(stem), "title": _unescape(block[2:end_title]),
               "tags": re.findall(r"\[tag:([^\]]+)\]", comment), "general_feedback": text_of(general)}
        if kind in ("single", "multiple", "citation"):
            answers = []
            for sep, chunk in _split_unescaped(body, "=~")[1:]:
                weight = 100.0 if sep == "=" else 0.0
                m = re.match(r"%(-?[\d.]+)%", chunk)
                if m:
                    weight, chunk = float(m.group(1)), chunk[m.end():]
                answer = _split_unescaped(chunk, "#")[0][1]
                answers.append((weight, _unescape(answer).strip()))
            if kind == "citation":
                rec["answer"] = sorted(a for w, a in answers if w > 0)
                rec["weights"] = answers
            else:
                rec["answer"] = sorted(text_of(a) for w, a in answers if w > 0)
                rec["weights"] = [(w, text_of(a)) for w, a in answers]
        elif kind == "truefalse":
            rec["answer"] = _split_unescaped(body, "#")[0][1].strip() in ("T", "TRUE")
        elif kind == "numeric":
            head = _split_unescaped(body, "#")[1][1].strip().removeprefix("=")
            value, tol = head.split(":")
            rec["answer"] = (float(value), float(tol))
        elif kind in ("matching", "ordering"):
            pairs = []
            for _sep, chunk in _split_unescaped(body, "=")[1:]:
                prompt, _, answer = chunk.partition("->")
                if prompt.strip():
                    pairs.append((text_of(_unescape(prompt)), _unescape(answer).strip()))
            rec["answer"] = pairs
        elif kind == "essay":
            rec["answer"] = body
        out[qid] = rec
    return out


# ---- QTI 1.2 (Canvas) -------------------------------------------------------

NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}


def _mattext(m) -> str:
    if m is None:
        return ""
    return (m.text or "").strip() if m.get("texttype") == "text/plain" else text_of(m.text or "")


def read_qti(path: Path) -> dict[str, dict]:
    with zipfile.ZipFile(path) as z:
        manifest = ET.fromstring(z.read("imsmanifest.xml"))
        mns = {"m": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"}
        href = manifest.find(".//m:resource[@type='imsqti_xmlv1p2']/m:file", mns).get("href")
        root = ET.fromstring(z.read(href))
    out = {}
    for item in root.iterfind(".//q:item", NS):
        meta = {f.findtext("q:fieldlabel", namespaces=NS): f.findtext("q:fieldentry", namespaces=NS)
                for f in item.iterfind(".//q:qtimetadatafield", NS)}
        kind = meta["question_type"]
        stem = text_of(item.find("q:presentation/q:material/q:mattext", NS).text or "")
        labels = {lab.get("ident"): _mattext(lab.find(".//q:mattext", NS))
                  for lab in item.iterfind(".//q:response_label", NS)}
        conds = item.findall("q:resprocessing/q:respcondition", NS)
        scoring = [c for c in conds if c.find("q:setvar", NS) is not None]
        rec = {"type": kind, "stem": stem, "labels": labels, "conditions": scoring}
        if kind in ("multiple_choice_question", "true_false_question"):
            rec["answer"] = [labels[scoring[0].findtext(".//q:varequal", namespaces=NS)]]
        elif kind == "multiple_answers_question":
            both = scoring[0].find("q:conditionvar/q:and", NS)
            rec["answer"] = sorted(labels[v.text] for v in both.findall("q:varequal", NS))
        elif kind == "numerical_question":
            rng = scoring[0].find(".//q:and", NS)
            lo, hi = float(rng.findtext("q:vargte", namespaces=NS)), float(rng.findtext("q:varlte", namespaces=NS))
            rec["answer"] = (float(scoring[0].findtext(".//q:varequal", namespaces=NS)), round((hi - lo) / 2, 9))
        elif kind == "short_answer_question":
            rec["answer"] = sorted(v.text for v in scoring[0].iterfind(".//q:varequal", NS))
        elif kind == "matching_question":
            prompts = {lid.get("ident"): text_of(lid.findtext("q:material/q:mattext", namespaces=NS))
                       for lid in item.iterfind("q:presentation/q:response_lid", NS)}
            rec["answer"] = [(prompts[v.get("respident")], labels[v.text])
                             for c in scoring for v in c.iterfind(".//q:varequal", NS)]
        elif kind == "essay_question":
            rec["answer"] = None
        out[meta["course_item_id"]] = rec
    return out


# ---- Scoring as the LMS would -------------------------------------------------

def score(rec: dict, response: str | set[str]) -> float:
    """The percentage the LMS gives `response`: a string for a short answer, the set of chosen
    option texts for a choice question. Moodle and GIFT: short answers score their matching
    answer's fraction (case-insensitive, '*' matches anything); a multiple-select adds the
    fractions of the chosen options, clamped to 0..100. QTI: the respconditions in order."""
    if "conditions" in rec:
        return _score_qti(rec, response)
    weights = rec["weights"]
    if isinstance(response, str):
        for w, t in weights:
            if t == "*" or t.replace("\\*", "*").casefold() == response.strip().casefold():
                return w
        return 0.0
    if rec.get("single"):
        return max((w for w, t in weights if t in response), default=0.0)
    return max(0.0, min(100.0, sum(w for w, t in weights if t in response)))


def _score_qti(rec: dict, response: str | set[str]) -> float:
    labels = rec["labels"]
    if isinstance(response, str):
        chosen = {response}
    else:
        chosen = {cid for cid, text in labels.items() if text in response}

    def holds(node) -> bool:
        tag = node.tag.split("}")[-1]
        if tag == "varequal":
            return node.text in chosen
        if tag == "and":
            return all(holds(c) for c in node)
        if tag == "or":
            return any(holds(c) for c in node)
        if tag == "not":
            return not all(holds(c) for c in node)
        if tag == "other":
            return True
        raise AssertionError(f"unknown QTI condition {tag}")

    total = 0.0
    for cond in rec["conditions"]:
        cv = cond.find("q:conditionvar", NS)
        # Several tests side by side in a conditionvar must all hold (QTI 1.2; QTIMigrationTool's
        # ConditionVar joins them with "and"); alternatives are written inside <or>.
        if cv is not None and all(holds(c) for c in cv):
            setvar = cond.find("q:setvar", NS)
            value = float(setvar.text)
            total = value if setvar.get("action") == "Set" else total + value
            if cond.get("continue", "No") == "No":
                break
    return total
