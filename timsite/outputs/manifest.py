"""The outputs manifest: every file a build writes besides MkDocs' pages, each claiming its URL, and one writer.

Feeds and their archives, the OPML list, the feed sitemaps, the calendar, citation files and
catalogue exports, identifier redirects, the search's vocabulary and the bulletins' PDFs are each one
`Output`; the search bundle claims its folder. The MkDocs adapter adds MkDocs' own files (hand-written and generated
pages) as prior claims, so a URL claimed twice anywhere is one error naming both claimants, never a
silent overwrite.
"""

from __future__ import annotations

import posixpath
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from timsite import kinds
from timsite.content.archive import Archive
from timsite.content.model import Entry
from timsite.outputs import feed_documents, feeds, ical, redirects, search, vocabulary
from timsite.outputs.export import catalogue_data, marc
from timsite.outputs.export.citations import Citations
from timsite.outputs.export.formats import CITATION_FORMATS
from timsite.outputs.export.library import (
    COLLECTION_MARCXML,
    COLLECTION_MRC,
    GROUP,
    OAI_REPOSITORY,
    RECORD_FORMATS,
    LibraryRecords,
    record_files,
    record_folders,
)
from timsite.site.urls import PDF_MEDIA_TYPE, SECTIONS, entry_src, entry_url, page_url, pdf_path


class Folders:
    """The folders a writer has made: each is made once, although thousands of files share a few of them."""

    def __init__(self) -> None:
        self._made: set[Path] = set()

    def file(self, target: Path) -> Path:
        """`target`, its folder made if this writer has not made it yet."""
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        return target


@dataclass(frozen=True)
class Output:
    """One generated file (or folder): its path in the site, what it is, what makes it, and how pages link to it.

    Like Hugo's output formats, an output knows its media type and the relation (`rel`) a page's link
    to it has, and `page` and `group` say which page lists it and where (`cite`: "Cite this";
    `subscribe`: the Subscribe page), so the theme's alternate links, "Cite this" and the Subscribe
    page are printed from the manifest rather than each rebuilding the list of formats.
    """

    path: str
    origin: str
    """What claims the path, in words, for error messages ("the meetings calendar")."""
    make: Callable[[], bytes] | None = None
    source: Path | None = None
    """A file copied as it is (a PDF), instead of `make`."""
    needs_pages: bool = False
    """Made of the rendered page bodies (a feed): written only once MkDocs has rendered every page."""
    media_type: str = ""
    label: str = ""
    """How a page names it in a link ("BibTeX", "meetings.ics")."""
    rel: str = ""
    """The link relation of a page's link to it (`alternate`, `enclosure`), or none."""
    page: str = ""
    """The URL of the page that lists it, if one does."""
    group: str = ""
    """Where that page lists it."""
    folder: bool = False
    """A whole folder (`path` ends in "/"), written by its own writer (the search bundle by Pagefind)."""
    by_mkdocs: bool = False
    """A file MkDocs writes (a page, an asset), claimed first so that nothing of the manifest shadows it."""
    hand_written: bool = False
    """An editor's file (`pages/`), not one the build generates."""
    typeset: bool = False
    """A PDF edition: claimed here, written by the PDF writer (`engine/pdf_writer.py`) as the bodies are rendered."""

    @property
    def claimant(self) -> str:
        return f"{self.origin} ({'hand-written' if self.hand_written else 'generated'})"

    def write(self, site_dir: Path, folders: Folders | None = None) -> None:
        """Write the file (`folders`: the folders this writer has made already)."""
        if self.typeset:
            return
        target = (folders or Folders()).file(site_dir / self.path)
        if self.source is not None:
            shutil.copyfile(self.source, target)
        elif self.make is not None:
            target.write_bytes(self.make())
        else:
            raise OutputClash(f"{self.origin} (/{self.path}) has no writer: the manifest cannot write it")


class OutputClash(Exception):
    """Two files claim one URL, or an output cannot be written."""


class Manifest:
    """Every file of a build by path, MkDocs' own files first: a second claim to a path (or to a path inside a
    claimed folder) raises OutputClash naming both claimants. This is the site's one clash check."""

    def __init__(self) -> None:
        self._by_path: dict[str, Output] = {}
        self._folders: dict[str, Output] = {}
        self._listed: dict[tuple[str, str], list[Output]] = {}

    def add(self, output: Output) -> None:
        other = self._by_path.get(output.path) or self._folder_of(output.path)
        if other is None and output.folder:
            other = next((o for path, o in self._by_path.items() if path.startswith(output.path)), None)
        if other is not None:
            hint = (
                "rename or remove the hand-written file"
                if other.hand_written or output.hand_written
                else "this is a fault of the site generator, not of the content"
            )
            shown = output.path.removesuffix("index.html")
            raise OutputClash(f"two files claim the URL /{shown}: {other.claimant} and {output.claimant}; {hint}")
        self._by_path[output.path] = output
        if output.folder:
            self._folders[output.path] = output
        if output.group:
            self._listed.setdefault((output.page, output.group), []).append(output)

    def _folder_of(self, path: str) -> Output | None:
        for folder, output in self._folders.items():
            if path.startswith(folder):
                return output
        return None

    def __iter__(self) -> Iterator[Output]:
        return iter(self._by_path.values())

    def __len__(self) -> int:
        return len(self._by_path)

    def get(self, path: str) -> Output | None:
        return self._by_path.get(path)

    def listed(self, page: str, group: str) -> list[Output]:
        """The outputs page `page` lists in `group`, in the order they were added."""
        return self._listed.get((page, group), [])

    def generated(self) -> list[Output]:
        """The files this build writes besides MkDocs' pages (no prior claims, no folders)."""
        return [o for o in self if not (o.by_mkdocs or o.folder)]

    def paths(self) -> list[str]:
        return [o.path for o in self.generated()]

    def with_prior(self, prior: Iterable[Output]) -> Manifest:
        """A manifest holding `prior` (MkDocs' own files, hand-written and generated pages) first, then these outputs:
        a clash names the prior claimant first."""
        merged = Manifest()
        for output in [*prior, *self]:
            merged.add(output)
        return merged

    def write(self, site_dir: Path, needs_pages: bool | None = None, stop: Callable[[], bool] | None = None) -> None:
        """Write the outputs into `site_dir`: all of them, or only those that need (or need not) the page bodies.

        This is the one writer of everything besides MkDocs' pages and the search bundle. `stop`, asked before
        each file, ends the writing early when it says so (the preview: a newer save made these files stale).
        """
        folders = Folders()
        for output in self.generated():
            if stop is not None and stop():
                return
            if needs_pages is None or output.needs_pages == needs_pages:
                output.write(site_dir, folders)


def _text(make: Callable[[], str]) -> Callable[[], bytes]:
    return lambda: make().encode("utf-8")


def plan(
    archive: Archive,
    rendered: Mapping[str, str],
    site_url: str,
    citations: Citations | None = None,
    *,
    limit: int | None = feeds.FEED_LIMIT,
    hub: str | None = None,
    directory: list[feeds.Feed] | None = None,
    editions: Sequence[Entry] = (),
    edition_sizes: dict[str, tuple[str, int]] | None = None,
) -> Manifest:
    """Every output of a build of `archive` (what readers may see), with nothing written yet.

    `rendered` is the HTML MkDocs makes of each page body, by source path; the feeds read it when
    written, so it may still be empty now. `citations` are the build's citation records (made here
    when not given), `directory` the build's feed directory (computed here with `limit` when not given).
    `editions` are the entries typeset as PDF (claimed here, written by the PDF writer), and `edition_sizes`
    the dict their paths and sizes will be in, by entry source, once written (the feeds' enclosures).
    """
    citations = citations or Citations(archive, site_url)
    manifest = Manifest()
    directory = directory if directory is not None else feeds.feed_directory(archive, site_url, limit)
    feed_set = feed_documents.FeedSet(
        directory, site_url, rendered, hub, {} if edition_sizes is None else edition_sizes
    )
    for doc in feed_set.in_writing_order():
        manifest.add(
            Output(
                doc.url,
                doc.origin,
                partial(feed_set.render, doc),
                needs_pages=True,
                media_type=doc.media_type,
                label=doc.label,
                rel="alternate",
            )
        )
    subscribe = page_url(SECTIONS["subscribe"])
    manifest.add(
        Output(
            feeds.OPML,
            "the list of all feeds (OPML)",
            feed_set.opml,
            media_type=feeds.OPML_MEDIA_TYPE,
            label=posixpath.basename(feeds.OPML),
            page=subscribe,
            group="subscribe",
        )
    )
    for folder in feed_set.sitemap_folders():
        origin = f"the empty sitemap beside the feeds in {folder}/"
        manifest.add(
            Output(f"{folder}/sitemap.xml", origin, feed_documents.empty_sitemap, media_type="application/xml")
        )
    calendar = partial(ical.calendar, archive, site_url)
    manifest.add(
        Output(
            ical.FILE_NAME,
            "the meetings calendar",
            calendar,
            media_type=ical.MEDIA_TYPE,
            label=ical.FILE_NAME,
            page=subscribe,
            group="subscribe",
        )
    )
    for entry in kinds.with_pdf(archive):
        # Served beside the entry's page (bulletins/<n>/<pdf>), copied from beside its Markdown file.
        pdf = entry.attached_pdf or ""
        manifest.add(
            Output(
                pdf_path(entry),
                f"the PDF of {entry.display_title}",
                source=entry.path.parent / pdf,
                media_type=PDF_MEDIA_TYPE,
                label=pdf,
                rel="enclosure",
                page=entry_url(entry),
            )
        )
    for entry in editions:
        manifest.add(
            Output(
                kinds.edition_path(entry),
                f"the PDF edition of {entry.display_title}",
                typeset=True,
                media_type=PDF_MEDIA_TYPE,
                label="PDF edition",
                rel="alternate",
                page=entry_url(entry),
                group="edition",
            )
        )
    for entry in kinds.citable_entries(archive):
        base = entry_src(entry).removesuffix(".md")
        name = kinds.of(entry).cite_name(entry)
        for fmt in CITATION_FORMATS.values():
            export = partial(citations.export, fmt.NAME, [entry])
            manifest.add(
                Output(
                    f"{base}/{name}{fmt.SUFFIX}",
                    f"the {fmt.NAME} citation of {entry_url(entry)}",
                    _text(export),
                    media_type=fmt.MEDIA_TYPE,
                    label=fmt.LABEL,
                    rel="alternate",
                    page=entry_url(entry),
                    group=fmt.GROUP,
                )
            )
    everything = list(archive.publications)
    for fmt in CITATION_FORMATS.values():
        name = f"catalogue{fmt.SUFFIX}"
        export = partial(citations.export, fmt.NAME, everything)
        manifest.add(
            Output(name, f"the catalogue export {name}", _text(export), media_type=fmt.MEDIA_TYPE, label=fmt.LABEL)
        )
    add_library_records(manifest, LibraryRecords(archive, citations.library_record, site_url))
    for source_url, target in redirects.identifier_redirects(archive).items():
        page = partial(redirects.redirect_page, source_url, target, site_url)
        origin = f"the identifier redirect /{source_url}"
        manifest.add(Output(f"{source_url}index.html", origin, _text(page), media_type="text/html"))
    manifest.add(Output(f"{search.BUNDLE}/", "the search bundle (Pagefind)", folder=True))
    words = partial(vocabulary.vocabulary_json, archive)
    manifest.add(Output(vocabulary.FILE_NAME, "the search's vocabulary", words, media_type=vocabulary.MEDIA_TYPE))
    return manifest


def add_library_records(manifest: Manifest, library: LibraryRecords) -> None:
    """Each issue's, publication's and series' MARCXML, MODS and Dublin Core (listed on its page in group
    `records`), and the catalogue-wide files (listed on the catalogue page): docs/libraries.md."""
    for entry in library.entries():
        for fmt, path in record_files(entry).items():
            _, media_type, label = RECORD_FORMATS[fmt]
            manifest.add(
                Output(
                    path,
                    f"the {label} record of {entry_url(entry)}",
                    partial(library.file, fmt, entry),
                    media_type=media_type,
                    label=label,
                    rel="alternate",
                    page=entry_url(entry),
                    group=GROUP,
                )
            )
    for folder in record_folders(library.archive):
        origin = f"the empty sitemap beside the records in {folder}/"
        manifest.add(
            Output(f"{folder}/sitemap.xml", origin, feed_documents.empty_sitemap, media_type="application/xml")
        )
    catalogue = page_url(SECTIONS["publications"])
    files = [
        (COLLECTION_MARCXML, "MARC 21 collection (MARCXML)", marc.MEDIA_TYPE, library.collection_marcxml),
        (COLLECTION_MRC, "binary MARC", marc.BINARY_MEDIA_TYPE, library.collection_mrc),
        (catalogue_data.CSV_NAME, "catalogue data (CSV)", "text/csv", library.catalogue_csv),
        (catalogue_data.JSON_NAME, "catalogue data (JSON)", "application/json", library.catalogue_json),
        (
            catalogue_data.SCHEMA_NAME,
            "the JSON Schema of the catalogue data",
            "application/schema+json",
            library.catalogue_schema,
        ),
    ]
    # Above the specification's 5,000 records a static repository would be invalid: none is written, and the
    # catalogue page does not link one (docs/libraries.md says what to do instead).
    if library.oai_fits():
        files.append((OAI_REPOSITORY, "OAI-PMH static repository", "application/xml", library.oai_repository))
    for path, label, media_type, make in files:
        origin = f"the catalogue's {label}"
        manifest.add(Output(path, origin, make, media_type=media_type, label=label, page=catalogue, group=GROUP))


__all__ = ["Folders", "Manifest", "Output", "OutputClash", "add_library_records", "plan"]
