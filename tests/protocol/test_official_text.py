"""The Protocol's official text beside the module's quotation: every provision has it, and the
places where the module departs from it are found word by word."""

from __future__ import annotations

import pytest

import protocol
from exercises.sections import module_text

# Where the module's quotation (Boxes 2, 12, 13 and 18) departs from the Protocol's official text.
DEPARTS = {
    "6(2)(b)": ("right", "rights"),
    "6(3)(c)": ("", "and"),
    "6(4)": ("consider", "take into account"),
    "6(6)": ("damages", "damage"),
    "7(2)": ("Implementing", "implementing"),
    "8(1)": (",", ""),
    "8(2)": ("Permanent", "permanent"),
    "14": ("refoulment", "refoulement"),
}


def _changed(spans) -> list[str]:
    return [text for text, changed in spans if changed]


def test_every_provision_has_its_official_text_and_the_source_is_cited_once():
    assert "Treaty Series, vol. 2237, p. 319" in protocol.OFFICIAL_SOURCE
    assert protocol.OFFICIAL_TITLES[14] == "Saving clause"
    for p in protocol.PROVISIONS.values():
        assert p.official.strip() == p.official and p.official, p.id


def test_the_module_departs_where_the_official_words_differ():
    departing = {p.id for p in protocol.PROVISIONS.values() if p.departs}
    assert departing == set(DEPARTS)
    for pid, (module_words, official_words) in DEPARTS.items():
        places = protocol.get(pid).differences()
        assert places, pid
        module_changed = [w for d in places for w in _changed(d.module)]
        official_changed = [w for d in places for w in _changed(d.official)]
        if module_words:
            assert module_words in module_changed, (pid, module_changed)
        if official_words:
            assert official_words in official_changed, (pid, official_changed)


def test_the_weak_verbs_of_6_4_and_7_2_are_the_modules_not_the_protocols():
    six_four, seven_two = protocol.get("6(4)"), protocol.get("7(2)")
    assert "shall consider, in applying" in six_four.text
    assert "shall take into account, in applying" in six_four.official
    assert "shall consider humanitarian" in seven_two.text
    assert "shall give appropriate consideration to humanitarian and compassionate factors" in seven_two.official
    d = six_four.differences()[0]
    assert d.excerpt(d.module, ("[", "]")) == "...Party shall [consider], in..."
    assert d.excerpt(d.official, ("[", "]")) == "...Party shall [take into account], in..."


def test_the_modules_own_prose_quotes_6_4_in_the_official_words():
    """The module's Child victims section quotes article 6(4) as the Protocol has it: the
    official text of the provision data agrees with the module's own prose."""
    text = module_text()
    if text is None:
        pytest.skip("module text (protocol/data/module-text.txt) not present")
    quoted = ("take into account, in applying the provisions of this article, the age, gender and special needs "
              "of victims of trafficking in persons, in particular the special needs of children, including "
              "appropriate housing, education and care")
    assert quoted in text and quoted in protocol.get("6(4)").official
    assert quoted not in protocol.get("6(4)").text


def test_the_quotation_marks_around_article_14_are_not_a_difference():
    p = protocol.get("14")
    assert p.text.startswith('"') and not p.official.startswith('"')
    for d in p.differences():
        assert '"' not in "".join(t for t, _ in d.module)


def test_identical_provisions_have_no_differences():
    for p in protocol.PROVISIONS.values():
        if p.quoted and not p.departs:
            assert p.text == p.official and p.differences() == [], p.id


def test_article_14_2_is_not_quoted_in_the_module():
    p = protocol.get("14(2)")
    assert p.text is None and not p.quoted and not p.departs and p.differences() == []
    assert p.official.startswith("The measures set forth in this Protocol shall be interpreted and applied")
    text = module_text()
    if text is not None:
        assert "not discriminatory" not in text
