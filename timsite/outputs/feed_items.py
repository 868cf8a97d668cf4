"""Feed items: what an entry becomes in every feed (its permanent id, date, text with absolute links,
summary and enclosure), and its entry in Atom, RSS (through feedgen) and JSON Feed.

`feeds` decides which documents carry which items; this module makes each item once.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import urljoin

import lxml.html
from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from lxml import etree

from timsite.content import periodical
from timsite.content.model import Bulletin, Entry, Meeting, Publication
from timsite.site.urls import PDF_MEDIA_TYPE, entry_src, entry_url, page_url, pdf_href

TAG_AUTHORITY = periodical.TAG_AUTHORITY
FH = "http://purl.org/syndication/history/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int
    type: str


@dataclass(frozen=True)
class Item:
    id: str
    url: str
    title: str
    date: datetime
    summary: str
    content: str
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    language: str
    enclosure: Enclosure | None


def guid(entry: Entry) -> str:
    """The permanent id of an entry's item: its kind and its key (see `feeds`' docstring)."""
    return f"tag:{TAG_AUTHORITY}:{entry.kind}/{entry.key}"


def item_date(entry: Entry) -> datetime:
    """00:00 UTC of the day the content gives."""
    return datetime.combine(entry.published, time(0), tzinfo=UTC)


# --- item content ---
def absolutize(fragment: str, base: str, resolve: Callable[[str], str] | None = None) -> str:
    """HTML with every link and image address made absolute against `base`, the page's own address.

    Permalink markers (`a.headerlink`) are dropped: they mean nothing outside the page.

    >>> absolutize('<p><a href="../x/">x</a> <img src="i.png" alt=""><a href="#a">a</a></p>', "https://s.org/b/25/")
    '<p><a href="https://s.org/b/x/">x</a> <img src="https://s.org/b/25/i.png" alt=""><a href="https://s.org/b/25/#a">a</a></p>'
    """
    if not fragment.strip():
        return ""
    resolve = resolve or (lambda url: urljoin(base, url.strip()))
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for marker in root.xpath('//a[contains(concat(" ", normalize-space(@class), " "), " headerlink ")]'):
        marker.drop_tree()
    root.rewrite_links(resolve, resolve_base_href=False)
    for element in root.xpath("//*[@srcset]"):
        candidates = (c.strip().split(None, 1) for c in element.get("srcset").split(",") if c.strip())
        element.set("srcset", ", ".join(" ".join([resolve(c[0]), *c[1:]]) for c in candidates))
    serialized = lxml.html.tostring(root, encoding="unicode")
    return serialized.removeprefix("<div>").removesuffix("</div>")


# --- each kind's summary when its file gives none (a column of the registry, `timsite.kinds`) ---
def bulletin_summary(entry: Bulletin) -> str:
    return f"{entry.label}. Lead article: {entry.lead}." if entry.lead else f"{entry.label}."


def meeting_summary(entry: Meeting) -> str:
    return ", ".join(p for p in (entry.when, entry.place) if p) + "."


def publication_summary(entry: Publication) -> str:
    facts = [entry.type.label, str(entry.year) if entry.year else "", entry.publisher or ""]
    return ", ".join(f for f in facts if f) + "."


def _enclosure(entry: Entry, site_url: str, editions: Mapping[str, tuple[str, int]]) -> Enclosure | None:
    """The entry's printed PDF (an issue's `pdf` field) when it has one, else its typeset PDF edition, if any."""
    pdf = entry.attached_pdf
    if pdf:
        source = entry.path.parent / pdf
        if source.is_file():
            return Enclosure(site_url + pdf_href(entry), source.stat().st_size, PDF_MEDIA_TYPE)
    edition = editions.get(entry_src(entry))
    if edition is None:
        return None
    path, size = edition
    return Enclosure(site_url + path, size, PDF_MEDIA_TYPE)


def item(
    entry: Entry,
    summary: str,
    rendered: Mapping[str, str],
    site_url: str,
    editions: Mapping[str, tuple[str, int]] | None = None,
) -> Item:
    """The item of an entry. Its full text is the page body MkDocs rendered; without one (the feeds
    written outside a MkDocs build), the summary stands in."""
    src = entry_src(entry)
    return Item(
        id=guid(entry),
        url=site_url + entry_url(entry),
        title=entry.display_title,
        date=item_date(entry),
        summary=summary,
        content=absolutize(rendered.get(src, ""), site_url + page_url(src)),
        tags=tuple(entry.tags),
        authors=tuple(entry.creators),
        language=entry.language,
        enclosure=_enclosure(entry, site_url, editions or {}),
    )


# --- XML through feedgen ---
class AtomLinks(BaseEntryExtension):
    """An Atom entry's links, written whole: feedgen 1.0 drops the rel, type and length of entry links."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        for link in self.links:
            # feedgen writes Atom elements without a namespace and declares it as a plain attribute: match it.
            etree.SubElement(entry, "link", link)
        return entry


class History(BaseExtension):
    """The RFC 5005 and WebSub parts of a feed document: fh:complete or fh:archive, and the links feedgen
    writes in Atom but not in RSS (there only as atom:link, as RFC 5005 appendix B and WebSub say)."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []
        self.marker: str | None = None  # "complete", "archive" or None

    def extend_ns(self) -> dict[str, str]:
        return {"fh": FH}

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        if self.marker:
            etree.SubElement(feed, f"{{{FH}}}{self.marker}")
        return feed

    def extend_rss(self, feed: etree._Element) -> etree._Element:
        channel = feed[0]
        for link in self.links:
            etree.SubElement(channel, f"{{{ATOM_NS}}}link", link)
        if self.marker:
            etree.SubElement(channel, f"{{{FH}}}{self.marker}")
        return feed


def feed_entry(item: Item, fmt: str) -> FeedEntry:
    fe = FeedEntry()
    if fmt == "rss":
        fe.load_extension("dc", atom=False, rss=True)
    else:
        fe.register_extension("atom_links", AtomLinks, atom=True, rss=False)
    fe.guid(item.id, permalink=False)
    fe.title(item.title)
    fe.published(item.date)
    fe.updated(item.date)
    # Readers treat RSS descriptions as HTML, so the plain summary goes in escaped, in both formats alike.
    summary = html.escape(item.summary, quote=False)
    fe.summary(summary, type="html")
    fe.content(item.content or summary, type="html")
    if item.tags:
        fe.category([{"term": t} for t in item.tags])
    if item.authors:
        fe.author([{"name": a} for a in item.authors])
        if fmt == "rss":
            fe.dc.dc_creator(list(item.authors))
    enclosure = item.enclosure
    if fmt == "atom":
        fe.atom_links.links = [{"rel": "alternate", "type": "text/html", "href": item.url}]
        if enclosure:
            fe.atom_links.links.append(
                {"rel": "enclosure", "type": enclosure.type, "length": str(enclosure.length), "href": enclosure.url}
            )
    else:
        fe.link(href=item.url, rel="alternate")
        if enclosure:
            fe.enclosure(enclosure.url, str(enclosure.length), enclosure.type)
    return fe


def json_item(i: Item) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": i.id,
        "url": i.url,
        "title": i.title,
        "content_html": i.content or html.escape(i.summary, quote=False),
        "summary": i.summary,
        "date_published": i.date.isoformat(),
        "language": i.language,
    }
    if i.authors:
        data["authors"] = [{"name": a} for a in i.authors]
    if i.tags:
        data["tags"] = list(i.tags)
    if i.enclosure:
        e = i.enclosure
        data["attachments"] = [{"url": e.url, "mime_type": e.type, "size_in_bytes": e.length}]
    return data
