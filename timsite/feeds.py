"""Feeds: RSS 2.0, Atom and JSON Feed 1.1 for the whole site, each collection and each tag, plus OPML and the calendar.

Every feed comes in three formats with the same items, at addresses derived from its
key only: `feeds/all.rss.xml`, `feeds/bulletins.atom.xml`, `feeds/tags/europe.json`.
A bulletin issue is one item (not one per article), with its table of contents and
full text; a meeting or a publication is one item.

Identity: an item's id (Atom `id`, RSS `guid`, JSON Feed `id`) is a tag URI (RFC 4151)
under the fixed authority `trafficking-in-migrants.iom.int,2002`, made from the entry's
permanent identity alone: `tag:trafficking-in-migrants.iom.int,2002:bulletin/25`,
`...:meeting/<id>`, `...:publication/<id>`. Never the site address (it may move), a file
name, a title or the build time, so renaming a file or moving the site keeps every id.
A publication's ISBN is deliberately not used: one may be added or corrected after the
item was first published, while the id is permanent by rule.

Dates: an item is dated from its content only (`Bulletin.published`, `Meeting.published`,
`Publication.published`) at 00:00 UTC of that day. A feed's update time is its newest
item's date, so two builds of the same content write byte-identical files.

feedgen is used here and nowhere else; its defaults (the clock as update time, its own
version as generator, prepended entries) are all overridden.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from email.utils import format_datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import lxml.html
import markdown
from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from lxml import etree
from markdown.extensions.toc import slugify

from . import sanitize
from .archive import Archive
from .ical import write_calendar
from .model import Bulletin, Entry, Meeting, Publication
from .render import render
from .urls import entry_src, entry_url, page_url

SITE_TITLE = "Trafficking in Migrants"
PUBLISHER = "International Organization for Migration (IOM)"
TAG_AUTHORITY = "trafficking-in-migrants.iom.int,2002"
GENERATOR = "timsite"
LANGUAGE = "en"
ICON = "assets/feed-icon.png"  # theme/assets/feed-icon.png: a PNG, as RSS images may not be SVG
STYLESHEET = "feeds/feed.xsl"
OPML = "feeds/feeds.opml"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""Update time of a feed when the whole archive is empty: fixed, never the clock."""

FORMATS: dict[str, tuple[str, str, str]] = {
    "rss": ("rss.xml", "application/rss+xml", "RSS"),
    "atom": ("atom.xml", "application/atom+xml", "Atom"),
    "json": ("json", "application/feed+json", "JSON Feed"),
}
"""Format -> (file suffix, media type, label)."""

COLLECTIONS: dict[str, tuple[type[Entry], str, str]] = {
    "bulletins": (Bulletin, "bulletin issues", "Each new issue of the bulletin, with its contents and full text."),
    "meetings": (Meeting, "meetings", "Meetings, conferences and signings reported by the bulletin."),
    "publications": (Publication, "publications", "New entries in the catalogue of publications."),
}

# Same extensions as mkdocs.yml, for pages MkDocs did not render (see _page_html).
_MARKDOWN_EXTENSIONS = ["attr_list", "md_in_html", "tables", "def_list", "footnotes", "admonition", "toc"]
_PLAIN_RSS_ELEMENTS = re.compile(rb"(<(title|category|dc:creator)>)([^<]*)(</\2>)")


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


@dataclass(frozen=True)
class _Enclosure:
    url: str
    length: int
    type: str
    source: Path
    path: str


@dataclass(frozen=True)
class _Item:
    id: str
    url: str
    title: str
    date: datetime
    summary: str
    content: str
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    language: str
    enclosure: _Enclosure | None


# --- identity, dates, names ---
def tag_slug(tag: str) -> str:
    """The file name of a tag's feeds: the slug the tags page gives its anchor, or a digest if nothing Latin is left.

    >>> tag_slug("T visa"), tag_slug("Côte d'Ivoire"), tag_slug("Asia-Pacific")
    ('t-visa', 'cote-divoire', 'asia-pacific')
    >>> tag_slug("日本")
    'tag-44da6bbcf2'
    """
    return slugify(tag, "-") or "tag-" + hashlib.sha1(tag.encode()).hexdigest()[:10]


def guid(entry: Entry) -> str:
    """The permanent id of an entry's item (see the module docstring)."""
    if isinstance(entry, Bulletin):
        specific = f"bulletin/{entry.number}"
    elif isinstance(entry, Meeting):
        specific = f"meeting/{entry.id}"
    elif isinstance(entry, Publication):
        specific = f"publication/{entry.id}"
    else:
        raise TypeError(f"{type(entry).__name__} is not a feed item")
    return f"tag:{TAG_AUTHORITY}:{specific}"


def item_date(entry: Entry) -> datetime:
    """00:00 UTC of the day the content gives."""
    return datetime.combine(entry.published, time(0), tzinfo=UTC)


def _base(site_url: str) -> str:
    return site_url.rstrip("/") + "/"


# --- which feeds exist ---
def _feeds(archive: Archive) -> list[_Feed]:
    items: list[Entry] = [*archive.bulletins, *archive.meetings, *archive.publications]
    feeds = [_Feed("all", "site", SITE_TITLE, "New bulletin issues, meetings and publications.", "", tuple(items))]
    for key, (model, label, description) in COLLECTIONS.items():
        members = tuple(e for e in items if isinstance(e, model))
        feeds.append(_Feed(key, "collection", f"{SITE_TITLE}: {label}", description, f"{key}/", members))
    # Tags that differ only in case or accents share a slug, hence one feed.
    names: dict[str, list[str]] = {}
    for tag in sorted({t for e in items for t in e.tags}, key=lambda t: (t.casefold(), t)):
        names.setdefault(tag_slug(tag), []).append(tag)
    for slug, group in names.items():
        tagged = tuple(e for e in items if set(e.tags) & set(group))
        anchor = f"#tag:{slug}" if slug == slugify(group[0], "-") else ""
        description = f"Issues, meetings and publications tagged “{group[0]}”."
        feeds.append(_Feed(f"tags/{slug}", "tag", f"{SITE_TITLE}: {group[0]}", description, f"tags/{anchor}", tagged))
    return feeds


def feed_directory(archive: Archive) -> list[dict[str, str]]:
    """Every feed, for the Subscribe page: key, title, description, kind and its site-relative URL per format."""
    return [
        {"key": f.key, "title": f.title, "description": f.description, "kind": f.kind}
        | {fmt: f.url(fmt) for fmt in FORMATS}
        for f in _feeds(archive)
    ]


def alternates(entry: Entry | None, feed_list: list[dict[str, str]], site_url: str) -> list[dict[str, str]]:
    """Autodiscovery links for a page: the site feeds, then the entry's collection's, then its tags' (Atom only).

    The addresses are root-relative (`/feeds/all.atom.xml` under the site's path): same-origin wherever
    the site is served, and right on the 404 page too, which is served at any depth. Tag feeds are
    announced in one format only because Material's JavaScript fetches a sitemap beside every
    alternate link on every page load.
    """
    root = urlsplit(_base(site_url)).path
    by_key = {f["key"]: f for f in feed_list}
    keys = ["all"]
    if entry is not None:
        keys += [key for key, (model, _, _) in COLLECTIONS.items() if isinstance(entry, model)]
        keys += [f"tags/{tag_slug(t)}" for t in entry.tags]
    links: list[dict[str, str]] = []
    for key in dict.fromkeys(keys):
        feed = by_key.get(key)
        if feed is None:
            continue
        for fmt, (_, media_type, label) in FORMATS.items():
            if feed["kind"] == "tag" and fmt != "atom":
                continue
            links.append({"type": media_type, "title": f"{feed['title']} ({label})", "href": root + feed[fmt]})
    return links


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


def _source_resolver(src: str, site_url: str) -> Callable[[str], str]:
    """Resolve links as written in a page's Markdown (relative to its source file, `.md` for pages), as MkDocs does."""
    page = site_url + page_url(src)

    def resolve(url: str) -> str:
        parts = urlsplit(url.strip())
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return urljoin(page, url.strip())
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src), parts.path))
        address = site_url + (page_url(target) if target.endswith(".md") else target)
        return address + (f"#{parts.fragment}" if parts.fragment else "")

    return resolve


def _page_html(entry: Entry, pages: dict[str, Any], rendered: dict[str, str], site_url: str) -> str:
    """The page body as absolute HTML: what MkDocs rendered, else the generated page's Markdown converted here."""
    src = entry_src(entry)
    if src in rendered:
        return absolutize(rendered[src], site_url + page_url(src))
    page = pages.get(src)
    text = page.markdown if page is not None else entry.body
    converted = sanitize.clean(markdown.markdown(text, extensions=_MARKDOWN_EXTENSIONS))
    return absolutize(converted, site_url + page_url(src), _source_resolver(src, site_url))


def _summary(entry: Entry) -> str:
    if entry.summary:
        return entry.summary
    if isinstance(entry, Bulletin):
        return f"{entry.label}. Lead article: {entry.lead}." if entry.lead else f"{entry.label}."
    if isinstance(entry, Meeting):
        return ", ".join(p for p in (entry.when, entry.place) if p) + "."
    if isinstance(entry, Publication):
        facts = [entry.type.label, str(entry.year) if entry.year else "", entry.publisher or ""]
        return ", ".join(f for f in facts if f) + "."
    return ""


def _enclosure(entry: Entry, site_url: str) -> _Enclosure | None:
    if not isinstance(entry, Bulletin) or not entry.pdf:
        return None
    source = entry.path.parent / entry.pdf
    if not source.is_file():
        return None
    path = entry_url(entry) + entry.pdf
    return _Enclosure(site_url + quote(path), source.stat().st_size, "application/pdf", source, path)


def _item(entry: Entry, pages: dict[str, Any], rendered: dict[str, str], site_url: str) -> _Item:
    title = entry.display_title if isinstance(entry, (Bulletin, Meeting, Publication)) else ""
    authors = tuple(entry.creators) if isinstance(entry, Publication) else ()
    return _Item(
        id=guid(entry),
        url=site_url + entry_url(entry),
        title=title,
        date=item_date(entry),
        summary=_summary(entry),
        content=_page_html(entry, pages, rendered, site_url),
        tags=tuple(entry.tags),
        authors=authors,
        language=entry.language,
        enclosure=_enclosure(entry, site_url),
    )


def _newest_first(items: Iterable[_Item], limit: int | None) -> list[_Item]:
    ordered = sorted(items, key=lambda i: (i.date, i.id), reverse=True)
    return ordered if limit is None else ordered[: max(limit, 0)]


# --- serializing ---
# An item reads the same in every feed that lists it (the site's, its collection's, each of its tags'),
# so each item is written once per format and a feed is its channel with those bytes spliced in:
# writing full content is the costly part, and an item sits in several feeds (six on average at x10).
_ITEM_DEPTH = {"rss": 2, "atom": 1}
"""Nesting depth of an item in each XML format (rss > channel > item; feed > entry), for its indentation."""
_CLOSING = {"rss": b"  </channel>", "atom": b"</feed>"}
"""Where items go in a pretty-printed channel: before this closing tag, which starts its line."""
_RSS_NAMESPACES = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
"""The prefixes feedgen declares on an RSS document's root (with the Dublin Core extension loaded)."""


class _AtomLinks(BaseEntryExtension):
    """An Atom entry's links, written whole: feedgen 1.0 drops the rel, type and length of entry links."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        for link in self.links:
            # feedgen writes Atom elements without a namespace and declares it as a plain attribute: match it.
            etree.SubElement(entry, "link", link)
        return entry


@dataclass(frozen=True)
class _Written:
    """One item serialized in each format, ready to splice into any feed that lists it."""

    rss: bytes
    atom: bytes
    json: bytes

    def __getitem__(self, fmt: str) -> bytes:
        return getattr(self, fmt)  # type: ignore[no-any-return]


def _feed_entry(item: _Item, fmt: str) -> FeedEntry:
    fe = FeedEntry()
    if fmt == "rss":
        fe.load_extension("dc", atom=False, rss=True)
    else:
        fe.register_extension("atom_links", _AtomLinks, atom=True, rss=False)
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


def _xml_item(item: _Item, fmt: str) -> bytes:
    """One RSS item or Atom entry through feedgen, indented as it will sit in its feed."""
    fe = _feed_entry(item, fmt)
    depth = _ITEM_DEPTH[fmt]
    if fmt == "rss":
        # Under a parent with the root's prefixes, so that content:encoded and dc:creator keep them.
        element = etree.SubElement(etree.Element("rss", nsmap=_RSS_NAMESPACES), "item")
        written = fe.rss_entry()
        assert not written.attrib, written.attrib  # an RSS item has no attributes to carry over
        element.extend(written)
    else:
        element = fe.atom_entry()
    etree.indent(element, space="  ", level=depth)
    data = etree.tostring(element, encoding="UTF-8")
    if fmt == "rss":
        # Written alone, the item repeats the declarations its channel already makes: drop them.
        assert data.startswith(b"<item "), data[:80]
        data = b"<item" + data[data.index(b">") :]
        data = _PLAIN_RSS_ELEMENTS.sub(_hex_references, data)
    return b"  " * depth + data + b"\n"


def _json_item(i: _Item) -> bytes:
    data: dict[str, Any] = {
        "id": i.id,
        "url": i.url,
        "title": i.title,
        "content_html": i.content,
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
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # Indented as an element of the document's "items" list; JSON strings hold no raw newlines.
    return ("    " + text.replace("\n", "\n    ")).encode()


def _write_item(item: _Item) -> _Written:
    return _Written(_xml_item(item, "rss"), _xml_item(item, "atom"), _json_item(item))


def _xml_channel(feed: _Feed, fmt: str, updated: datetime, site_url: str) -> bytes:
    """The feed without items, through feedgen, with the browser stylesheet linked."""
    fg = FeedGenerator()
    if fmt == "rss":
        fg.load_extension("dc", atom=False, rss=True)
    fg.id(f"tag:{TAG_AUTHORITY}:feed/{feed.key}")
    fg.title(feed.title)
    fg.description(feed.description)
    fg.link(href=site_url + feed.url(fmt), rel="self", type=FORMATS[fmt][1])
    # feedgen takes the RSS channel link from the last link given: the page must come last.
    fg.link(href=site_url + feed.home, rel="alternate", type="text/html")
    fg.language(LANGUAGE)
    fg.author(name=PUBLISHER)
    fg.generator(GENERATOR)
    fg.image(url=site_url + ICON, title=feed.title, link=site_url + feed.home)
    fg.icon(site_url + ICON)
    fg.updated(updated)
    fg.pubDate(updated)
    data: bytes = fg.rss_str(pretty=True) if fmt == "rss" else fg.atom_str(pretty=True)
    if fmt == "rss":
        data = _PLAIN_RSS_ELEMENTS.sub(_hex_references, data)
    return _with_stylesheet(data, "../" * feed.key.count("/") + posixpath.basename(STYLESHEET))


def _xml_feed(channel: bytes, items: list[bytes], fmt: str) -> list[bytes]:
    """The parts of a whole RSS or Atom document: the channel with the items before its closing tag."""
    at = channel.rindex(b"\n" + _CLOSING[fmt]) + 1
    return [channel[:at], *items, channel[at:]]


def _hex_references(match: re.Match[bytes]) -> bytes:
    """Plain text in RSS as the RSS Best Practices Profile asks: & < > as hexadecimal character references.

    Readers disagree whether RSS titles are HTML; these references read the same either way.
    """
    text = match.group(3).replace(b"&lt;", b"&#x3C;").replace(b"&gt;", b"&#x3E;").replace(b"&amp;", b"&#x26;")
    return match.group(1) + text + match.group(4)


def _with_stylesheet(data: bytes, href: str) -> bytes:
    """Insert the xml-stylesheet processing instruction right after the XML declaration (feedgen cannot)."""
    declaration, rest = data.split(b"\n", 1)
    assert declaration.startswith(b"<?xml "), declaration
    instruction = f'<?xml-stylesheet type="text/xsl" href="{href}"?>'.encode()
    return declaration + b"\n" + instruction + b"\n" + rest


def _json_feed(feed: _Feed, items: list[bytes], site_url: str) -> list[bytes]:
    """The parts of a JSON Feed document, laid out as `json.dumps(..., indent=2)` would."""
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": site_url + feed.home,
        "feed_url": site_url + feed.url("json"),
        "description": feed.description,
        "icon": site_url + ICON,
        "favicon": site_url + ICON,
        "language": LANGUAGE,
        "authors": [{"name": PUBLISHER}],
        "items": [],
    }
    head = json.dumps(document, ensure_ascii=False, indent=2).encode()
    if not items:
        return [head, b"\n"]
    assert head.endswith(b'"items": []\n}'), head[-40:]
    head = head.removesuffix(b"[]\n}")
    parts = [head, b"[\n"]
    for n, item in enumerate(items):
        parts += [b",\n", item] if n else [item]
    return [*parts, b"\n  ]\n}\n"]


def _opml(feeds: list[_Feed], updated: datetime, site_url: str) -> bytes:
    groups = []
    for kind, label in (("site", "Everything"), ("collection", "By collection"), ("tag", "By tag")):
        members = [
            {
                "title": f.title,
                "description": f.description,
                "xml_url": site_url + f.url("rss"),
                "html_url": site_url + f.home,
            }
            for f in feeds
            if f.kind == kind
        ]
        if members:
            groups.append({"label": label, "feeds": members})
    text = render("files/feeds.opml.j2", title=f"{SITE_TITLE}: all feeds", date=format_datetime(updated), groups=groups)
    return text.encode()


def _write(path: Path, data: bytes | list[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.writelines([data] if isinstance(data, bytes) else data)


def write_all(
    site_dir: Path, archive: Archive, pages: dict[str, Any], rendered: dict[str, str], site_url: str, limit: int | None
) -> None:
    """Write every feed in every format, the OPML list, the stylesheet and `meetings.ics`.

    Each feed folder also gets an empty `sitemap.xml`: Material's JavaScript requests one next to
    every `<link rel="alternate">` of a page (see templates/files/feeds-sitemap.xml.j2).

    `archive` is what readers may see (drafts and embargoed items already removed); `pages` the
    generated pages by source path; `rendered` the HTML MkDocs made of their bodies; `limit`
    the most items per feed (None for all).
    """
    site_url = _base(site_url)
    feeds = _feeds(archive)
    entries: list[Entry] = [*archive.bulletins, *archive.meetings, *archive.publications]
    items = {guid(e): _item(e, pages, rendered, site_url) for e in entries}
    newest = max((i.date for i in items.values()), default=EPOCH)
    chosen = {feed.key: _newest_first((items[guid(e)] for e in feed.entries), limit) for feed in feeds}
    listed = {i.id for members in chosen.values() for i in members}
    written = {key: _write_item(item) for key, item in items.items() if key in listed}
    for feed in feeds:
        members = chosen[feed.key]
        updated = members[0].date if members else newest
        for fmt in ("rss", "atom"):
            channel = _xml_channel(feed, fmt, updated, site_url)
            _write(site_dir / feed.url(fmt), _xml_feed(channel, [written[i.id][fmt] for i in members], fmt))
        _write(site_dir / feed.url("json"), _json_feed(feed, [written[i.id].json for i in members], site_url))
    _write(site_dir / OPML, _opml(feeds, newest, site_url))
    _write(site_dir / STYLESHEET, (resources.files("timsite") / "templates" / "files" / "feed.xsl").read_bytes())
    for folder in sorted({posixpath.dirname(f.url("rss")) for f in feeds}):
        _write(site_dir / folder / "sitemap.xml", render("files/feeds-sitemap.xml.j2").encode())
    write_calendar(site_dir, archive, site_url)
