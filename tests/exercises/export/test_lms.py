"""Every export parses back with the same questions and the same right answers, and special
characters survive each format."""

from __future__ import annotations

import pytest
from lms_readers import read_gift, read_moodle, read_qti, score, text_of  # tests/exercises/lms_readers.py

from exercises.export import export
from exercises.export.accept import spellings
from exercises.export.lms import SELECT_ALL, prepare
from exercises.items import Criterion, Item, Numeric, Option, Pair, Section, Step
from exercises.render.text import full_text

READERS = {"moodle": read_moodle, "gift": read_gift, "qti": read_qti}
SUFFIX = {"moodle": "q.xml", "gift": "q.gift.txt", "qti": "q.zip"}


def accepted(item: Item) -> list[str]:
    return sorted(form for pid in item.citations for form in spellings(pid))


def expected(item: Item, fmt: str):
    """The right answer as each reader reports it."""
    t = item.type
    if t in ("single", "multiple"):
        return sorted(o.text for o in item.correct_options)
    if t == "truefalse":
        return ["True" if item.truth else "False"] if fmt == "qti" else item.truth
    if t == "numeric":
        return (item.numeric.value, item.numeric.tolerance)
    if t == "matching":
        return [(p.prompt, p.answer) for p in item.pairs]
    if t == "ordering":  # each step matched to its position (Moodle's own ordering type: from 4.4)
        return [(s.text, str(n)) for n, s in enumerate(item.steps, start=1)]
    if t == "citation":
        return accepted(item)
    return None


def check_round_trip(items, fmt, tmp_path):
    out = export(items, fmt, tmp_path / SUFFIX[fmt])
    back = READERS[fmt](out)
    items, _ = prepare(items, fmt)  # as the LMS gets them
    assert len(back) == len(items)
    assert set(back) == {i.id for i in items}
    for item in items:
        got = back[item.id]
        assert got["stem"] == text_of(full_text(item).replace("\n", " ")) or \
            got["stem"] == " ".join(full_text(item).replace("- ", "").split()), item.id
        if item.type == "essay":
            if fmt == "moodle":  # the rubric travels in graderinfo, seen by graders only
                assert all(c.criterion in got["answer"] for c in item.rubric)
            continue
        assert got["answer"] == expected(item, fmt), (fmt, item.id)
    return back


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_whole_bank_round_trips(fmt, bank, tmp_path):
    back = check_round_trip(bank, fmt, tmp_path)
    assert len(back) >= 60
    kept, _ = prepare(bank, fmt)
    assert len(back) == len(kept)


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_exports_are_reproducible(fmt, bank, tmp_path):
    a = export(bank, fmt, tmp_path / ("a-" + SUFFIX[fmt])).read_bytes()
    b = export(bank, fmt, tmp_path / ("b-" + SUFFIX[fmt])).read_bytes()
    assert a == b


NASTY = "Fish & chips < 5 > 3 \"quoted\" 'single' {braces} ~tilde =equals #hash :colon \\back $US200 50% done"
SECTION = Section(page="compensation", heading="Compensation")


def nasty_items() -> list[Item]:
    common = dict(use="self-check", provisions=("6(6)",), bloom="apply", difficulty="easy", section=SECTION,
                  title=f"Title {NASTY}", assumptions=(f"Assumption {NASTY}",), feedback_why=f"Why {NASTY}")
    fb = dict(feedback_correct=f"Right {NASTY}", feedback_incorrect=f"Wrong {NASTY}")
    return [
        Item(id="nasty-single", type="single", stem=f"Single {NASTY}", options=(
            Option(f"Yes {NASTY}", True, f"fb {NASTY}"), Option(f"No {NASTY}", False, f"fb2 {NASTY}")), **common),
        Item(id="nasty-multiple", type="multiple", stem=f"Multiple {NASTY}", options=(
            Option(f"A {NASTY}", True, "a"), Option(f"B {NASTY}", True, "b"), Option(f"C {NASTY}", False, "c")),
            **common),
        Item(id="nasty-truefalse", type="truefalse", stem=f"TF {NASTY}", truth=False, **common, **fb),
        Item(id="nasty-numeric", type="numeric", stem=f"Numeric {NASTY}",
             numeric=Numeric(value=-12.5, tolerance=0.25, unit="US$ & <units>", derivation="-12.5"), **common, **fb),
        Item(id="nasty-matching", type="matching", stem=f"Matching {NASTY}", pairs=(
            Pair(f"Prompt one {NASTY}", "Answer {1} & <a>"), Pair(f"Prompt two {NASTY}", "Answer ~2~ = #2: ok")),
            distractors=("Distractor \"3\"",), **common),
        Item(id="nasty-ordering", type="ordering", stem=f"Ordering {NASTY}",
             steps=(Step(f"First {NASTY}"), Step(f"Second {NASTY}"), Step("Third")), **common, **fb),
        Item(id="nasty-citation", type="citation", stem=f"Citation {NASTY}", citations=("6(3)(b)",), **common, **fb),
        Item(id="nasty-essay", type="essay", stem=f"Essay {NASTY}",
             rubric=(Criterion(f"Criterion {NASTY}", 2, f"Descriptor {NASTY}"),),
             model_answer=f"Model {NASTY}", **(common | {"use": "graded"})),
    ]


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_special_characters_survive(fmt, tmp_path):
    items = nasty_items()
    back = check_round_trip(items, fmt, tmp_path)
    for item in prepare(items, fmt)[0]:
        assert NASTY in back[item.id]["stem"], (fmt, item.id)


def test_gift_escapes_every_control_character():
    from exercises.export.gift import escape
    assert escape("a~b=c#d{e}f:g\\h") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h"
    assert "\n" not in escape("two\nlines")


def test_export_cli_select_and_warning(tmp_path, capsys):
    from exercises.cli import main
    out = tmp_path / "graded.xml"
    assert main(["export", "--format", "moodle", "-o", str(out), "--select", "use=graded",
                 "--select", "provision=Art. 6(6)"]) == 0
    back = read_moodle(out)
    assert back and all(q["type"] for q in back.values())
    assert "keep this file off the public site" in capsys.readouterr().out
    # The public questions alone hold nothing to keep off the site: no warning then.
    assert main(["export", "--format", "gift", "-o", str(tmp_path / "public.txt"), "--select", "use=self-check"]) == 0
    said = capsys.readouterr().out
    assert "off the public site" not in said and "all public self-check questions" in said
    with pytest.raises(SystemExit, match="key one of"):
        main(["export", "--format", "gift", "-o", str(tmp_path / "x"), "--select", "colour=red"])
    with pytest.raises(SystemExit, match="not covered"):
        main(["export", "--format", "gift", "-o", str(tmp_path / "x"), "--select", "provision=9(1)"])


# ---- Citation items that need several provisions, and per-student variants ------------------

def _citation(id_, answer, mode="all", use="graded"):
    return Item(id=id_, type="citation", use=use, stem=f"Cite {' and '.join(answer)}.", provisions=tuple(answer),
                bloom="remember", difficulty="easy", section=Section(page="recovery-of-victims", heading="Recovery"),
                citations=tuple(answer), answer_mode=mode, feedback_correct="Right.", feedback_incorrect="No.")


ALL_OF_THREE = _citation("needs-three", ("6(3)(a)", "6(3)(b)", "6(3)(c)"))


def test_bank_citation_items_say_what_their_answer_means(bank):
    """The items whose answer is several provisions are the ones the notebooks grade as a set."""
    several = {i.id: i.answer_mode for i in bank if i.type == "citation" and len(i.citations) > 1}
    assert several.get("protection-recovery-needs") == "all"
    assert all(mode == "all" for mode in several.values()), several


@pytest.mark.parametrize("fmt", sorted(READERS))
@pytest.mark.parametrize("source", ["bank", "synthetic"])
def test_a_partial_citation_answer_never_gets_full_credit(fmt, source, bank, tmp_path):
    item = next(i for i in bank if i.id == "protection-recovery-needs") if source == "bank" else ALL_OF_THREE
    back = READERS[fmt](export([item], fmt, tmp_path / SUFFIX[fmt]))[item.id]
    right = {f"Article {pid}" for pid in item.citations}
    # No string box any more: "6(3)(a)" alone cannot be typed in and accepted.
    assert back["type"] in ("multichoice", "multiple", "multiple_answers_question"), back["type"]
    assert SELECT_ALL in back["stem"]
    assert score(back, right) == pytest.approx(100)
    for pid in item.citations:
        assert score(back, {f"Article {pid}"}) < 100, (fmt, pid)
        assert score(back, right - {f"Article {pid}"}) < 100, (fmt, pid)
    offered = set(back["weights"][i][1] for i in range(len(back["weights"]))) if "weights" in back \
        else set(back["labels"].values())
    wrong = offered - right
    assert len(wrong) >= 2, offered  # plausible distractors, all of them real provisions
    for text in wrong:
        assert score(back, right | {text}) < 100, (fmt, text)


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_one_citation_or_any_mode_stays_a_short_answer(fmt, tmp_path):
    one = _citation("one-provision", ("6(5)",))
    either = _citation("either-provision", ("6(6)", "6(3)(c)"), mode="any", use="self-check")
    back = READERS[fmt](export([one, either], fmt, tmp_path / SUFFIX[fmt]))
    for item in (one, either):
        rec = back[item.id]
        assert rec["type"] in ("shortanswer", "citation", "short_answer_question")
        for pid in item.citations:
            assert score(rec, f"Art. {pid}") == 100
        assert score(rec, "6(4)") == 0


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_a_short_answer_takes_the_paragraph_sign_and_para(fmt, tmp_path):
    """Civil-law citation ("Art. 6 § 3 (b)", "art. 6 para. 3") gets the same marks as "6(3)(b)"."""
    point, paragraph = _citation("a-point", ("6(3)(b)",)), _citation("a-paragraph", ("8(2)",))
    back = READERS[fmt](export([point, paragraph], fmt, tmp_path / SUFFIX[fmt]))
    for written in ("Art. 6 § 3 (b)", "Art. 6 §3(b)", "Art. 6 § 3 lit. b", "Article 6, para. 3, sub-para. (b)"):
        assert score(back["a-point"], written) == 100, (fmt, written)
    for written in ("Art. 8 § 2", "Art. 8 §2", "Article 8, para. 2"):
        assert score(back["a-paragraph"], written) == 100, (fmt, written)
    assert score(back["a-paragraph"], "Art. 8 § 3") == 0

def test_distractors_are_neighbours_not_the_answer_or_its_paragraph():
    from exercises.export.lms import as_multiple_select
    q = as_multiple_select(ALL_OF_THREE)
    texts = [o.text for o in q.options]
    assert "Article 6(3)(d)" in texts and "Article 6(3)" not in texts
    assert [o.text for o in q.correct_options] == ["Article 6(3)(a)", "Article 6(3)(b)", "Article 6(3)(c)"]
    assert 2 <= len(q.options) - 3 and len(q.options) <= 8


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_variant_items_stay_out_of_lms_files(fmt, bank, tmp_path):
    variants = {i.id for i in bank if i.per_student}
    assert {"capstone-support-provisions", "compensation-unpaid-wages"} <= variants
    back = READERS[fmt](export(bank, fmt, tmp_path / SUFFIX[fmt]))
    assert not variants & set(back)
    kept, left_out = prepare(bank, fmt)
    assert {i.id for i in bank} - variants == set(back) | {i.id for i, _ in left_out if i.id not in variants}
    assert set(back) == {i.id for i in kept}


def test_export_cli_reports_left_out_and_converted_items(tmp_path, capsys):
    from exercises.cli import main
    out = tmp_path / "q.xml"
    assert main(["export", "--format", "moodle", "-o", str(out), "--select", "use=graded"]) == 0
    captured = capsys.readouterr()
    assert "capstone-support-provisions.yaml" in captured.err and "left out" in captured.err
    assert "exported as multiple-select" in captured.out
    with pytest.raises(SystemExit, match="left out"):
        main(["export", "--format", "gift", "-o", str(tmp_path / "x"), "--select", "id=capstone-support-provisions"])


# ---- What a format cannot carry, and numbers ------------------------------------------------

def test_gift_leaves_out_what_would_import_at_the_wrong_points(bank):
    """Moodle's GIFT importer gives every question 1 point (qformat_gift::readquestion starts
    from defaultquestion() and reads no mark); an essay worth 10 is left out with a reason."""
    kept, left_out = prepare(bank, "gift")
    assert all(i.max_points == 1 for i in kept)
    heavy = {i.id for i in bank if i.max_points != 1 and not i.per_student}
    assert heavy and heavy == {i.id for i, why in left_out if "GIFT carries no points" in why}
    assert all("--format moodle" in why for i, why in left_out if i.id in heavy)
    for fmt in ("moodle", "qti"):  # they carry points
        assert heavy <= {i.id for i in prepare(bank, fmt)[0]}


@pytest.mark.parametrize("value, text", [
    (60, "60"), (60.0, "60"), (6.7, "6.7"), (12345.67, "12345.67"), (0.1 + 0.2, "0.30000000000000004"),
    (1e-05, "0.00001"), (1e16, "10000000000000000"), (-12.5, "-12.5"), (0, "0"), (-0.0, "0"),
    (1234567.891, "1234567.891")])
def test_numbers_are_written_exactly_and_without_exponent(value, text):
    from exercises.export.numbers import number
    assert number(value) == text
    assert float(text) == value


def test_number_refuses_what_no_lms_reads():
    from exercises.export.numbers import number
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="cannot carry"):
            number(bad)
    with pytest.raises(TypeError):
        number(True)


def test_bounds_are_exact_decimals():
    from exercises.export.numbers import bounds
    assert bounds(6.7, 0.05) == ("6.65", "6.75")
    assert bounds(12345.67, 0.01) == ("12345.66", "12345.68")
    assert bounds(60, 0) == ("60", "60")


BIG = Item(id="big-number", type="numeric", use="self-check", stem="How much?", provisions=("6(6)",),
           bloom="apply", difficulty="easy", section=SECTION, feedback_correct="Right.", feedback_incorrect="No.",
           numeric=Numeric(value=12345.67, tolerance=0.005, unit="USD", derivation="12345.67"))


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_every_format_keeps_a_number_exactly(fmt, tmp_path):
    out = export([BIG], fmt, tmp_path / SUFFIX[fmt])
    assert READERS[fmt](out)["big-number"]["answer"] == (12345.67, 0.005)
    text = out.read_text(encoding="utf-8") if fmt != "qti" else out.read_bytes().decode("latin-1")
    if fmt == "qti":
        import zipfile
        with zipfile.ZipFile(out) as z:
            text = "".join(z.read(n).decode() for n in z.namelist())
    assert "12345.67" in text and "12345.7<" not in text and "12345.7:" not in text


def test_moodle_version_chooses_the_ordering_question(bank, tmp_path):
    from exercises.export.moodle import has_ordering
    assert not has_ordering("4.3") and not has_ordering("4.1.12")
    assert has_ordering("4.4") and has_ordering("4.5.1") and has_ordering("5.0")
    with pytest.raises(ValueError, match="not a version number"):
        has_ordering("latest")
    ordering = [i for i in bank if i.type == "ordering"]
    default = read_moodle(export(ordering, "moodle", tmp_path / "a.xml"))
    assert {q["type"] for q in default.values()} == {"matching"}
    new = read_moodle(export(ordering, "moodle", tmp_path / "b.xml", moodle_version="4.4"))
    assert {q["type"] for q in new.values()} == {"ordering"}
    with pytest.raises(ValueError, match="moodle format only"):
        export(ordering, "gift", tmp_path / "c.txt", moodle_version="4.4")


def test_an_all_or_nothing_list_is_left_out_of_every_lms_file_saying_why():
    """No LMS multiple-select question marks all or nothing: such an item is graded in the
    notebooks only, and the export says so rather than mark it otherwise."""
    import dataclasses

    from exercises.export.lms import prepare

    item = dataclasses.replace(_citation("all-three", ["6(3)(a)", "6(3)(b)", "6(3)(c)"]), marking="all-or-nothing")
    partial = _citation("partial-three", ["6(3)(a)", "6(3)(b)", "6(3)(c)"])
    for fmt in ("moodle", "gift", "qti"):
        ready, left_out = prepare([item, partial], fmt)
        assert [i.id for i in ready] == ["partial-three"] and ready[0].type == "multiple"
        assert [(i.id, "marking: all-or-nothing" in why) for i, why in left_out] == [("all-three", True)]
