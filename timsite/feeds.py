"""Feeds (placeholder being replaced: see the helper's brief)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .catalogue import Archive
from .model import Entry


def feed_directory(archive: Archive) -> list[dict[str, str]]:
    return []


def alternates(entry: Entry | None, feed_list: list[dict[str, str]], site_url: str) -> list[dict[str, str]]:
    return []


def write_all(
    site_dir: Path, archive: Archive, pages: dict[str, Any], rendered: dict[str, str], site_url: str, limit: int | None
) -> None:
    return None
