"""CSL-JSON: records as the items citeproc processors (Zotero, Pandoc) read."""

from __future__ import annotations

import json
from typing import Any

from timsite.content.dates import PartialDate
from timsite.outputs.export.record import Creator, Record

NAME = "json"
"""The format's name, as `Citations.export` takes it."""
LABEL = "CSL-JSON"
"""How pages name it ("Cite this")."""
SUFFIX = ".csl.json"
"""The end of its files' names."""
MEDIA_TYPE = "application/vnd.citationstyles.csl+json"
"""Registered with IANA by the Citation Style Language project."""
GROUP = "cite"
"""Where an entry's page lists its download: under "Cite this"."""


_SEASON_NUMBER = {"spring": 1, "summer": 2, "autumn": 3, "winter": 4}  # CSL-JSON's numbering of seasons


def _csl_date(d: PartialDate, season: str | None = None) -> dict[str, Any]:
    parts = [d.year, *([d.month] if d.month else []), *([d.day] if d.day else [])]
    out: dict[str, Any] = {"date-parts": [parts]}
    if season:
        out["season"] = _SEASON_NUMBER[season]
    return out


def _csl_name(c: Creator) -> dict[str, str]:
    if c.corporate:
        return {"literal": c.name}
    name = {"family": c.family}
    if c.given:
        name["given"] = c.given
    if c.particle:
        name["non-dropping-particle"] = c.particle
    if c.suffix:
        name["suffix"] = c.suffix
    return name


def to_csl(r: Record) -> dict[str, Any]:
    item: dict[str, Any] = {"id": r.key, "type": r.type.csl, "title": r.title}
    if r.short_title:
        item["title-short"] = r.short_title
    if r.creators:
        item["author"] = [_csl_name(c) for c in r.creators]
    if r.date:
        item["issued"] = _csl_date(r.date, r.season)
    if r.journal:
        item["container-title"] = r.journal
        item["issue"] = r.number
    elif r.number:
        item["number"] = r.number
    if r.type.genre:
        item["genre"] = r.type.genre
    if r.series:
        item["collection-title"] = r.series
    if r.series_number:
        item["collection-number"] = str(r.series_number)
    if r.meeting:
        # "event-title" is CSL 1.0.2; "event" is what CSL 1.0.1 processors read.
        item["event-title"] = r.meeting.title
        item["event"] = r.meeting.title
        if r.meeting.place:
            item["event-place"] = r.meeting.place
        item["event-date"] = {
            "date-parts": [_csl_date(d)["date-parts"][0] for d in (r.meeting.start, r.meeting.end) if d]
        }
    if r.publisher:
        item["publisher"] = r.publisher
    place = r.place or (r.meeting.place if r.meeting else None)
    if place:
        item["publisher-place"] = place
    if r.isbn:
        item["ISBN"] = r.isbn
    if r.issn:
        item["ISSN"] = r.issn
    if r.url:
        item["URL"] = r.url
    if r.language:
        item["language"] = r.language
    if r.abstract:
        item["abstract"] = r.abstract
    if r.keywords:
        item["keyword"] = ", ".join(r.keywords)
    if r.notes:
        item["note"] = "; ".join(r.notes)
    if r.forthcoming:
        item["status"] = "forthcoming"
    return item


def to_json(records: list[Record]) -> str:
    """A CSL-JSON file: the list of items."""
    return json.dumps([to_csl(r) for r in records], ensure_ascii=False, indent=2) + "\n"


def render(records: list[Record]) -> str:
    """The records as one file of this format."""
    return to_json(records)
