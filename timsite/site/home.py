"""What the home page shows, as plain data for the theme's `home.html`: the latest issue, the newest items, counts.

Pure: knows nothing of MkDocs. Every address is relative to the home page, so the site works under any path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from timsite.content.archive import Archive
from timsite.content.model import Bulletin
from timsite.content.outline import outline
from timsite.site.shown import printed_date
from timsite.site.urls import SECTIONS, entry_url, page_url, relative

HOME = page_url(SECTIONS["home"])
EARLIER_ISSUES = 4
NEWEST_MEETINGS = 5
NEWEST_PUBLICATIONS = 6


@dataclass(frozen=True)
class Link:
    """A title and where it leads, with an optional line of detail (date, place, type)."""

    title: str
    href: str
    detail: str = ""


@dataclass(frozen=True)
class Section:
    """One `##` section of an issue, with the `###` articles under it."""

    title: str
    href: str
    articles: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class Issue:
    label: str
    title: str
    href: str
    lead: str
    summary: str
    published: str
    contents: list[Section]


@dataclass(frozen=True)
class Home:
    latest: Issue | None
    earlier: list[Link]
    meetings: list[Link]
    publications: list[Link]
    counts: dict[str, int]
    first_year: int | None
    last_issue_year: int | None
    last_year: int | None
    """The latest year of anything the archive holds (the catalogue runs ahead of the issues online)."""
    links: dict[str, str]


def _href(url: str) -> str:
    return relative(HOME, url)


def _issue(b: Bulletin) -> Issue:
    href = _href(entry_url(b))
    contents: list[Section] = []
    for h in outline(b.body):
        if h.level == 2:
            contents.append(Section(h.title, f"{href}#{h.anchor}"))
        elif contents:
            contents[-1].articles.append(Link(h.title, f"{href}#{h.anchor}"))
    return Issue(
        label=b.label,
        title=b.display_title,
        href=href,
        lead=b.lead or "",
        summary=b.summary or "",
        # An issue dated by its season alone says so in its title: no made-up day.
        published=printed_date(b) if b.date else "",
        contents=contents,
    )


def home_data(archive: Archive) -> Home:
    """The home page's content: useful with one issue (no earlier ones listed) and with a hundred."""
    issues = list(reversed(archive.bulletins))
    meetings = sorted(archive.meetings, key=lambda m: m.start.first_day(), reverse=True)[:NEWEST_MEETINGS]
    publications = sorted(archive.publications, key=lambda p: (p.published, p.title), reverse=True)
    return Home(
        latest=_issue(issues[0]) if issues else None,
        earlier=[Link(b.label, _href(entry_url(b)), b.lead or "") for b in issues[1 : 1 + EARLIER_ISSUES]],
        meetings=[
            Link(m.display_title, _href(entry_url(m)), ", ".join(x for x in (m.when, m.place or "") if x))
            for m in meetings
        ],
        publications=[
            Link(p.display_title, _href(entry_url(p)), " · ".join(x for x in (str(p.year or ""), p.type.label) if x))
            for p in publications[:NEWEST_PUBLICATIONS]
        ],
        counts={"issues": len(issues), "meetings": len(archive.meetings), "publications": len(publications)},
        first_year=min((b.year for b in issues), default=None),
        last_issue_year=max((b.year for b in issues), default=None),
        last_year=max(
            [b.year for b in issues]
            + [m.start.year for m in archive.meetings]
            + [p.year for p in publications if p.year],
            default=None,
        ),
        links={name: _href(page_url(src)) for name, src in SECTIONS.items() if name != "home"}
        | {"calendar": _href("meetings.ics")},
    )


__all__ = ["Home", "home_data"]
