"""Page metadata for <head>: an entry page's is its kind's (`timsite.kinds`), every other page's is the site's.

The theme prints the result with `theme/partials/tim-metadata.html`.
"""

from __future__ import annotations

from typing import Any

from timsite import kinds
from timsite.content.archive import Archive
from timsite.content.model import Entry
from timsite.content.periodical import NAME as PERIODICAL
from timsite.content.periodical import PUBLISHER
from timsite.outputs.export.citations import Citations
from timsite.outputs.export.head_entries import thing
from timsite.outputs.export.record import absolute
from timsite.site.urls import entry_url


def site_metadata(canonical_url: str, site_url: str) -> dict[str, Any]:
    """The <head> metadata of a page that shows no entry: the home page names the website in JSON-LD."""
    og = {"og:type": "website", "og:site_name": PERIODICAL}
    if canonical_url:
        og["og:url"] = canonical_url
    home = bool(site_url) and canonical_url.rstrip("/") == site_url.rstrip("/")
    jsonld: dict[str, Any] = {}
    if home:
        jsonld = {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": PERIODICAL,
            "url": canonical_url,
            "publisher": thing("Organization", PUBLISHER),
        }
    return {"citation": [], "og": og, "jsonld": jsonld}


def page_metadata(
    entry: Entry | None,
    archive: Archive | None,
    canonical_url: str,
    site_url: str,
    citations: Citations | None = None,
    edition_size: int | None = None,
) -> dict[str, Any]:
    """What the theme prints in a page's <head>: {"citation": [(name, content)], "og": {...}, "jsonld": {...}}.

    Values are plain text: the theme escapes them (tim-metadata.html). Pass the build's `citations`
    to reuse the records its downloads were made from, and `edition_size` (bytes) when the entry's
    typeset PDF edition is written.
    """
    if entry is None:
        return site_metadata(canonical_url, site_url)
    url = canonical_url or absolute(site_url, entry_url(entry))
    kind = kinds.of(entry)
    record = (citations or Citations(archive, site_url)).record(entry) if kind.record else None
    meta = kind.head(entry, record, archive, url, site_url)
    if edition_size is not None:
        _add_edition(meta, kinds.edition_path(entry), site_url, edition_size)
    return meta


def _add_edition(meta: dict[str, Any], path: str, site_url: str, size: int) -> None:
    """The typeset PDF: `citation_pdf_url` unless the printed PDF is named already (Scholar takes one), and the
    JSON-LD `encoding` (schema.org's MediaObject)."""
    pdf = absolute(site_url, path)
    if not pdf:
        return
    if not any(name == "citation_pdf_url" for name, _ in meta["citation"]):
        meta["citation"].append(("citation_pdf_url", pdf))
    if meta["jsonld"]:
        meta["jsonld"]["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": pdf,
            "encodingFormat": "application/pdf",
            "contentSize": f"{size} B",
            "name": "PDF edition",
        }


__all__ = ["page_metadata", "site_metadata"]
