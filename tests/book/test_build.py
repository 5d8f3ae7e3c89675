"""The site builds clean, and holds the whole module as the module wrote it."""

import re

import pytest
import yaml

import protocol
from tests.book.site_text import ROOT, SEED, SITE, normalise, seed_sentences

# Navigation of the module's original web page, not module content.
NAVIGATION = {"Back to top"}


def test_strict_build_passes_with_no_warnings(strict_build):
    log = strict_build.stdout + strict_build.stderr
    warnings = [line for line in log.splitlines() if "WARNING" in line and "Kernel is running over TCP" not in line]
    assert strict_build.returncode == 0, log[-4000:]
    assert warnings == []


def test_every_sentence_of_the_module_is_on_the_site(pages):
    site_text = " ".join(p.text for p in pages.values())
    sentences = [(n, s) for n, s in seed_sentences() if s not in NAVIGATION]
    missing = [f"seed line {n}: {s[:90]}" for n, s in sentences if s not in site_text]
    share = 1 - len(missing) / len(sentences)
    print(f"module sentences on the site: {len(sentences) - len(missing)}/{len(sentences)} ({share:.1%})")
    assert missing == []


def _element_text(html: str, element_id: str) -> str:
    m = re.search(rf'<p[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</p>', html, re.S)
    assert m, f"no paragraph with id {element_id}"
    return normalise(re.sub(r"<[^>]+>", "", m.group(1)).replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&"))


def test_treaty_text_is_verbatim_and_anchored(pages):
    for p in protocol.PROVISIONS.values():
        html = (SITE / f"{protocol.treaty_page(p.id)}.html").read_text(encoding="utf-8")
        text = _element_text(html, protocol.anchor(p.id))
        assert text.endswith(normalise(p.text)), (p.id, text)
        # the number or letter the reader sees matches the provision
        marker = f"({p.subparagraph})" if p.subparagraph else (f"{p.paragraph}." if p.article != 14 else "")
        assert text.startswith(marker), (p.id, text)


def test_reference_copy_of_the_module_is_the_seed():
    upstream = ROOT.parent / "shared" / "seed" / "module-text.txt"
    if not upstream.exists():
        pytest.skip("no upstream seed beside this checkout (only in the project's own workspace)")
    assert SEED.read_bytes() == upstream.read_bytes()


def test_treaty_text_matches_the_module_word_for_word():
    seed = normalise(SEED.read_text(encoding="utf-8"))
    for p in protocol.PROVISIONS.values():
        assert normalise(p.text) in seed, p.id


def _is_external(url: str) -> bool:
    return bool(re.match(r"^([a-z][a-z0-9+.-]*:)?//", url, re.I)) and not url.startswith("data:")


def test_no_page_loads_anything_from_another_host(pages):
    external = [(name, tag, url) for name, page in pages.items() for tag, url in page.assets if _is_external(url)]
    assert external == []
    css_urls = [
        (css.name, u)
        for css in SITE.rglob("*.css")
        for u in re.findall(r"(?:url\(\s*['\"]?|@import\s+['\"])([^'\")\s]+)", css.read_text(encoding="utf-8", errors="replace"))
        if _is_external(u)
    ]
    assert css_urls == []


def _toc_files(node) -> list[str]:
    out = []
    if isinstance(node, dict):
        for k in ("root", "file"):
            if k in node:
                out.append(node[k])
        for v in node.values():
            out += _toc_files(v)
    elif isinstance(node, list):
        for v in node:
            out += _toc_files(v)
    return out


def test_every_page_is_in_the_table_of_contents(pages):
    toc = {f"{f}.html" for f in _toc_files(yaml.safe_load((ROOT / "_toc.yml").read_text()))}
    built = {name for name in pages if name.startswith("book/")}
    assert toc <= built, f"in _toc.yml but not built: {sorted(toc - built)}"
    assert built <= toc, f"built but not reachable from _toc.yml: {sorted(built - toc)}"
    # and the navigation a reader sees on the landing page links every one of them
    landing = pages["book/index.html"]
    linked = {link.split("#")[0] for link in landing.links}
    for name in toc - {"book/index.html"}:
        assert name.removeprefix("book/") in linked, name


def test_every_internal_link_and_anchor_resolves(pages):
    broken = []
    for name, page in pages.items():
        for href in page.links:
            if _is_external(href) or href.startswith(("mailto:", "javascript:")):
                continue
            path, _, fragment = href.partition("#")
            path = path.partition("?")[0]  # lite/notebooks/index.html?path=...: the file is the page
            target_name = name if not path else (SITE / name).parent.joinpath(path).resolve().relative_to(SITE.resolve()).as_posix()
            if target_name.endswith("/"):
                target_name += "index.html"
            target = pages.get(target_name)
            if target is None and not (SITE / target_name).exists():
                broken.append(f"{name}: {href} (no such file)")
            elif fragment and target is not None and fragment not in target.ids:
                broken.append(f"{name}: {href} (no such anchor)")
    assert broken == []


def test_citations_link_to_bibliography_entries(pages):
    bib = pages["book/bibliography.html"]
    cited = [link for p in pages.values() for link in p.links if "bibliography.html#ref-" in link]
    assert len(cited) >= 20
    keys = set(re.findall(r"^@\w+\{([^,]+),", (ROOT / "book" / "references.bib").read_text(), re.M))
    for key in keys:
        assert f"ref-{key}" in bib.ids, f"{key} is not listed on the bibliography page"


def test_attribution_on_landing_page_and_every_footer(pages):
    assert "Education for Justice" in pages["book/index.html"].text
    for name in pages:
        html = (SITE / name).read_text(encoding="utf-8")
        if name.startswith("book/"):
            assert "UNODC, Education for Justice (E4J) University Module Series" in html, name


def test_content_notes_come_before_violent_boxes(pages):
    for page, box in [("recovery-of-victims", "Box 4"), ("compensation", "Box 8"), ("compensation", "Box 9")]:
        text = pages[f"book/{page}.html"].text
        box_at = text.index(box + ":")
        note_at = text.rfind("Content note", 0, box_at)
        assert note_at != -1 and box_at - note_at < 600, (page, box)


def test_module_markup_did_not_eat_characters(pages):
    text = " ".join(p.text for p in pages.values())
    for fragment in ["$US200 a month", "$100 per month", "Palermo Protocol*", "to protect and assist the victims of...trafficking", '"[t]he proper observance']:
        assert fragment in text, fragment
