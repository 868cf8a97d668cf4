"""Feeds: RSS 2.0, Atom and JSON Feed 1.1 for the whole site, each collection and each tag, with RFC 5005 archives.

Every feed comes in three formats with the same items, at addresses derived from its
key only: `feeds/all.rss.xml`, `feeds/bulletins.atom.xml`, `feeds/tags/europe.json`.
A bulletin issue is one item (not one per article), with its table of contents and
full text; a meeting or a publication is one item. Only the subscription documents of the site's and the
collections' feeds carry full texts: archive pages and tag feeds carry summaries (`feed_documents`).

Size: a subscription document carries the newest `limit` items only (`FEED_LIMIT` unless the
plugin's `feed_limit` says otherwise), and fewer when their texts pass `FEED_TEXT_BUDGET`, since a
reader downloads it whole at every poll. The older
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

This module says which feeds exist (the feed directory, computed once per build) and which of them a page
announces; `feed_documents` renders their documents, `feed_items` each entry's item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from timsite import kinds
from timsite.content import periodical
from timsite.content.archive import Archive
from timsite.content.model import Entry
from timsite.outputs.feed_items import guid, item_date
from timsite.site.page import Outputs
from timsite.site.tags import tag_slug, tag_src

SITE_TITLE = periodical.NAME
PUBLISHER = periodical.PUBLISHER
GENERATOR = "timsite"
LANGUAGE = "en"
ICON = "assets/feed-icon.png"  # theme/assets/feed-icon.png: a PNG, as RSS images may not be SVG
OPML = "feeds/feeds.opml"
OPML_MEDIA_TYPE = "text/x-opml"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""Update time of a feed when the whole archive is empty: fixed, never the clock."""

FEED_LIMIT = 20
"""Items in a subscription document by default: WordPress and Ghost default to 10-15, Hugo and Jekyll
blogs commonly to 10-20. 20 covers five years of quarterly issues and several months of catalogue
additions, so a reader polling monthly misses nothing, while the largest document (twenty issues with
their full text) stays under 1 MiB."""
FEED_TEXT_BUDGET = 300_000
"""Characters of Markdown text (front matter aside) a subscription document carries at most: past it, the
older items go to the archive even within `limit`, though never the newest one. Issues run to 30-35,000
characters (N° 25: 31,000), and an item's HTML in Atom is about 1.5 times its Markdown, so twenty issues
would make a 1 MiB document and this keeps it near half that (nine issues: two years of a quarterly)."""
ARCHIVE_PAGE_SIZE = 50
"""Items per archive page: fixed, so a full page never changes."""
ARCHIVED_SCOPES = ("site", "collection")
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


@dataclass(frozen=True)
class Feed:
    """One feed of the directory: what it is, where its documents are, and which items it carries.

    The directory (`feed_directory`) is computed once per build; the Subscribe page, the feed pages, the
    autodiscovery links and the writer (`FeedSet`) all read it.
    """

    key: str
    scope: str
    """`site` (everything), `collection` (one kind of entry), `tag`, or `merged` (a tag merged into another,
    at its old address)."""
    title: str
    description: str
    home: str
    """The site page it follows (`bulletins/`, `tags/europe/`)."""
    items: tuple[Entry, ...]
    """Every item, newest first."""
    newest: tuple[Entry, ...]
    """The items of its subscription document, newest first."""
    pages: int
    """How many archive pages it has (0: none)."""
    base: str = ""
    """The site's address, for the absolute addresses readers paste (empty: unknown)."""

    def url(self, fmt: str) -> str:
        return f"feeds/{self.key}.{FORMATS[fmt][0]}"

    def address(self, fmt: str) -> str:
        """The absolute address of its subscription document in format `fmt`."""
        return self.base + self.url(fmt)

    @property
    def page(self) -> str:
        """The feed's HTML page, for people (the feed files are for readers)."""
        return f"feeds/{self.key}/"

    def archive_url(self, number: int, fmt: str) -> str:
        return f"feeds/archive/{self.key}/{number}.{FORMATS[fmt][0]}"

    @property
    def entries(self) -> tuple[Entry, ...]:
        """What its page lists: the items of its subscription document."""
        return self.newest

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def archived(self) -> bool:
        return self.pages > 0


def site_base(site_url: str) -> str:
    return site_url.rstrip("/") + "/"


def _newest_first(entries: Sequence[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (item_date(e), guid(e)), reverse=True)


# --- which feeds and documents exist ---
def _items(archive: Archive) -> list[Entry]:
    """Every entry of a kind that is in the feeds (the registry's `feed` column)."""
    return [entry for _, _, entries in kinds.fed(archive) for entry in entries]


def _feed(
    key: str, scope: str, title: str, description: str, home: str, members: list[Entry], limit: int | None, base: str
) -> Feed:
    ordered = tuple(_newest_first(members))
    cut = len(ordered) if limit is None else max(limit, 0)
    text = 0
    for number, entry in enumerate(ordered[:cut]):
        text += len(entry.body)
        if number > 0 and text > FEED_TEXT_BUDGET:
            cut = number
            break
    older = len(ordered) - min(cut, len(ordered))
    # The newest archive page is the one still filling; when the older items fill whole pages exactly, it is empty.
    pages = older // ARCHIVE_PAGE_SIZE + 1 if older and scope in ARCHIVED_SCOPES else 0
    return Feed(key, scope, title, description, home, ordered, ordered[:cut], pages, base)


def feed_directory(archive: Archive, site_url: str = "", limit: int | None = FEED_LIMIT) -> list[Feed]:
    """Every feed: the site's, each collection's (the kinds the registry puts in feeds), each tag's.

    `limit`: the items of a subscription document (the newest); `site_url` makes the addresses readers paste.
    """
    base = site_base(site_url) if site_url else ""
    items = _items(archive)
    everything = "New bulletin issues, meetings and publications."
    feeds = [_feed("all", "site", SITE_TITLE, everything, "", items, limit, base)]
    for kind, feed, members in kinds.fed(archive):
        key, title = kind.folder, f"{SITE_TITLE}: {feed.label}"
        feeds.append(_feed(key, "collection", title, feed.description, f"{key}/", list(members), limit, base))
    # Tags that differ only in case or accents share a slug, hence one feed, and one page.
    names: dict[str, list[str]] = {}
    for tag in sorted({t for e in items for t in e.tags}, key=lambda t: (t.casefold(), t)):
        names.setdefault(tag_slug(tag), []).append(tag)
    merged: list[Feed] = []
    for slug, group in names.items():
        tagged = [e for e in items if set(e.tags) & set(group)]
        description = f"Issues, meetings and publications tagged “{group[0]}”."
        title = f"{SITE_TITLE}: {group[0]}"
        home = tag_src(slug).removesuffix("index.md")
        feeds.append(_feed(f"tags/{slug}", "tag", title, description, home, tagged, limit, base))
        # A merged name's feeds keep answering at their old addresses (readers do not follow HTML redirects);
        # they are not offered to new subscribers (scope `merged`).
        for old in sorted({tag_slug(a) for t in group for a in archive.vocabulary.aliases(t)} - set(names)):
            merged.append(_feed(f"tags/{old}", "merged", title, description, home, tagged, limit, base))
    feeds.extend(sorted(merged, key=lambda f: f.key))
    return feeds


def by_key(directory: list[Feed]) -> dict[str, Feed]:
    """The feed directory by feed key."""
    return {f.key: f for f in directory}


def alternates(
    entry: Entry | None,
    feeds: Mapping[str, Feed],
    site_url: str,
    outputs: Outputs,
    feed_key: str | None = None,
) -> list[dict[str, str]]:
    """Autodiscovery links for a page, printed from the outputs manifest (each document's media type and
    label): the site feeds, then the entry's collection's, then its tags' (Atom only). `feeds` is the feed
    directory by key (`by_key`), made once per build.

    A feed's own page (`feed_key`) announces that feed in every format. The addresses are
    root-relative (`/feeds/all.atom.xml` under the site's path): same-origin wherever the site is
    served, and right on the 404 page too, which is served at any depth. Tag feeds are announced in
    one format only on other pages because Material's JavaScript fetches a sitemap beside every
    alternate link on every page load.
    """
    root = urlsplit(site_base(site_url)).path
    keys = ["all"]
    if entry is not None:
        keys += [entry.folder] if kinds.of(entry).feed else []
        keys += [f"tags/{tag_slug(t)}" for t in entry.tags]
    if feed_key is not None:
        keys.insert(0, feed_key)
    links: list[dict[str, str]] = []
    for key in dict.fromkeys(keys):
        feed = feeds.get(key)
        if feed is None:
            continue
        for fmt in FORMATS:
            if feed.scope == "tag" and fmt != "atom" and key != feed_key:
                continue
            document = outputs.get(feed.url(fmt))
            if document is not None:
                links.append({"type": document.media_type, "title": document.label, "href": root + document.path})
    return links


def subscription_urls(archive: Archive, site_url: str) -> list[str]:
    """The absolute URL of every subscription document: what a WebSub hub is told about after a deploy."""
    return [f.address(fmt) for f in feed_directory(archive, site_url) for fmt in FORMATS]
