"""The search index's parts without a browser: what pages tell Pagefind, the indexer run, reproducible bundles."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest
from stdnum import isbn as stdnum_isbn

from timsite.content.checked import load_archive
from timsite.outputs import search, search_bundle

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
        search.index_site(site)
        bundles.append(bundle_bytes(site))
    assert bundles[0] == bundles[1]
    filters = [n for n in bundles[0] if n.startswith("pagefind/filter/")]
    assert len(filters) == 2  # collection and year
    # The rewritten files are still what Pagefind reads: gzip, its signature, the values in order.
    values = search_bundle.decode(gzip.decompress(bundles[0][filters[0]])[len(search_bundle.SIGNATURE) :])
    assert isinstance(values, list) and values[1] == sorted(values[1], key=lambda v: v[0])  # type: ignore[index]


def test_pages_are_numbered_in_the_order_they_are_added(tmp_path: Path) -> None:
    site = tiny_site(tmp_path / "site")
    pages = search.indexed_pages(site)
    assert [url for url, _ in pages] == sorted(f"/publications/p{i}/" for i in range(9))
    search.index_site(site, list(reversed(pages)))
    assert search_bundle.page_urls(site / search.BUNDLE) == [url for url, _ in reversed(pages)]


def test_the_build_indexes_what_the_finished_pages_would_give(real_site: Path, tmp_path: Path) -> None:
    # The build hands Pagefind each page's search document while MkDocs renders; indexing the finished
    # pages, in the order the build added them, must give the same bundle, byte for byte, or the
    # documents have drifted from the pages.
    order = search_bundle.page_urls(real_site / search.BUNDLE)
    found = dict(search.indexed_pages(real_site))
    assert sorted(order) == sorted(found), "the index covers other pages than the indexed ones"
    assert {"/about/", "/bulletins/25/", "/series/migration-research-series/"} <= set(order)
    copy = tmp_path / "bundle"
    search.index_site(real_site, [(url, found[url]) for url in order], bundle=copy)
    assert {p.relative_to(copy).as_posix(): p.read_bytes() for p in copy.rglob("*") if p.is_file()} == {
        p.relative_to(real_site / search.BUNDLE).as_posix(): p.read_bytes()
        for p in (real_site / search.BUNDLE).rglob("*")
        if p.is_file()
    }


def test_a_bundle_it_cannot_read_is_left_as_written(tmp_path: Path) -> None:
    site = tiny_site(tmp_path / "site")
    search.index_site(site)
    meta = next((site / "pagefind").glob("*.pf_meta"))
    meta.write_bytes(gzip.compress(b"pagefind_dcd" + bytes([0xA1, 0x01, 0x02])))  # a CBOR map: not Pagefind's
    before = bundle_bytes(site)
    assert search_bundle.canonicalize(site / "pagefind") is False
    assert bundle_bytes(site) == before


def test_an_indexer_that_cannot_start_fails_with_its_output(tmp_path: Path) -> None:
    failing = [sys.executable, "-c", "import sys; sys.stderr.write('Error: no index for you'); raise SystemExit(3)"]
    with pytest.raises(search.SearchIndexError, match=r"(?s)refused to start.*exited with code 3.*no index for you"):
        search.Indexer(tmp_path / "pagefind", command=failing)
    with pytest.raises(search.SearchIndexError, match="could not start"):
        search.Indexer(tmp_path / "pagefind", command=[str(tmp_path / "no-such-indexer")])


def test_an_indexer_that_never_answers_is_given_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search.Indexer, "START_TIMEOUT", 1.0)
    silent = [sys.executable, "-c", "import time; time.sleep(600)"]
    with pytest.raises(search.SearchIndexError, match="refused to start an index: no answer after 1 s"):
        search.Indexer(tmp_path / "pagefind", command=silent)


def test_a_bundle_that_cannot_be_written_fails_clearly(tmp_path: Path) -> None:
    site = tiny_site(tmp_path / "site")
    (site / "pagefind").write_text("a file where the bundle's folder must go", encoding="utf-8")
    with pytest.raises(search.SearchIndexError, match=r"the search indexer \(Pagefind\) failed: .+"):
        search.index_site(site)


def test_an_indexer_that_dies_midway_fails_the_index(tmp_path: Path) -> None:
    site = tiny_site(tmp_path / "site")
    indexer = search.Indexer(site / search.BUNDLE)
    indexer.add("/publications/p0/", (site / "publications/p0/index.html").read_text(encoding="utf-8"))
    indexer._process.kill()
    with pytest.raises(search.SearchIndexError, match=r"(?s)stopped before it had answered.*exited with code -9"):
        indexer.finish()
    assert not (site / search.BUNDLE).exists()


def test_stopping_an_indexer_ends_its_process(tmp_path: Path) -> None:
    indexer = search.Indexer(tmp_path / search.BUNDLE)
    process = indexer._process
    assert process.poll() is None
    indexer.stop()
    indexer.stop()  # twice is harmless: the build's clean-up may follow a failure's
    assert process.poll() is not None
    assert not (tmp_path / search.BUNDLE).exists()


def _environment(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode("utf-8", "replace").split("\0") if "=" in item)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and the Linux binary")
def test_the_indexer_returns_freed_memory_at_once_unless_the_user_says_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ((name, value),) = search.ALLOCATOR.items()
    # The setting only works while the binary allocates with (prefixed) jemalloc: an upgrade must keep it so.
    assert name.encode() in Path(search.service_command()[0]).read_bytes()
    monkeypatch.delenv(name, raising=False)
    indexer = search.Indexer(tmp_path / search.BUNDLE)
    try:
        assert _environment(indexer._process.pid)[name] == value
    finally:
        indexer.stop()
    monkeypatch.setenv(name, "narenas:1")
    indexer = search.Indexer(tmp_path / search.BUNDLE)
    try:
        assert _environment(indexer._process.pid)[name] == "narenas:1"
    finally:
        indexer.stop()


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
