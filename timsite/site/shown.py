"""How an entry's date and title are shown to readers: dates as printed, never a made-up day.

An issue dated by its season alone shows its season and year, a publication dated by year its year, a
meeting known by month its month: the first day a sort or a feed uses (`published`) never reaches a reader.
"""

from __future__ import annotations

from timsite.content.model import Bulletin, Entry, Meeting, Publication


def printed_date(entry: Entry) -> str:
    """The entry's date as its source prints it, or "" when it has none.

    >>> from pathlib import Path
    >>> printed_date(Bulletin.model_construct(number=25, season="spring", year=2002, date=None))
    'Spring 2002'
    >>> printed_date(Publication.model_construct(id="x", year=2001, date=None))
    '2001'
    """
    if isinstance(entry, Bulletin):
        if entry.date:
            return f"{entry.date.day} {entry.date:%B %Y}"
        return f"{str(entry.season).capitalize()} {entry.year}"
    if isinstance(entry, Meeting):
        return entry.when
    if isinstance(entry, Publication):
        if entry.date:
            return str(entry.date)
        return str(entry.year) if entry.year else ""
    return ""


def shown_title(entry: Entry) -> str:
    """The title lists show: an issue's or meeting's display title, a publication's short title, a series' name."""
    return str(getattr(entry, "display_title", None) or getattr(entry, "title", "") or entry.key)
