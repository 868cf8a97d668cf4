"""Identifier URLs: tiny static pages at isbn/<digits>/ and issn/<digits>/ that lead to the real page."""

from __future__ import annotations

from urllib.parse import urljoin

from timsite.site.render import render
from timsite.site.urls import relative


def redirect_page(source: str, target: str, site_url: str) -> str:
    """The HTML served at `source` (`isbn/<digits>/`) that leads to the page at `target`."""
    return render("files/redirect.html.j2", target=relative(source, target), canonical=urljoin(site_url, target))
