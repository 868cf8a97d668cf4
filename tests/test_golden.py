"""Golden files for what we generate from the fixture site: every page's Markdown; the feeds, calendar and
catalogue exports as a real build (`build.py build`) writes them.

After an intended change, regenerate them and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from timsite.content.archive import load_archive
from timsite.outputs import feeds
from timsite.outputs import manifest as outputs
from timsite.site.pages import all_pages

from .conftest import FIXTURES, Builds

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


SITE_URL = "https://trafficking-in-migrants.example.org/"  # mkdocs.yml's
AS_OF = "2026-01-01"
BUILT = ("feeds/", "meetings.ics", "catalogue.")
"""The files of the built site kept as golden files (the per-entry citation files are tested elsewhere)."""


@pytest.fixture(scope="session")
def generated(builds: Builds) -> dict[str, str]:
    """What we generate from the fixture site, by golden file name (built at the first test, not at import)."""
    archive, _ = load_archive(FIXTURES / "site" / "content")
    visible = archive.visible(date.fromisoformat(AS_OF))
    manifest = outputs.plan(visible, {}, SITE_URL)
    pages = all_pages(visible, feeds.feed_directory(visible, SITE_URL), date.fromisoformat(AS_OF), manifest)
    out = {f"pages/{p.src}": p.text() for p in pages}
    site = builds.build(["--content", str(FIXTURES / "site" / "content")], ["--as-of", AS_OF])
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        if name.startswith(BUILT) and not name.endswith(".html"):
            out[f"files/{name}"] = path.read_bytes().decode("utf-8")
    if UPDATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in out.items():
            path = GOLDEN / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))  # bytes: RIS lines end in CRLF
    return out


def _golden() -> list[str]:
    return sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())


# One test per golden file on disk (a file generated but not on disk fails test_no_missing_golden_files).
@pytest.mark.parametrize("name", _golden())
def test_matches_golden(name: str, generated: dict[str, str]) -> None:
    assert name in generated, f"golden file {name} is no longer generated: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert generated[name] == (GOLDEN / name).read_bytes().decode("utf-8")


def test_no_missing_golden_files(generated: dict[str, str]) -> None:
    missing = sorted(set(generated) - set(_golden()))
    assert missing == [], f"no golden files for {missing}: run UPDATE_GOLDEN=1 pytest tests/test_golden.py"


def test_no_stale_golden_files(generated: dict[str, str]) -> None:
    assert set(_golden()) == set(generated)
