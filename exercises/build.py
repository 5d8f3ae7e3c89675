"""`build`: the book's self-check pages, and the nbgrader sources of the graded exercises."""

from __future__ import annotations

from pathlib import Path

from exercises.items import Item
from exercises.render.selfcheck import page_markdown
from exercises.sections import PAGES, REPO

SELF_CHECK_DIR = REPO / "book" / "self-check"
SOURCE_DIR = REPO / "exercises" / "source"
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


def self_check_pages(items: list[Item], templates: dict | None = None) -> dict[Path, str]:
    """File -> content of every self-check page (pure: used by build and by the staleness test)."""
    alternates = other_facts(templates)
    return {SELF_CHECK_DIR / f"{page}.md": page_markdown(page, page_items, alternates)
            for page, page_items in self_check_items(items, templates).items()}


def write_self_check_pages(items: list[Item], out_dir: Path = SELF_CHECK_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in self_check_pages(items).items():
        target = out_dir / path.name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.append(target)
    stale = [p for p in out_dir.glob("*.md") if p not in written]
    for p in stale:  # a page whose key-issue page no longer exists
        p.unlink()
    return written


def build_sources(out_dir: Path = SOURCE_DIR) -> list[Path] | None:
    """The graded-exercises work's nbgrader sources, if that package is present."""
    try:
        from exercises.assignments import build_sources as build  # owned by the graded-exercises issue
    except ModuleNotFoundError as e:
        # Only the package itself being absent means "not installed"; a missing module inside
        # it (nbgrader, a typo in an import) is a real error and must say so.
        if e.name != "exercises.assignments":
            raise
        return None
    return build(out_dir)
