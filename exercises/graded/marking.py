"""How an answer that is a set (the provisions a question asks for, the options of a
multiple-select question) earns its points: one rule for the notebooks, the lecturer's report
and every LMS export.

``partial`` (the default): each right choice earns an equal share of the points, each wrong
choice costs the same share, and the total is never below zero. It is the rule Canvas's
classic quizzes apply to a multiple-answers question (``Quizzes::QuizQuestion::UserAnswer#score``:
``correct/total - incorrect/total``, floored at 0, where ``total`` is the number of right
answers), and Moodle's multiple-answer question applies it when each right answer is worth
``1/n`` and each wrong one ``-1/n`` (its fractions are summed and kept between 0 and 1), which
is how the exports write it.

``all-or-nothing``: the points only for exactly the right set. No LMS multiple-select question
marks that way, so such an item is graded in the notebooks only.
"""

from __future__ import annotations

from collections.abc import Collection

PARTIAL = "partial"
ALL_OR_NOTHING = "all-or-nothing"
MODES = (PARTIAL, ALL_OR_NOTHING)


def share(given: Collection[str], right: Collection[str], mode: str = PARTIAL) -> float:
    """The share of the points (0 to 1) that the choices `given` earn when `right` are the
    right ones."""
    if mode not in MODES:
        raise ValueError(f"marking {mode!r}: write one of {', '.join(MODES)}")
    given, right = set(given), set(right)
    if not right:
        return 0.0
    if mode == ALL_OR_NOTHING:
        return 1.0 if given == right else 0.0
    return max(0.0, (len(given & right) - len(given - right)) / len(right))
