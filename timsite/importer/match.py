"""Matching what an issue reports against the archive: by ISBN first, then by title similarity.

A match at or above `LINK` is linked, never duplicated; below it a draft stub is written, with an id
no existing entry (nor another stub) has.
"""

from __future__ import annotations

from dataclasses import dataclass

from timsite.content.archive import Archive
from timsite.content.identifiers import parse_isbn
from timsite.content.model import slug_for
from timsite.importer.similar import similarity

LINK = 0.8
"""Titles at least this alike are the same meeting or publication."""


@dataclass
class Match:
    entry_id: str | None
    score: float
    how: str
    title: str = ""


def match_meeting(titles: list[str], archive: Archive, taken: set[str], number: int) -> Match:
    """The meeting most like one of `titles`; of equals, one that says this issue reported it."""
    best = Match(None, 0.0, "no meeting of the archive has a title like it")
    best_key = (0.0, False)
    for meeting in archive.meetings:
        if meeting.id in taken:
            continue
        for mine in titles:
            for theirs in filter(None, (meeting.title, meeting.short_title)):
                score = similarity(mine, theirs, best.score)
                key = (score, meeting.reported_in == number)
                if key > best_key:
                    best_key = key
                    best = Match(meeting.id, score, f'title "{mine}" ~ "{theirs}"', meeting.title)
    return best if best.score >= LINK else Match(None, best.score, best.how, best.title)


def match_publication(titles: list[str], isbn: str | None, archive: Archive, taken: set[str]) -> Match:
    if isbn:
        info = parse_isbn(isbn)
        found = archive.by_isbn.get(info.isbn13 or "") if info.valid else None
        if found is not None and found.id not in taken:
            return Match(found.id, 1.0, f"ISBN {isbn}", found.title)
    best = Match(None, 0.0, "no publication of the archive has a title like it")
    for publication in archive.publications:
        if publication.id in taken:
            continue
        for mine in titles:
            for theirs in filter(None, (publication.title, publication.short_title, *publication.also_listed_as)):
                score = similarity(mine, theirs, best.score)
                if score > best.score:
                    best = Match(publication.id, score, f'title "{mine}" ~ "{theirs}"', publication.title)
    return best if best.score >= LINK else Match(None, best.score, best.how, best.title)


def new_id(title: str, existing: set[str]) -> str:
    """A slug of the title that no entry of the archive, nor another stub, has (`-2`, `-3` added)."""
    base = slug_for(title, 70)
    candidate, n = base, 1
    while candidate in existing:
        n += 1
        candidate = f"{base}-{n}"
    existing.add(candidate)
    return candidate
