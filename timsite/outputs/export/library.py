"""Records a library can load: each issue's, publication's and series' MARCXML, MODS and Dublin Core, and the whole lot.

One neutral `Record` per entry (from `Citations`), formatted by `marc`, `mods`, `dublin_core`,
`oai`, `catalogue_data` and `coins`; the datestamp of each is its content file's last commit
(`timsite.content.history`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from timsite import kinds
from timsite.content.archive import Archive
from timsite.content.history import History
from timsite.content.model import Entry
from timsite.outputs.export import catalogue_data, dublin_core, marc, mods, oai
from timsite.outputs.export.record import Record, absolute
from timsite.site.page import Outputs
from timsite.site.urls import entry_url, relative

RECORD_FORMATS = {  # format -> (file suffix, media type, label for people)
    "marcxml": (".marc.xml", marc.MEDIA_TYPE, "MARC 21 (MARCXML)"),
    "mods": (".mods.xml", mods.MEDIA_TYPE, "MODS 3.8"),
    "dc": (".dc.xml", dublin_core.MEDIA_TYPE, "Dublin Core"),
}
"""The three records beside each issue, publication and series page (Dublin Core as OAI's oai_dc)."""
RECORDS_FOLDER = "records"
GROUP = "records"
"""Where an entry page lists its records (the manifest's `group`): "Records for libraries"."""
COLLECTION_MARCXML = "records/catalogue.marc.xml"
COLLECTION_MRC = "records/catalogue.mrc"
OAI_REPOSITORY = "records/oai-static-repository.xml"

OAI_ADMIN_EMAIL = "traffickin@iom.int"
"""The OAI-PMH Identify's required contact: the bulletin's address exactly as N° 25 prints it. Set the
site maintainer's address here before registering the repository with a gateway."""
OAI_GATEWAY: str | None = None
"""The static repository gateway's base URL once one intermediates this repository (its baseURL is the
gateway's URL followed by the file's URL without `https://`); until then the file's own URL is given."""


def record_files(entry: Entry | None) -> dict[str, str]:
    """Paths of an entry's library records, by format: `records/<folder>/<name>.marc.xml` and so on.

    Not beside the page: Material's JavaScript fetches a `sitemap.xml` beside every `<link rel="alternate">`
    of a page, so the records live in three folders, each with one empty sitemap (`record_folders`), rather
    than in every entry's folder.
    """
    if entry is None:
        return {}
    kind = kinds.of(entry)
    if kind.library is None:
        return {}
    name = kind.cite_name(entry)
    return {fmt: f"{RECORDS_FOLDER}/{kind.folder}/{name}{suffix}" for fmt, (suffix, _, _) in RECORD_FORMATS.items()}


def record_folders(archive: Archive) -> list[str]:
    """The folders holding per-entry records, each of which gets the empty `sitemap.xml` Material asks for."""
    return sorted(
        {path.rpartition("/")[0] for e in kinds.library_entries(archive) for path in record_files(e).values()}
    )


def alternates(entry: Entry | None, outputs: Outputs) -> list[dict[str, str]]:
    """An entry page's records, read from the outputs manifest (group `records`), for `<link rel="alternate">`
    and "Records for libraries": media type, title, label and the address relative to the page."""
    if entry is None:
        return []
    here = entry_url(entry)
    return [
        {"type": o.media_type, "title": f"{o.label} record", "label": o.label, "href": relative(here, o.path)}
        for o in outputs.listed(here, GROUP)
    ]


def _content_root(archive: Archive) -> Path | None:
    paths = [str(e.path.parent.resolve()) for e in archive.entries()]
    return Path(os.path.commonpath(paths)) if paths else None


class LibraryRecords:
    """The library records of one build's visible archive, made from the build's citation records."""

    def __init__(self, archive: Archive, record: Callable[[Entry], Record], site_url: str) -> None:
        self.archive = archive
        self.site_url = site_url
        self.record = record
        """The entry's neutral record: the build's `Citations.record`, so every format shares one."""
        self.history = History(_content_root(archive))

    def entries(self) -> list[Entry]:
        """Every entry with a record, in a stable order: issues, publications, series."""
        return kinds.library_entries(self.archive)

    def changed(self, entry: Entry) -> date:
        return self.history.changed(entry.path)

    def file(self, fmt: str, entry: Entry) -> bytes:
        """One entry's record as "marcxml", "mods" or "dc"."""
        r = self.record(entry)
        if fmt == "marcxml":
            return marc.to_marcxml([marc.marc_record(r, self.changed(entry))])
        if fmt == "mods":
            return mods.to_mods(r, self.changed(entry))
        if fmt == "dc":
            return dublin_core.to_dc(r)
        raise ValueError(f'unknown record format "{fmt}": use one of {", ".join(RECORD_FORMATS)}')

    def _marc_records(self) -> list[marc.MarcRecord]:
        return [marc.marc_record(self.record(e), self.changed(e)) for e in self.entries()]

    def collection_marcxml(self) -> bytes:
        return marc.to_marcxml(self._marc_records())

    def collection_mrc(self) -> bytes:
        return marc.to_iso2709(self._marc_records())

    def oai_fits(self) -> bool:
        return oai.fits(len(self.entries()))

    def oai_repository(self) -> bytes:
        own = absolute(self.site_url, OAI_REPOSITORY) or OAI_REPOSITORY
        base = OAI_GATEWAY.rstrip("/") + "/" + own.split("://", 1)[-1] if OAI_GATEWAY else own
        items = [oai.Item(self.record(e), self.changed(e)) for e in self.entries()]
        return oai.static_repository(items, base, OAI_ADMIN_EMAIL)

    def _rows(self) -> list[dict[str, object]]:
        return [catalogue_data.row(p, self.record(p)) for p in self.archive.publications]

    def catalogue_csv(self) -> bytes:
        return catalogue_data.to_csv(self._rows()).encode("utf-8")

    def catalogue_json(self) -> bytes:
        return catalogue_data.to_json(self._rows()).encode("utf-8")

    def catalogue_schema(self) -> bytes:
        return catalogue_data.schema(absolute(self.site_url, catalogue_data.SCHEMA_NAME)).encode("utf-8")
