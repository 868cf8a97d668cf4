"""The pages of the site as Markdown with front matter, generated from the archive through templates.

Pure: knows nothing of MkDocs. Each page links to others by their Markdown source
paths, so the renderer can resolve and check every internal link.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from timsite.content import periodical
from timsite.content.archive import Archive
from timsite.content.model import Bulletin, Entry, Meeting, Publication, Series
from timsite.content.outline import outline
from timsite.site.home import home_data
from timsite.site.render import render
from timsite.site.tags import tag_groups, tag_infos, tag_src
from timsite.site.urls import SECTIONS, cite_files, entry_src, entry_url, page_url, relative, relpath

_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass
class Page:
    """A generated page: where it lives, its front matter, its Markdown, and the entry it shows."""

    src: str
    meta: dict[str, Any]
    markdown: str
    entry: Entry | None = None
    in_nav: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return page_url(self.src)

    def text(self) -> str:
        """The page as a Markdown file: YAML front matter (safely dumped) and body."""
        head = yaml.dump(self.meta, Dumper=_Dumper, allow_unicode=True, sort_keys=True)
        return f"---\n{head}---\n\n{self.markdown}"


def linker(src: str) -> Callable[[Any], str]:
    """A function giving the relative Markdown link from page `src` to an entry or a section name."""
    here = posixpath.dirname(src)

    def link(target: Any) -> str:
        if isinstance(target, Entry):
            to = entry_src(target)
        elif target in SECTIONS:
            to = SECTIONS[target]
        else:
            to = str(target)
        return relpath(to, here or ".")

    return link


def hrefer(src: str) -> Callable[[Any], str]:
    """A function giving the relative URL (not the Markdown path) from page `src` to an entry or URL."""
    here = page_url(src)

    def href(target: Any) -> str:
        to = entry_url(target) if isinstance(target, Entry) else str(target)
        return relative(here, to)

    return href


def _page(
    src: str, template: str, meta: dict[str, Any], entry: Entry | None = None, as_of: date = date.max, **context: Any
) -> Page:
    markdown = render(
        f"pages/{template}.md.j2",
        link=linker(src),
        href=hrefer(src),
        entry=entry,
        cite=cite_files(entry),
        as_of=as_of,
        **context,
    )
    return Page(src, {k: v for k, v in meta.items() if v not in (None, [], "")}, markdown, entry)


def _years(entries: list[Any], year_of: Callable[[Any], int | None]) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for e in entries:
        y = year_of(e)
        groups[str(y) if y else "Undated"].append(e)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "Undated", kv[0]), reverse=True)


def bulletin_page(archive: Archive, b: Bulletin, as_of: date = date.max) -> Page:
    previous, following = archive.neighbours(b)
    return _page(
        entry_src(b),
        "bulletin",
        {
            "title": b.display_title,
            "description": b.summary,
            "template": "bulletin.html",
            "tags": list(b.tags),
        },
        b,
        as_of=as_of,
        archive=archive,
        headings=outline(b.body),
        meetings=archive.reports(b),
        reviews=archive.reviews(b),
        previous=previous,
        following=following,
    )


def meeting_page(archive: Archive, m: Meeting, as_of: date = date.max) -> Page:
    return _page(
        entry_src(m),
        "meeting",
        {"title": m.display_title, "description": m.summary, "template": "meeting.html", "tags": list(m.tags)},
        m,
        as_of=as_of,
        reported_by=archive.reported_by(m),
        papers=archive.papers(m),
    )


def publication_page(archive: Archive, p: Publication, as_of: date = date.max) -> Page:
    return _page(
        entry_src(p),
        "publication",
        {
            "title": p.title,
            "description": p.summary,
            "template": "publication.html",
            "tags": list(p.tags),
            "search": {"boost": 2},
        },
        p,
        as_of=as_of,
        series=archive.series_by_id.get(p.series or ""),
        reviewed_in=archive.reviewed_in(p),
        meeting=archive.meeting_by_id.get(p.meeting or ""),
        isbn=p.isbn_info,
        issn=p.issn_info,
        headings=outline(p.body),
    )


def series_page(archive: Archive, s: Series, as_of: date = date.max) -> Page:
    return _page(
        entry_src(s),
        "series",
        {
            "title": s.title,
            "description": s.summary,
            "template": "series.html",
            "tags": list(s.tags),
            "search": {"boost": 3},  # above its volumes (boost 2), which all print the series ISSN too
        },
        s,
        as_of=as_of,
        volumes=archive.volumes(s),
        issn=s.issn_info,
    )


def section_pages(archive: Archive, feeds: list[dict[str, Any]] | None = None) -> list[Page]:
    """The index pages: home, archive, meetings, catalogue, series, identifiers, tags, subscribe."""
    feeds = feeds or []
    identifiers = identifier_rows(archive)
    pages = [
        _page(
            SECTIONS["home"],
            "home",
            {
                "title": periodical.NAME,
                "description": "The quarterly bulletin of IOM on trafficking in migrants, its meetings and its catalogue of publications.",
                "template": "home.html",
                "hide": ["navigation", "toc"],
            },
        ),
        _page(
            SECTIONS["bulletins"],
            "bulletins",
            {"title": "Bulletin archive", "description": f"Every issue of {periodical.NAME}, by year."},
            archive=archive,
            years=_years(list(reversed(archive.bulletins)), lambda b: b.year),
        ),
        _page(
            SECTIONS["meetings"],
            "meetings",
            {
                "title": "Meetings",
                "description": "Meetings, conferences and signings reported by the bulletin, by year.",
            },
            archive=archive,
            years=_years(
                sorted(archive.meetings, key=lambda m: m.start.first_day(), reverse=True), lambda m: m.start.year
            ),
        ),
        _page(
            SECTIONS["publications"],
            "catalogue",
            {
                "title": "Catalogue",
                "description": "All publications: filter by type, year and series; sort by any column.",
                "hide": ["toc"],
            },
            archive=archive,
            types=sorted({p.type for p in archive.publications}, key=lambda t: t.value),
            years=sorted({p.year for p in archive.publications if p.year}, reverse=True),
        ),
        _page(
            SECTIONS["series"],
            "series-index",
            {"title": "Series", "description": "Publication series and their numbered volumes."},
            archive=archive,
        ),
        _page(
            SECTIONS["identifiers"],
            "identifiers",
            {
                "title": "ISBN and ISSN index",
                "description": "Every ISBN and ISSN in the catalogue with its title.",
                "search": {"exclude": True},
            },
            rows=identifiers,
            archive=archive,
        ),
        _page(
            SECTIONS["tags"],
            "tags",
            {"title": "Tags", "description": "Topics, regions and countries, each with its page and feed."},
            groups=tag_groups(tag_infos(archive)),
        ),
        _page(
            SECTIONS["subscribe"],
            "subscribe",
            {"title": "Subscribe", "description": "Feeds and calendar for new issues, meetings and publications."},
            feeds=feeds,
        ),
    ]
    # The home page's layout is the theme's (home.html): it needs attributes Markdown should not carry.
    pages[0].extra["home"] = home_data(archive)
    for page in pages:
        page.in_nav = True
    return pages


@dataclass(frozen=True)
class IdentifierRow:
    kind: str
    printed: str
    canonical: str
    other: str
    keys: list[str]
    entry: Entry
    valid: bool
    problem: str


def identifier_rows(archive: Archive) -> list[IdentifierRow]:
    """Every ISBN and ISSN in the archive, valid or misprinted, sorted for the index page."""
    rows: list[IdentifierRow] = []
    for p in archive.publications:
        isbn = p.isbn_info
        if isbn:
            rows.append(
                IdentifierRow(
                    "ISBN",
                    isbn.printed,
                    isbn.hyphenated13 or "",
                    isbn.hyphenated10 or "",
                    isbn.keys,
                    p,
                    isbn.valid,
                    isbn.problem or "",
                )
            )
    for owner in [*archive.series, *archive.publications]:
        issn = owner.issn_info
        if issn:
            rows.append(
                IdentifierRow(
                    "ISSN",
                    issn.printed,
                    issn.formatted or "",
                    "",
                    [issn.compact] if issn.compact else [],
                    owner,
                    issn.valid,
                    issn.problem or "",
                )
            )
    return sorted(rows, key=lambda r: (r.kind, r.canonical or r.printed))


def tag_pages(archive: Archive, feeds: list[dict[str, Any]]) -> list[Page]:
    """A page for each tag (`tags/<slug>/`): its items by kind, and its feed."""
    by_key = {f["key"]: f for f in feeds}
    pages = []
    for tag in tag_infos(archive):
        group = tag.group.value if tag.group else "tag"
        meta = {
            "title": tag.name,
            "description": f"Issues, meetings and publications tagged “{tag.name}” ({tag.count}).",
            "search": {"exclude": True},
        }
        feed = by_key.get(f"tags/{tag.slug}")
        pages.append(_page(tag_src(tag.slug), "tag", meta, tag=tag, group_name=group, feed=feed))
    return pages


def feed_pages(feeds: list[dict[str, Any]]) -> list[Page]:
    """A page for each feed (`feeds/<key>/`): what it carries, its newest items, the addresses to paste."""
    pages = []
    for feed in feeds:
        src = f"{feed['page']}index.md"
        home = posixpath.join(feed["home"].split("#")[0], "index.md") if feed["home"].split("#")[0] else "index.md"
        meta = {"title": f"Feed: {feed['title']}", "description": feed["description"], "search": {"exclude": True}}
        page = _page(src, "feed", meta, feed=feed, home=home)
        page.extra["feed"] = feed["key"]
        pages.append(page)
    return pages


def all_pages(archive: Archive, feeds: list[dict[str, Any]] | None = None, as_of: date | None = None) -> list[Page]:
    """Every generated page of the site, sections first.

    `as_of` is the date embargoes are judged against; in a preview that shows drafts, pages of
    drafts and of embargoed items carry a banner saying so.
    """
    when = as_of or date.max
    pages = section_pages(archive, feeds)
    pages += [bulletin_page(archive, b, when) for b in archive.bulletins]
    pages += [meeting_page(archive, m, when) for m in archive.meetings]
    pages += [publication_page(archive, p, when) for p in archive.publications]
    pages += [series_page(archive, s, when) for s in archive.series]
    pages += tag_pages(archive, feeds or [])
    pages += feed_pages(feeds or [])
    return pages


def identifier_redirects(archive: Archive) -> dict[str, str]:
    """Identifier URL -> the URL of the page it leads to (ISBN-10, ISBN-13 and ISSN, digits only)."""
    redirects: dict[str, str] = {}
    for key, pub in archive.by_isbn.items():
        redirects[f"isbn/{key}/"] = entry_url(pub)
    for key, owner in archive.by_issn.items():
        redirects[f"issn/{key}/"] = entry_url(owner)
    return dict(sorted(redirects.items()))


__all__ = ["Page", "all_pages", "feed_pages", "identifier_redirects", "identifier_rows", "linker", "tag_pages"]
