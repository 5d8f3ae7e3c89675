"""Turn a citation as people write it into a canonical provision id.

Accepted, for example: "Art. 6(3)(b)", "article 6, paragraph 3 (b)", "6.3.b",
"Article 8 para 2", "art 6 (3) b", "Article 14". Anything that names a provision the
module does not contain is refused with a message that says what does exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from protocol.provisions import ARTICLES, PROVISIONS, children, in_article

# Words people put around the numbers; they carry no information for the id.
_NOISE = {
    "art", "arts", "article", "articles", "para", "paras", "paragraph", "paragraphs",
    "sub", "subpara", "subparagraph", "point", "points", "letter", "lit", "no",
    "of", "the", "protocol", "trafficking", "in", "persons",
}
_TOKEN = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)


class CitationError(ValueError):
    """A citation that does not name a provision covered by the course."""


def _ranges(article: int) -> str:
    paragraphs = sorted({p.paragraph for p in in_article(article)})
    if len(paragraphs) == 1:
        return f"article {article} is cited as a whole: write 'article {article}'"
    return f"article {article} has paragraphs {paragraphs[0]} to {paragraphs[-1]}"


def parse(citation: str) -> str:
    """Return the canonical id ("6(3)(b)") for a citation, or raise CitationError."""
    if not isinstance(citation, str):
        raise CitationError(
            f"a citation is text such as '6(3)(b)', not {type(citation).__name__} {citation!r}"
        )
    tokens = [t for t in _TOKEN.findall(citation.lower()) if t not in _NOISE]
    if not tokens:
        raise CitationError(
            f"{citation!r} is not a citation: write an article and paragraph, such as '6(3)(b)'"
        )
    numbers = [t for t in tokens if t.isdigit()]
    letters = [t for t in tokens if not t.isdigit()]
    if not tokens[0].isdigit() or len(numbers) > 2 or len(letters) > 1 or (
        letters and tokens[-1] != letters[0]
    ):
        raise CitationError(
            f"{citation!r} is not a citation this course can read: "
            "write article, paragraph and sub-paragraph, such as '6(3)(b)' or 'article 8(2)'"
        )
    article = int(numbers[0])
    if article not in ARTICLES:
        covered = ", ".join(str(a) for a in list(ARTICLES)[:-1]) + f" and {list(ARTICLES)[-1]}"
        raise CitationError(
            f"{citation!r}: article {article} is not covered by this module "
            f"(it covers articles {covered})"
        )
    paragraph = int(numbers[1]) if len(numbers) > 1 else None
    letter = letters[0] if letters else None

    if article == 14:
        # The module quotes article 14 as one savings clause: "14" and "14(1)" both name it.
        if paragraph in (None, 1) and letter is None:
            return "14"
        raise CitationError(
            f"{citation!r}: the module quotes article 14 as a single savings clause; "
            "write 'article 14'"
        )
    if paragraph is None:
        raise CitationError(f"{citation!r} names a whole article: {_ranges(article)}; cite one")
    pid = f"{article}({paragraph})"
    if pid not in PROVISIONS:
        raise CitationError(f"{citation!r}: {_ranges(article)}")
    if letter is None:
        return pid
    points = [p.subparagraph for p in children(pid)]
    if not points:
        raise CitationError(f"{citation!r}: article {pid} has no lettered points")
    if letter not in points:
        raise CitationError(
            f"{citation!r} is not a provision: article {pid} has points ({points[0]}) to ({points[-1]})"
        )
    return f"{pid}({letter})"


def parse_many(citations: Iterable[str]) -> list[str]:
    """Parse several citations; keep their order, drop repeats."""
    seen: dict[str, None] = {}
    for c in citations:
        seen[parse(c)] = None
    return list(seen)
