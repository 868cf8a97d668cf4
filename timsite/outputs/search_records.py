"""Search records: what Pagefind records of each kind of entry's page (its kind, date, filters, identifiers).

Each builder is one column of the entry-kind registry (`timsite.kinds`); the theme prints the record as
`data-pagefind-*` attributes (`theme/partials/tim-search-data.html`).

>>> from timsite.content.identifiers import parse_isbn
>>> forms = isbn_forms(parse_isbn("92-9068-113-6"))
>>> forms[:4]
['978-92-9068-113-7', '9789290681137', '92-9068-113-6', '9290681136']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from timsite.content.archive import Archive
from timsite.content.identifiers import Isbn, Issn
from timsite.content.model import Bulletin, Entry, Meeting, Publication, Series


@dataclass(frozen=True)
class SearchData:
    """What Pagefind records about one page: its kind, date, filters and every form of its identifiers."""

    kind: str
    when: str = ""
    sort_date: str = "0000-00-00"
    filters: list[tuple[str, str]] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    key_terms: list[str] = field(default_factory=list)
    """Names a reader searches by (authors, other titles, the place of a meeting), weighted like a heading."""
    note: str = ""


def isbn_forms(isbn: Isbn | None) -> list[str]:
    """Every form a reader may type: ISBN-13 and ISBN-10, hyphenated and compact; a misprint only as printed."""
    if isbn is None:
        return []
    if not isbn.valid:
        return list(dict.fromkeys([isbn.printed, isbn.printed.replace("-", "").replace(" ", "")]))
    forms = [isbn.hyphenated13, isbn.isbn13, isbn.hyphenated10, isbn.isbn10]
    return list(dict.fromkeys(f for f in forms if f))


def issn_forms(issn: Issn | None) -> list[str]:
    """An ISSN with and without its hyphen; a misprint only as printed."""
    if issn is None:
        return []
    if not issn.valid:
        return [issn.printed]
    return list(dict.fromkeys(f for f in (issn.formatted, issn.compact) if f))


def _misprint_note(entry: Entry, isbn: Isbn | None = None) -> str:
    bad = []
    if isbn and not isbn.valid:
        bad.append(f"ISBN {isbn.printed}")
    issn = entry.issn_info
    if issn and not issn.valid:
        bad.append(f"ISSN {issn.printed}")
    return f"{' and '.join(bad)} as printed: not a valid number" if bad else ""


def bulletin_search(entry: Bulletin, archive: Archive | None) -> SearchData:
    tags = [("tag", t) for t in entry.tags]
    when = entry.published.isoformat()
    return SearchData(
        kind="Bulletin issue",
        when=f"{entry.season.value.capitalize()} {entry.year}",
        sort_date=when,
        filters=[("collection", "Bulletin issue"), ("year", str(entry.year)), *tags],
        identifiers=issn_forms(entry.issn_info),
    )


def meeting_search(entry: Meeting, archive: Archive | None) -> SearchData:
    tags = [("tag", t) for t in entry.tags]
    return SearchData(
        kind="Meeting",
        when=entry.when,
        sort_date=entry.published.isoformat(),
        filters=[("collection", "Meeting"), ("year", str(entry.start.year)), *tags],
        key_terms=[t for t in (entry.short_title, entry.city, entry.country) if t],
    )


def publication_search(entry: Publication, archive: Archive | None) -> SearchData:
    tags = [("tag", t) for t in entry.tags]
    filters = [("collection", "Publication"), ("type", entry.type.label)]
    year = entry.date.year if entry.date else entry.year
    if year:
        filters.append(("year", str(year)))
    series = archive.series_by_id.get(entry.series) if archive and entry.series else None
    if series:
        filters.append(("series", series.title))
    return SearchData(
        kind=f"Publication: {entry.type.label.lower()}",
        when=entry.date.iso() if entry.date else (str(entry.year) if entry.year else "undated"),
        sort_date=entry.published.isoformat() if year else "0000-00-00",
        filters=[*filters, *tags],
        identifiers=[*isbn_forms(entry.isbn_info), *issn_forms(entry.issn_info)],
        key_terms=[*entry.creators, *entry.also_listed_as],
        note=_misprint_note(entry, entry.isbn_info),
    )


def series_search(entry: Series, archive: Archive | None) -> SearchData:
    tags = [("tag", t) for t in entry.tags]
    return SearchData(
        kind="Publication series",
        filters=[("collection", "Publication series"), *tags],
        identifiers=issn_forms(entry.issn_info),
        note=_misprint_note(entry),
    )
