"""The citation formats, looked up by name: each is a module with the same small interface.

A format module has `NAME`, `LABEL`, `SUFFIX`, `MEDIA_TYPE`, `GROUP` and `render(records) -> str` (see
`CitationFormat`); adding one is writing the module and listing it in `CITATION_FORMATS`. Every
citable entry then gets a download in it and the catalogue an export, and the entry's page lists the
download in its `GROUP` ("cite": under "Cite this").
"""

from __future__ import annotations

from typing import Protocol

from timsite.outputs.export import bibtex, csl, ris
from timsite.outputs.export.record import Record


class CitationFormat(Protocol):
    """What a citation format module provides."""

    NAME: str
    LABEL: str
    SUFFIX: str
    MEDIA_TYPE: str
    GROUP: str

    def render(self, records: list[Record]) -> str: ...


CITATION_FORMATS: dict[str, CitationFormat] = {f.NAME: f for f in (bibtex, ris, csl)}
"""The citation formats by name, in the order pages list them (BibTeX, RIS, CSL-JSON)."""


def citation_format(name: str) -> CitationFormat:
    """The format called `name`, or a ValueError naming the known ones."""
    found = CITATION_FORMATS.get(name)
    if found is None:
        raise ValueError(f'unknown citation format "{name}": use one of {", ".join(CITATION_FORMATS)}')
    return found


__all__ = ["CITATION_FORMATS", "CitationFormat", "citation_format"]
