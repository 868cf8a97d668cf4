"""Feeds: RSS 2.0, Atom and JSON Feed 1.1 for the whole site, each collection and each tag, with RFC 5005 archives.

Every feed comes in three formats with the same items, at addresses derived from its
key only: `feeds/all.rss.xml`, `feeds/bulletins.atom.xml`, `feeds/tags/europe.json`.
A bulletin issue is one item (not one per article), with its table of contents and
full text; a meeting or a publication is one item.

Size: a subscription document carries the newest `limit` items only (`FEED_LIMIT` unless the
plugin's `feed_limit` says otherwise), since a reader downloads it whole at every poll. The older
items of the site feed and of each collection feed are in archive documents (RFC 5005 section 4):
`feeds/archive/<key>/<n>.atom.xml`, numbered from the oldest, `ARCHIVE_PAGE_SIZE` items each. The subscription document links `prev-archive` to the newest archive page, each page
links to its neighbours and to `current`; the newest page is the one still filling (it may be
empty), so a full page never changes, neither its address nor its bytes. A feed whose items all fit
in the subscription document says `fh:complete`. Tag feeds are not archived (see README, "Feeds and
calendar"): they keep a window of the newest items; the site archive holds every tagged item too.

Identity: an item's id (Atom `id`, RSS `guid`, JSON Feed `id`) is a tag URI (RFC 4151)
under the fixed authority `trafficking-in-migrants.iom.int,2002`, made from the entry's
permanent identity alone: `tag:trafficking-in-migrants.iom.int,2002:bulletin/25`,
`...:meeting/<id>`, `...:publication/<id>`. Never the site address (it may move), a file
name, a title or the build time, so renaming a file or moving the site keeps every id.
A publication's ISBN is deliberately not used: one may be added or corrected after the
item was first published, while the id is permanent by rule.

Dates: an item is dated from its content only (`Bulletin.published`, `Meeting.published`,
`Publication.published`) at 00:00 UTC of that day. A document's update time is its newest
item's date, so two builds of the same content write byte-identical files.

feedgen is used here and in `feed_items` only; its defaults (the clock as update time, its own
version as generator, prepended entries) are all overridden.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from timsite.content import periodical
from timsite.content.archive import Archive
from timsite.content.model import Bulletin, Entry, Meeting, Publication
from timsite.outputs.feed_items import TAG_AUTHORITY, History, Item, feed_entry, guid, item, item_date, json_item
from timsite.site.render import render
from timsite.site.tags import tag_slug, tag_src

SITE_TITLE = periodical.NAME
PUBLISHER = periodical.PUBLISHER
GENERATOR = "timsite"
LANGUAGE = "en"
ICON = "assets/feed-icon.png"  # theme/assets/feed-icon.png: a PNG, as RSS images may not be SVG
OPML = "feeds/feeds.opml"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""Update time of a feed when the whole archive is empty: fixed, never the clock."""

FEED_LIMIT = 20
"""Items in a subscription document by default: WordPress and Ghost default to 10-15, Hugo and Jekyll
blogs commonly to 10-20. 20 covers five years of quarterly issues and several months of catalogue
additions, so a reader polling monthly misses nothing, while the largest document (twenty issues with
their full text) stays under 1 MiB."""
ARCHIVE_PAGE_SIZE = 50
"""Items per archive page: fixed, so a full page never changes."""
ARCHIVED_KINDS = ("site", "collection")
"""The feeds with archive documents; a tag feed is a window of its newest items (see the module docstring)."""

JSON_FEED = "https://jsonfeed.org/version/1.1"

FORMATS: dict[str, tuple[str, str, str]] = {
    "rss": ("rss.xml", "application/rss+xml", "RSS"),
    "atom": ("atom.xml", "application/atom+xml", "Atom"),
    "json": ("json", "application/feed+json", "JSON Feed"),
}
"""Format -> (file suffix, media type, label)."""
ARCHIVE_FORMATS = ("atom",)
"""Archive pages exist in Atom only: RFC 5005 is written for it, and the RSS documents link to these with
the same relations, as its appendix B allows. JSON Feed has no archive relation; paging it through
`next_url` would store every item's full text once more, about 250 MB at x40, past GitHub Pages' 1 GB."""

COLLECTIONS: dict[str, tuple[type[Entry], str, str]] = {
    "bulletins": (Bulletin, "bulletin issues", "Each new issue of the bulletin, with its contents and full text."),
    "meetings": (Meeting, "meetings", "Meetings, conferences and signings reported by the bulletin."),
    "publications": (Publication, "publications", "New entries in the catalogue of publications."),
}


@dataclass(frozen=True)
class _Feed:
    key: str
    kind: str
    title: str
    description: str
    home: str
    entries: tuple[Entry, ...]

    def url(self, fmt: str) -> str:
        return f"feeds/{self.key}.{FORMATS[fmt][0]}"

    @property
    def page(self) -> str:
        """The feed's HTML page, for people (the feed files are for readers)."""
        return f"feeds/{self.key}/"

    def archive_url(self, number: int, fmt: str) -> str:
        return f"feeds/archive/{self.key}/{number}.{FORMATS[fmt][0]}"


@dataclass(frozen=True)
class Document:
    """One file of a feed: its subscription document (`number` 0) or an archive page (`number` >= 1)."""

    feed: _Feed
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
    def label(self) -> str:
        what = f"archive page {self.number} of " if self.number else ""
        return f"{what}the feed “{self.feed.title}” ({FORMATS[self.fmt][2]})"


# --- identity, dates, names ---
def _base(site_url: str) -> str:
    return site_url.rstrip("/") + "/"


def _newest_first(entries: tuple[Entry, ...]) -> list[Entry]:
    return sorted(entries, key=lambda e: (item_date(e), guid(e)), reverse=True)


# --- which feeds and documents exist ---
def _feeds(archive: Archive) -> list[_Feed]:
    items: list[Entry] = [*archive.bulletins, *archive.meetings, *archive.publications]
    feeds = [_Feed("all", "site", SITE_TITLE, "New bulletin issues, meetings and publications.", "", tuple(items))]
    for key, (model, label, description) in COLLECTIONS.items():
        members = tuple(e for e in items if isinstance(e, model))
        feeds.append(_Feed(key, "collection", f"{SITE_TITLE}: {label}", description, f"{key}/", members))
    # Tags that differ only in case or accents share a slug, hence one feed, and one page.
    names: dict[str, list[str]] = {}
    for tag in sorted({t for e in items for t in e.tags}, key=lambda t: (t.casefold(), t)):
        names.setdefault(tag_slug(tag), []).append(tag)
    merged: list[_Feed] = []
    for slug, group in names.items():
        tagged = tuple(e for e in items if set(e.tags) & set(group))
        description = f"Issues, meetings and publications tagged “{group[0]}”."
        home = tag_src(slug).removesuffix("index.md")
        feeds.append(_Feed(f"tags/{slug}", "tag", f"{SITE_TITLE}: {group[0]}", description, home, tagged))
        # A merged name's feeds keep answering at their old addresses (readers do not follow HTML redirects).
        for old in sorted({tag_slug(a) for t in group for a in archive.vocabulary.aliases(t)} - set(names)):
            merged.append(_Feed(f"tags/{old}", "merged", f"{SITE_TITLE}: {group[0]}", description, home, tagged))
    feeds.extend(sorted(merged, key=lambda f: f.key))
    return feeds


def _documents(feed: _Feed, limit: int | None) -> Iterator[Document]:
    """The subscription documents of a feed in every format, then its archive pages, oldest first."""
    ordered = _newest_first(feed.entries)
    cut = len(ordered) if limit is None else max(limit, 0)
    newest, older = tuple(ordered[:cut]), ordered[cut:][::-1]
    # The newest page is the one still filling; when the older items fill whole pages exactly, it is empty.
    pages = len(older) // ARCHIVE_PAGE_SIZE + 1 if older and feed.kind in ARCHIVED_KINDS else 0
    for fmt in FORMATS:
        yield Document(feed, fmt, 0, newest, pages)
    for number in range(1, pages + 1):
        chunk = tuple(older[(number - 1) * ARCHIVE_PAGE_SIZE : number * ARCHIVE_PAGE_SIZE])
        for fmt in ARCHIVE_FORMATS:
            yield Document(feed, fmt, number, chunk, pages)


def feed_directory(archive: Archive, site_url: str = "", limit: int | None = FEED_LIMIT) -> list[dict[str, Any]]:
    """Every feed, for the Subscribe page and the feed pages.

    Each: key, title, description, kind; its site-relative URL per format (`rss`, `atom`, `json`) and
    absolute (`rss_url`...); `page`, its HTML page; `home`, the site page it follows; `entries`, the
    entries of its subscription document, newest first; `total`, all its items; `archived`, whether
    it has archive pages.
    """
    base = _base(site_url) if site_url else ""
    directory: list[dict[str, Any]] = []
    for f in _feeds(archive):
        subscription = next(_documents(f, limit))
        row: dict[str, Any] = {"key": f.key, "title": f.title, "description": f.description, "kind": f.kind}
        row |= {fmt: f.url(fmt) for fmt in FORMATS} | {f"{fmt}_url": base + f.url(fmt) for fmt in FORMATS}
        row |= {
            "page": f.page,
            "home": f.home,
            "entries": list(subscription.entries),
            "total": len(f.entries),
            "archived": subscription.pages > 0,
        }
        directory.append(row)
    return directory


def alternates(
    entry: Entry | None, feed_list: list[dict[str, Any]], site_url: str, feed_key: str | None = None
) -> list[dict[str, str]]:
    """Autodiscovery links for a page: the site feeds, then the entry's collection's, then its tags' (Atom only).

    A feed's own page (`feed_key`) announces that feed in every format. The addresses are
    root-relative (`/feeds/all.atom.xml` under the site's path): same-origin wherever the site is
    served, and right on the 404 page too, which is served at any depth. Tag feeds are announced in
    one format only on other pages because Material's JavaScript fetches a sitemap beside every
    alternate link on every page load.
    """
    root = urlsplit(_base(site_url)).path
    by_key = {f["key"]: f for f in feed_list}
    keys = ["all"]
    if entry is not None:
        keys += [key for key, (model, _, _) in COLLECTIONS.items() if isinstance(entry, model)]
        keys += [f"tags/{tag_slug(t)}" for t in entry.tags]
    if feed_key is not None:
        keys.insert(0, feed_key)
    links: list[dict[str, str]] = []
    for key in dict.fromkeys(keys):
        feed = by_key.get(key)
        if feed is None:
            continue
        for fmt, (_, media_type, label) in FORMATS.items():
            if feed["kind"] == "tag" and fmt != "atom" and key != feed_key:
                continue
            links.append({"type": media_type, "title": f"{feed['title']} ({label})", "href": root + feed[fmt]})
    return links


@dataclass
class FeedSet:
    """All feed documents of an archive, rendered on demand; items are made once and shared by every document.

    `rendered` is the HTML MkDocs made of each page body, by source path: it may still be filling when
    the FeedSet is made (the documents' addresses do not depend on it), and must be complete when the
    first document is rendered.
    """

    archive: Archive
    site_url: str
    rendered: dict[str, str]
    limit: int | None = FEED_LIMIT
    hub: str | None = None
    _items: dict[str, Item] = field(default_factory=dict)
    _uses: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.site_url = _base(self.site_url)
        self.feeds = _feeds(self.archive)
        self.documents = [d for f in self.feeds for d in _documents(f, self.limit)]
        # An item's full text is as large as its page body, and the archive pages hold every item: an item is
        # kept only until the last document that carries it is rendered, so the build never holds them all.
        self._uses = Counter(guid(e) for d in self.documents for e in d.entries)
        every = [*self.archive.bulletins, *self.archive.meetings, *self.archive.publications]
        self.newest = max((item_date(e) for e in every), default=EPOCH)

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
            found = item(entry, self.rendered, self.site_url)
        if self._uses[key] > 1:
            self._uses[key] -= 1
            self._items[key] = found
        else:
            # Its last document (or a document rendered again): not worth keeping.
            self._uses.pop(key, None)
            self._items.pop(key, None)
        return found

    def _entry(self, entry: Entry, fmt: str) -> FeedEntry:
        return feed_entry(self.item(entry), fmt)

    def _updated(self, doc: Document) -> datetime:
        dates = [item_date(e) for e in doc.entries]
        if dates:
            return max(dates)
        # An empty document: an empty newest archive page, or a feed with no items at all.
        return max((item_date(e) for e in doc.feed.entries), default=self.newest)

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
        elif not doc.pages and len(doc.entries) == len(feed.entries):
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
            fg.add_entry(self._entry(entry, fmt), order="append")
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
        document["items"] = [json_item(self.item(e)) for e in doc.entries]
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()

    def opml(self) -> bytes:
        groups = []
        for kind, label in (("site", "Everything"), ("collection", "By collection"), ("tag", "By tag")):
            members = [
                {
                    "title": f.title,
                    "description": f.description,
                    "xml_url": self.site_url + f.url("rss"),
                    "html_url": self.site_url + f.home,
                }
                for f in self.feeds
                if f.kind == kind
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


def subscription_urls(archive: Archive, site_url: str) -> list[str]:
    """The absolute URL of every subscription document: what a WebSub hub is told about after a deploy."""
    return [_base(site_url) + f.url(fmt) for f in _feeds(archive) for fmt in FORMATS]
