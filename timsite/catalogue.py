"""The whole archive as one object: indexes by id and identifier, cross-references, and the checks across files."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .identifiers import parse_isbn, parse_issn
from .load import Loaded, load_content
from .model import Bulletin, Entry, Meeting, Publication, Series
from .problems import Problem, Severity, display_path


@dataclass
class Archive:
    """Every entry, its indexes, and the links between entries (both directions)."""

    bulletins: list[Bulletin]
    meetings: list[Meeting]
    publications: list[Publication]
    series: list[Series]
    root: Path = field(default_factory=lambda: Path("content"))
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

        return Archive(
            [b for b in self.bulletins if keep(b)],
            [m for m in self.meetings if drafts or not m.draft],
            [p for p in self.publications if keep(p)],
            [s for s in self.series if drafts or not s.draft],
            self.root,
        )


def _show(entry: Entry, root: Path) -> str:
    return display_path(entry.path)


def check_archive(archive: Archive) -> list[Problem]:
    """Problems that only show across files: duplicates, dangling references, bad identifiers."""
    problems: list[Problem] = []
    root = archive.root

    def add(entry: Entry, name: str, message: str, severity: Severity = Severity.ERROR) -> None:
        acknowledged = severity is Severity.WARNING and name in entry.known_misprints
        problems.append(Problem(_show(entry, root), entry.lines.get(name), name, message, severity, acknowledged))

    for entry in archive.entries():
        for name in entry.known_misprints:
            info = getattr(entry, f"{name}_info", None)
            if info is None or not info.checksum_failed:
                add(
                    entry,
                    "known_misprints",
                    f"{name} is listed as a known misprint but its check digit is fine (or it is missing): "
                    f"remove {name} from known_misprints",
                )

    def duplicates(entries: Iterable[Entry], key: str, name: str, what: str) -> None:
        groups: dict[object, list[Entry]] = defaultdict(list)
        for entry in entries:
            groups[getattr(entry, key)].append(entry)
        for value, group in groups.items():
            if len(group) > 1:
                for entry in group:
                    others = ", ".join(_show(o, root) for o in group if o is not entry)
                    add(entry, name, f"{what} {value} is already used by {others}: each must be unique")

    duplicates(archive.bulletins, "number", "number", "issue number")
    duplicates(archive.meetings, "id", "id", "id")
    duplicates(archive.publications, "id", "id", "id")
    duplicates(archive.series, "id", "id", "id")

    isbn_groups: dict[str, list[Publication]] = defaultdict(list)
    issn_owner: dict[str, Entry] = {}
    for pub in archive.publications:
        info = pub.isbn_info
        if info is not None:
            if info.checksum_failed:
                add(
                    pub,
                    "isbn",
                    f'check digit is invalid (printed "{info.printed}"): kept as printed and shown with a note, '
                    "never used as an identifier",
                    Severity.WARNING,
                )
            elif not info.valid:
                add(pub, "isbn", f'"{info.printed}" is not an ISBN: {info.problem}')
            else:
                isbn_groups[info.isbn13 or ""].append(pub)
        if pub.series and pub.series not in archive.series_by_id:
            add(pub, "series", f'no series has the id "{pub.series}"{_did_you_mean(pub.series, archive.series_by_id)}')
        if pub.series_number and not pub.series:
            add(pub, "series_number", "a number in a series needs the series too: add series: <series id>")
        if pub.meeting and pub.meeting not in archive.meeting_by_id:
            add(
                pub,
                "meeting",
                f'no meeting has the id "{pub.meeting}"{_did_you_mean(pub.meeting, archive.meeting_by_id)}',
            )
        for number in pub.bulletins:
            if number not in archive.by_number:
                add(pub, "bulletins", f"there is no bulletin issue N° {number}")
        if pub.date and pub.year and pub.date.year != pub.year:
            add(pub, "date", f"date {pub.date.iso()} is not in the year {pub.year}")
    for group in isbn_groups.values():
        for pub in group if len(group) > 1 else []:
            others = ", ".join(_show(o, root) for o in group if o is not pub)
            add(
                pub,
                "isbn",
                f"ISBN {pub.isbn_info.hyphenated13 if pub.isbn_info else pub.isbn} is also given by {others}: "
                "the same work listed twice is one publication (record the other title under also_listed_as)",
            )
    for owner in [*archive.series, *archive.publications, *archive.bulletins]:
        issn = owner.issn_info
        if issn is None:
            continue
        if issn.checksum_failed:
            add(
                owner,
                "issn",
                f'check digit is invalid (printed "{issn.printed}"): kept as printed and shown with a note',
                Severity.WARNING,
            )
        elif not issn.valid:
            add(owner, "issn", f'"{issn.printed}" is not an ISSN: {issn.problem}')
        elif issn.compact in issn_owner and not isinstance(owner, Bulletin):
            add(owner, "issn", f"ISSN {issn.formatted} is also given by {_show(issn_owner[issn.compact or ''], root)}")
        else:
            issn_owner.setdefault(issn.compact or "", owner)

    numbers_in_series: dict[tuple[str, int], Publication] = {}
    for pub in archive.publications:
        if pub.series in archive.series_by_id and not pub.series_number:
            # A series lists its volumes in number order; an unnumbered one would sort last, out of place.
            add(
                pub,
                "series",
                f"no number in the series {pub.series}: add series_number with the number printed on it",
                Severity.WARNING,
            )
        if pub.series and pub.series_number:
            k = (pub.series, pub.series_number)
            if k in numbers_in_series:
                add(
                    pub,
                    "series_number",
                    f"N° {pub.series_number} of {pub.series} is already {_show(numbers_in_series[k], root)}",
                )
            numbers_in_series.setdefault(k, pub)

    for bulletin in archive.bulletins:
        if bulletin.date and bulletin.date.year != bulletin.year:
            add(
                bulletin,
                "date",
                f"date {bulletin.date} is not in the year {bulletin.year} printed on the cover",
                Severity.WARNING,
            )
        for ref in bulletin.meetings:
            if ref not in archive.meeting_by_id:
                add(bulletin, "meetings", f'no meeting has the id "{ref}"{_did_you_mean(ref, archive.meeting_by_id)}')
        for ref in bulletin.publications:
            if archive.find_publication(ref) is None:
                info = parse_isbn(ref)
                why = (
                    " (an ISBN with an invalid check digit cannot be used as a reference: use the id)"
                    if info.checksum_failed
                    else ""
                )
                add(
                    bulletin,
                    "publications",
                    f'no publication has the id or ISBN "{ref}"{why}{_did_you_mean(ref, archive.publication_by_id)}',
                )
        if bulletin.pdf and not (bulletin.path.parent / bulletin.pdf).is_file():
            add(bulletin, "pdf", f'the file "{bulletin.pdf}" is not next to {bulletin.path.name}')

    for meeting in archive.meetings:
        if meeting.end and meeting.end.first_day() < meeting.start.first_day():
            add(meeting, "end", f"the meeting ends ({meeting.end}) before it starts ({meeting.start})")
        if meeting.reported_in is not None:
            reporter = archive.by_number.get(meeting.reported_in)
            if reporter is None:
                add(meeting, "reported_in", f"there is no bulletin issue N° {meeting.reported_in}")
            elif meeting.id not in reporter.meetings:
                add(
                    meeting,
                    "reported_in",
                    f"issue N° {reporter.number} does not list this meeting: add {meeting.id} to its meetings",
                    Severity.WARNING,
                )
    for series in archive.series:
        if parse_issn(series.issn or "").valid and not archive.volumes(series):
            add(series, "id", "no publication belongs to this series yet", Severity.WARNING)
    return problems


def _did_you_mean(value: str, known: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


_LOADED: dict[Path, tuple[tuple[tuple[str, int, int], ...], Archive, list[Problem]]] = {}


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under `root` with its modification time and size: changes whenever the content does."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def load_archive(root: Path) -> tuple[Archive, list[Problem]]:
    """Load and check everything under `root`: the archive and every problem, file-level and cross-file.

    The result is kept for as long as no file under `root` changes, so `build.py build`, which checks
    the content before MkDocs starts, and the MkDocs plugin, which needs it again, read it only once.
    Entries are frozen models, so sharing them is safe.
    """
    root = root.resolve()
    fingerprint = _fingerprint(root) if root.is_dir() else ()
    cached = _LOADED.get(root)
    if cached is not None and cached[0] == fingerprint:
        return cached[1], list(cached[2])
    loaded: Loaded = load_content(root)
    archive = Archive(loaded.bulletins, loaded.meetings, loaded.publications, loaded.series, root)
    problems = loaded.problems + check_archive(archive)
    _LOADED[root] = (fingerprint, archive, problems)
    return archive, list(problems)
