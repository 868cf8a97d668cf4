"""Identifier URLs: tiny static pages at isbn/<digits>/ and issn/<digits>/ that lead to the real page."""

from __future__ import annotations

from urllib.parse import urljoin

from timsite.content.archive import Archive
from timsite.site.render import render
from timsite.site.urls import entry_url, relative


def redirect_page(source: str, target: str, site_url: str) -> str:
    """The HTML served at `source` (`isbn/<digits>/`) that leads to the page at `target`."""
    return render("files/redirect.html.j2", target=relative(source, target), canonical=urljoin(site_url, target))


def identifier_redirects(archive: Archive) -> dict[str, str]:
    """Identifier URL -> the URL of the page it leads to (ISBN-10, ISBN-13 and ISSN, digits only)."""
    redirects: dict[str, str] = {}
    for key, pub in archive.by_isbn.items():
        redirects[f"isbn/{key}/"] = entry_url(pub)
    for key, owner in archive.by_issn.items():
        redirects[f"issn/{key}/"] = entry_url(owner)
    return dict(sorted(redirects.items()))
