"""Identifier URLs: tiny static pages at isbn/<digits>/ and issn/<digits>/ that lead to the real page."""

from __future__ import annotations

from urllib.parse import urljoin

from .render import render
from .urls import relative


def redirect_page(source: str, target: str, site_url: str) -> str:
    """The HTML served at `source` (`isbn/<digits>/`) that leads to the page at `target`."""
    return render("files/redirect.html.j2", target=relative(source, target), canonical=urljoin(site_url, target))


def redirect_files(redirects: dict[str, str], site_url: str) -> dict[str, str]:
    """Path of each redirect file in the site (`isbn/<digits>/index.html`) -> its HTML."""
    return {f"{source}index.html": redirect_page(source, target, site_url) for source, target in redirects.items()}
