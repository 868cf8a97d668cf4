"""What an article tells about the meeting or publication it reports: titles, dates, place, byline, ISBN.

>>> meeting_dates("held in Kyiv from **3 to 5 June 2003**.")
('2003-06-03', '2003-06-05')
>>> meeting_dates("on 9 May 2003"), meeting_dates("in **October 2003**"), meeting_dates("no date")
(('2003-05-09', None), ('2003-10', None), (None, None))
>>> place("was held in Kyiv, Ukraine from 3"), place("was held in Vienna on 9 May")
(('Kyiv', 'Ukraine'), ('Vienna', None))
>>> byline("By Anna Petrov for IOM"), byline("UNICEF, March 2003"), byline("IOM 2003")
((['Anna Petrov'], 'IOM', None), ([], 'UNICEF', 2003), ([], 'IOM', 2003))
>>> [i for i, _ in identifiers("ISBN 92-9068-113-6 and ISSN 1607-338X")]
['isbn', 'issn']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_RANGE = re.compile(rf"\b(\d{{1,2}})\s*(?:to|-|–|—|and)\s*(\d{{1,2}})\s+{_MONTH}\s+((?:19|20)\d\d)\b")
_RANGE_MONTHS = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}\s*(?:to|-|–|—)\s*(\d{{1,2}})\s+{_MONTH}\s+((?:19|20)\d\d)\b")
_DAY = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}\s+((?:19|20)\d\d)\b")
_MONTH_ONLY = re.compile(rf"\b{_MONTH}\s+((?:19|20)\d\d)\b")
_NAME = r"[A-Z][\w'’.-]*(?:\s(?:de|del|di|la|le)?\s?[A-Z][\w'’.-]*)*"
_PLACE = re.compile(rf"\bheld\s+in\s+({_NAME})(?:,\s+({_NAME}))?")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_BY = re.compile(r"^by\s+(.+?)(?:\s+for\s+(.+))?$", re.IGNORECASE)
_ISBN = re.compile(r"\bISBN(?:-1[03])?:?\s*((?:97[89][\s-]?)?\d[\d\s-]{7,14}[\dXx])\b")
_ISSN = re.compile(r"\bISSN:?\s*(\d{4}\s?-?\s?\d{3}[\dXx])\b")
BOLD = re.compile(r"\*\*(.+?)\*\*")


def _iso(year: str, month: str, day: str | None = None) -> str:
    m = MONTHS[month.lower()]
    return f"{int(year):04d}-{m:02d}-{int(day):02d}" if day else f"{int(year):04d}-{m:02d}"


def meeting_dates(text: str) -> tuple[str | None, str | None]:
    """The first date or range of days the text prints, as the content model writes them; never invented."""
    plain = text.replace("**", "")
    found = _RANGE_MONTHS.search(plain)
    if found:
        d1, m1, d2, m2, y = found.groups()
        return _iso(y, m1, d1), _iso(y, m2, d2)
    found = _RANGE.search(plain)
    if found:
        d1, d2, m, y = found.groups()
        return _iso(y, m, d1), _iso(y, m, d2)
    found = _DAY.search(plain)
    if found:
        return _iso(found.group(3), found.group(2), found.group(1)), None
    found = _MONTH_ONLY.search(plain)
    if found:
        return _iso(found.group(2), found.group(1)), None
    return None, None


def place(text: str) -> tuple[str | None, str | None]:
    """City and country after "held in", only as printed."""
    found = _PLACE.search(text.replace("**", ""))
    if not found:
        return None, None
    return found.group(1), found.group(2)


def byline(text: str) -> tuple[list[str], str | None, int | None]:
    """Authors, publisher and year from a line such as "By A. Author for IOM" or "Publisher, March 2003"."""
    years = _YEAR.findall(text)
    year = int(years[-1]) if years else None
    rest = _YEAR.sub("", text)
    rest = re.sub(_MONTH, "", rest, flags=re.IGNORECASE)
    authors: list[str] = []
    found = _BY.match(rest.strip())
    if found:
        authors = [a.strip() for a in re.split(r",\s*|\s+and\s+", found.group(1)) if a.strip()]
        rest = found.group(2) or ""
    publisher = " ".join(rest.replace(" ,", ",").strip(" ,;").split()) or None
    return authors, publisher, year


def identifiers(text: str) -> list[tuple[str, str]]:
    """Every ISBN and ISSN printed in the text, as printed: ("isbn" or "issn", value)."""
    found = [(m.start(), "isbn", " ".join(m.group(1).split())) for m in _ISBN.finditer(text)]
    found += [(m.start(), "issn", " ".join(m.group(1).split())) for m in _ISSN.finditer(text)]
    return [(kind, value) for _, kind, value in sorted(found)]


def bold_titles(text: str) -> list[str]:
    """Bold phrases that are not only a date: the official titles articles print in bold."""
    return [b for b in BOLD.findall(text) if meeting_dates(b) == (None, None) or len(b.split()) > 6]


@dataclass
class Reported:
    """A meeting or publication an article reports, with what the text gives of it."""

    kind: str
    heading: str
    anchor: str
    titles: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    city: str | None = None
    country: str | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    year: int | None = None
    isbn: str | None = None
    body: str = ""
