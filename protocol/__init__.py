"""The provisions of the Protocol against Trafficking in Persons that this course teaches.

The ground floor of the project: articles 6, 7, 8 and 14 as the module quotes them and
in the Protocol's official text (with where the two differ), and the parser that turns what people write ("Art. 6(3)(b)", "6.3.b") into ids.
Everything else imports from here; nothing here imports from the rest of the project.
"""

from protocol.citations import CitationError, Citations
from protocol.provisions import (
    ARTICLES,
    MODULE_TEXT,
    OFFICIAL_SOURCE,
    OFFICIAL_TITLES,
    PROVISIONS,
    Difference,
    Provision,
    anchor,
    children,
    get,
    in_article,
    provision_ids,
    treaty_page,
)

_citations = Citations(PROVISIONS.values())
parse = _citations.parse  # "Art. 6(3)(b)" -> "6(3)(b)", or CitationError
parse_many = _citations.parse_many

__all__ = [
    "ARTICLES",
    "MODULE_TEXT",
    "OFFICIAL_SOURCE",
    "OFFICIAL_TITLES",
    "PROVISIONS",
    "CitationError",
    "Citations",
    "Difference",
    "Provision",
    "anchor",
    "children",
    "get",
    "in_article",
    "parse",
    "parse_many",
    "provision_ids",
    "treaty_page",
]
