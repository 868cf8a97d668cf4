"""RIS: records as tagged lines with CRLF ends, as the RIS specification asks."""

from __future__ import annotations

from timsite.outputs.export.record import Record

NAME = "ris"
"""The format's name, as `Citations.export` takes it."""
LABEL = "RIS"
"""How pages name it ("Cite this")."""
SUFFIX = ".ris"
"""The end of its files' names."""
MEDIA_TYPE = "application/x-research-info-systems"
"""The media type RIS files are served with (no registered one exists)."""
GROUP = "cite"
"""Where an entry's page lists its download: under "Cite this"."""


def _ris_date(r: Record) -> str | None:
    """RIS DA: YYYY/MM/DD/other, empty parts kept ("2002///Spring")."""
    if not r.date:
        return None
    month = f"{r.date.month:02d}" if r.date.month else ""
    day = f"{r.date.day:02d}" if r.date.day else ""
    return f"{r.date.year:04d}/{month}/{day}/{r.season.capitalize() if r.season else ''}"


def _ris_lines(r: Record) -> list[tuple[str, str]]:
    t: list[tuple[str, str]] = [("TY", r.type.ris), ("ID", r.key), ("TI", r.title)]
    if r.short_title:
        t.append(("ST", r.short_title))
    t.extend(("AU", c.inverted) for c in r.creators)
    if r.journal:
        t.append(("T2", r.journal))
    if r.meeting:
        t.append(("T2", r.meeting.title))
    if r.series:
        t.append(("T3", r.series))
    if r.series_number:
        t.append(("VL", str(r.series_number)))
    if r.number:
        t.append(("IS", r.number))
    if r.type.genre:
        t.append(("M3", r.type.genre))
    if r.date:
        t.append(("PY", str(r.date.year)))
        t.append(("DA", _ris_date(r) or ""))
    if r.publisher:
        t.append(("PB", r.publisher))
    place = r.place or (r.meeting.place if r.meeting else None)
    if place:
        t.append(("CY", place))
    # RIS has one SN for "ISBN/ISSN": the item's own ISBN identifies it better than a series ISSN.
    if r.isbn or r.issn:
        t.append(("SN", r.isbn or r.issn or ""))
    if r.language:
        t.append(("LA", r.language))
    if r.url:
        t.append(("UR", r.url))
    if r.abstract:
        t.append(("AB", r.abstract))
    t.extend(("KW", k) for k in r.keywords)
    t.extend(("N1", n) for n in r.notes)
    if r.forthcoming:
        t.append(("N1", "Forthcoming"))
    return t


def to_ris(records: list[Record]) -> str:
    # The RIS specification requires CRLF line ends; every RIS reader accepts them.
    out = []
    for r in records:
        for tag, value in _ris_lines(r):
            out.append(f"{tag}  - {' '.join(value.split())}\r\n")
        out.append("ER  - \r\n\r\n")
    return "".join(out)


def render(records: list[Record]) -> str:
    """The records as one file of this format."""
    return to_ris(records)
