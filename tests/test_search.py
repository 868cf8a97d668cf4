"""The search index's parts without a browser: what pages tell Pagefind, the indexer run, reproducible bundles."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from stdnum import isbn as stdnum_isbn

from timsite import search, search_bundle
from timsite.archive import load_archive

from .conftest import FIXTURES

PAGE = """<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body>
<main data-pagefind-body><h1>{title}</h1><p>{text}</p>
<span data-pagefind-filter="collection:{collection}"></span><span data-pagefind-filter="year:{year}"></span>
<span data-pagefind-sort="date:{year}-01-01"></span></main></body></html>"""


def tiny_site(root: Path) -> Path:
    """A handful of pages, each with two filters, laid out as the indexer's glob expects."""
    for i, (collection, year) in enumerate([("Meeting", 2001), ("Publication", 2002), ("Publication", 2003)] * 3):
        page = root / "publications" / f"p{i}" / "index.html"
        page.parent.mkdir(parents=True)
        text = f"word{i} shared text about trafficking {collection.lower()}"
        page.write_text(PAGE.format(title=f"Page {i}", text=text, collection=collection, year=year), "utf-8")
    return root


def bundle_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in search.bundle_files(site)}


def test_indexing_twice_gives_the_same_bundle(tmp_path: Path) -> None:
    bundles = []
    for name in ("a", "b"):
        site = tiny_site(tmp_path / name)
        search.finish_index(search.start_index(site), site)
        bundles.append(bundle_bytes(site))
    assert bundles[0] == bundles[1]
    filters = [n for n in bundles[0] if n.startswith("pagefind/filter/")]
    assert len(filters) == 2  # collection and year
    # The rewritten files are still what Pagefind reads: gzip, its signature, the values in order.
    values = search_bundle.decode(gzip.decompress(bundles[0][filters[0]])[len(search_bundle.SIGNATURE) :])
    assert isinstance(values, list) and values[1] == sorted(values[1], key=lambda v: v[0])  # type: ignore[index]


def test_the_build_indexes_what_the_finished_pages_would_give(real_site: Path, tmp_path: Path) -> None:
    # The build indexes each page's search document while MkDocs writes the pages; indexing the finished
    # pages afterwards must give the same bundle, byte for byte, or the documents have drifted from the pages.
    copy = tmp_path / "site"
    shutil.copytree(real_site, copy, symlinks=True)
    shutil.rmtree(copy / search.BUNDLE)
    search.finish_index(search.start_index(copy), copy)
    assert bundle_bytes(copy) == bundle_bytes(real_site)
    assert not (real_site / search.SOURCE).exists(), "the search documents were published"


def test_search_documents_are_written_and_removed(tmp_path: Path) -> None:
    documents = search.Documents(tmp_path / "in")
    documents.add("publications/p/index.html", "<p>one</p>")
    documents.add("publications/q/index.html", "<p>two</p>")
    documents.close()
    assert (tmp_path / "in" / "publications" / "q" / "index.html").read_text(encoding="utf-8") == "<p>two</p>"
    documents.remove()
    assert not (tmp_path / "in").exists()


def test_search_documents_that_cannot_be_written_fail_clearly(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    documents = search.Documents(tmp_path / "in" / "docs")
    (tmp_path / "in" / "docs").write_text("a file where a folder must go", encoding="utf-8")
    documents.add("publications/p/index.html", "<p>one</p>")
    with pytest.raises(search.SearchIndexError, match="search documents could not be written into"):
        documents.close()


def test_a_bundle_it_cannot_read_is_left_as_written(tmp_path: Path) -> None:
    site = tiny_site(tmp_path / "site")
    search.finish_index(search.start_index(site), site)
    meta = next((site / "pagefind").glob("*.pf_meta"))
    meta.write_bytes(gzip.compress(b"pagefind_dcd" + bytes([0xA1, 0x01, 0x02])))  # a CBOR map: not Pagefind's
    before = bundle_bytes(site)
    assert search_bundle.canonicalize(site / "pagefind") is False
    assert bundle_bytes(site) == before


def test_a_failing_indexer_fails_with_its_output(tmp_path: Path) -> None:
    failing = subprocess.Popen(
        [sys.executable, "-c", "print('Error: cannot read pages'); raise SystemExit(3)"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    with pytest.raises(search.SearchIndexError, match=r"exit code 3:\nError: cannot read pages"):
        search.finish_index(failing, tmp_path)
    silent = subprocess.Popen([sys.executable, "-c", "pass"], stdout=subprocess.PIPE, text=True)
    with pytest.raises(search.SearchIndexError, match="wrote no index"):
        search.finish_index(silent, tmp_path)


def test_what_entry_pages_tell_the_indexer() -> None:
    archive, _ = load_archive(FIXTURES / "site" / "content")
    assert search.search_data(None, archive) is None  # list pages stay out
    assert search.search_data(None, archive, about=True) == search.SearchData(kind="Page")
    for p in archive.publications:
        data = search.search_data(p, archive)
        assert data is not None and ("collection", "Publication") in data.filters
        isbn = p.isbn_info
        if isbn and isbn.valid:
            assert isbn.isbn13
            forms = {stdnum_isbn.format(isbn.isbn13), isbn.isbn13}
            if isbn.isbn10:
                forms |= {stdnum_isbn.format(isbn.isbn10), isbn.isbn10}
            assert forms <= set(data.identifiers) and not data.note
        elif isbn:
            assert data.identifiers[0] == isbn.printed and "not a valid number" in data.note
    assert any(search.search_data(p, archive).note for p in archive.publications)  # type: ignore[union-attr]
    for m in archive.meetings:
        data = search.search_data(m, archive)
        assert data is not None and data.kind == "Meeting" and ("year", str(m.start.year)) in data.filters
