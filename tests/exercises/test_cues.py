"""`check` warns about cues (what lets a student beat chance without the law) and public twins
(graded items a student answers by recalling a self-check item on the public site)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exercises import checks
from exercises.bank import GRADED_ENV, load_bank
from exercises.cli import main
from exercises.items import from_dict


@pytest.fixture(autouse=True)
def _graded_folder_of_the_copy(monkeypatch):
    monkeypatch.delenv(GRADED_ENV, raising=False)


def make(id, type="single", use="self-check", stem="Which provision protects the privacy of victims?",
         provisions=("6(1)",), bloom="remember", **fields):
    d = {"id": id, "type": type, "use": use, "stem": stem, "provisions": list(provisions), "bloom": bloom,
         "difficulty": "easy", "section": {"page": "article-6", "heading": "Box 2, Article 6"}, **fields}
    return from_dict(d, path=Path(f"/bank/{id}.yaml"))


def options(*texts, key=0):
    return [{"text": t, "correct": n == key, "feedback": "Why."} for n, t in enumerate(texts)]


def single(id, key=0, lengths=None, n=3, **kw):
    # Options of the given lengths (default: the key shorter than the others), distinct texts.
    lengths = lengths or [20 if k == key else 25 for k in range(n)]
    texts = [f"Option {n} ".ljust(length, "x") for n, length in enumerate(lengths)]
    return make(id, options=options(*texts, key=key), **kw)


def truefalse(id, truth):
    return make(id, type="truefalse", answer=truth, feedback={"correct": "Right.", "incorrect": "No."})


def messages(items, label="these items"):
    return [p.message for p in checks.bank_cues(items, Path("/bank"), label)]


# ---- True/false balance ---------------------------------------------------------------------------

def test_true_false_leaning_false_is_a_warning_with_the_counts_and_items():
    items = [truefalse(f"tf-{n}", n < 1) for n in range(7)]
    [m] = messages(items)
    assert "1 of 7 true/false items are keyed True (14%)" in m and "outside 35%-65%" in m
    assert "6 keyed False (tf-1, tf-2, tf-3, tf-4, tf-5, tf-6)" in m and "tf-0" not in m.split("keyed False")[1]


def test_true_false_leaning_true_is_a_warning_too():
    [m] = messages([truefalse(f"tf-{n}", n < 5) for n in range(6)])
    assert "5 of 6" in m and "5 keyed True" in m and "a false statement" in m


def test_balanced_true_false_is_fair():
    assert messages([truefalse(f"tf-{n}", n % 2 == 0) for n in range(8)]) == []


def test_too_few_true_false_items_give_no_figure():
    assert messages([truefalse(f"tf-{n}", False) for n in range(checks.TRUE_FALSE_MIN - 1)]) == []


# ---- The right option the longest -------------------------------------------------------------------

def test_right_option_longest_too_often_names_the_items():
    # The key is option B everywhere (no position warning muddles it) and the longest in 4 of 6.
    items = [single(f"s-{n}", key=1, lengths=(30, 40 if n < 4 else 20, 30)) for n in range(6)]
    found = [m for m in messages(items) if "longest" in m]
    assert len(found) == 1
    assert "the right option is the longest in 4 of 6 single-choice items (67%; at most 40%): " \
           "s-0, s-1, s-2, s-3;" in found[0]


def test_a_tie_counts_as_longest():
    assert checks.key_is_longest(single("tie", key=0, lengths=(30, 30, 10)))
    assert not checks.key_is_longest(single("short", key=0, lengths=(29, 30, 10)))


def test_right_option_longest_in_a_fair_share_is_no_warning():
    # The key is the longest in items 0 and 1 only (2 of 6, 33%).
    items = [single(f"s-{n}", key=n % 3, lengths=[(30 if n < 2 else 25) if k == n % 3 else 26 for k in range(3)])
             for n in range(6)]
    assert sum(map(checks.key_is_longest, items)) == 2
    assert messages(items) == []


# ---- Key positions ---------------------------------------------------------------------------------

def test_keys_bunched_in_one_position():
    items = [single(f"s-{n}", key=0 if n < 5 else 1, lengths=(20, 25, 25)) for n in range(8)]
    [m] = messages(items)
    assert "the right option is A in 5 of 8 single-choice items (62%; at most 40% in any one position; A 5, B 3)" in m
    assert "s-0, s-1, s-2, s-3, s-4;" in m and "reorder options" in m


def test_keys_spread_over_positions_are_fair():
    items = [single(f"s-{n}", key=n % 3) for n in range(9)]
    assert messages(items) == []


def test_positions_are_not_judged_on_a_few_items():
    assert messages([single(f"s-{n}", key=0, lengths=(20, 25, 25)) for n in range(checks.POSITION_MIN - 1)]) == []


# ---- Per item: wrong options of a select-all item, and give-away options ------------------------------

MULTIPLE = """\
id: {id}
type: multiple
use: self-check
stem: Which paragraphs of article 6 say "shall ensure"? Select all that apply.
provisions: ['6(2)', '6(6)']
bloom: understand
difficulty: medium
section:
  page: article-6
  heading: Box 2, Article 6
options:
  - text: Article 6(2)
    correct: true
    feedback: Yes.
  - text: Article 6(6)
    correct: true
    feedback: Yes.
  - text: {third}
    feedback: No.
{more}"""


def _cues_of(path):
    [item] = [i for i in load_bank(path.parents[1]) if i.path == path]
    return checks.item_cues(item)


def test_multiple_choice_with_one_wrong_option_is_warned_at_its_options(bank_copy, write_item):
    path = write_item(MULTIPLE.format(id="one-wrong", third="Article 6(3)", more=""), name="one-wrong",
                      folder="article-6")
    [w] = _cues_of(path)
    assert w.warning and w.line == 11 and "1 wrong option of 3" in w.message and "at least 2" in w.message
    assert str(w).endswith(w.message) and ":11: warning: a multiple-choice item" in str(w)


def test_multiple_choice_with_two_wrong_options_is_fair(bank_copy, write_item):
    more = "  - text: Article 6(5)\n    feedback: No.\n"
    path = write_item(MULTIPLE.format(id="two-wrong", third="Article 6(3)", more=more), name="two-wrong",
                      folder="article-6")
    assert _cues_of(path) == []


@pytest.mark.parametrize("text", ["All of the above", "None of these", "I don't know", "Both A and B",
                                  "Options A and C", "Not sure"])
def test_give_away_option_is_warned_at_its_line(bank_copy, write_item, text):
    more = "  - text: Article 6(5)\n    feedback: No.\n"
    path = write_item(MULTIPLE.format(id="give-away", third=text, more=more), name="give-away", folder="article-6")
    [w] = _cues_of(path)
    assert w.line == 18 and "option C" in w.message and "test-taking" in w.message


def test_an_option_that_says_none_in_the_law_is_no_give_away():
    item = make("none-in-law", options=options("None; without a specific obligation, the Protocol says nothing.",
                                               "Article 6(2)", "Article 6(5)", key=1))
    assert checks.item_cues(item) == []


# ---- The command line: warnings do not fail, --strict does ---------------------------------------------

def test_check_prints_warnings_and_exits_0_unless_strict(bank_copy, write_item, capsys):
    write_item(MULTIPLE.format(id="one-wrong", third="Article 6(3)", more=""), name="one-wrong", folder="article-6")
    assert main(["--bank", str(bank_copy), "check"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^\S*article-6/one-wrong\.yaml:11: warning: a multiple-choice item", out, re.MULTILINE)
    assert "no problems" in out and "warning(s)" in out.splitlines()[-1]
    assert main(["--bank", str(bank_copy), "check", "--strict"]) == 1
    assert "--strict fails on warnings" in capsys.readouterr().err


def test_bank_wide_figure_is_printed_at_the_folder_with_no_line(bank_copy, write_item, capsys):
    for n in range(8):
        write_item(f"""\
id: planted-tf-{n}
type: truefalse
use: self-check
stem: Planted statement {n}.
provisions: ['6(1)']
bloom: understand
difficulty: easy
section: {{page: article-6, heading: Article 6}}
answer: false
feedback: {{correct: Right., incorrect: No.}}
""", name=f"planted-tf-{n}", folder="article-6")
    main(["--bank", str(bank_copy), "check"])
    lines = [line for line in capsys.readouterr().out.splitlines() if "true/false items are keyed True" in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"{bank_copy}: warning: self-check and graded items: ")
    assert "planted-tf-0" in lines[0]


def test_graded_items_are_also_judged_on_their_own():
    # Four options, the public keys spread over A-D, the graded ones all A: together 17 of 44 are A
    # (39%), the graded items alone 8 of 8.
    public = [single(f"p-{n}", key=n % 4, n=4, provisions=("6(2)",)) for n in range(36)]
    graded = [single(f"g-{n}", key=0, n=4, use="graded", provisions=("6(5)",)) for n in range(8)]
    out = checks.warnings(public + graded, Path("/bank"), Path("/bank/graded"))
    assert [(str(p.path), p.line) for p in out] == [("/bank/graded", 0)]
    assert out[0].message.startswith("graded items: the right option is A in 8 of 8 single-choice items")


def test_no_problem_is_a_warning_and_load_bank_ignores_warnings(bank_copy, write_item):
    write_item(MULTIPLE.format(id="one-wrong", third="Article 6(3)", more=""), name="one-wrong", folder="article-6")
    assert "one-wrong" in [i.id for i in load_bank(bank_copy)]


# ---- Public twins ----------------------------------------------------------------------------------

PUBLIC_CITE = dict(type="citation", answer=["6(6)"], feedback={"correct": "Right.", "incorrect": "No."})


def test_graded_item_asking_what_a_public_item_asks_is_a_twin():
    public = make("pub-cite", stem="Which provision of article 6 requires each State Party to ensure that its "
                                   "domestic legal system offers victims the possibility of obtaining compensation "
                                   "for damages suffered? Write the citation.", provisions=("6(6)",), **PUBLIC_CITE)
    graded = make("graded-cite", use="graded", stem="Cite the paragraph of article 6 that requires each State Party "
                                                    "to offer victims the possibility of obtaining compensation for "
                                                    "damages suffered.", provisions=("6(6)",), **PUBLIC_CITE)
    [t] = checks.twins([public, graded])
    assert (t.graded.id, t.public.id, t.same_question) == ("graded-cite", "pub-cite", True)
    m = t.message()
    assert m.startswith("public twin of /bank/pub-cite.yaml: both ask the same thing")
    assert "same provisions [6(6)], same level (remember)" in m and "at a higher level" in m
    [w] = checks.twin_warnings([public, graded])
    assert w.warning and w.path == Path("/bank/graded-cite.yaml") and w.line == 1


def test_graded_key_that_the_public_item_teaches_is_a_twin():
    public = make("pub-verify", stem="A receiving State asks State D whether a victim it has identified is a national "
                                     "of State D. What does article 8(3) require of State D?",
                  provisions=("8(3)",), bloom="apply",
                  options=options("To verify, without undue or unreasonable delay, whether the person is its national",
                                  "To verify only if the victim agrees to return",
                                  "Nothing; verification is the receiving State's task alone"))
    graded = make("graded-verify", use="graded", type="citation", provisions=("8(3)",), bloom="apply",
                  stem="The receiving State asks another State to confirm that a survivor is its national. Cite "
                       "the paragraph of article 8 that requires the requested State to verify this without undue "
                       "or unreasonable delay.", answer=["8(3)"], feedback={"correct": "Right.", "incorrect": "No."})
    [t] = checks.twins([public, graded])
    assert t.public.id == "pub-verify"
    assert "verify" in t.shared and "delay" in t.shared


def test_graded_item_at_a_higher_level_is_no_twin():
    public = make("pub-cite", stem="Which provision requires States to offer victims the possibility of obtaining "
                                   "compensation for damages suffered?", provisions=("6(6)",), **PUBLIC_CITE)
    graded = make("graded-evaluate", use="graded", bloom="evaluate", type="single", provisions=("6(6)",),
                  stem="Which provision requires States to offer victims the possibility of obtaining compensation "
                       "for damages suffered, and does this State's law meet it?",
                  options=options("Article 6(6), and it does not", "Article 6(6), and it does", "Article 6(2)"))
    assert checks.twins([public, graded]) == []
    # The same item one level down is one.
    lower = make("graded-remember", use="graded", type="single", provisions=("6(6)",), stem=graded.stem,
                 options=options("Article 6(6), and it does not", "Article 6(6), and it does", "Article 6(2)"))
    assert [t.graded.id for t in checks.twins([public, lower])] == ["graded-remember"]


def test_graded_item_on_new_facts_is_no_twin():
    public = make("pub-documents", stem="A victim's passport was taken by the people who exploited him, and he wants "
                                        "to go home. Under article 8(4), what must the State of which he is a "
                                        "national agree to do, at the request of the receiving State?",
                  provisions=("8(4)",), bloom="apply",
                  options=options("Issue the travel documents or other authorization he needs to travel to and "
                                  "re-enter its territory", "Nothing, until the traffickers return the passport",
                                  "Require him to pay for a new passport first"))
    graded = make("graded-new-facts", use="graded", type="citation", provisions=("8(4)",), bloom="apply",
                  stem="Her consulate says it will only let her board a flight home once a court in the capital "
                       "has confirmed her birth record, which takes a year. Cite the provision her lawyer invokes.",
                  answer=["8(4)"], feedback={"correct": "Right.", "incorrect": "No."})
    assert checks.twins([public, graded]) == []


def test_twin_needs_every_graded_provision_practised_in_the_public_item():
    public = make("pub-cite", stem="Which provision requires States to offer victims the possibility of obtaining "
                                   "compensation for damages suffered?", provisions=("6(6)",), **PUBLIC_CITE)
    graded = make("graded-two", use="graded", provisions=("6(2)", "6(6)"), type="citation",
                  stem=public.stem, answer=["6(2)", "6(6)"], feedback={"correct": "Right.", "incorrect": "No."})
    assert checks.twins([public, graded]) == []


# The pairs found in the kit's bank when the check was written, in their words of that time: the
# calibration must keep finding them whatever the graded items become.
CALIBRATION = [
    (make("a6-cite-compensation", provisions=("6(6)",), stem="Which provision of article 6 requires each State "
          "Party to ensure that its domestic legal system offers victims the possibility of obtaining compensation "
          "for damages suffered? Write the citation.", **PUBLIC_CITE),
     make("compensation-provision", use="graded", provisions=("6(6)",), stem="Cite the paragraph of article 6 that "
          "requires each State Party to offer victims the possibility of obtaining compensation for damages "
          "suffered.", **PUBLIC_CITE)),
    (make("a7-humanitarian-factors", provisions=("7(2)",), stem="In implementing article 7(1), what does article "
          "7(2) say each State Party shall consider?",
          options=options("Humanitarian and compassionate factors", "The victim's income and savings",
                          "Whether the victim entered the country lawfully")),
     make("status-humanitarian-factors", use="graded", provisions=("7(2)",), stem="When a State decides whether a "
          "victim may remain in its territory, which factors does article 7(2) ask it to consider?",
          options=options("The victim's economic contribution.", "Humanitarian and compassionate factors.",
                          "The victim's criminal record.", key=1))),
    (make("a8-3-verify", provisions=("8(3)",), bloom="apply", stem="A receiving State asks State D whether a "
          "victim it has identified is a national of State D. What does article 8(3) require of State D?",
          options=options("To verify, without undue or unreasonable delay, whether the person is its national or "
                          "had the right of permanent residence", "To verify only if the victim agrees to return",
                          "Nothing; verification is the receiving State's task alone")),
     make("repatriation-verify-nationality", use="graded", type="citation", provisions=("8(3)",), bloom="apply",
          stem="The receiving State asks another State to confirm that a survivor is its national. Cite the "
               "paragraph of article 8 that requires the requested State to verify this without undue or "
               "unreasonable delay.", answer=["8(3)"], feedback={"correct": "Right.", "incorrect": "No."})),
    (make("a8-4-travel-documents", provisions=("8(4)",), bloom="apply", stem="A victim's passport was taken by "
          "the people who exploited him, and he wants to go home. Under article 8(4), what must the State of which "
          "he is a national agree to do, at the request of the receiving State?",
          options=options("Issue the travel documents or other authorization he needs to travel to and re-enter its "
                          "territory", "Nothing, until the traffickers return the original passport",
                          "Require him to pay for a new passport before any return is discussed")),
     make("a8-cite-documents", use="graded", type="citation", provisions=("8(4)",), bloom="apply",
          stem="A victim's identity card was destroyed by the people who exploited her. Cite the provision under "
               "which her State of nationality agrees to issue travel documents at the request of the receiving "
               "State.", answer=["8(4)"], feedback={"correct": "Right.", "incorrect": "No."})),
]


@pytest.mark.parametrize("public, graded", CALIBRATION, ids=[g.id for _, g in CALIBRATION])
def test_calibration_pairs_are_twins(public, graded):
    assert [(t.graded.id, t.public.id) for t in checks.twins([public, graded])] == [(graded.id, public.id)]


def test_calibration_pairs_are_not_twins_of_each_other():
    items = [i for pair in CALIBRATION for i in pair]
    assert sorted((t.graded.id, t.public.id) for t in checks.twins(items)) == \
        sorted((g.id, p.id) for p, g in CALIBRATION)



# ---- The kit's own public items -----------------------------------------------------------------------

def test_the_kits_self_check_items_raise_no_cue_warning():
    public = load_bank(use="self-check")
    assert [str(w) for w in checks.warnings(public, Path("bank"), Path("graded"))] == []
    figures = checks.cue_figures(public)
    low, high = checks.TRUE_SHARE
    assert low <= figures.true_share <= high
    assert figures.longest_share <= checks.LONGEST_SHARE
    assert figures.top_position[1] <= checks.POSITION_SHARE
    assert not figures.too_few_wrong


def test_the_kits_whole_bank_raises_no_cue_and_has_no_public_twin():
    """Self-check and graded items together, and the graded ones alone: what `check --strict` needs."""
    items = load_bank()
    assert [str(w) for w in checks.warnings(items, Path("bank"), Path("graded"))] == []
    assert checks.twins(items) == []
    graded = [i for i in items if i.use == "graded"]
    figures = checks.cue_figures(graded)
    assert figures.longest_share <= checks.LONGEST_SHARE and not figures.too_few_wrong
