"""The outputs manifest: every generated file claims its URL once, and one writer writes them all."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from timsite.content.checked import load_archive
from timsite.outputs import feeds
from timsite.outputs import manifest as outputs

from .conftest import FIXTURES

SITE_URL = "https://example.org/tim/"


def test_two_outputs_claiming_one_url_are_an_error_naming_both() -> None:
    manifest = outputs.Manifest()
    manifest.add(outputs.Output("meetings.ics", "the meetings calendar", lambda: b"one"))
    with pytest.raises(
        outputs.OutputClash,
        match=r"two files claim the URL /meetings\.ics: the meetings calendar \(generated\) and a second calendar "
        r"\(generated\); this is a fault of the site generator",
    ):
        manifest.add(outputs.Output("meetings.ics", "a second calendar", lambda: b"two"))


def test_the_search_bundle_claims_its_whole_folder() -> None:
    archive, _ = load_archive(FIXTURES / "site" / "content")
    manifest = outputs.plan(archive.visible(date(2026, 1, 1)), {}, SITE_URL)
    bundle = manifest.get("pagefind/")
    assert bundle is not None and bundle.folder and "pagefind/" not in manifest.paths()
    with pytest.raises(outputs.OutputClash, match=r"/pagefind/pagefind\.js: the search bundle \(Pagefind\)"):
        manifest.add(outputs.Output("pagefind/pagefind.js", "a stray script", lambda: b""))


def test_mkdocs_files_are_prior_claims_named_first() -> None:
    archive, _ = load_archive(FIXTURES / "site" / "content")
    manifest = outputs.plan(archive.visible(date(2026, 1, 1)), {}, SITE_URL)
    page = outputs.Output("about/index.html", "pages/about.md", by_mkdocs=True, hand_written=True)
    assert manifest.with_prior([page]).get("about/index.html") == page
    shadow = outputs.Output("catalogue.bib", "pages/catalogue.bib", by_mkdocs=True, hand_written=True)
    with pytest.raises(
        outputs.OutputClash,
        match=r"/catalogue\.bib: pages/catalogue\.bib \(hand-written\) and the catalogue export catalogue\.bib "
        r"\(generated\); rename or remove the hand-written file",
    ):
        manifest.with_prior([shadow])
    # Prior claims are MkDocs' to write: the manifest's writer leaves them alone.
    assert "about/index.html" not in manifest.with_prior([page]).paths()


def test_pages_link_the_generated_files_the_manifest_lists() -> None:
    archive, _ = load_archive(FIXTURES / "site" / "content")
    visible = archive.visible(date(2026, 1, 1))
    manifest = outputs.plan(visible, {}, SITE_URL)
    b = visible.bulletins[0]
    cite = manifest.listed(f"bulletins/{b.number}/", "cite")
    assert [(o.label, o.media_type, o.rel) for o in cite] == [
        ("BibTeX", "application/x-bibtex", "alternate"),
        ("RIS", "application/x-research-info-systems", "alternate"),
        ("CSL-JSON", "application/vnd.citationstyles.csl+json", "alternate"),
    ]
    assert [o.path for o in manifest.listed("subscribe/", "subscribe")] == ["feeds/feeds.opml", "meetings.ics"]
    assert manifest.listed(f"meetings/{visible.meetings[0].id}/", "cite") == []
    records = manifest.listed(f"bulletins/{b.number}/", "records")
    assert [(o.label, o.media_type, o.rel) for o in records] == [
        ("MARC 21 (MARCXML)", "application/marcxml+xml", "alternate"),
        ("MODS 3.8", "application/mods+xml", "alternate"),
        ("Dublin Core", "application/xml", "alternate"),
    ]
    assert manifest.listed(f"meetings/{visible.meetings[0].id}/", "records") == []
    catalogue = [o.path for o in manifest.listed("publications/", "records")]
    assert catalogue[:2] == ["records/catalogue.marc.xml", "records/catalogue.mrc"] and len(catalogue) == 6


def test_the_manifest_claims_every_generated_file_and_writes_exactly_those(tmp_path: Path) -> None:
    archive, _ = load_archive(FIXTURES / "site" / "content")
    visible = archive.visible(date(2026, 1, 1))
    manifest = outputs.plan(visible, {}, SITE_URL)
    manifest.write(tmp_path)
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    # What the site must hold, spelled out from the content and the documented addresses, not from the writer.
    expected = {"meetings.ics", "catalogue.bib", "catalogue.ris", "catalogue.csl.json", "feeds/feeds.opml"}
    expected |= {f"isbn/{key}/index.html" for key in visible.by_isbn}
    expected |= {f"issn/{key}/index.html" for key in visible.by_issn}
    suffixes = (".bib", ".ris", ".csl.json")
    expected |= {
        f"bulletins/{b.number}/trafficking-in-migrants-{b.number}{s}" for b in visible.bulletins for s in suffixes
    }
    expected |= {f"publications/{p.id}/{p.id}{s}" for p in visible.publications for s in suffixes}
    tags = {feeds.tag_slug(t) for e in [*visible.bulletins, *visible.meetings, *visible.publications] for t in e.tags}
    keys = ["all", "bulletins", "meetings", "publications", *(f"tags/{t}" for t in tags)]
    expected |= {f"feeds/{key}.{ext}" for key in keys for ext in ("rss.xml", "atom.xml", "json")}
    expected |= {"feeds/sitemap.xml", "feeds/tags/sitemap.xml"}
    expected |= {f"bulletins/{b.number}/{b.pdf}" for b in visible.bulletins if b.pdf}
    # Library records (docs/libraries.md): three per issue, publication and series, in records/<folder>/ with an
    # empty sitemap each (Material asks for one beside every alternate link), and the catalogue's files.
    records = (".marc.xml", ".mods.xml", ".dc.xml")
    expected |= {f"records/bulletins/trafficking-in-migrants-{b.number}{s}" for b in visible.bulletins for s in records}
    expected |= {f"records/publications/{p.id}{s}" for p in visible.publications for s in records}
    expected |= {f"records/series/{s.id}{x}" for s in visible.series for x in records}
    expected |= {f"records/{folder}/sitemap.xml" for folder in ("bulletins", "publications", "series")}
    expected |= {f"records/{name}" for name in ("catalogue.marc.xml", "catalogue.mrc", "oai-static-repository.xml")}
    expected |= {f"records/catalogue-data.{ext}" for ext in ("csv", "json", "schema.json")}
    expected.add("search/vocabulary.json")  # the words the search box suggests from
    assert written == expected
    assert set(manifest.paths()) == expected
    assert all(o.origin for o in manifest)
    words = json.loads((tmp_path / "search" / "vocabulary.json").read_bytes())["words"]
    assert words and all(isinstance(w, str) and w == w.lower() for w in words)
    assert set(words) >= {
        w.lower() for e in visible.publications for w in e.title.split() if w.isalpha() and len(w) > 3
    }


def test_writing_stops_at_the_next_file_when_told(tmp_path: Path) -> None:
    """The preview's side work ends early when a newer save makes it stale: it is asked before each file."""
    manifest = outputs.Manifest()
    for number in range(10):
        manifest.add(outputs.Output(f"f{number}.txt", f"file {number}", lambda: b"x"))
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 3

    manifest.write(tmp_path, stop=stop)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f0.txt", "f1.txt", "f2.txt"]
    manifest.write(tmp_path / "all")
    assert len(list((tmp_path / "all").iterdir())) == 10
