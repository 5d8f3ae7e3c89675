"""The case-study pages carry the module's boxes verbatim, a content note, the widget and questions."""

import html
import re

import browser_support as bs
import pytest

import protocol

SEED = protocol.MODULE_TEXT
LINES = SEED.read_text(encoding="utf-8").split("\n") if SEED.is_file() else []
# 1-based line ranges of the seed text each page must show word for word.
VERBATIM = {
    "sabhnani": [(167, 178), (201, 201)],  # Box 7's United States rule, Box 9
    "savannakhet": [(194, 194), (196, 196)],  # Box 8 and its source
    "little-rose-shelter": [(300, 304), (217, 217), (222, 225)],  # Box 17, Box 10 extract
}


def page_text(name):
    path = bs.BUILT_SITE / "book" / "case-studies" / f"{name}.html"
    if not path.is_file():
        pytest.skip(f"{path} not built")
    text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    return " ".join(html.unescape(text).split())


@pytest.mark.skipif(not LINES, reason="module seed text not available")
@pytest.mark.parametrize("name", VERBATIM)
def test_module_text_verbatim(name):
    text = page_text(name)
    for start, end in VERBATIM[name]:
        for line in LINES[start - 1 : end]:
            line = line.strip().lstrip("•").strip()
            if line:
                assert " ".join(line.split()) in text, line[:80]


@pytest.mark.parametrize("name", VERBATIM)
def test_page_has_content_note_widget_and_questions(name):
    text = page_text(name)
    assert "Content note" in text and "Questions for class" in text
    raw = (bs.BUILT_SITE / "book" / "case-studies" / f"{name}.html").read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" in raw
    assert "_static/widgets/widget-host.js" in raw
    assert not re.search(r"<script[^>]+src=\"(https?:)?//", raw)  # no script from elsewhere


@pytest.mark.parametrize("name, box", [("savannakhet", "Box 8"), ("sabhnani", "Box 9")])
def test_the_content_note_lets_a_reader_skip_the_account(name, box):
    """The note before a survivor's account offers a way past it: a link from the note to a
    place after the box, where the activity starts."""
    path = bs.BUILT_SITE / "book" / "case-studies" / f"{name}.html"
    if not path.is_file():
        pytest.skip(f"{path} not built")
    raw = path.read_text(encoding="utf-8")
    note = re.search(r'<div class="[^"]*content-note[^"]*">(.*?)</div>', raw, re.S)
    assert note, "no content note"
    target = re.search(r'href="#([^"]+)"', note.group(1))
    assert target, "the content note links nowhere past the account"
    box_at = raw.index(f"{box}:", note.end())
    assert raw.index(f'id="{target.group(1)}"') > box_at, "the link does not lead past the account"


# Claims the module does not make, per page: (pattern, why it is not in the module).
UNSUPPORTED = {
    "sabhnani": [
        (r"for years", "Box 9 gives no duration"),
        (r"ordered restitution under", "Box 9 reports back wages, liquidated damages and 'substantial damages', not Box 7's restitution"),
        (r"rule the court applied", "the module never links Sabhnani to Box 7's rule"),
        (r"without the wage they were promised|both (women|victims) (never|were never)",
         "Box 9 says the first victim never received the promised wage; of the second, only the same conditions"),
    ],
    "savannakhet": [
        (r"young woman", "Box 8 gives no age; she travelled 'together with another girl'"),
        (r"after returning to Laos", "Box 8 does not give the order of the legal action and the return"),
        (r"court award", "Box 8 says 'legal action', not which court or procedure"),
        (r"scores? a point|(?-i:Score:)|\bkey provisions found", "no score over a survivor's account"),
        (r"her return home", "Box 8 says she was repatriated to Laos, not that she went home"),
    ],
}
# What each page must say about its own framing.
FRAMING = {
    "sabhnani": ["applies Box 7's restitution rule to Box 9's facts as a teaching exercise",
                 "The first was to be paid $US200 a month, which she never received"],
    "savannakhet": ["An open question: her age", "The module does not give her age", "the person who gives this testimony",
                    "There is no score"],
    "little-rose-shelter": ["in the Protocol's official text", "shall take into account, in applying",
                            "The module quotes \u201c...Party shall consider, in...\u201d"],
}


@pytest.mark.parametrize("name", FRAMING)
def test_page_keeps_to_the_module_facts(name):
    text = page_text(name)
    for pattern, why in UNSUPPORTED.get(name, []):
        assert not re.search(pattern, text, re.IGNORECASE), f"{name}: {pattern!r}: {why}"
    for phrase in FRAMING.get(name, []):
        assert phrase in text, f"{name}: missing the framing {phrase!r}"
