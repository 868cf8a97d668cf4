"""Feed documents: each feed's subscription document in RSS 2.0, Atom and JSON Feed, its RFC 5005 archive pages,
and the OPML list of every feed, rendered on demand from the feed directory (`feeds`).

feedgen is used here and in `feed_items` only; its defaults (the clock as update time, its own
version as generator, prepended entries) are all overridden.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from timsite import kinds
from timsite.content.model import Entry
from timsite.outputs.feed_items import TAG_AUTHORITY, History, Item, feed_entry, guid, item, item_date, json_item
from timsite.outputs.feeds import (
    ARCHIVE_FORMATS,
    ARCHIVE_PAGE_SIZE,
    EPOCH,
    FORMATS,
    GENERATOR,
    ICON,
    JSON_FEED,
    LANGUAGE,
    PUBLISHER,
    SITE_TITLE,
    Feed,
    site_base,
)
from timsite.site.render import render

FULL_TEXT_SCOPES = ("site", "collection")
"""The feeds whose subscription documents carry each item's full text. Every other document carries its
summary and link, the text being on the item's page: the archive pages (they hold every item, twice: the
site's and its collection's) and the tag feeds (an item is in each of its tags': an issue in twenty)."""


def _full_text(doc: Document) -> bool:
    return doc.number == 0 and doc.feed.scope in FULL_TEXT_SCOPES


@dataclass(frozen=True)
class Document:
    """One file of a feed: its subscription document (`number` 0) or an archive page (`number` >= 1)."""

    feed: Feed
    fmt: str
    number: int
    entries: tuple[Entry, ...]
    """Newest first in a subscription document, oldest first in an archive page."""
    pages: int
    """How many archive pages the feed has (0: none)."""

    @property
    def url(self) -> str:
        return self.feed.archive_url(self.number, self.fmt) if self.number else self.feed.url(self.fmt)

    @property
    def origin(self) -> str:
        """What the document is, in error messages."""
        what = f"archive page {self.number} of " if self.number else ""
        return f"{what}the feed “{self.feed.title}” ({FORMATS[self.fmt][2]})"

    @property
    def label(self) -> str:
        """How a page's autodiscovery link names it."""
        return f"{self.feed.title} ({FORMATS[self.fmt][2]})"

    @property
    def media_type(self) -> str:
        return FORMATS[self.fmt][1]


# --- identity, dates, names ---


def _documents(feed: Feed) -> Iterator[Document]:
    """The subscription documents of a feed in every format, then its archive pages, oldest first."""
    for fmt in FORMATS:
        yield Document(feed, fmt, 0, feed.newest, feed.pages)
    older = feed.items[len(feed.newest) :][::-1]
    for number in range(1, feed.pages + 1):
        chunk = tuple(older[(number - 1) * ARCHIVE_PAGE_SIZE : number * ARCHIVE_PAGE_SIZE])
        for fmt in ARCHIVE_FORMATS:
            yield Document(feed, fmt, number, chunk, feed.pages)


@dataclass
class FeedSet:
    """All feed documents of an archive, rendered on demand; items are made once and shared by every document.

    `rendered` is the HTML MkDocs made of each page body, by source path: it may still be filling when
    the FeedSet is made (the documents' addresses do not depend on it), and must be complete when the
    first document is rendered.
    """

    feeds: list[Feed]
    """The feed directory (`feed_directory`)."""
    site_url: str
    rendered: Mapping[str, str]
    hub: str | None = None
    editions: dict[str, tuple[str, int]] = field(default_factory=dict)
    """The typeset PDFs, (path, size) by their entry's source path: filled, like `rendered`, before the first
    document is rendered (the enclosures)."""
    _items: dict[str, Item] = field(default_factory=dict)
    _uses: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.site_url = site_base(self.site_url)
        self.documents = [d for f in self.feeds for d in _documents(f)]
        # An item's full text is as large as its page body, and the archive pages hold every item: an item is
        # kept only until the last document that carries it is rendered, so the build never holds them all.
        self._uses = Counter(guid(e) for d in self.documents for e in d.entries)
        # Each feed's items are newest first: its first is its newest.
        self.newest = max((item_date(f.items[0]) for f in self.feeds if f.items), default=EPOCH)

    def in_writing_order(self) -> list[Document]:
        """The documents in an order that keeps few items alive: the subscription documents, then the archive
        pages of every feed merged by their oldest item's date, so an item's site and collection archive
        pages are rendered close together (the bytes of each document do not depend on the order)."""
        current = [d for d in self.documents if d.number == 0]
        archived = [d for d in self.documents if d.number > 0]
        position = {id(d): n for n, d in enumerate(archived)}
        late = datetime.max.replace(tzinfo=UTC)  # an empty newest page carries nothing: last
        archived.sort(key=lambda d: (item_date(d.entries[0]) if d.entries else late, position[id(d)]))
        return current + archived

    def item(self, entry: Entry) -> Item:
        key = guid(entry)
        found = self._items.get(key)
        if found is None:
            found = item(entry, kinds.summary(entry), self.rendered, self.site_url, self.editions)
        if self._uses[key] > 1:
            self._uses[key] -= 1
            self._items[key] = found
        else:
            # Its last document (or a document rendered again): not worth keeping.
            self._uses.pop(key, None)
            self._items.pop(key, None)
        return found

    def _item(self, entry: Entry, doc: Document) -> Item:
        found = self.item(entry)
        return found if _full_text(doc) else dataclasses.replace(found, content="")

    def _entry(self, entry: Entry, doc: Document, fmt: str) -> FeedEntry:
        return feed_entry(self._item(entry, doc), fmt)

    def _updated(self, doc: Document) -> datetime:
        dates = [item_date(e) for e in doc.entries]
        if dates:
            return max(dates)
        # An empty document: an empty newest archive page, or a feed with no items at all.
        return max((item_date(e) for e in doc.feed.items[:1]), default=self.newest)

    def _links(self, doc: Document) -> list[dict[str, str]]:
        """The links of a document beside self and its page: WebSub hub, and RFC 5005's."""
        feed, url = doc.feed, self.site_url
        atom = FORMATS["atom"][1]
        links: list[dict[str, str]] = []
        if doc.number == 0:
            if self.hub:
                links.append({"rel": "hub", "href": self.hub})
            if doc.pages:
                links.append({"rel": "prev-archive", "href": url + feed.archive_url(doc.pages, "atom"), "type": atom})
            return links
        links.append({"rel": "current", "href": url + feed.url("atom"), "type": atom})
        if doc.number > 1:
            links.append({"rel": "prev-archive", "href": url + feed.archive_url(doc.number - 1, "atom"), "type": atom})
        if doc.number < doc.pages:
            links.append({"rel": "next-archive", "href": url + feed.archive_url(doc.number + 1, "atom"), "type": atom})
        return links

    def _title(self, doc: Document) -> str:
        return f"{doc.feed.title} (archive {doc.number})" if doc.number else doc.feed.title

    def render(self, doc: Document) -> bytes:
        """The bytes of one document."""
        if doc.fmt == "json":
            return self._json(doc)
        feed, url, fmt = doc.feed, self.site_url, doc.fmt
        updated = self._updated(doc)
        fg = FeedGenerator()
        if fmt == "rss":
            fg.load_extension("dc", atom=False, rss=True)
        fg.register_extension("history", History, None)
        # An archive page has an id of its own: it is a different document from the subscription feed.
        fg.id(f"tag:{TAG_AUTHORITY}:feed/{feed.key}" + (f"/archive/{doc.number}" if doc.number else ""))
        fg.title(self._title(doc))
        fg.description(feed.description)
        fg.link(href=url + doc.url, rel="self", type=FORMATS[fmt][1])
        links = self._links(doc)
        if fmt == "atom":
            for link in links:
                fg.link(**link)
        else:
            fg.history.links = links
        if doc.number:
            fg.history.marker = "archive"
        elif not doc.pages and len(doc.entries) == len(feed.items):
            fg.history.marker = "complete"
        # feedgen takes the RSS channel link from the last link given: the page must come last.
        fg.link(href=url + feed.home, rel="alternate", type="text/html")
        fg.language(LANGUAGE)
        fg.author(name=PUBLISHER)
        fg.generator(GENERATOR)
        fg.image(url=url + ICON, title=feed.title, link=url + feed.home)
        fg.icon(url + ICON)
        fg.updated(updated)
        fg.pubDate(updated)
        for entry in doc.entries:
            fg.add_entry(self._entry(entry, doc, fmt), order="append")
        data: bytes = fg.rss_str(pretty=True) if fmt == "rss" else fg.atom_str(pretty=True)
        return data

    def _json(self, doc: Document) -> bytes:
        feed, url = doc.feed, self.site_url
        document: dict[str, Any] = {
            "version": JSON_FEED,
            "title": self._title(doc),
            "home_page_url": url + feed.home,
            "feed_url": url + doc.url,
            "description": feed.description,
            "icon": url + ICON,
            "favicon": url + ICON,
            "language": LANGUAGE,
            "authors": [{"name": PUBLISHER}],
        }
        if self.hub and doc.number == 0:
            document["hubs"] = [{"type": "WebSub", "url": self.hub}]
        document["items"] = [json_item(self._item(e, doc)) for e in doc.entries]
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()

    def opml(self) -> bytes:
        groups = []
        for scope, label in (("site", "Everything"), ("collection", "By collection"), ("tag", "By tag")):
            members = [
                {
                    "title": f.title,
                    "description": f.description,
                    "xml_url": self.site_url + f.url("rss"),
                    "html_url": self.site_url + f.home,
                }
                for f in self.feeds
                if f.scope == scope
            ]
            if members:
                groups.append({"label": label, "feeds": members})
        title = f"{SITE_TITLE}: all feeds"
        return render("files/feeds.opml.j2", title=title, date=format_datetime(self.newest), groups=groups).encode()

    def sitemap_folders(self) -> list[str]:
        """The folders of the announced feeds: Material's JavaScript requests a `sitemap.xml` beside every
        `<link rel="alternate">` of a page (see templates/files/feeds-sitemap.xml.j2)."""
        return sorted({f.url("rss").rpartition("/")[0] for f in self.feeds})


def empty_sitemap() -> bytes:
    return render("files/feeds-sitemap.xml.j2").encode()
