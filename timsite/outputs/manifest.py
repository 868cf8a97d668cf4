"""The outputs manifest: every file a build writes besides MkDocs' pages, each claiming its URL, and one writer.

Feeds and their archives, the OPML list, the feed sitemaps, the calendar, citation files and
catalogue exports, identifier redirects and the bulletins' PDFs are each one `Output`. A URL
claimed twice is an error naming both claimants, never a silent overwrite; the MkDocs adapter
checks the same URLs against the hand-written files in `pages/`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from timsite.content.archive import Archive
from timsite.content.model import Entry
from timsite.outputs import feeds, ical, redirects
from timsite.outputs.export import Citations
from timsite.site.pages import identifier_redirects
from timsite.site.urls import cite_files, edition_path, entry_url, pdf_path


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
    """One generated file: its path in the site, what makes it (in words, for error messages) and how."""

    path: str
    origin: str
    make: Callable[[], bytes] | None = None
    source: Path | None = None
    """A file copied as it is (a PDF), instead of `make`."""
    needs_pages: bool = False
    """Made of the rendered page bodies (a feed): written only once MkDocs has rendered every page."""
    typeset: bool = False
    """A PDF edition: claimed here, written by the PDF writer (`timsite.outputs.pdf.writer`) as bodies are rendered."""

    def write(self, site_dir: Path, folders: Folders | None = None) -> None:
        """Write the file (`folders`: the folders this writer has made already)."""
        if self.typeset:
            return
        target = (folders or Folders()).file(site_dir / self.path)
        if self.source is not None:
            shutil.copyfile(self.source, target)
        else:
            assert self.make is not None
            target.write_bytes(self.make())


class OutputClash(Exception):
    """Two outputs claim one URL."""


class Manifest:
    """The outputs of a build, by path; adding a second claim to a path raises OutputClash."""

    def __init__(self) -> None:
        self._by_path: dict[str, Output] = {}

    def add(self, output: Output) -> None:
        other = self._by_path.get(output.path)
        if other is not None:
            raise OutputClash(f"two outputs claim the URL /{output.path}: {other.origin} and {output.origin}")
        self._by_path[output.path] = output

    def __iter__(self) -> Iterator[Output]:
        return iter(self._by_path.values())

    def __len__(self) -> int:
        return len(self._by_path)

    def paths(self) -> list[str]:
        return list(self._by_path)

    def write(self, site_dir: Path, needs_pages: bool | None = None) -> None:
        """Write the outputs into `site_dir`: all of them, or only those that need (or need not) the page bodies.

        This is the one writer of everything besides MkDocs' pages.
        """
        folders = Folders()
        for output in self:
            if needs_pages is None or output.needs_pages == needs_pages:
                output.write(site_dir, folders)


def _text(make: Callable[[], str]) -> Callable[[], bytes]:
    return lambda: make().encode("utf-8")


def plan(
    archive: Archive,
    rendered: dict[str, str],
    site_url: str,
    citations: Citations | None = None,
    *,
    limit: int | None = feeds.FEED_LIMIT,
    hub: str | None = None,
    editions: Sequence[Entry] = (),
    edition_sizes: dict[str, int] | None = None,
) -> Manifest:
    """Every output of a build of `archive` (what readers may see), with nothing written yet.

    `rendered` is the HTML MkDocs makes of each page body, by source path; the feeds read it when
    written, so it may still be empty now. `citations` are the build's citation records (made here
    when not given). `editions` are the entries that get a typeset PDF (claimed here, written by the PDF
    writer), and `edition_sizes` the dict their sizes will be in by the time the feeds are written.
    """
    citations = citations or Citations(archive, site_url)
    manifest = Manifest()
    feed_set = feeds.FeedSet(archive, site_url, rendered, limit, hub, {} if edition_sizes is None else edition_sizes)
    for doc in feed_set.in_writing_order():
        manifest.add(Output(doc.url, doc.label, partial(feed_set.render, doc), needs_pages=True))
    manifest.add(Output(feeds.OPML, "the list of all feeds (OPML)", feed_set.opml))
    for folder in feed_set.sitemap_folders():
        manifest.add(
            Output(f"{folder}/sitemap.xml", f"the empty sitemap beside the feeds in {folder}/", feeds.empty_sitemap)
        )
    manifest.add(Output(ical.FILE_NAME, "the meetings calendar", partial(ical.calendar, archive, site_url)))
    for bulletin in archive.bulletins:
        if bulletin.pdf:
            source = bulletin.path.parent / bulletin.pdf
            # Served beside the issue page (bulletins/<n>/<pdf>), copied from beside its Markdown file.
            manifest.add(Output(pdf_path(bulletin), f"the PDF of {bulletin.label}", source=source))
    for entry in editions:
        manifest.add(Output(edition_path(entry), f"the PDF edition of {entry_url(entry)}", typeset=True))
    for entry in [*archive.bulletins, *archive.publications]:
        for fmt, path in cite_files(entry).items():
            export = partial(citations.export, fmt, [entry])
            manifest.add(Output(path, f"the {fmt} citation of {entry_url(entry)}", _text(export)))
    everything = list(archive.publications)
    for fmt in ("bib", "ris", "json"):
        name = "catalogue.csl.json" if fmt == "json" else f"catalogue.{fmt}"
        export = partial(citations.export, fmt, everything)
        manifest.add(Output(name, f"the catalogue export {name}", _text(export)))
    for source_url, target in identifier_redirects(archive).items():
        page = partial(redirects.redirect_page, source_url, target, site_url)
        manifest.add(Output(f"{source_url}index.html", f"the identifier redirect /{source_url}", _text(page)))
    return manifest


__all__ = ["Folders", "Manifest", "Output", "OutputClash", "plan"]
