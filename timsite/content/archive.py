"""The whole archive as one object: indexes by id and identifier, links both ways, drafts and embargoes.

The rules across files are in `checks`; `checked.load_archive` reads, models and checks everything once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from timsite.content.identifiers import parse_isbn
from timsite.content.model import Bulletin, Entry, Meeting, Publication, Series
from timsite.content.vocabulary import EMPTY, Vocabulary


@dataclass
class Archive:
    """Every entry, its indexes, and the links between entries (both directions)."""

    bulletins: list[Bulletin]
    meetings: list[Meeting]
    publications: list[Publication]
    series: list[Series]
    root: Path = field(default_factory=lambda: Path("content"))
    vocabulary: Vocabulary = EMPTY
    """The tag vocabulary (`content/tags.yml`): each tag's group and merged names."""
    by_number: dict[int, Bulletin] = field(init=False)
    meeting_by_id: dict[str, Meeting] = field(init=False)
    publication_by_id: dict[str, Publication] = field(init=False)
    series_by_id: dict[str, Series] = field(init=False)
    by_isbn: dict[str, Publication] = field(init=False)
    by_issn: dict[str, Publication | Series] = field(init=False)
    # Reverse links, computed once so every page costs the same however large the archive.
    _reviewers: dict[str, set[int]] = field(init=False, repr=False)
    _reporters: dict[str, set[int]] = field(init=False, repr=False)
    _reported: dict[int, list[str]] = field(init=False, repr=False)
    _papers: dict[str, list[Publication]] = field(init=False, repr=False)
    _volumes: dict[str, list[Publication]] = field(init=False, repr=False)
    _position: dict[int, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.bulletins = sorted(self.bulletins, key=lambda b: b.number)
        self.meetings = sorted(self.meetings, key=lambda m: (m.start.first_day(), m.id))
        self.publications = sorted(self.publications, key=lambda p: (p.title.casefold(), p.id))
        self.series = sorted(self.series, key=lambda s: s.title.casefold())
        self.by_number = {b.number: b for b in self.bulletins}
        self.meeting_by_id = {m.id: m for m in self.meetings}
        self.publication_by_id = {p.id: p for p in self.publications}
        self.series_by_id = {s.id: s for s in self.series}
        self.by_isbn = {}
        for p in self.publications:
            info = p.isbn_info
            if info and info.valid:
                for key in info.keys:
                    self.by_isbn.setdefault(key, p)
        self.by_issn = {}
        owners: list[Publication | Series] = [*self.series, *self.publications]
        for owner in owners:
            issn = owner.issn_info
            if issn and issn.compact:
                self.by_issn.setdefault(issn.compact, owner)
        self._reviewers = defaultdict(set)
        self._reporters = defaultdict(set)
        for b in self.bulletins:
            for ref in b.publications:
                found = self.find_publication(ref)
                if found is not None:
                    self._reviewers[found.id].add(b.number)
            for meeting_id in b.meetings:
                self._reporters[meeting_id].add(b.number)
        self._reported = defaultdict(list)
        for m in self.meetings:
            if m.reported_in is not None:
                self._reported[m.reported_in].append(m.id)
        self._papers = defaultdict(list)
        self._volumes = defaultdict(list)
        for p in self.publications:
            if p.meeting:
                self._papers[p.meeting].append(p)
            if p.series:
                self._volumes[p.series].append(p)
        self._position = {b.number: i for i, b in enumerate(self.bulletins)}

    # --- references, resolved ---
    def find_publication(self, ref: str) -> Publication | None:
        """A publication by id or by any printed form of a valid ISBN."""
        if ref in self.publication_by_id:
            return self.publication_by_id[ref]
        info = parse_isbn(ref)
        return self.by_isbn.get(info.isbn13 or "") if info.valid else None

    def reviewed_in(self, publication: Publication) -> list[Bulletin]:
        """Issues that review this publication or are listed as related to it."""
        numbers = self._reviewers.get(publication.id, set()) | set(publication.bulletins)
        return [self.by_number[n] for n in sorted(numbers) if n in self.by_number]

    def reviews(self, bulletin: Bulletin) -> list[Publication]:
        found = (self.find_publication(r) for r in bulletin.publications)
        return [p for p in found if p is not None]

    def reports(self, bulletin: Bulletin) -> list[Meeting]:
        """Meetings the issue lists, plus meetings that say this issue reported them."""
        ids = list(bulletin.meetings) + self._reported.get(bulletin.number, [])
        seen: dict[str, Meeting] = {}
        for i in ids:
            if i in self.meeting_by_id and i not in seen:
                seen[i] = self.meeting_by_id[i]
        return list(seen.values())

    def reported_by(self, meeting: Meeting) -> list[Bulletin]:
        numbers = set(self._reporters.get(meeting.id, set()))
        if meeting.reported_in in self.by_number:
            numbers.add(meeting.reported_in)
        return [self.by_number[n] for n in sorted(numbers)]

    def papers(self, meeting: Meeting) -> list[Publication]:
        return list(self._papers.get(meeting.id, []))

    def volumes(self, series: Series) -> list[Publication]:
        return sorted(self._volumes.get(series.id, []), key=lambda p: (p.series_number or 10**6, p.title))

    def neighbours(self, bulletin: Bulletin) -> tuple[Bulletin | None, Bulletin | None]:
        index = self._position[bulletin.number]
        previous = self.bulletins[index - 1] if index > 0 else None
        following = self.bulletins[index + 1] if index + 1 < len(self.bulletins) else None
        return previous, following

    def entries(self) -> Iterable[Entry]:
        yield from self.bulletins
        yield from self.meetings
        yield from self.publications
        yield from self.series

    def tags(self) -> dict[str, list[Entry]]:
        tagged: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries():
            for tag in entry.tags:
                tagged[tag].append(entry)
        return dict(sorted(tagged.items(), key=lambda kv: kv[0].casefold()))

    def visible(self, as_of: date, drafts: bool = False) -> Archive:
        """The archive a reader may see on `as_of`: no drafts, nothing dated in the future."""

        def keep(entry: Entry) -> bool:
            return drafts or (not entry.draft and entry.published <= as_of)

        series = [s for s in self.series if drafts or not s.draft]
        shown = {s.id for s in series}

        def unlinked(p: Publication) -> Publication:
            # A volume of a hidden series is shown outside any series: its id must not leak.
            return (
                p if not p.series or p.series in shown else p.model_copy(update={"series": None, "series_number": None})
            )

        return Archive(
            [b for b in self.bulletins if keep(b)],
            [m for m in self.meetings if drafts or not m.draft],
            [unlinked(p) for p in self.publications if keep(p)],
            series,
            self.root,
            self.vocabulary,
        )
