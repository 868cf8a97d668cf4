"""How an entry's date and title are shown in lists: dates as printed, never a made-up day.

An issue dated by its season alone shows its season and year, a publication dated by year its year, a
meeting known by month its month (each model's `printed_date`): the first day a sort or a feed uses
(`published`) never reaches a reader.
"""

from __future__ import annotations

from timsite.content.model import Entry


def printed_date(entry: Entry) -> str:
    """The entry's date as its source prints it, or "" when it has none.

    >>> from timsite.content.model import Bulletin, Publication, Season
    >>> printed_date(Bulletin.model_construct(number=25, season=Season.spring, year=2002, date=None))
    'Spring 2002'
    >>> printed_date(Publication.model_construct(id="x", year=2001, date=None))
    '2001'
    """
    return entry.printed_date


def shown_title(entry: Entry) -> str:
    """The title lists show: an issue's or meeting's display title, a publication's short title, a series' name."""
    return entry.display_title
