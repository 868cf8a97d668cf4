"""MODS 3.8: one record per issue, publication and series, as the Library of Congress's schema describes it."""

from __future__ import annotations

from datetime import date

from lxml import etree

from timsite.content.periodical import NAME as PERIODICAL
from timsite.outputs.export.marc import marc_language, nonfiling
from timsite.outputs.export.record import Creator, Record

NS = "http://www.loc.gov/mods/v3"
MEDIA_TYPE = "application/mods+xml"

GENRES = {  # each record's kind of document in the MARC genre terms (marcgt), which MODS readers map
    "book": "book",
    "techreport": "technical report",
    "inproceedings": "conference publication",
    "manual": "handbook",
    "article": "article",
}


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS}}}{tag}", {k.replace("_", ""): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _title(parent: etree._Element, title: str, subtitle: str | None, language: str) -> None:
    info = _el(parent, "titleInfo")
    skip = nonfiling(title, language)
    if skip:
        _el(info, "nonSort", title[:skip])
    _el(info, "title", title[skip:])
    if subtitle:
        _el(info, "subTitle", subtitle)


def _name(parent: etree._Element, c: Creator) -> None:
    name = _el(parent, "name", type="corporate" if c.corporate else "personal")
    if c.corporate:
        _el(name, "namePart", c.name)
    else:
        _el(name, "namePart", c.family_full, type="family")
        if c.given:
            _el(name, "namePart", c.given, type="given")
        if c.suffix:
            _el(name, "namePart", c.suffix, type="termsOfAddress")
        _el(name, "displayForm", c.name)
    role = _el(name, "role")
    _el(role, "roleTerm", "author", type="text", authority="marcrelator")


def mods_element(r: Record, changed: date) -> etree._Element:
    """The <mods> element of `r`; `changed` is the day the record last changed (recordChangeDate)."""
    mods = etree.Element(f"{{{NS}}}mods", {"version": "3.8"}, nsmap={None: NS})
    lang = marc_language(r.language)
    _title(mods, r.main_title or r.title, r.subtitle, lang)
    if r.short_title and r.short_title != (r.main_title or r.title):
        abbreviated = _el(mods, "titleInfo", type="abbreviated")
        _el(abbreviated, "title", r.short_title)
    for c in r.creators:
        _name(mods, c)
    if r.meeting:
        conference = _el(mods, "name", type="conference")
        _el(conference, "namePart", r.meeting.title)
    _el(mods, "typeOfResource", "text")
    genre = "periodical" if r.level == "series" else "issue" if r.level == "issue" else GENRES.get(r.type.bibtex)
    if genre:
        _el(mods, "genre", genre, authority="marcgt" if genre in GENRES.values() or genre == "periodical" else "local")
    origin = _el(mods, "originInfo", eventType="publication")
    if r.place:
        place = _el(origin, "place")
        _el(place, "placeTerm", r.place, type="text")
    if r.publisher:
        _el(origin, "publisher", r.publisher)
    if r.date:
        _el(origin, "dateIssued", r.date.iso(), encoding="w3cdtf", keyDate="yes")
    _el(origin, "issuance", "serial" if r.level == "series" else "monographic")
    language = _el(mods, "language")
    _el(language, "languageTerm", r.language, type="code", authority="rfc5646")
    if r.abstract:
        _el(mods, "abstract", r.abstract)
    if r.provenance:
        _el(mods, "note", r.provenance, type="source note")
    for note in r.notes:
        _el(mods, "note", note)
    if r.forthcoming:
        _el(mods, "note", "Forthcoming")
    for tag in r.keywords:
        subject = _el(mods, "subject")
        _el(subject, "geographic" if tag in r.places else "topic", tag)
    if r.level == "issue":
        host = _el(mods, "relatedItem", type="host")
        _el(_el(host, "titleInfo"), "title", PERIODICAL)
        part = _el(host, "part")
        _el(_el(part, "detail", type="issue"), "number", r.number or "")
    elif r.series:
        series = _el(mods, "relatedItem", type="series")
        _el(_el(series, "titleInfo"), "title", r.series)
        if r.series_issn:
            _el(series, "identifier", r.series_issn, type="issn")
        if r.series_url:
            _el(_el(series, "location"), "url", r.series_url)
        if r.series_number:
            _el(_el(_el(series, "part"), "detail", type="volume"), "number", str(r.series_number))
    for isbn in (r.isbn, r.isbn10):
        if isbn:
            _el(mods, "identifier", isbn.replace("-", ""), type="isbn")
    if r.isbn_misprint:
        _el(mods, "identifier", r.isbn_misprint, type="isbn", invalid="yes")
    own_issn = r.issn if r.issn != r.series_issn else None
    if own_issn:
        _el(mods, "identifier", own_issn, type="issn")
    if r.issn_misprint:
        _el(mods, "identifier", r.issn_misprint, type="issn", invalid="yes")
    if r.number and r.level == "publication":
        _el(mods, "identifier", r.number, type="report number")
    if r.url or r.pdf_url or r.online_url:
        location = _el(mods, "location")
        if r.url:
            _el(
                location,
                "url",
                r.url,
                usage="primary display",
                access="raw object" if r.full_text else "object in context",
            )
        for extra in (r.pdf_url, r.online_url):
            if extra:
                _el(location, "url", extra, access="raw object")
    info = _el(mods, "recordInfo")
    _el(info, "recordIdentifier", r.key)
    _el(info, "recordChangeDate", changed.isoformat(), encoding="w3cdtf")
    return mods


def to_mods(r: Record, changed: date) -> bytes:
    return etree.tostring(mods_element(r, changed), xml_declaration=True, encoding="UTF-8") + b"\n"
