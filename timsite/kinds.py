"""The entry-kind registry: one row per kind of entry, saying everything the build does with it.

Every layer asks this table, never the entry's class: the folder and URL come from the model, and the
row names the page builder (whose template is `templates/pages/<kind>.md.j2`, laid out by the one theme
template `theme/entry.html`), whether the kind has a collection feed and its items' summary, its
citation record builder (or None: not citable), its <head> metadata and its search record. Adding a
kind is a model in `content.model`, one row here and its page template (docs/architecture.md, "How to
add a kind"); `tests/test_kinds.py` checks that every row is filled and that nothing outside this
module branches on an entry's kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from timsite.content import periodical
from timsite.content.archive import Archive
from timsite.content.model import Bulletin, Entry, Meeting, Publication, Series
from timsite.content.outline import outline
from timsite.outputs.export.head_entries import bulletin_head, meeting_head, publication_head, series_head
from timsite.outputs.export.record import Record, bulletin_record, meeting_record, publication_record, series_record
from timsite.outputs.feed_items import bulletin_summary, meeting_summary, publication_summary
from timsite.outputs.pdf.edition import issue_edition
from timsite.outputs.search_records import (
    SearchData,
    bulletin_search,
    meeting_search,
    publication_search,
    series_search,
)
from timsite.site.entry_pages import bulletin_page, meeting_page, publication_page, series_page
from timsite.site.page import Context, Page
from timsite.site.urls import entry_url

E = TypeVar("E", bound=Entry)


@dataclass(frozen=True)
class Feed(Generic[E]):
    """A kind's collection feed (`feeds/<folder>.*`): its name in titles, what it carries, its items' summary."""

    label: str
    description: str
    summary: Callable[[E], str]
    """An item's summary when the file gives none."""


@dataclass(frozen=True)
class Edition(Generic[E]):
    """A kind's typeset PDF edition (`outputs/pdf/`): what it shows, as data for the Typst template."""

    make: Callable[[E, str, str], dict[str, Any]]
    """The edition of an entry from its page's sanitized body and its page's absolute URL."""
    noun: str
    """What the download link calls it: "Download the issue (PDF, 412 KB)"."""


@dataclass(frozen=True)
class Kind(Generic[E]):
    """One kind of entry and what every layer does with it."""

    model: type[E]
    entries: Callable[[Archive], Sequence[E]]
    """Where the archive keeps this kind's entries, in the order of its lists."""
    page: Callable[[Context, E], Page]
    """The entry's page."""
    feed: Feed[E] | None
    """Its collection feed; None: the kind is in no feed."""
    record: Callable[[E, str, Archive | None], Record] | None
    """Its neutral citation record (site URL, archive); None: not citable (no downloads, no citation tags)."""
    head: Callable[[E, Record | None, Archive | None, str | None, str], dict[str, Any]]
    """Its page's <head> metadata (record, archive, canonical URL, site URL)."""
    search: Callable[[E, Archive | None], SearchData]
    """What Pagefind records of its page."""
    library: Callable[[E, str, Archive | None], Record] | None
    """Its library record (MARC 21, MODS, Dublin Core, the OAI repository, docs/libraries.md); None: the kind
    has none. A citable kind's is its citation record, so the downloads and the library files agree."""
    cite_name: Callable[[E], str] = lambda entry: entry.key
    """The name of its citation and record files, without suffix (`bulletins/25/trafficking-in-migrants-25.bib`)."""
    edition: Edition[E] | None = None
    """Its typeset PDF edition, named like its citation files (`trafficking-in-migrants-25.pdf`); None: none."""
    how_to_cite: Callable[[E, str, Archive | None], Record] | None = None
    """The record its page's "How to cite" formats (`export.styles`); None: its citation record (`record`)."""
    articles: Callable[[E], list[tuple[str, str]]] = lambda entry: []
    """Its parts cited one by one in "How to cite", as (title, anchor): an issue's articles."""

    def cite_record(self, entry: E, site_url: str, archive: Archive | None) -> Record | None:
        """The record "How to cite" formats for the entry, or None when the kind has none."""
        build = self.how_to_cite or self.record
        return build(entry, site_url, archive) if build else None

    @property
    def name(self) -> str:
        """The kind in one word (`bulletin`): names its page template and the theme's class `tim-<kind>`."""
        return self.model.kind

    @property
    def folder(self) -> str:
        """Its folder in `content/`, the first part of its URLs and the key of its collection feed."""
        return self.model.folder

    @property
    def template(self) -> str:
        return f"pages/{self.name}.md.j2"

    def url(self, entry: E) -> str:
        return entry_url(entry)

    def edition_path(self, entry: E) -> str:
        """Where its PDF edition is served, beside its page: `bulletins/25/trafficking-in-migrants-25.pdf`."""
        return entry_url(entry) + self.cite_name(entry) + ".pdf"


KINDS: tuple[Kind[Any], ...] = (
    Kind(
        Bulletin,
        entries=lambda archive: archive.bulletins,
        page=bulletin_page,
        feed=Feed(
            "bulletin issues", "Each new issue of the bulletin, with its contents and full text.", bulletin_summary
        ),
        record=bulletin_record,
        head=bulletin_head,
        search=bulletin_search,
        library=bulletin_record,
        # An issue's files are named after the periodical (trafficking-in-migrants-25.bib), a publication's after its id.
        cite_name=lambda b: f"{periodical.SLUG}-{b.key}",
        edition=Edition(issue_edition, "issue"),
        articles=lambda b: [(h.title, h.anchor) for h in outline(b.body) if h.level == 3],
    ),
    Kind(
        Meeting,
        entries=lambda archive: archive.meetings,
        page=meeting_page,
        feed=Feed("meetings", "Meetings, conferences and signings reported by the bulletin.", meeting_summary),
        record=None,
        head=meeting_head,
        search=meeting_search,
        library=None,
        how_to_cite=meeting_record,
    ),
    Kind(
        Publication,
        entries=lambda archive: archive.publications,
        page=publication_page,
        feed=Feed("publications", "New entries in the catalogue of publications.", publication_summary),
        record=publication_record,
        head=publication_head,
        search=publication_search,
        library=publication_record,
        # No typeset edition: the bulletin's own issues are the PDF edition. A publication's full text stays
        # on its page (typeset too, its PDFs were a third of the site's bytes at the benchmark's larger sizes).
    ),
    Kind(
        Series,
        entries=lambda archive: archive.series,
        page=series_page,
        feed=None,
        record=None,
        head=series_head,
        search=series_search,
        library=series_record,
        how_to_cite=series_record,
    ),
)
"""Every kind, in the order pages, feeds and citation files list them."""

_BY_MODEL: dict[type[Entry], Kind[Any]] = {kind.model: kind for kind in KINDS}


def of(entry: Entry) -> Kind[Any]:
    """The row of an entry's kind."""
    return _BY_MODEL[type(entry)]


def fed(archive: Archive) -> Iterator[tuple[Kind[Any], Feed[Any], Sequence[Entry]]]:
    """The kinds that have a collection feed, each with its feed and its entries."""
    for kind in KINDS:
        if kind.feed is not None:
            yield kind, kind.feed, kind.entries(archive)


def citable_entries(archive: Archive) -> list[Entry]:
    """Every entry that has citation downloads, kind by kind."""
    return [entry for kind in KINDS if kind.record is not None for entry in kind.entries(archive)]


def library_entries(archive: Archive) -> list[Entry]:
    """Every entry that has library records (MARC 21, MODS, Dublin Core), kind by kind."""
    return [entry for kind in KINDS if kind.library is not None for entry in kind.entries(archive)]


def with_pdf(archive: Archive) -> list[Entry]:
    """Every entry with a PDF served beside its page."""
    return [entry for kind in KINDS for entry in kind.entries(archive) if entry.attached_pdf]


def typeset(entry: Entry, as_of: date, preview: bool = False) -> bool:
    """Whether an entry gets a PDF edition: a published issue; never a draft or an item not yet published, unless
    `preview` (a draft shown by `serve --drafts --pdf`, never cached)."""
    if of(entry).edition is None:
        return False
    return preview or not (entry.draft or entry.published > as_of)


def with_edition(archive: Archive, as_of: date, preview: bool = False) -> list[Entry]:
    """Every entry of `archive` typeset as a PDF (see `typeset`), kind by kind."""
    return [entry for kind in KINDS for entry in kind.entries(archive) if typeset(entry, as_of, preview)]


def edition_path(entry: Entry) -> str:
    return of(entry).edition_path(entry)


def citable_names() -> list[str]:
    return [kind.name for kind in KINDS if kind.record is not None]


def summary(entry: Entry) -> str:
    """An entry's summary in lists and feeds: its own, or its kind's feed summary."""
    feed = of(entry).feed
    return entry.summary or (feed.summary(entry) if feed else "")


__all__ = [
    "KINDS",
    "Edition",
    "Feed",
    "Kind",
    "citable_entries",
    "citable_names",
    "edition_path",
    "fed",
    "library_entries",
    "of",
    "summary",
    "typeset",
    "with_edition",
    "with_pdf",
]
