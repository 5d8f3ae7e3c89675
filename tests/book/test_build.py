"""The site builds clean, and holds the whole module as the module wrote it."""

import html as html_lib
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
    body = re.sub(r'<a [^>]*class="[^"]*official-text-link[^"]*"[^>]*>.*?</a>', "", m.group(1), flags=re.S)
    return normalise(re.sub(r"<[^>]+>", "", body).replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&"))


def test_treaty_text_is_verbatim_and_anchored(pages):
    for p in protocol.PROVISIONS.values():
        html = (SITE / f"{protocol.treaty_page(p.id)}.html").read_text(encoding="utf-8")
        text = _element_text(html, protocol.anchor(p.id))
        # The module's box shows what the module quotes; a paragraph it does not quote is anchored
        # in the official-text note, the only place its text is.
        assert text.endswith(normalise(p.text if p.quoted else p.official)), (p.id, text)
        # the number or letter the reader sees matches the provision
        alone = p.quoted and len([q for q in protocol.in_article(p.article) if q.quoted and not q.subparagraph]) == 1
        marker = f"({p.subparagraph})" if p.subparagraph else ("" if alone else f"{p.paragraph}.")
        assert text.startswith(marker), (p.id, text)


def _note(html: str, article: int) -> str:
    m = re.search(rf'<div[^>]*\bid="official-text-{article}"[^>]*>(.*?)</div>\s*(?=<(?:div|section|/section|p class="prev)|$)', html, re.S)
    assert m, f"no official-text note for article {article}"
    return m.group(1)


def _plain(fragment: str) -> str:
    return normalise(html_lib.unescape(re.sub(r"<[^>]+>", "", fragment)))


def test_the_official_text_is_beside_the_modules_wherever_they_differ(pages):
    """Each provision whose quotation in the module departs from the Protocol's official text links,
    from the module's box, to a labelled note that says "The module quotes ... The Protocol's official
    text reads ..." at each place and gives the official text in full."""
    for article in protocol.ARTICLES:
        html = (SITE / f"book/article-{article}.html").read_text(encoding="utf-8")
        note = _plain(_note(html, article))
        assert note.startswith(f"The Protocol's official text of article {article}"), note[:120]
        assert "United Nations, Treaty Series, vol. 2237, p. 319" in note
        for p in protocol.in_article(article):
            entry = re.search(rf'id="official-{protocol.anchor(p.id).removeprefix("art-")}"(.*?)</blockquote>', html, re.S)
            if not (p.departs or not p.quoted):
                assert entry is None, p.id
                continue
            assert entry, p.id
            text = _plain(entry.group(1).split(">", 1)[1])
            assert normalise(p.official) in text, p.id
            if p.quoted:
                assert f'href="#official-{protocol.anchor(p.id).removeprefix("art-")}"' in html, p.id
                for d in p.differences():
                    module, official = (d.excerpt(x).replace("...", "\u2026") for x in (d.module, d.official))
                    stop = [("" if x.endswith(".") else ".") for x in (module, official)]
                    said = (f"The module quotes \u201c{module}\u201d{stop[0]} The Protocol's official text reads "
                            f"\u201c{official}\u201d{stop[1]}")
                    assert normalise(said) in text, (p.id, said, text)
            else:
                assert f"The module does not quote article {p.treaty_id}" in text, p.id
    six = (SITE / "book/article-6.html").read_text(encoding="utf-8")
    assert re.search(r'class="[^"]*wording-diff[^"]*">take into account</span>', six)


def test_editorial_notes_correct_the_modules_citations(pages):
    """The module's paragraph is kept; a labelled note beside it gives the ICCPR's article 2(3)(a) and
    the Protocol's words on compensation, and the child-victims page says which quotation of 6(4) is
    the official one."""
    compensation = _plain((SITE / "book/compensation.html").read_text(encoding="utf-8"))
    assert "in particular article 3(a) of the International Covenant on Civil and Political Rights" in compensation
    assert "Editorial note (not part of the module)" in compensation
    assert "are in its article 2(3)(a), not article 3(a)" in compensation
    assert "the possibility of obtaining compensation for damage suffered" in compensation
    child = _plain((SITE / "book/child-victims.html").read_text(encoding="utf-8"))
    assert "Editorial note (not part of the module)" in child and '"shall consider"' in child


def test_reference_copy_of_the_module_is_the_seed():
    upstream = ROOT.parent / "shared" / "seed" / "module-text.txt"
    if not upstream.exists():
        pytest.skip("no upstream seed beside this checkout (only in the project's own workspace)")
    assert SEED.read_bytes() == upstream.read_bytes()


def test_treaty_text_matches_the_module_word_for_word():
    seed = normalise(SEED.read_text(encoding="utf-8"))
    for p in protocol.PROVISIONS.values():
        if p.quoted:
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
