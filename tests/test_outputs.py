"""The outputs manifest: every generated file claims its URL once, and one writer writes them all."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from timsite.content.archive import load_archive
from timsite.outputs import feeds
from timsite.outputs import manifest as outputs
from timsite.site.pages import identifier_redirects
from timsite.site.urls import cite_files

from .conftest import FIXTURES

SITE_URL = "https://example.org/tim/"


def test_two_outputs_claiming_one_url_are_an_error_naming_both() -> None:
    manifest = outputs.Manifest()
    manifest.add(outputs.Output("meetings.ics", "the meetings calendar", lambda: b"one"))
    with pytest.raises(outputs.OutputClash, match=r"/meetings\.ics: the meetings calendar and a second calendar"):
        manifest.add(outputs.Output("meetings.ics", "a second calendar", lambda: b"two"))


def test_the_manifest_claims_every_generated_file_and_writes_exactly_those(tmp_path: Path) -> None:
    archive, _ = load_archive(FIXTURES / "site" / "content")
    visible = archive.visible(date(2026, 1, 1))
    manifest = outputs.plan(visible, {}, SITE_URL)
    manifest.write(tmp_path)
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert written == set(manifest.paths())
    expected = {"meetings.ics", "catalogue.bib", "catalogue.ris", "catalogue.csl.json", feeds.OPML}
    expected |= {f"{src}index.html" for src in identifier_redirects(visible)}
    expected |= {path for e in [*visible.bulletins, *visible.publications] for path in cite_files(e).values()}
    expected |= {f[fmt] for f in feeds.feed_directory(visible) for fmt in ("rss", "atom", "json")}
    expected |= {"feeds/sitemap.xml", "feeds/tags/sitemap.xml"}
    assert expected <= written
    assert {p for p in written if p.endswith(".pdf")} == {
        f"bulletins/{b.number}/{b.pdf}" for b in visible.bulletins if b.pdf and (b.path.parent / b.pdf).is_file()
    }
    assert all(o.origin for o in manifest)
