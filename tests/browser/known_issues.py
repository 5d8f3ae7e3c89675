"""Failures whose cause is in a file this suite's owner may not edit (page content, widgets).

Each entry marks the matching tests xfail (not strict: an XPASS in the -ra summary says the
owner fixed it, then delete the entry) with the owner, the file and the fix. Listed, never
silent: `pytest -ra tests/browser` prints every reason.
"""

from __future__ import annotations

from fnmatch import fnmatch

# (test function, page glob, theme or None, reason)
KNOWN_ISSUES: list[tuple[str, str, str | None, str]] = [
    # Example of an entry (fixed in 121fe7f: case-study widgets printed light text in dark mode):
    # ("test_print_is_the_article_alone_in_dark_ink", "book/case-studies/*", "dark",
    #  "case_studies/static/common.css: the print block loses to the dark-theme rule; fix: ... (owner: ...)"),
]


def reason_for(test_name: str, path: str, theme: str | None) -> str | None:
    for name, glob, which, reason in KNOWN_ISSUES:
        if name == test_name and fnmatch(path, glob) and (which is None or which == theme):
            return reason
    return None
