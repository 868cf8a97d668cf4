"""What a reader sees on the real site: no field names, notes collapsed at the end, online copies honestly."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import bibtexparser
import icalendar
import lxml.html
import rispy
from lxml import etree

from timsite.content.checked import load_archive
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
        # Last on the page: after the full text (and its footnotes), How to cite, the records and the tags.
        assert about[0].xpath("following::*[ancestor::article]") == [], publication.id
        assert page.xpath("//article//*[@id='how-to-cite']")[0] in about[0].xpath("preceding::*")
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


# --- no invented address ---

SITE_URL = "https://trafficking-in-migrants.example.org/"
_JSON_URL_KEYS = frozenset(
    {"url", "URL", "@id", "home_page_url", "feed_url", "external_url", "icon", "favicon", "sameAs"}
)


def _json_urls(value: object) -> list[str]:
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k in _JSON_URL_KEYS and isinstance(v, str)]
        return found + [u for v in value.values() for u in _json_urls(v)]
    if isinstance(value, list):
        return [u for v in value for u in _json_urls(v)]
    return []


def _page_urls(path: Path) -> list[str]:
    """Every address a page links to, loads, or states as its own or its citation's (head metadata, JSON-LD)."""
    page = _html(path)
    # The footer's credit to the theme (Material's own page) is the theme's, not an address about the archive.
    for credit in page.xpath("//div[@class='md-copyright']//a[@href='https://squidfunk.github.io/mkdocs-material/']"):
        credit.drop_tree()
    urls = page.xpath("//a/@href | //link/@href | //img/@src | //script/@src | //iframe/@src | //form/@action")
    urls += page.xpath("//meta[contains(@name, '_url') or @property='og:url' or @property='og:image']/@content")
    for script in page.xpath("//script[@type='application/ld+json']"):
        urls += _json_urls(json.loads(script.text_content()))
    return urls


def _feed_urls(path: Path) -> list[str]:
    if path.suffix == ".json":
        return _json_urls(json.loads(path.read_text(encoding="utf-8")))
    root = etree.parse(str(path)).getroot()
    # (An RSS or OPML <docs> names the specification the file follows: not an address of the archive.)
    urls = root.xpath("//@href | //@url | //@xmlUrl | //@htmlUrl")
    urls += [
        e.text for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname in ("link", "url") and e.text
    ]
    return urls


def _citation_urls(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.name.endswith(".csl.json"):
        return [item["URL"] for item in json.loads(text) if "URL" in item]
    if path.suffix == ".ris":
        return [entry["urls"][0] for entry in rispy.loads(text) if entry.get("urls")]
    if path.suffix == ".bib":
        return [e.fields_dict["url"].value for e in bibtexparser.parse_string(text).entries if "url" in e.fields_dict]
    calendar = icalendar.Calendar.from_ical(text)
    return [str(event["url"]) for event in calendar.walk("VEVENT") if "url" in event]


def _stated_by_the_content() -> set[str]:
    """Every http(s) address written in the content or a hand-written page (front matter or body)."""
    stated: set[str] = set()
    for folder in (ROOT / "content", ROOT / "pages"):
        for path in folder.rglob("*.md"):
            stated.update(
                m.rstrip(".,;") for m in re.findall(r"https?://[^\s\"'<>()\[\]]+", path.read_text(encoding="utf-8"))
            )
    return stated


def test_every_address_resolves_in_the_site_or_is_stated_by_the_content(real_site: Path) -> None:
    found: dict[str, set[str]] = {}
    for path in real_site.rglob("*"):
        rel = path.relative_to(real_site).as_posix()
        if not path.is_file() or rel.startswith(("assets/", "pagefind/")):
            continue
        if path.suffix == ".html":
            urls = _page_urls(path)
        elif rel.startswith("feeds/") and path.suffix in (".xml", ".json", ".opml"):
            urls = _feed_urls(path)
        elif path.suffix in (".bib", ".ris", ".ics") or path.name.endswith(".csl.json"):
            urls = _citation_urls(path)
        else:
            continue
        for url in urls:
            found.setdefault(url.strip(), set()).add(rel)
    assert len(found) > 200
    stated = _stated_by_the_content()
    invented = {}
    for url, where in found.items():
        parts = urlsplit(url)
        if parts.scheme in ("mailto", "tag"):
            continue
        if parts.scheme in ("http", "https") and not url.startswith(SITE_URL):
            if url not in stated and url.rstrip("/") not in {s.rstrip("/") for s in stated}:
                invented[url] = sorted(where)[:3]
            continue
        # Inside the site: an absolute address under site_url, a root-relative or a relative one.
        if url.startswith(SITE_URL):
            target = unquote(url[len(SITE_URL) :].split("#")[0].split("?")[0])
        else:
            base = posixpath.dirname(sorted(where)[0])
            path_part = unquote(url.split("#")[0].split("?")[0])
            if not path_part:
                continue
            target = (
                path_part.lstrip("/")
                if path_part.startswith("/")
                else posixpath.normpath(posixpath.join(base, path_part))
            )
        file = real_site / target
        if not (file.is_file() or (file / "index.html").is_file()):
            invented[url] = sorted(where)[:3]
    assert invented == {}
