"""Each kind of entry's <head> metadata: Google Scholar (Highwire) meta tags, Open Graph and schema.org JSON-LD.

Built from the same neutral citation `Record` as the BibTeX, RIS and CSL-JSON downloads, so a page
and its downloads never disagree. Each `*_head` builder is one column of the entry-kind registry
(`timsite.kinds`); `head.page_metadata` picks it. A citable kind's builder is given its record.
"""

from __future__ import annotations

from typing import Any

from timsite.content.archive import Archive
from timsite.content.dates import PartialDate
from timsite.content.model import Bulletin, Entry, Meeting, Publication, Series
from timsite.content.periodical import NAME as PERIODICAL
from timsite.content.periodical import PLACE, PUBLISHER
from timsite.outputs.export.record import BOOK_TYPES, VOCABULARY, Creator, Record, absolute, full_title
from timsite.site.urls import entry_url, pdf_href


def _highwire_date(d: PartialDate) -> str:
    # Google Scholar reads YYYY/MM/DD or a bare year; a month alone is not a form it documents.
    return f"{d.year:04d}/{d.month:02d}/{d.day:02d}" if d.day and d.month else str(d.year)


def _citation_tags(r: Record, entry: Entry, canonical_url: str, site_url: str) -> list[tuple[str, str]]:
    tags: list[tuple[str, str]] = [("citation_title", r.title)]
    tags.extend(("citation_author", c.inverted) for c in r.creators)
    if r.date:
        tags.append(("citation_publication_date", _highwire_date(r.date)))
        tags.append(("citation_date", _highwire_date(r.date)))
    if r.journal:
        tags.append(("citation_journal_title", r.journal))
        tags.append(("citation_issue", r.number or ""))
    if r.meeting:
        tags.append(("citation_conference_title", r.meeting.title))
    if r.institution:
        tags.append(("citation_technical_report_institution", r.institution))
        number = r.number or (str(r.series_number) if r.series_number else None)
        if number:
            tags.append(("citation_technical_report_number", number))
    if r.publisher:
        tags.append(("citation_publisher", r.publisher))
    if r.isbn:
        tags.append(("citation_isbn", r.isbn))
    if r.issn:
        tags.append(("citation_issn", r.issn))
    if r.language:
        tags.append(("citation_language", r.language))
    if r.keywords:
        # One tag, semicolon-separated, as Highwire readers (Zotero, Google Scholar) expect.
        tags.append(("citation_keywords", "; ".join(r.keywords)))
    if canonical_url:
        tags.append(("citation_abstract_html_url", canonical_url))
        if entry.body.strip():
            tags.append(("citation_fulltext_html_url", canonical_url))
    if entry.attached_pdf:
        pdf = absolute(site_url, pdf_href(entry))
        if pdf:
            tags.append(("citation_pdf_url", pdf))
    return tags


def thing(kind: str, name: str) -> dict[str, Any]:
    return {"@type": kind, "name": name}


def _schema_creator(c: Creator) -> dict[str, Any]:
    if c.corporate:
        return thing("Organization", c.name)
    out = thing("Person", c.name)
    if c.given:
        out["givenName"] = c.given
    out["familyName"] = c.family_full
    return out


def _common_ld(out: dict[str, Any], entry: Entry, url: str | None) -> dict[str, Any]:
    if url:
        out["url"] = url
    if entry.summary:
        out["description"] = entry.summary
    out["inLanguage"] = entry.language
    if entry.tags:
        out["keywords"] = list(entry.tags)
    return out


def _publication_ld(
    r: Record, p: Publication, url: str | None, archive: Archive | None, site_url: str
) -> dict[str, Any]:
    kind: Any = r.type.schema
    if r.isbn and kind != "Book":
        # `isbn` belongs to Book: a report with an ISBN is also a Book (schema.org multi-typing).
        kind = [kind, "Book"]
    out: dict[str, Any] = {"@context": "https://schema.org", "@type": kind, "name": r.title}
    alternates = [t for t in dict.fromkeys([p.short_title, *p.also_listed_as]) if t and t != r.title]
    if alternates:
        out["alternateName"] = alternates
    if r.creators:
        out["author"] = [_schema_creator(c) for c in r.creators]
    if r.publisher:
        out["publisher"] = thing("Organization", r.publisher)
    if r.place:
        out["locationCreated"] = thing("Place", r.place)
    if r.date:
        out["datePublished"] = r.date.iso()
    if r.isbn:
        out["isbn"] = [i for i in (r.isbn, r.isbn10) if i]
    own_issn = p.issn_info
    if own_issn and own_issn.valid:
        if r.type.schema == "Periodical":
            out["issn"] = own_issn.formatted
        else:
            out["isPartOf"] = {"@type": "CreativeWorkSeries", "issn": own_issn.formatted}
    series = archive.series_by_id.get(p.series) if archive and p.series else None
    if series:
        part = thing("CreativeWorkSeries", series.title)
        issn = series.issn_info
        if issn and issn.valid:
            part["issn"] = issn.formatted
        series_url = absolute(site_url, entry_url(series))
        if series_url:
            part["url"] = series_url
        out["isPartOf"] = part
        if p.series_number:
            out["position"] = p.series_number
    if p.document_number and r.type.schema == "Report":
        out["reportNumber"] = p.document_number
    if r.type.genre:
        out["genre"] = r.type.genre
    if p.forthcoming:
        out["creativeWorkStatus"] = "Forthcoming"
    if p.url:
        out["sameAs"] = p.url
    return _common_ld(out, p, url)


def _bulletin_ld(r: Record, b: Bulletin, url: str | None, site_url: str) -> dict[str, Any]:
    periodical = thing("Periodical", PERIODICAL)
    if r.issn:
        periodical["issn"] = r.issn
    periodical["publisher"] = thing("Organization", PUBLISHER)
    out: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "PublicationIssue",
        "name": r.title,
        "issueNumber": b.number,
        "isPartOf": periodical,
        "datePublished": b.date.isoformat() if b.date else str(b.year),
        "publisher": thing("Organization", PUBLISHER),
        "locationCreated": thing("Place", PLACE),
    }
    if b.lead:
        out["hasPart"] = {"@type": "Article", "headline": b.lead}
    if b.pdf:
        pdf = absolute(site_url, pdf_href(b))
        if pdf:
            out["associatedMedia"] = {"@type": "MediaObject", "contentUrl": pdf, "encodingFormat": "application/pdf"}
    return _common_ld(out, b, url)


def _meeting_ld(m: Meeting, url: str | None, archive: Archive | None, site_url: str) -> dict[str, Any]:
    out: dict[str, Any] = {"@context": "https://schema.org", "@type": "Event", "name": m.title}
    if m.short_title:
        out["alternateName"] = m.short_title
    out["startDate"] = m.start.iso()
    if m.end:
        out["endDate"] = m.end.iso()
    if m.city or m.country:
        address: dict[str, str] = {"@type": "PostalAddress"}
        if m.city:
            address["addressLocality"] = m.city
        if m.country:
            address["addressCountry"] = m.country
        out["location"] = {"@type": "Place", "name": m.place, "address": address}
    if m.organisers:
        out["organizer"] = [thing("Organization", o) for o in m.organisers]
    if m.url:
        out["sameAs"] = m.url
    if archive:
        reports = []
        for b in archive.reported_by(m):
            issue: dict[str, Any] = {"@type": "PublicationIssue", "issueNumber": b.number, "name": b.display_title}
            issue_url = absolute(site_url, entry_url(b))
            if issue_url:
                issue["url"] = issue_url
            reports.append(issue)
        if reports:
            out["subjectOf"] = reports
    return _common_ld(out, m, url)


def _series_ld(s: Series, url: str | None, archive: Archive | None, site_url: str) -> dict[str, Any]:
    out: dict[str, Any] = {"@context": "https://schema.org", "@type": "CreativeWorkSeries", "name": s.title}
    issn = s.issn_info
    if issn and issn.valid:
        out["issn"] = issn.formatted
    if s.publisher:
        out["publisher"] = thing("Organization", s.publisher)
    if archive:
        parts = []
        for p in archive.volumes(s):
            part = thing(VOCABULARY[p.type].schema, full_title(p))
            part_url = absolute(site_url, entry_url(p))
            if part_url:
                part["url"] = part_url
            if p.series_number:
                part["position"] = p.series_number
            parts.append(part)
        if parts:
            out["hasPart"] = parts
    return _common_ld(out, s, url)


def open_graph(title: str, entry: Entry, kind: str, url: str | None) -> dict[str, str]:
    og = {"og:type": kind, "og:site_name": PERIODICAL, "og:title": title}
    if entry.summary:
        og["og:description"] = entry.summary
    if url:
        og["og:url"] = url
    return og


def bulletin_head(
    b: Bulletin, r: Record | None, archive: Archive | None, url: str | None, site_url: str
) -> dict[str, Any]:
    if r is None:
        raise ValueError(f"{b.kind} {b.key}: its head metadata is made from its citation record, and none was given")
    return {
        "citation": _citation_tags(r, b, url or "", site_url),
        "og": open_graph(r.title, b, "article", url),
        "jsonld": _bulletin_ld(r, b, url, site_url),
    }


def publication_head(
    p: Publication, r: Record | None, archive: Archive | None, url: str | None, site_url: str
) -> dict[str, Any]:
    if r is None:
        raise ValueError(f"{p.kind} {p.key}: its head metadata is made from its citation record, and none was given")
    og = open_graph(r.title, p, "book" if p.type in BOOK_TYPES else "article", url)
    if p.type in BOOK_TYPES and r.isbn:
        og["book:isbn"] = r.isbn
    return {
        "citation": _citation_tags(r, p, url or "", site_url),
        "og": og,
        "jsonld": _publication_ld(r, p, url, archive, site_url),
    }


def meeting_head(
    m: Meeting, _: Record | None, archive: Archive | None, url: str | None, site_url: str
) -> dict[str, Any]:
    return {
        "citation": [],
        "og": open_graph(m.title, m, "website", url),
        "jsonld": _meeting_ld(m, url, archive, site_url),
    }


def series_head(s: Series, _: Record | None, archive: Archive | None, url: str | None, site_url: str) -> dict[str, Any]:
    return {
        "citation": [],
        "og": open_graph(s.title, s, "website", url),
        "jsonld": _series_ld(s, url, archive, site_url),
    }
