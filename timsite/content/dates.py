"""Dates as printed: a day, a month or a year, and the season rule for bulletin issues.

Old documents often give only a month ("September 2002") or a season ("Spring 2002").
A `PartialDate` keeps exactly the precision that was printed and never invents a day;
where a single instant is needed (sorting, feeds) the first day of the period is used.

>>> parse_partial_date("2002-09")
PartialDate(year=2002, month=9, day=None)
>>> str(parse_partial_date("2002-02-26")), str(parse_partial_date("2002-09")), str(parse_partial_date("2002"))
('26 February 2002', 'September 2002', '2002')
>>> parse_partial_date("2002-02-30")
Traceback (most recent call last):
...
ValueError: 2002-02-30 is not a real date: February 2002 has 28 days
>>> season_date("spring", 2002)
datetime.date(2002, 4, 1)
>>> format_range(parse_partial_date("2002-02-26"), parse_partial_date("2002-02-28"))
'26–28 February 2002'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

SEASON_START_MONTH = {"winter": 1, "spring": 4, "summer": 7, "autumn": 10}
"""The season rule: a season-only issue is dated the first day of the quarter it names."""

FIRST_YEAR, LAST_YEAR = 1000, 2999
"""Every date in the content lies in these years: beyond them a calendar or a feed cannot hold the date."""

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)

    def __str__(self) -> str:
        if self.day and self.month:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)


def parse_partial_date(text: str) -> PartialDate:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD; raise ValueError with a message an editor can act on."""
    m = _DATE_RE.match(text.strip())
    if not m:
        raise ValueError(f'"{text}" is not a date: write a day as 2002-02-26, a month as "2002-09" or a year as "2002"')
    year = int(m.group(1))  # the pattern requires it
    month, day = (int(g) if g else None for g in m.groups()[1:])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{text} is not a plausible date: years from {FIRST_YEAR} to {LAST_YEAR} are accepted")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{text} is not a real date: there is no month {month}")
    if day is not None and month is not None:
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            raise ValueError(f"{text} is not a real date: {calendar.month_name[month]} {year} has {days} days")
    return PartialDate(year, month, day)


def season_date(season: str, year: int) -> date:
    """Publication date of an issue that prints only its season (see SEASON_START_MONTH)."""
    return date(year, SEASON_START_MONTH[season], 1)


def format_range(start: PartialDate, end: PartialDate | None) -> str:
    """Human-readable span of a meeting, as compact as the precision allows."""
    if end is None or end == start:
        return str(start)
    if start.day and end.day and start.year == end.year and start.month == end.month:
        return f"{start.day}–{end.day} {calendar.month_name[start.month or 1]} {start.year}"
    return f"{start} – {end}"
