"""The PDF edition, read as a reader's tools read it: pypdf for text, bookmarks, tags, fonts and every object."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
import pypdf
import pytest
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from timsite.content.model import Bulletin, Season
from timsite.outputs.pdf.edition import issue_edition, size_text
from timsite.outputs.pdf.typeset import Typesetter

from .conftest import FIXTURES, ROOT

ISSUE_PDF = "bulletins/25/trafficking-in-migrants-25.pdf"
COUNCIL = "publications/mc-inf-245-trafficking-in-persons-update-and-perspectives/"
WEB_ONLY = {"contents", "reported-meetings", "reviewed-publications"}
"""The issue page's own sections (the timsite page template's), which the edition leaves out."""
ACTIONS = {
    *("/GoTo", "/GoToR", "/GoToE", "/Launch", "/Thread", "/URI", "/Sound", "/Movie", "/Hide", "/Named"),
    *("/SubmitForm", "/ResetForm", "/ImportData", "/JavaScript", "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView"),
}
"""PDF action types (ISO 32000-1, table 198): only /URI (a web address) and /GoTo (inside the file) may appear."""
ON_THE_COVER = "about"
A4_HEIGHT, MARGIN_TOP, MARGIN_BOTTOM = 842, 62, 56
"""Points: the page, and the margins the running head and the page number are set in (templates/edition.typ)."""
"""The section whose first paragraph the cover prints as the disclaimer."""


def _build(content: Path, site: Path, cache: Path, *extra: str, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--content", str(content), "build", "--site-dir", str(site), *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, "TIMSITE_PDF_CACHE": str(cache), **(env or {})},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _squeeze(text: str) -> str:
    """Letters and digits only, lower-cased: line breaks, hyphenation and the PDF's spacing do not count."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if _squeeze(s)]


def _body_sections(site: Path) -> list[tuple[str, str, list[lxml.html.HtmlElement]]]:
    """The issue page's body as a reader sees it: (heading id, heading text, blocks) for each `##` section,
    the page's own sections left out."""
    page = lxml.html.fromstring((site / "bulletins/25/index.html").read_bytes())
    body = page.xpath("//div[@data-pagefind-body]")[0]
    for link in body.xpath('.//a[contains(@class, "headerlink")]'):
        link.drop_tree()
    sections: list[tuple[str, str, list[lxml.html.HtmlElement]]] = []
    for element in body:
        if element.tag == "h2":
            sections.append((element.get("id", ""), " ".join(element.text_content().split()), []))
        elif sections:
            sections[-1][2].append(element)
    return [s for s in sections if s[0] not in WEB_ONLY]


def _block_texts(blocks: list[lxml.html.HtmlElement]) -> list[str]:
    """The text of every paragraph, list item and cell, in order (headings apart)."""
    out = []
    for block in blocks:
        for element in block.iter("p", "li", "td", "th", "dd", "dt", "pre"):
            if element.tag == "li" and element.find("p") is not None:
                continue
            out.append(element.text_content())
    return out


def _pdf_text(reader: pypdf.PdfReader, pages: slice = slice(None), running: bool = True) -> str:
    """The text of `pages`; without the running heads and page numbers (the page's top and bottom margins, which
    Typst marks as artifacts) when `running` is False."""
    if running:
        return "\n".join(page.extract_text() for page in reader.pages[pages])
    kept: list[str] = []

    def keep(text: str, cm: list[float], tm: list[float], font: Any, size: Any) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if MARGIN_BOTTOM < y < A4_HEIGHT - MARGIN_TOP:
            kept.append(text)

    for page in reader.pages[pages]:
        page.extract_text(visitor_text=keep)
        kept.append("\n")
    return "".join(kept)


def _walk(node: Any, seen: set[int] | None = None) -> list[Any]:
    """Every object reachable from `node`, each once (the PDF's whole object graph from the trailer)."""
    seen = set() if seen is None else seen
    out = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        out.append(item)
        if isinstance(item, DictionaryObject):
            stack.extend(v for k, v in item.items() if k != "/Parent")
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return out


def _structure_types(reader: pypdf.PdfReader) -> Counter[str]:
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    return Counter(str(o["/S"]) for o in _walk(tree) if isinstance(o, DictionaryObject) and "/S" in o)


def _outline(reader: pypdf.PdfReader) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, " ".join(item.title.split())))

    walk(reader.outline, 1)
    return out


@pytest.fixture(scope="module")
def issue(real_site: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(real_site / ISSUE_PDF)


def test_every_sentence_of_the_issue_is_in_the_pdf_in_reading_order(real_site: Path, issue: pypdf.PdfReader) -> None:
    sections = _body_sections(real_site)
    body = [
        s for section in sections if section[0] != ON_THE_COVER for t in _block_texts(section[2]) for s in _sentences(t)
    ]
    text = _squeeze(_pdf_text(issue, slice(1, None), running=False))
    missing, position = [], 0
    for sentence in body:
        found = text.find(_squeeze(sentence), position)
        if found < 0:
            missing.append(sentence)
        else:
            position = found + len(_squeeze(sentence))
    assert len(body) > 100
    assert missing == [], f"{len(missing)} of {len(body)} sentences missing or out of order"
    # The disclaimer is on the cover, as the printed issue has it.
    disclaimer = next(t for section in sections if section[0] == ON_THE_COVER for t in _block_texts(section[2]))
    cover = _squeeze(_pdf_text(issue, slice(0, 1)))
    assert all(_squeeze(s) in cover for s in _sentences(disclaimer)), "the disclaimer is not on the cover"
    print(f"{len(body)} sentences of the body found in reading order, the disclaimer on the cover")


def test_every_section_and_article_is_a_bookmark_in_order(real_site: Path, issue: pypdf.PdfReader) -> None:
    page = lxml.html.fromstring((real_site / "bulletins/25/index.html").read_bytes())
    body = page.xpath("//div[@data-pagefind-body]")[0]
    headings, section = [], ""
    for element in body.xpath("./h2 | ./h3"):
        if element.tag == "h2":
            section = element.get("id", "")
        if section in WEB_ONLY or section == ON_THE_COVER:
            continue
        headings.append((int(element.tag[1]), " ".join(element.text_content().replace("¶", "").split())))
    outline = _outline(issue)
    # The issue's title is the one level-1 heading (PDF/UA), the sections and articles follow it.
    assert outline[0] == (1, "Trafficking in Migrants N° 25 – Spring 2002")
    assert outline[1:] == headings
    assert len(headings) == 17


def test_tags_language_title_and_pdf_ua(real_site: Path, issue: pypdf.PdfReader) -> None:
    root = issue.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert issue.metadata is not None
    assert issue.metadata.title == "Trafficking in Migrants N° 25 – Spring 2002"
    assert issue.metadata.author == "International Organization for Migration"
    types = _structure_types(issue)
    sections = [s for s in _body_sections(real_site) if s[0] != ON_THE_COVER]
    articles = sum(len([b for b in blocks if b.tag == "h3"]) for _, _, blocks in sections)
    assert (types["/H1"], types["/H2"], types["/H3"]) == (1, len(sections), articles)
    assert types["/P"] > 50 and types["/L"] > 0 and types["/Link"] > 0
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"<pdfuaid:part>1</pdfuaid:part>", xmp)


def test_every_font_is_embedded_and_bundled_with_the_engine(real_site: Path) -> None:
    pdfs = sorted(real_site.rglob("*.pdf"))
    typeset = [p for p in pdfs if (pypdf.PdfReader(p).metadata or {}).get("/Creator", "").startswith("Typst")]
    assert len(typeset) == 1  # N° 25: the issues alone are typeset (publications' full texts stay on their pages)
    for path in typeset:
        fonts = [
            o
            for o in _walk(pypdf.PdfReader(path).trailer)
            if isinstance(o, DictionaryObject) and o.get("/Type") == "/FontDescriptor"
        ]
        assert fonts, path
        for font in fonts:
            assert any(k in font for k in ("/FontFile", "/FontFile2", "/FontFile3")), (path, font["/FontName"])
            # Subset (a six-letter tag) of a font the typst wheel bundles: never a system font.
            assert re.fullmatch(r"/[A-Z]{6}\+(LibertinusSerif|DejaVuSansMono|NewCM)[-\w]*", str(font["/FontName"]))


def test_nothing_in_the_pdf_names_the_site_engine(real_site: Path, issue: pypdf.PdfReader) -> None:
    said = json.dumps({k: str(v) for k, v in (issue.metadata or {}).items()})
    said += issue.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert not re.search(r"mkdocs|material|properdocs|timsite|zensical", said, re.IGNORECASE)


def test_the_pdf_is_offered_wherever_a_reader_looks(real_site: Path) -> None:
    size = (real_site / ISSUE_PDF).stat().st_size
    issue_page = lxml.html.fromstring((real_site / "bulletins/25/index.html").read_bytes())
    link = issue_page.xpath('//p[@class="tim-pdf"]/a')[0]
    assert link.get("href") == "trafficking-in-migrants-25.pdf"
    assert " ".join(link.text_content().split()) == f"Download the issue (PDF, {size_text(size)})"
    # Near the top: before the body's first section.
    assert issue_page.xpath('//p[@class="tim-pdf"]/following::h2[@id="temporary-resident-permits"]')
    url = "https://trafficking-in-migrants.example.org/" + ISSUE_PDF
    assert issue_page.xpath('//meta[@name="citation_pdf_url"]/@content') == [url]
    ld = json.loads(issue_page.xpath('//script[@type="application/ld+json"]')[0].text)
    assert ld["encoding"]["contentUrl"] == url and ld["encoding"]["encodingFormat"] == "application/pdf"
    feed = feedparser.parse((real_site / "feeds/bulletins.rss.xml").read_bytes())
    enclosure = feed.entries[0].enclosures[0]
    assert (enclosure.href, int(enclosure.length), enclosure.type) == (url, size, "application/pdf")
    home = lxml.html.fromstring((real_site / "index.html").read_bytes())
    assert home.xpath('//a[@href="bulletins/25/trafficking-in-migrants-25.pdf"]/text()') == [
        f"Download it (PDF, {size_text(size)})"
    ]
    subscribe = lxml.html.fromstring((real_site / "subscribe/index.html").read_bytes())
    assert subscribe.xpath('//a[@href="../bulletins/25/trafficking-in-migrants-25.pdf"]')
    # A publication's full text stays on its page: no PDF is promised for it.
    council = lxml.html.fromstring((real_site / COUNCIL / "index.html").read_bytes())
    assert council.xpath('//*[@id="full-text"]')
    assert not council.xpath('//meta[@name="citation_pdf_url"]') and not council.xpath('//p[@class="tim-pdf"]')
    assert not list((real_site / COUNCIL).glob("*.pdf"))


def test_cold_builds_in_two_folders_are_byte_identical_and_a_warm_one_typesets_nothing(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    _build(ROOT / "content", first / "site", first / "cache", env={"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8"})
    _build(ROOT / "content", second / "site", second / "cache", env={"TZ": "America/Adak", "LC_ALL": "POSIX"})
    pdfs = sorted(
        p.relative_to((first / "site").resolve()).as_posix() for p in (first / "site").resolve().rglob("*.pdf")
    )
    assert pdfs == [ISSUE_PDF]
    for pdf in pdfs:
        assert (first / "site" / pdf).read_bytes() == (second / "site" / pdf).read_bytes(), pdf
    # Unchanged content: every PDF comes from the cache; none is typeset (written) again.
    cached = {p: p.stat().st_ino for p in (first / "cache").rglob("*.pdf")}
    assert len(cached) == 1
    _build(ROOT / "content", first / "site", first / "cache")
    assert {p: p.stat().st_ino for p in (first / "cache").rglob("*.pdf")} == cached
    for pdf in pdfs:
        assert (first / "site" / pdf).read_bytes() == (second / "site" / pdf).read_bytes(), pdf


def test_an_edited_issue_is_the_only_pdf_typeset_again(fixture_content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(fixture_content, tmp_path / "site", cache)
    before = set(cache.rglob("*.pdf"))
    issue = fixture_content / "bulletins/002-spring-2001.md"
    issue.write_text(issue.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    _build(fixture_content, tmp_path / "site", cache)
    new = set(cache.rglob("*.pdf")) - before
    assert len(new) == 1
    assert "One more sentence." in _pdf_text(pypdf.PdfReader(new.pop()))


def _editions(site: Path) -> list[Path]:
    """The typeset PDFs of a site (named after the issue or the publication), not the editors' printed ones."""
    site = site.resolve()
    return sorted(
        p
        for p in site.rglob("*.pdf")
        if p.name in (f"trafficking-in-migrants-{p.parent.name}.pdf", f"{p.parent.name}.pdf")
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile fixture built, with a symbolic link to a secret and a PNG declaring enormous dimensions."""
    base = tmp_path_factory.mktemp("hostile-pdf")
    content = base / "content"
    shutil.copytree(FIXTURES / "hostile" / "content", content)
    # The hostile corpus, and an issue written to break the typesetter (apart: the feeds' tests count items).
    shutil.copytree(FIXTURES / "hostile-pdf" / "content", content, dirs_exist_ok=True)
    (content / "bulletins/secret.png").symlink_to("/etc/passwd")
    header = (
        b"\x89PNG\r\n\x1a\n" + (13).to_bytes(4, "big") + b"IHDR" + (10**9).to_bytes(4, "big") * 2 + b"\x08\x06\0\0\0"
    )
    (content / "bulletins/huge.png").write_bytes(header + zlib.crc32(header[12:]).to_bytes(4, "big"))
    _build(content, base / "site", base / "cache", "--as-of", "2010-01-01")
    return base


def test_editor_text_is_never_run_by_typst(hostile: Path) -> None:
    text = " ".join(_pdf_text(pypdf.PdfReader(hostile / "site/bulletins/4/trafficking-in-migrants-4.pdf")).split())
    for literal in (
        '#read("/etc/passwd")',
        '#import "@preview/cetz:0.3.0": *',
        '#include "edition.typ"',
        r"$x^2 + \sqrt{y}$",
        "<edition> and a reference @edition",
        "*bold* _italic_ `raw` = heading",
        '#{ panic("boom") }',
        "#set page(width: 1pt)",
        '#read("x")',
        '#eval("1 + 1")',
    ):
        assert literal in text


def test_a_hostile_pdf_loads_nothing_outside_the_release(hostile: Path) -> None:
    secret = Path("/etc/passwd").read_text(encoding="utf-8").split("\n")[0]
    editions = _editions(hostile / "site")
    assert len(editions) == 3  # the published issues
    every_uri = []
    for path in editions:
        reader = pypdf.PdfReader(path)
        objects = _walk(reader.trailer)
        dicts = [o for o in objects if isinstance(o, DictionaryObject)]
        assert not [d for d in dicts if d.get("/Subtype") == "/Image"], "no picture is ever loaded"
        for key in ("/EmbeddedFiles", "/JavaScript", "/JS", "/Launch", "/XFA"):
            assert not [d for d in dicts if key in d], key
        actions = [d for d in dicts if str(d.get("/S")) in ACTIONS]
        assert {str(d["/S"]) for d in actions} <= {"/URI", "/GoTo"}
        uris = [str(d["/URI"]) for d in actions if "/URI" in d]
        assert all(re.match(r"(https?|mailto):", u) for u in uris), uris
        every_uri += uris
        streams = b"".join(o.get_data() for o in objects if isinstance(o, StreamObject))
        assert secret.encode() not in streams
    # The links an editor wrote are there, made absolute, and lead where the page's links lead.
    assert "http://169.254.169.254/" in every_uri and "mailto:editor@example.org" in every_uri
    assert "https://trafficking-in-migrants.example.org/etc/passwd" in every_uri
    issue = pypdf.PdfReader(hostile / "site/bulletins/4/trafficking-in-migrants-4.pdf")
    text = " ".join(_pdf_text(issue).split())
    assert "[metadata]" in text and "[symlink]" in text and "[huge]" in text


def test_drafts_and_embargoed_issues_get_no_pdf_anywhere(hostile: Path, tmp_path: Path) -> None:
    site = (hostile / "site").resolve()
    assert not (site / "bulletins/3").exists() and not (site / "bulletins/99").exists()
    published = sorted(p.relative_to(site).as_posix() for p in _editions(site))
    assert published == [
        "bulletins/1/trafficking-in-migrants-1.pdf",
        "bulletins/2/trafficking-in-migrants-2.pdf",
        "bulletins/4/trafficking-in-migrants-4.pdf",
    ]
    assert len(list((hostile / "cache").rglob("*.pdf"))) == len(published)
    # A preview with drafts (what `serve --drafts` sets) shows the drafts' pages but never typesets them.
    cache = hostile / "cache"
    before = set(cache.rglob("*.pdf"))
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "hostile" / "content", content)
    shutil.copytree(FIXTURES / "hostile-pdf" / "content", content, dirs_exist_ok=True)
    _build(content, tmp_path / "site", cache, "--as-of", "2010-01-01", env={"TIMSITE_DRAFTS": "1"})
    drafts_site = (tmp_path / "site").resolve()
    assert (drafts_site / "bulletins/3/index.html").is_file()
    assert not list(drafts_site.glob("bulletins/3/*.pdf")) and not list(drafts_site.glob("bulletins/99/*.pdf"))
    assert set(cache.rglob("*.pdf")) == before
    for pdf in cache.rglob("*.pdf"):
        assert "MUST NOT APPEAR" not in _pdf_text(pypdf.PdfReader(pdf))


def test_the_printed_edition_is_offered_beside_the_typeset_one(hostile: Path) -> None:
    site = (hostile / "site").resolve()
    page = lxml.html.fromstring((site / "bulletins/1/index.html").read_bytes())
    assert page.xpath('//p[@class="tim-pdf"]/a/@href') == ["trafficking-in-migrants-1.pdf", "tim-1.pdf"]
    # The printed edition is the one Google Scholar and the feed enclosure name.
    assert page.xpath('//meta[@name="citation_pdf_url"]/@content')[0].endswith("/bulletins/1/tim-1.pdf")
    feed = feedparser.parse((site / "feeds/bulletins.rss.xml").read_bytes())
    enclosures = {e.link.split("/bulletins/")[-1]: e.enclosures[0].href for e in feed.entries}
    assert enclosures["1/"].endswith("/bulletins/1/tim-1.pdf")
    assert enclosures["4/"].endswith("/bulletins/4/trafficking-in-migrants-4.pdf")


def test_pictures_and_file_addresses_never_reach_the_engine() -> None:
    """What `check` refuses (a file: address) still never loads, were it to reach the edition unsanitized."""
    html = (
        '<h2 id="a">A</h2><p><img src="file:///etc/passwd" alt="passwd"> <img src="/etc/passwd">'
        ' <a href="file:///etc/passwd">file</a> <a href="javascript:alert(1)">script</a>'
        ' <img src="http://169.254.169.254/latest/meta-data/" alt="metadata"></p>'
    )
    issue = Bulletin.model_construct(number=9, season=Season.spring, year=2002, tags=[], language="en")
    edition = issue_edition(issue, html, "https://example.org/bulletins/9/")
    reader = pypdf.PdfReader(io.BytesIO(Typesetter().pdf(edition)))
    dicts = [o for o in _walk(reader.trailer) if isinstance(o, DictionaryObject)]
    assert not [d for d in dicts if d.get("/Subtype") == "/Image"]
    assert [str(d["/URI"]) for d in dicts if "/URI" in d] == []
    text = " ".join(_pdf_text(reader).split())
    assert "[passwd] [image] file script [metadata]" in text


def test_structures_an_editor_may_write_keep_the_headings_well_formed(hostile: Path) -> None:
    issue = pypdf.PdfReader(hostile / "site/bulletins/4/trafficking-in-migrants-4.pdf")
    outline = _outline(issue)
    # A level skipped is closed up (PDF/UA), a heading inside a quote is the quote's (no bookmark), and an
    # anchor written twice still gives two bookmarks.
    assert (3, "A heading that skips a level") in outline
    assert not [title for _, title in outline if "inside a quote" in title]
    assert [title for _, title in outline if title.startswith("The same anchor twice")] == [
        "The same anchor twice",
        "The same anchor twice, again",
    ]
    text = " ".join(_pdf_text(issue).split())
    assert "A heading inside a quote Quoted text." in text
    assert '#read("/etc/passwd") in code' in text
    assert "An admonition" in text and "Its definition." in text and "Nested" in text
