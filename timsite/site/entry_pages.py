"""The page of each kind of entry: its front matter and what its template (`templates/pages/<kind>.md.j2`) reads.

Each builder is one column of the entry-kind registry (`timsite.kinds`); every entry page is laid out
by one theme template, `theme/entry.html`.
"""

from __future__ import annotations

from typing import Any

from timsite.content.model import Bulletin, Entry, Meeting, Publication, Series
from timsite.content.outline import outline
from timsite.site.page import Context, Page, make_page
from timsite.site.urls import entry_src

THEME_TEMPLATE = "entry.html"
"""The theme's layout of every entry page; it marks the page with the entry's kind (`tim-<kind>`)."""


def _entry_page(ctx: Context, entry: Entry, title: str, search: dict[str, Any] | None, **context: Any) -> Page:
    meta: dict[str, Any] = {
        "title": title,
        "description": entry.summary,
        "template": THEME_TEMPLATE,
        "tags": list(entry.tags),
    }
    if search:
        meta["search"] = search
    page = make_page(ctx, entry_src(entry), entry.kind, meta, entry, **context)
    page.extra["kind"] = entry.kind
    return page


def bulletin_page(ctx: Context, b: Bulletin) -> Page:
    previous, following = ctx.archive.neighbours(b)
    return _entry_page(
        ctx,
        b,
        b.display_title,
        None,
        archive=ctx.archive,
        headings=outline(b.body),
        meetings=ctx.archive.reports(b),
        reviews=ctx.archive.reviews(b),
        previous=previous,
        following=following,
    )


def meeting_page(ctx: Context, m: Meeting) -> Page:
    return _entry_page(
        ctx, m, m.display_title, None, reported_by=ctx.archive.reported_by(m), papers=ctx.archive.papers(m)
    )


def publication_page(ctx: Context, p: Publication) -> Page:
    archive = ctx.archive
    page = _entry_page(
        ctx,
        p,
        p.title,
        {"boost": 2},
        series=archive.series_by_id.get(p.series or ""),
        reviewed_in=archive.reviewed_in(p),
        meeting=archive.meeting_by_id.get(p.meeting or ""),
        isbn=p.isbn_info,
        issn=p.issn_info,
        headings=outline(p.body),
    )
    page.extra["notes"] = p.notes or ""  # "About this record", last on the page (theme/partials/tim-about.html)
    return page


def series_page(ctx: Context, s: Series) -> Page:
    # Boost 3: above its volumes (boost 2), which all print the series ISSN too.
    return _entry_page(ctx, s, s.title, {"boost": 3}, volumes=ctx.archive.volumes(s), issn=s.issn_info)


__all__ = ["THEME_TEMPLATE", "bulletin_page", "meeting_page", "publication_page", "series_page"]
