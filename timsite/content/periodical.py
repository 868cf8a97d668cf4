"""The periodical's identity: name, publisher, place, ISSN and the authority of its permanent ids, in one place."""

from __future__ import annotations

NAME = "Trafficking in Migrants"
"""The bulletin's name: the container of every issue, and the site's name."""
PUBLISHER = "International Organization for Migration"
"""As the issues and the catalogue print it."""
PLACE = "Geneva"
KIND = "Quarterly Bulletin"
"""What the masthead calls the periodical, under its name."""
ADDRESS = "17 route des Morillons CH-1211 Geneva 19 Switzerland"
"""The publisher's address as the cover of N° 25 prints it."""
ISSN: str | None = None
"""No ISSN is printed for the bulletin as a whole; an issue that prints one carries it in its own `issn`."""
DOMAIN = "trafficking-in-migrants.iom.int"
"""The domain the permanent ids are minted under (feed ids, calendar UIDs); never a URL to fetch."""
TAG_AUTHORITY = f"{DOMAIN},2002"
"""The tag: URI authority (RFC 4151) of every permanent id: the domain and the year it was first used."""
SLUG = "trafficking-in-migrants"
"""The name's slug, for file names such as trafficking-in-migrants-25.bib."""


def issue_title(number: int, season: str, year: int) -> str:
    """An issue's default title, as on its cover: `Trafficking in Migrants N° 25 – Spring 2002`.

    >>> issue_title(25, "spring", 2002)
    'Trafficking in Migrants N° 25 – Spring 2002'
    """
    return f"{NAME} N° {number} – {season.capitalize()} {year}"


def edition_file(number: int) -> str:
    """The file name of an issue's typeset PDF edition, stable once published: `trafficking-in-migrants-25.pdf`."""
    return f"{SLUG}-{number}.pdf"
