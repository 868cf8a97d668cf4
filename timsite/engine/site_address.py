"""Whether `site_url` in mkdocs.yml is still a placeholder: feeds, citations, canonical links and the calendar
all print it, so a published site with a placeholder address sends every reader nowhere."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import yaml

# Names reserved for examples and tests (RFC 2606, RFC 6761): no published site can live there.
_RESERVED = ("example", "example.org", "example.com", "example.net", "test", "invalid", "localhost")


def is_placeholder(site_url: str) -> bool:
    """Whether an address cannot be the published site's: empty, or a host reserved for examples.

    >>> is_placeholder("https://trafficking-in-migrants.example.org/"), is_placeholder("https://tim.iom.int/")
    (True, False)
    >>> is_placeholder(""), is_placeholder("http://localhost:8000/")
    (True, True)
    """
    host = (urlsplit(site_url).hostname or "").rstrip(".").lower()
    return not host or any(host == name or host.endswith("." + name) for name in _RESERVED)


def configured_site_url(config_file: Path, loader: type) -> str:
    """`site_url` as mkdocs.yml sets it (read with MkDocs' own YAML loader, `!ENV` included), or ""."""
    with config_file.open("rb") as f:
        data = yaml.load(f, Loader=loader)  # MkDocs' own loader, as `mkdocs build` reads the file
    value = data.get("site_url") if isinstance(data, dict) else None
    return str(value) if value else ""


def placeholder_warning(site_url: str, config_file: Path) -> str:
    """The one plain line `check` and `build` print while the address is a placeholder."""
    shown = site_url or "not set"
    return (
        f"warning: site_url in {config_file} is {shown}, a placeholder: feeds, citations, canonical links and the "
        "calendar point there; set it to the address the site is published at before publishing"
    )
