"""The pages of the site: the sections (home, archive, catalogue, Subscribe...), every entry's page
through the entry-kind registry, and a page for each feed.

Pure: knows nothing of MkDocs.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from timsite import kinds
from timsite.content import periodical
from timsite.content.archive import Archive
from timsite.content.model import Entry
from timsite.outputs.export.coins import coins as coins_of
from timsite.outputs.export.library import GROUP as RECORDS
from timsite.outputs.feeds import OPML, Feed
from timsite.outputs.ical import FILE_NAME as CALENDAR
from timsite.site.home import home_data
from timsite.site.page import Context, NoOutputs, Outputs, Page, make_page
from timsite.site.tags import tag_groups, tag_infos, tag_src
from timsite.site.urls import SECTIONS, entry_src, page_url


def coins_maker(archive: Archive, site_url: str = "") -> Callable[[Entry], str]:
    """The COinS of a listed issue or publication (its citation record as KEV), "" for a kind not citable."""
    made: dict[tuple[str, str], str] = {}

    def coins(entry: Entry) -> str:
        build = kinds.of(entry).record
        if build is None:
            return ""
        identity = (entry.kind, entry.key)
        if identity not in made:
            made[identity] = coins_of(build(entry, site_url, archive))
        return made[identity]

    return coins


def _years(entries: list[Any], year_of: Callable[[Any], int | None]) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for e in entries:
        y = year_of(e)
        groups[str(y) if y else "Undated"].append(e)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "Undated", kv[0]), reverse=True)


def section_pages(ctx: Context, feeds: Sequence[Feed]) -> list[Page]:
    """The index pages: home, archive, meetings, catalogue, series, identifiers, tags, subscribe."""
    archive = ctx.archive
    identifiers = identifier_rows(archive)
    pages = [
        make_page(
            ctx,
            SECTIONS["home"],
            "home",
            {
                "title": periodical.NAME,
                "description": "The quarterly bulletin of IOM on trafficking in migrants, its meetings and its catalogue of publications.",
                "template": "home.html",
                "hide": ["navigation", "toc"],
            },
        ),
        make_page(
            ctx,
            SECTIONS["bulletins"],
            "bulletins",
            {"title": "Bulletin archive", "description": f"Every issue of {periodical.NAME}, by year."},
            archive=archive,
            years=_years(list(reversed(archive.bulletins)), lambda b: b.year),
        ),
        make_page(
            ctx,
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
        make_page(
            ctx,
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
            records=ctx.outputs.listed(page_url(SECTIONS["publications"]), RECORDS),
        ),
        make_page(
            ctx,
            SECTIONS["series"],
            "series-index",
            {"title": "Series", "description": "Publication series and their numbered volumes."},
            archive=archive,
        ),
        make_page(
            ctx,
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
        make_page(
            ctx,
            SECTIONS["tags"],
            "tags",
            {"title": "Tags", "description": "Topics, regions and countries, each with its page and feed."},
            groups=tag_groups(tag_infos(ctx.archive)),
        ),
        make_page(
            ctx,
            SECTIONS["subscribe"],
            "subscribe",
            {"title": "Subscribe", "description": "Feeds and calendar for new issues, meetings and publications."},
            feeds=feeds,
            opml=ctx.outputs.get(OPML),
            calendar=ctx.outputs.get(CALENDAR),
            latest=archive.bulletins[-1] if archive.bulletins else None,
            edition=ctx.outputs.get(kinds.edition_path(archive.bulletins[-1])) if archive.bulletins else None,
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


def tag_pages(ctx: Context, feeds: Sequence[Feed]) -> list[Page]:
    """A page for each tag (`tags/<slug>/`): its items by kind, and its feed."""
    by_key = {f.key: f for f in feeds}
    pages = []
    for tag in tag_infos(ctx.archive):
        group = tag.group.value if tag.group else "tag"
        meta = {
            "title": tag.name,
            "description": f"Issues, meetings and publications tagged “{tag.name}” ({tag.count}).",
            "search": {"exclude": True},
        }
        feed = by_key.get(f"tags/{tag.slug}")
        pages.append(make_page(ctx, tag_src(tag.slug), "tag", meta, tag=tag, group_name=group, feed=feed))
    return pages


def feed_pages(ctx: Context, feeds: Sequence[Feed]) -> list[Page]:
    """A page for each feed (`feeds/<key>/`): what it carries, its newest items, the addresses to paste."""
    pages = []
    for feed in feeds:
        src = f"{feed.page}index.md"
        home = posixpath.join(feed.home.split("#")[0], "index.md") if feed.home.split("#")[0] else "index.md"
        meta = {"title": f"Feed: {feed.title}", "description": feed.description, "search": {"exclude": True}}
        page = make_page(ctx, src, "feed", meta, feed=feed, home=home)
        page.extra["feed"] = feed.key
        pages.append(page)
    return pages


def all_pages(
    archive: Archive,
    feeds: Sequence[Feed] | None = None,
    as_of: date | None = None,
    outputs: Outputs | None = None,
    site_url: str = "",
) -> list[Page]:
    """Every generated page of the site: sections first, then each kind's entries in the registry's order, then feeds.

    `as_of` is the date embargoes are judged against; in a preview that shows drafts, pages of
    drafts and of embargoed items carry a banner saying so. `outputs` is the build's manifest: the
    files pages list (citation downloads, the OPML list, the calendar) are printed from it. `site_url`
    makes the COinS of list pages carry each item's address.
    """
    ctx = Context(archive, as_of or date.max, outputs or NoOutputs(), coins_maker(archive, site_url))
    pages = section_pages(ctx, feeds or [])
    for kind in kinds.KINDS:
        pages += [kind.page(ctx, entry) for entry in kind.entries(archive)]
    pages += tag_pages(ctx, feeds or [])
    pages += feed_pages(ctx, feeds or [])
    return pages


def entries_pages(
    archive: Archive,
    entries: Sequence[Entry],
    as_of: date | None = None,
    outputs: Outputs | None = None,
    site_url: str = "",
) -> list[Page]:
    """The pages of `entries` alone, each as `all_pages` makes it (the preview's first look at an edit)."""
    ctx = Context(archive, as_of or date.max, outputs or NoOutputs(), coins_maker(archive, site_url))
    return [kinds.of(entry).page(ctx, entry) for entry in entries]


def entry_sources(archive: Archive) -> dict[str, Entry]:
    """Every entry with a page, by its page's source path."""
    return {entry_src(entry): entry for kind in kinds.KINDS for entry in kind.entries(archive)}


__all__ = [
    "Page",
    "all_pages",
    "entries_pages",
    "entry_sources",
    "feed_pages",
    "identifier_rows",
    "section_pages",
    "tag_pages",
]
