"""Every citable entry's neutral record, built once per build, and the citation files made of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from timsite import kinds
from timsite.content.archive import Archive
from timsite.content.model import Entry
from timsite.outputs.export.formats import citation_format
from timsite.outputs.export.record import Record, unique_keys


class Citations:
    """Every cited entry's record, built once and shared by the downloads and the page heads.

    Pass `archive` so that a publication's series (title, ISSN) and meeting can be cited;
    without it those are left out. Which entries are citable, and how each becomes a record, is the
    registry's `record` column.
    """

    def __init__(self, archive: Archive | None, site_url: str) -> None:
        self.archive = archive
        self.site_url = site_url
        self._records: dict[tuple[str, str], Record] = {}

    def record(self, entry: Entry) -> Record:
        refusal = f"a {entry.kind} cannot be cited: only {', '.join(kinds.citable_names())} can"
        return self._cached(entry, kinds.of(entry).record, refusal)

    def library_record(self, entry: Entry) -> Record:
        """The entry's library record (registry column `library`): a citable entry's is its citation record."""
        return self._cached(entry, kinds.of(entry).library, f"a {entry.kind} has no library record")

    def _cached(self, entry: Entry, build: Callable[[Any, str, Archive | None], Record] | None, refusal: str) -> Record:
        """One record per entry, shared by both columns (a kind with both builds the same record for each)."""
        identity = (entry.kind, entry.key)
        found = self._records.get(identity)
        if found is None:
            if build is None:
                raise TypeError(refusal)
            found = self._records[identity] = build(entry, self.site_url, self.archive)
        return found

    def build_all(self) -> Citations:
        """Build every record now: a forked side job then shares them instead of building its own."""
        if self.archive is not None:
            for entry in kinds.citable_entries(self.archive):
                self.record(entry)
            for entry in kinds.library_entries(self.archive):
                self.library_record(entry)
        return self

    def export(self, fmt: str, entries: Iterable[Entry]) -> str:
        """The citations of `entries` (citable entries, each once) in the format named `fmt` (`formats`)."""
        render = citation_format(fmt).render
        distinct: dict[tuple[str, str], Entry] = {}
        for entry in entries:
            distinct.setdefault((entry.kind, entry.key), entry)
        return render(unique_keys(self.record(e) for e in distinct.values()))


def export(fmt: str, entries: Iterable[Entry], site_url: str, *, archive: Archive | None = None) -> str:
    """`Citations(archive, site_url).export(fmt, entries)`: one export, its records built for it alone.

    The same input always gives the same text.
    """
    return Citations(archive, site_url).export(fmt, entries)


__all__ = ["Citations", "export"]
