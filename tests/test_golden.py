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

from timsite import kinds
from timsite.content.checked import load_archive
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
    # The pages as a build plans them: with the PDF editions (the Subscribe page links the latest).
    editions = kinds.with_edition(visible, date.fromisoformat(AS_OF))
    manifest = outputs.plan(visible, {}, SITE_URL, editions=editions)
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


def _on_disk() -> list[str]:
    return sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    """What the fixture site generates now: built once, when the first test needs it (not at import).
    With UPDATE_GOLDEN=1 the golden files become exactly these."""
    found = _generated()
    if UPDATE:
        for name in set(_on_disk()) - set(found):
            (GOLDEN / name).unlink()
        for name, text in found.items():
            path = GOLDEN / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))  # bytes: RIS lines end in CRLF
    return found


@pytest.mark.parametrize("name", _on_disk())
def test_matches_golden(name: str, generated: dict[str, str]) -> None:
    assert name in generated, f"{name} is no longer generated: run UPDATE_GOLDEN=1 pytest tests/test_golden.py"
    assert generated[name] == (GOLDEN / name).read_bytes().decode("utf-8")


def test_every_generated_file_has_a_golden_file(generated: dict[str, str]) -> None:
    missing = sorted(set(generated) - set(_on_disk()))
    assert missing == [], f"no golden file for {missing[:5]}: run UPDATE_GOLDEN=1 pytest tests/test_golden.py"
