"""Simple Dublin Core in the OAI container (oai_dc): the record every harvester reads, one per issue, publication, series."""

from __future__ import annotations

from lxml import etree

from timsite.outputs.export.record import Record

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
MEDIA_TYPE = "application/xml"  # oai_dc has no media type of its own


def dc_element(r: Record) -> etree._Element:
    """The <oai_dc:dc> element of `r`: the 15 DC elements used as OAI-PMH's guidelines for DC recommend."""
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC})

    def add(name: str, value: str | None) -> None:
        if value:
            etree.SubElement(root, f"{{{DC}}}{name}").text = value

    add("title", r.title)
    for c in r.creators:
        add("creator", c.inverted if not c.corporate else c.name)
    for tag in r.keywords:
        add("subject", tag)
    add("description", r.abstract)
    add("publisher", r.publisher)
    add("date", r.date.iso() if r.date else None)
    add("type", "Text")
    add("type", "periodical" if r.level == "series" else r.type.genre or r.type.csl)
    add("identifier", r.url)
    for isbn in (r.isbn, r.isbn10):
        if isbn:
            add("identifier", f"urn:isbn:{isbn.replace('-', '')}")
    if r.issn and r.issn != r.series_issn:
        add("identifier", f"urn:issn:{r.issn}")
    add("identifier", r.number if r.level == "publication" else None)
    add("identifier", r.online_url)
    add("language", r.language)
    if r.level == "issue" and r.journal:
        add("relation", f"{r.journal}, no. {r.number}")
    if r.series:
        volume = f" ; {r.series_number}" if r.series_number else ""
        add("relation", f"{r.series}{volume}")
        if r.series_issn:
            add("relation", f"urn:issn:{r.series_issn}")
    if r.meeting:
        add("relation", r.meeting.title)
    for note in r.notes:  # a misprinted identifier, kept as printed, is a note and never an identifier
        add("description", note)
    return root


def to_dc(r: Record) -> bytes:
    return etree.tostring(dc_element(r), xml_declaration=True, encoding="UTF-8") + b"\n"
