"""Golden files for what we generate from the fixture site: every page's Markdown; the feeds, calendar and
catalogue exports as a real build (`build.py build`) writes them.

After an intended change, regenerate them and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

from timsite.content.archive import load_archive
from timsite.outputs import feeds
from timsite.outputs import manifest as outputs
from timsite.site.pages import all_pages

from .conftest import FIXTURES, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


SITE_URL = "https://trafficking-in-migrants.example.org/"  # mkdocs.yml's
AS_OF = "2026-01-01"
BUILT = ("feeds/", "meetings.ics", "catalogue.")
"""The files of the built site kept as golden files (the per-entry citation files are tested elsewhere)."""


def _generated() -> dict[str, str]:
    archive, _ = load_archive(FIXTURES / "site" / "content")
    visible = archive.visible(date.fromisoformat(AS_OF))
    manifest = outputs.plan(visible, {}, SITE_URL)
    pages = all_pages(visible, feeds.feed_directory(visible, SITE_URL), date.fromisoformat(AS_OF), manifest)
    out = {f"pages/{p.src}": p.text() for p in pages}
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        command = [sys.executable, "build.py", "--content", str(FIXTURES / "site" / "content")]
        command += ["build", "--as-of", AS_OF, "--site-dir", str(site)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            name = path.relative_to(site).as_posix()
            if name.startswith(BUILT) and not name.endswith(".html"):
                out[f"files/{name}"] = path.read_bytes().decode("utf-8")
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
