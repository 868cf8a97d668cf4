"""Golden files for what we generate from the fixture site: every page's Markdown, the citation exports, the feeds.

After an intended change, regenerate them and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import pytest

from timsite import export, feeds
from timsite.archive import load_archive
from timsite.pages import all_pages

from .conftest import FIXTURES

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _generated() -> dict[str, str]:
    archive, _ = load_archive(FIXTURES / "site" / "content")
    visible = archive.visible(date(2026, 1, 1))
    pages = all_pages(visible, feeds.feed_directory(visible), date(2026, 1, 1))
    out = {f"pages/{p.src}": p.text() for p in pages}
    site_url = "https://example.org/tim/"
    for fmt, name in (("bib", "catalogue.bib"), ("ris", "catalogue.ris"), ("json", "catalogue.csl.json")):
        out[f"files/{name}"] = export.export(fmt, list(visible.publications), site_url, archive=visible)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        feeds.write_all(site, visible, {p.src: p for p in pages}, {}, site_url, None)
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            out[f"files/{path.relative_to(site).as_posix()}"] = path.read_bytes().decode("utf-8")
    return out


GENERATED = _generated()


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_matches_golden(name: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(GENERATED[name].encode("utf-8"))  # bytes: RIS lines end in CRLF
    assert path.is_file(), f"no golden file {path}: run UPDATE_GOLDEN=1 pytest tests/test_golden.py"
    assert GENERATED[name] == path.read_bytes().decode("utf-8")


def test_no_stale_golden_files() -> None:
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    assert on_disk == set(GENERATED)
