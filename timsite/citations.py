"""Citations (placeholder being replaced: see the helper's brief)."""

from __future__ import annotations

from typing import Any

from .catalogue import Archive
from .model import Entry


def export(fmt: str, entries: list[Any], site_url: str) -> str:
    return ""


def page_metadata(entry: Entry | None, archive: Archive | None, canonical_url: str, site_url: str) -> dict[str, Any]:
    return {}
