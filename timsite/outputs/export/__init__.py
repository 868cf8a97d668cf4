"""Exports of the archive: one neutral citation record per entry, in BibTeX, RIS, CSL-JSON and the page <head>.

`Citations` builds each entry's `Record` (see `record`) once per build. The format modules (`bibtex`,
`ris`, `csl`, `head`) only format records, so a page and its downloads never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable

from timsite.content.archive import Archive
from timsite.content.model import Entry
from timsite.outputs.export import bibtex, csl, ris
from timsite.outputs.export.record import Record, record, unique_keys

FORMATS = ("bib", "ris", "json")


class Citations:
    """Every cited entry's record, built once and shared by the downloads and the page heads.

    Pass `archive` so that a publication's series (title, ISSN) and meeting can be cited;
    without it those are left out.
    """

    def __init__(self, archive: Archive | None, site_url: str) -> None:
        self.archive = archive
        self.site_url = site_url
        self._records: dict[tuple[str, str], Record] = {}

    def record(self, entry: Entry) -> Record:
        identity = (entry.kind, entry.key)
        found = self._records.get(identity)
        if found is None:
            found = self._records[identity] = record(entry, self.site_url, self.archive)
        return found

    def build_all(self) -> Citations:
        """Build every record now: a forked side job then shares them instead of building its own."""
        if self.archive is not None:
            for entry in [*self.archive.bulletins, *self.archive.publications, *self.archive.series]:
                self.record(entry)
        return self

    def export(self, fmt: str, entries: Iterable[Entry]) -> str:
        """The citations of `entries` (issues and publications, each once) as "bib", "ris" or "json" (CSL-JSON)."""
        if fmt not in FORMATS:
            raise ValueError(f'unknown citation format "{fmt}": use one of {", ".join(FORMATS)}')
        distinct: dict[tuple[str, str], Entry] = {}
        for entry in entries:
            distinct.setdefault((entry.kind, entry.key), entry)
        records = unique_keys(self.record(e) for e in distinct.values())
        if fmt == "bib":
            return bibtex.to_bibtex(records)
        if fmt == "ris":
            return ris.to_ris(records)
        return csl.to_json(records)


def export(fmt: str, entries: Iterable[Entry], site_url: str, *, archive: Archive | None = None) -> str:
    """`Citations(archive, site_url).export(fmt, entries)`: one export, its records built for it alone.

    The same input always gives the same text.
    """
    return Citations(archive, site_url).export(fmt, entries)


__all__ = ["FORMATS", "Citations", "Record", "export"]
