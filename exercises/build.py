"""What the site's self-check pages show.

The self-check pages are not generated files: the site build renders their questions from the
bank (the `{self-check}` directive, _ext/self_check.py), with the two selections below.
"""

from __future__ import annotations

from exercises.items import Item
from exercises.sections import PAGES

SITE_SEED, SITE_STUDENT = "site", "self-learner"  # the variant a template shows first online
SITE_VARIANTS = 5  # sets of facts a self-learner can move through on each scenario question


def self_check_items(items: list[Item], templates: dict | None = None) -> dict[str, list[Item]]:
    """Public items per key-issue page (essays excluded: they are graded by hand)."""
    from exercises.scenarios.templates import load_templates, variant

    templates = load_templates() if templates is None else templates
    pages: dict[str, list[Item]] = {p: [] for p in PAGES}
    for item in items:
        if item.public and item.type != "essay":
            pages[item.section.page].append(item)
    for t in templates.values():
        if t.use == "self-check":
            pages[t.section.page].append(variant(t, SITE_SEED, SITE_STUDENT)[0])
    return pages


def other_facts(templates: dict | None = None) -> dict[str, list[Item]]:
    """Id of each scenario question shown online -> every variant a reader can move through
    with "Other facts" (the one shown first included), all drawn and answered here, in Python."""
    from exercises.scenarios.templates import load_templates, variant

    templates = load_templates() if templates is None else templates
    out = {}
    for t in templates.values():
        if t.use == "self-check":
            students = [SITE_STUDENT] + [f"{SITE_STUDENT}-{k}" for k in range(2, SITE_VARIANTS + 1)]
            variants = [variant(t, SITE_SEED, s)[0] for s in students]
            out[variants[0].id] = variants
    return out
