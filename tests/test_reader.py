"""What a reader sees on the real site: no field names, notes collapsed at the end, online copies honestly."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from timsite.content.archive import load_archive
from timsite.content.field_names import field_name_mentions

from .conftest import ROOT


def _html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def _visible_text(page: lxml.html.HtmlElement) -> str:
    for hidden in page.xpath("//script | //style | //template | //head"):
        hidden.drop_tree()
    return " ".join(page.text_content().split())


def test_no_page_shows_a_field_name(real_site: Path) -> None:
    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) > 100
    shown = {}
    for path in pages:
        mentions = field_name_mentions(_visible_text(_html(path)))
        if mentions:
            shown[path.relative_to(real_site).as_posix()] = mentions
    assert shown == {}


def test_notes_are_collapsed_at_the_end_in_plain_words(real_site: Path) -> None:
    archive, _ = load_archive(ROOT / "content")
    noted = [p for p in archive.publications if p.notes]
    assert noted
    for publication in noted:
        page = _html(real_site / "publications" / publication.id / "index.html")
        about = page.xpath("//article//details[@class='tim-about']")
        assert len(about) == 1, publication.id
        assert about[0].get("open") is None
        assert about[0].findtext("summary") == "About this record"
        assert " ".join(publication.notes.split()) in " ".join(about[0].text_content().split())
        # Nothing of the page's own comes after it; the title and key facts come first.
        body = page.xpath("//article//div[contains(@class, 'tim-publication')]")[0]
        blocks = [e for e in body.iter() if e.tag in ("p", "h2", "dl", "details", "ul", "table")]
        assert blocks.index(about[0]) > blocks.index(body.xpath(".//dl")[0])
        # Nothing after it but the full text's footnotes, which Markdown always puts last.
        after = [e for e in about[0].itersiblings() if e.tag in ("p", "h2", "ul", "table", "div")]
        assert [e.get("class") for e in after] in ([], ["footnote"]), publication.id
        assert "Editorial note" not in page.text_content()


def test_online_without_an_address_promises_none(real_site: Path) -> None:
    archive, _ = load_archive(ROOT / "content")
    unaddressed = [p for p in archive.publications if p.online and not p.url and not p.forthcoming]
    assert unaddressed
    for publication in unaddressed:
        page = _html(real_site / "publications" / publication.id / "index.html")
        facts = " ".join(page.xpath("//article//dl")[0].text_content().split())
        assert "The source lists it as available online from IOM; no address is recorded." in facts
        assert "Read online" not in page.text_content()
    catalogue = _html(real_site / "publications/index.html")
    rows = {
        tr.get("data-title") or tr.xpath("./td[1]//a")[0].get("href"): tr.xpath("./td[last()]")[0]
        for tr in catalogue.xpath("//table[@data-tim-catalogue]/tbody/tr")
    }
    assert sum(cell.text_content() == "listed, no address recorded" for cell in rows.values()) == len(unaddressed)
    assert not [
        cell for cell in rows.values() if cell.xpath(".//a") and not cell.xpath(".//a[starts-with(@href, 'http')]")
    ]
