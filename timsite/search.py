"""Site search with Pagefind: what each page tells the indexer, and the indexer run over the built site.

The theme (`theme/partials/tim-search-data.html`) prints `search_data()` as `data-pagefind-*` attributes;
the indexer is the Pagefind binary from the `pagefind-bin` wheel, so nothing is downloaded.
Only entry pages (issues, meetings, publications, series) and the about page are indexed: list pages
(home, catalogue, archives, tags, identifiers) would only compete with the pages they list.

Pagefind reads only a page's `data-pagefind-body` element (`theme/partials/tim-search-body.html`). A build
writes that element alone into search documents (`SOURCE`) once MkDocs has rendered every page body, and
indexes them while MkDocs still puts the pages into templates: the bundle is byte for byte the one an index
of the finished pages gives (the tests compare both), and the indexer overlaps the rest of the build.

>>> from timsite.identifiers import parse_isbn
>>> forms = isbn_forms(parse_isbn("92-9068-113-6"))
>>> forms[:4]
['978-92-9068-113-7', '9789290681137', '92-9068-113-6', '9290681136']
"""

from __future__ import annotations

import ctypes
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import search_bundle
from .archive import Archive
from .identifiers import Isbn, Issn
from .model import Bulletin, Entry, Meeting, Publication, Series
from .outputs import Folders

# Relative to the site: the pages that can be entry pages; list pages are left out by the
# data-pagefind-body marker too, the glob only spares the indexer reading thousands of redirects.
INDEXED_GLOB = "{about,bulletins/*,meetings/*,publications/*,series/*}/index.html"
BUNDLE = "pagefind"
SOURCE = ".pagefind-input"
"""Beside the pages, in the site being built: the search documents, removed once they are indexed."""
# Material's permalink marks would be indexed as a word on every heading.
EXCLUDE = ".headerlink, .md-source-file, .md-tags"


@dataclass(frozen=True)
class SearchData:
    """What Pagefind records about one page: its kind, date, filters and every form of its identifiers."""

    kind: str
    when: str = ""
    sort_date: str = "0000-00-00"
    filters: list[tuple[str, str]] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    key_terms: list[str] = field(default_factory=list)
    """Names a reader searches by (authors, other titles, the place of a meeting), weighted like a heading."""
    note: str = ""


def isbn_forms(isbn: Isbn | None) -> list[str]:
    """Every form a reader may type: ISBN-13 and ISBN-10, hyphenated and compact; a misprint only as printed."""
    if isbn is None:
        return []
    if not isbn.valid:
        return list(dict.fromkeys([isbn.printed, isbn.printed.replace("-", "").replace(" ", "")]))
    forms = [isbn.hyphenated13, isbn.isbn13, isbn.hyphenated10, isbn.isbn10]
    return list(dict.fromkeys(f for f in forms if f))


def issn_forms(issn: Issn | None) -> list[str]:
    """An ISSN with and without its hyphen; a misprint only as printed."""
    if issn is None:
        return []
    if not issn.valid:
        return [issn.printed]
    return list(dict.fromkeys(f for f in (issn.formatted, issn.compact) if f))


def _misprint_note(entry: Entry) -> str:
    bad = []
    if isinstance(entry, Publication) and entry.isbn_info and not entry.isbn_info.valid:
        bad.append(f"ISBN {entry.isbn_info.printed}")
    issn = entry.issn_info
    if issn and not issn.valid:
        bad.append(f"ISSN {issn.printed}")
    return f"{' and '.join(bad)} as printed: not a valid number" if bad else ""


def search_data(entry: Entry | None, archive: Archive | None, about: bool = False) -> SearchData | None:
    """What the theme marks up for Pagefind on this page, or None when the page stays out of the index."""
    if entry is None:
        return SearchData(kind="Page") if about else None
    tags = [("tag", t) for t in entry.tags]
    if isinstance(entry, Bulletin):
        when = entry.published.isoformat()
        return SearchData(
            kind="Bulletin issue",
            when=f"{entry.season.value.capitalize()} {entry.year}",
            sort_date=when,
            filters=[("collection", "Bulletin issue"), ("year", str(entry.year)), *tags],
            identifiers=issn_forms(entry.issn_info),
        )
    if isinstance(entry, Meeting):
        return SearchData(
            kind="Meeting",
            when=entry.when,
            sort_date=entry.published.isoformat(),
            filters=[("collection", "Meeting"), ("year", str(entry.start.year)), *tags],
            key_terms=[t for t in (entry.short_title, entry.city, entry.country) if t],
        )
    if isinstance(entry, Publication):
        filters = [("collection", "Publication"), ("type", entry.type.label)]
        year = entry.date.year if entry.date else entry.year
        if year:
            filters.append(("year", str(year)))
        series = archive.series_by_id.get(entry.series) if archive and entry.series else None
        if series:
            filters.append(("series", series.title))
        return SearchData(
            kind=f"Publication: {entry.type.label.lower()}",
            when=entry.date.iso() if entry.date else (str(entry.year) if entry.year else "undated"),
            sort_date=entry.published.isoformat() if year else "0000-00-00",
            filters=[*filters, *tags],
            identifiers=[*isbn_forms(entry.isbn_info), *issn_forms(entry.issn_info)],
            key_terms=[*entry.creators, *entry.also_listed_as],
            note=_misprint_note(entry),
        )
    if isinstance(entry, Series):
        return SearchData(
            kind="Publication series",
            filters=[("collection", "Publication series"), *tags],
            identifiers=issn_forms(entry.issn_info),
            note=_misprint_note(entry),
        )
    return None


class SearchIndexError(Exception):
    """The indexer failed: the message says why, in words an editor can pass on."""


class Documents:
    """Writes search documents into `source` on a thread of their own, so the build's thread never waits for the disk.

    Creating thousands of small files is mostly time in the kernel, which the thread spends while the build
    goes on rendering; `close` waits for the last file and raises what went wrong, if anything.
    """

    def __init__(self, source: Path) -> None:
        self.source = source
        shutil.rmtree(source, ignore_errors=True)  # left by a build that was stopped
        self._queue: queue.SimpleQueue[tuple[str, str] | None] = queue.SimpleQueue()
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._write_all, name="search-documents", daemon=True)
        self._thread.start()

    def add(self, dest: str, text: str) -> None:
        """Write `text` as the search document of the page written at `dest` (relative to the site)."""
        self._queue.put((dest, text))

    def _write_all(self) -> None:
        folders = Folders()
        while (item := self._queue.get()) is not None:
            if self._error is not None:
                continue
            dest, text = item
            try:
                folders.file(self.source / dest).write_text(text, encoding="utf-8")
            except OSError as error:
                self._error = error

    def close(self) -> None:
        """Wait until every document is written; raise SearchIndexError if one could not be."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise SearchIndexError(f"the search documents could not be written into {self.source}: {self._error}")

    def remove(self) -> None:
        """Stop writing and delete the documents (after indexing, or when the build failed)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        shutil.rmtree(self.source, ignore_errors=True)


def index_command(site_dir: Path, source: Path | None = None) -> list[str]:
    """The Pagefind command line indexing `source` (the built pages by default) into `site_dir`'s bundle."""
    import pagefind_bin  # the binary's locator; imported late, so the core loads without it

    command = [
        str(pagefind_bin.get_executable()),
        "--site",
        str(source or site_dir),
        "--glob",
        INDEXED_GLOB,
        "--exclude-selectors",
        EXCLUDE,
        "--force-language",
        "en",
        "--quiet",
    ]
    if source is not None:
        command += ["--output-path", str(site_dir / BUNDLE)]
    return command


def _death_signal() -> Callable[[], None] | None:
    """Linux: a function for the indexer's process that has it killed with the build (even by kill -9)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: the child only calls it
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: never writing into an abandoned folder


def start_index(site_dir: Path, source: Path | None = None) -> subprocess.Popen[str]:
    """Start indexing in a separate process (it overlaps with whatever the build still does)."""
    try:
        return subprocess.Popen(
            index_command(site_dir, source),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=site_dir,
            preexec_fn=_death_signal(),
        )
    except (OSError, ImportError) as error:
        raise SearchIndexError(f"the search indexer (Pagefind) could not start: {error}") from error


def stop_index(process: subprocess.Popen[str] | None) -> None:
    """Stop an indexer that is still running: the build it worked for has failed."""
    if process is not None and process.poll() is None:
        process.kill()
        process.wait()


def finish_index(process: subprocess.Popen[str], site_dir: Path) -> None:
    """Wait for the indexer; raise SearchIndexError with its output unless it wrote a complete bundle."""
    output, _ = process.communicate()
    bundle = site_dir / BUNDLE
    if process.returncode != 0:
        raise SearchIndexError(f"the search indexer (Pagefind) failed with exit code {process.returncode}:\n{output}")
    if not (bundle / "pagefind.js").is_file() or not any((bundle / "fragment").glob("*")):
        raise SearchIndexError(f"the search indexer (Pagefind) wrote no index into {bundle}:\n{output}")
    if not search_bundle.canonicalize(bundle):
        raise SearchIndexError(
            f"the search index in {bundle} is not in the form this version of timsite expects "
            "(was the pagefind-bin package upgraded?): rebuilding it reproducibly failed"
        )


def bundle_files(site_dir: Path) -> Iterable[Path]:
    """Every file of the search bundle."""
    return sorted(p for p in (site_dir / BUNDLE).rglob("*") if p.is_file())
