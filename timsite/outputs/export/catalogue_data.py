"""Open catalogue data: one row per publication as CSV and JSON, with a JSON Schema that names every field.

Field names are stable once published (add fields, never rename). Identifiers come in the form
printed and in their normalised forms; a printed ISBN that fails its check is kept, flagged
`isbn_valid: false`, and has no normalised form. Lists (authors, tags) are JSON arrays; in the CSV
they are joined with " ; ". A CSV cell whose text begins with = + - @ is written with a leading
apostrophe, as spreadsheet programs would otherwise run it as a formula (the JSON is unchanged).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from timsite.content.model import Publication
from timsite.outputs.export.record import Record

CSV_NAME = "records/catalogue-data.csv"
JSON_NAME = "records/catalogue-data.json"
SCHEMA_NAME = "records/catalogue-data.schema.json"
LIST_SEPARATOR = " ; "

_S: dict[str, Any] = {"type": "string"}
_S_OR_NULL: dict[str, Any] = {"type": ["string", "null"]}
FIELDS: dict[str, tuple[dict[str, Any], str]] = {  # name -> (JSON Schema type, meaning)
    "id": (_S, "the permanent id of the publication (its URL slug)"),
    "url": (_S_OR_NULL, "the publication's page on this site"),
    "title": (_S, "the full title as printed"),
    "main_title": (_S, "the title before the subtitle, as printed"),
    "subtitle": (_S_OR_NULL, "the subtitle as printed"),
    "short_title": (_S_OR_NULL, "a shorter title for lists"),
    "type": (
        _S,
        "book, report, research-series, manual, council-document, conference-paper, presentation, brochure, periodical or article",
    ),
    "authors": ({"type": "array", "items": _S}, "persons, as printed (First Last)"),
    "corporate_author": (_S_OR_NULL, "an organisation as author"),
    "publisher": (_S_OR_NULL, "the publisher as printed"),
    "place": (_S_OR_NULL, "the place of publication as printed"),
    "year": ({"type": ["integer", "null"]}, "the year of publication"),
    "date": (_S_OR_NULL, "the date as printed: YYYY, YYYY-MM or YYYY-MM-DD"),
    "language": (_S, "BCP 47 language code"),
    "isbn_printed": (_S_OR_NULL, "the ISBN exactly as printed"),
    "isbn_valid": ({"type": ["boolean", "null"]}, "whether the printed ISBN passes its check (null: none printed)"),
    "isbn13": (_S_OR_NULL, "the valid ISBN as ISBN-13, hyphenated"),
    "isbn10": (_S_OR_NULL, "the valid ISBN as ISBN-10, hyphenated (none for 979 ISBNs)"),
    "issn_printed": (_S_OR_NULL, "an ISSN printed for the publication itself, exactly as printed"),
    "issn": (_S_OR_NULL, "that ISSN, when valid"),
    "series_id": (_S_OR_NULL, "the series' permanent id"),
    "series_title": (_S_OR_NULL, "the series' name"),
    "series_issn": (_S_OR_NULL, "the series' ISSN, when printed and valid"),
    "series_number": ({"type": ["integer", "null"]}, "the number in the series"),
    "document_number": (_S_OR_NULL, "a document symbol such as MC/INF/245"),
    "online": ({"type": "boolean"}, "the publication can be downloaded (as the source marks it)"),
    "online_url": (_S_OR_NULL, "the address of the online copy"),
    "forthcoming": ({"type": "boolean"}, "announced but not yet released"),
    "tags": ({"type": "array", "items": _S}, "topics, regions and countries"),
    "summary": (_S_OR_NULL, "one or two plain sentences"),
}


def row(p: Publication, r: Record) -> dict[str, Any]:
    """The publication's row: `r` is its neutral record (for the URL, the split title and the series)."""
    isbn, issn = p.isbn_info, p.issn_info
    values: dict[str, Any] = {
        "id": p.id,
        "url": r.url,
        "title": p.title,
        "main_title": r.main_title,
        "subtitle": r.subtitle,
        "short_title": p.short_title,
        "type": p.type.value,
        "authors": list(p.authors),
        "corporate_author": p.corporate_author,
        "publisher": p.publisher,
        "place": p.place,
        "year": p.year,
        "date": p.date.iso() if p.date else None,
        "language": p.language,
        "isbn_printed": p.isbn,
        "isbn_valid": isbn.valid if isbn else None,
        "isbn13": isbn.hyphenated13 if isbn else None,
        "isbn10": isbn.hyphenated10 if isbn else None,
        "issn_printed": p.issn,
        "issn": issn.formatted if issn else None,
        "series_id": r.series_id,
        "series_title": r.series,
        "series_issn": r.series_issn,
        "series_number": r.series_number,
        "document_number": p.document_number,
        "online": p.online,
        "online_url": p.url,
        "forthcoming": p.forthcoming,
        "tags": list(p.tags),
        "summary": p.summary,
    }
    if list(values) != list(FIELDS):  # the schema and the rows cannot drift apart
        raise RuntimeError(f"catalogue data row fields {list(values)} differ from the schema's {list(FIELDS)}")
    return values


def to_json(rows: Sequence[dict[str, Any]]) -> str:
    """A JSON array with one publication per line: compact (3,000 rows at x10) and still easy to diff."""
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows) + "\n]\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(FIELDS)
    for values in rows:
        writer.writerow([_cell(values[name]) for name in FIELDS])
    return out.getvalue()


def schema(schema_url: str | None) -> str:
    """The JSON Schema (draft 2020-12) of catalogue-data.json."""
    item = {
        "type": "object",
        "additionalProperties": False,
        "required": list(FIELDS),
        "properties": {name: {**kind, "description": meaning} for name, (kind, meaning) in FIELDS.items()},
    }
    doc: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    if schema_url:
        doc["$id"] = schema_url
    doc |= {
        "title": "Trafficking in Migrants: catalogue of publications",
        "description": "One object per publication. In the CSV each list is joined with ' ; ' and a cell beginning with = + - @ has a leading apostrophe.",
        "type": "array",
        "items": item,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
