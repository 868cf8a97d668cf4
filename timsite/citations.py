"""Citations: BibTeX, RIS and CSL-JSON downloads of issues and publications (page <head> metadata: `metadata`).

Every entry is first turned into one neutral `Record` (the facts a citation needs);
the three serialisers (and `metadata`, for page heads) only format a record, so they cannot
disagree about a title, an author or an identifier.

Type choices (each format has its own vocabulary; where it has no exact match the
closest type that reference managers import well is used):

=================  ===============  =======  ================  ============================
publication type   BibTeX           RIS      CSL               schema.org
=================  ===============  =======  ================  ============================
book               @book            BOOK     book              Book
report             @techreport      RPRT     report            Report
research-series    @techreport      RPRT     report            Report
council-document   @techreport      RPRT     report            Report
conference-paper   @inproceedings   CPAPER   paper-conference  ScholarlyArticle
presentation       @misc            SLIDE    speech            PresentationDigitalDocument
manual             @manual          BOOK     book              Book
brochure           @misc            PAMP     pamphlet          CreativeWork
periodical         @misc            JFULL    periodical        Periodical
article            @article         JOUR     article-journal   ScholarlyArticle
bulletin issue     @misc            JFULL    periodical        PublicationIssue
=================  ===============  =======  ================  ============================

A bulletin issue is a whole issue of a periodical: RIS JFULL ("journal, full") and
CSL "periodical" say exactly that; BibTeX has no such type in its standard styles, so
it is an @misc carrying `journal`, `number` and biblatex's `issue` (the season).
RIS SLIDE and PAMP are types of the RIS specification (Zotero imports SLIDE as a
presentation). Titles are exported as printed: in BibTeX they are wrapped in an extra
pair of braces so that styles do not lower-case proper names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple
from urllib.parse import quote

from .catalogue import Archive
from .dates import PartialDate
from .model import Bulletin, Entry, Meeting, Publication, PublicationType
from .periodical import NAME as PERIODICAL
from .periodical import PLACE, PUBLISHER, issue_title
from .urls import entry_url

FORMATS = ("bib", "ris", "json")


class _Kind(NamedTuple):
    bibtex: str
    ris: str
    csl: str
    schema: str
    genre: str | None  # the kind of document, for formats that print it (BibTeX type, CSL genre, RIS M3)


VOCABULARY: dict[PublicationType, _Kind] = {  # each type in each format: see the table above
    PublicationType.book: _Kind("book", "BOOK", "book", "Book", None),
    PublicationType.report: _Kind("techreport", "RPRT", "report", "Report", "Report"),
    PublicationType.research_series: _Kind("techreport", "RPRT", "report", "Report", None),
    PublicationType.council_document: _Kind("techreport", "RPRT", "report", "Report", "Council document"),
    PublicationType.conference_paper: _Kind("inproceedings", "CPAPER", "paper-conference", "ScholarlyArticle", None),
    PublicationType.presentation: _Kind("misc", "SLIDE", "speech", "PresentationDigitalDocument", "Slide presentation"),
    PublicationType.manual: _Kind("manual", "BOOK", "book", "Book", "Manual"),
    PublicationType.brochure: _Kind("misc", "PAMP", "pamphlet", "CreativeWork", "Brochure"),
    PublicationType.periodical: _Kind("misc", "JFULL", "periodical", "Periodical", "Periodical"),
    PublicationType.article: _Kind("article", "JOUR", "article-journal", "ScholarlyArticle", None),
}
_ISSUE_KIND = _Kind("misc", "JFULL", "periodical", "PublicationIssue", None)
_REPORT_TYPES = frozenset({PublicationType.report, PublicationType.research_series, PublicationType.council_document})
BOOK_TYPES = frozenset({PublicationType.book, PublicationType.manual})

_SEASON_NUMBER = {"spring": 1, "summer": 2, "autumn": 3, "winter": 4}  # CSL-JSON's numbering of seasons
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_BABEL = {
    "en": "english", "fr": "french", "es": "spanish", "de": "german", "it": "italian", "pt": "portuguese",
    "ru": "russian", "nl": "dutch", "ar": "arabic", "el": "greek", "pl": "polish", "uk": "ukrainian",
}  # fmt: skip
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


# --- the neutral record ---


@dataclass(frozen=True)
class Creator:
    """An author: a person split into name parts where that is safe, or an organisation kept whole."""

    name: str
    family: str = ""
    given: str = ""
    particle: str = ""
    suffix: str = ""
    corporate: bool = False

    @property
    def family_full(self) -> str:
        return f"{self.particle} {self.family}".strip()

    @property
    def inverted(self) -> str:
        """'Family, Given' (RIS, Highwire); an organisation or a single name as printed."""
        if self.corporate or not self.given:
            return self.name if self.corporate else self.family_full
        tail = f", {self.suffix}" if self.suffix else ""
        return f"{self.family_full}, {self.given}{tail}"


def person(name: str) -> Creator:
    """Split a person's name as printed ("First Last") into its parts.

    >>> person("Donna M. Hughes").inverted
    'Hughes, Donna M.'
    >>> p = person("Jan van der Berg Jr.")
    >>> (p.given, p.particle, p.family, p.suffix)
    ('Jan', 'van der', 'Berg', 'Jr.')
    >>> person("Hughes, Donna M.").given, person("Suharto").inverted
    ('Donna M.', 'Suharto')
    """
    name = " ".join(name.split())
    if "," in name:
        # Already inverted by the editor: trust the comma rather than guess.
        family, given = (part.strip() for part in name.split(",", 1))
        return Creator(name, family=family, given=given)
    tokens = name.split(" ")
    suffix = ""
    if len(tokens) > 2 and tokens[-1].casefold() in _SUFFIXES:
        suffix = tokens.pop()
    if len(tokens) == 1:
        return Creator(name, family=tokens[0], suffix=suffix)
    # A lower-case word after the given names starts the particle ("van der", "de la").
    start = next((i for i in range(1, len(tokens) - 1) if tokens[i][:1].islower()), len(tokens) - 1)
    end = start
    while end < len(tokens) - 1 and tokens[end][:1].islower():
        end += 1
    return Creator(
        name,
        family=" ".join(tokens[end:]),
        given=" ".join(tokens[:start]),
        particle=" ".join(tokens[start:end]),
        suffix=suffix,
    )


def organisation(name: str) -> Creator:
    return Creator(" ".join(name.split()), corporate=True)


@dataclass(frozen=True)
class Record:
    """Everything a citation of one issue or publication says, already validated and formatted."""

    key: str
    kind: _Kind
    title: str
    short_title: str | None = None
    creators: tuple[Creator, ...] = ()
    publisher: str | None = None
    institution: str | None = None  # a report's issuer: its publisher, else its corporate author
    place: str | None = None
    date: PartialDate | None = None
    season: str | None = None
    isbn: str | None = None  # valid only, hyphenated ISBN-13
    isbn10: str | None = None
    issn: str | None = None  # valid only, formatted
    series: str | None = None
    series_number: int | None = None
    number: str | None = None  # a document symbol such as MC/INF/245, or an issue number
    journal: str | None = None
    meeting: Meeting | None = None
    url: str | None = None
    language: str = "en"
    abstract: str | None = None
    keywords: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    forthcoming: bool = False
    howpublished: str | None = None


def absolute(site_url: str, path: str) -> str | None:
    """The absolute URL of a site path, or None when the site URL is unknown (a relative URL cites nothing)."""
    if not site_url:
        return None
    return site_url.rstrip("/") + "/" + path.lstrip("/")


def full_title(pub: Publication) -> str:
    if not pub.subtitle:
        return pub.title
    joiner = " " if pub.title.rstrip().endswith((":", ".", "?", "!", "–", "-")) else ": "
    return f"{pub.title}{joiner}{pub.subtitle}"


def _bad_identifier(kind: str, printed: str, problem: str | None, checksum_failed: bool) -> str:
    why = "invalid check digit" if checksum_failed else (problem or "not valid")
    return f"{kind} as printed: {printed} ({why})"


def bulletin_record(b: Bulletin, site_url: str) -> Record:
    notes: list[str] = []
    issn = b.issn_info
    if issn and not issn.valid:
        notes.append(_bad_identifier("ISSN", issn.printed, issn.problem, issn.checksum_failed))
    season = b.season.value.capitalize()
    custom_title = b.display_title != issue_title(b.number, b.season.value, b.year)
    return Record(
        key=f"tim-{b.number}",
        kind=_ISSUE_KIND,
        title=b.display_title,
        publisher=PUBLISHER,
        place=PLACE,
        # The season rule gives a day only for sorting; a citation never invents one.
        date=PartialDate(b.date.year, b.date.month, b.date.day) if b.date else PartialDate(b.year),
        season=None if b.date else b.season.value,
        issn=issn.formatted if issn else None,
        number=str(b.number),
        journal=PERIODICAL,
        url=absolute(site_url, entry_url(b)),
        language=b.language,
        abstract=b.summary,
        keywords=tuple(b.tags),
        notes=tuple(notes),
        howpublished=f"{PERIODICAL}, N° {b.number}, {season} {b.year}" if custom_title else None,
    )


def publication_record(p: Publication, site_url: str, archive: Archive | None = None) -> Record:
    kind = VOCABULARY[p.type]
    notes: list[str] = []
    isbn = p.isbn_info
    if isbn and not isbn.valid:
        notes.append(_bad_identifier("ISBN", isbn.printed, isbn.problem, isbn.checksum_failed))
    own_issn = p.issn_info
    if own_issn and not own_issn.valid:
        notes.append(_bad_identifier("ISSN", own_issn.printed, own_issn.problem, own_issn.checksum_failed))
    series = archive.series_by_id.get(p.series) if archive and p.series else None
    series_issn = series.issn_info if series else None
    issn = next((i.formatted for i in (own_issn, series_issn) if i and i.valid), None)
    series_number = p.series_number if series else None
    meeting = archive.meeting_by_id.get(p.meeting) if archive and p.meeting else None
    creators = [person(a) for a in p.authors]
    if not creators and p.corporate_author:
        creators = [organisation(p.corporate_author)]
    return Record(
        key=p.id,
        kind=kind,
        title=full_title(p),
        short_title=p.short_title,
        creators=tuple(creators),
        publisher=p.publisher,
        institution=(p.publisher or p.corporate_author) if p.type in _REPORT_TYPES else None,
        place=p.place,
        date=p.date or (PartialDate(p.year) if p.year else None),
        isbn=isbn.hyphenated13 if isbn else None,
        isbn10=isbn.hyphenated10 if isbn else None,
        issn=issn,
        series=series.title if series else None,
        series_number=series_number,
        number=p.document_number,
        meeting=meeting,
        url=absolute(site_url, entry_url(p)),
        language=p.language,
        abstract=p.summary,
        keywords=tuple(p.tags),
        notes=tuple(notes),
        forthcoming=p.forthcoming,
        howpublished=kind.genre if kind.bibtex == "misc" else None,
    )


def record(entry: Entry, site_url: str, archive: Archive | None = None) -> Record:
    if isinstance(entry, Bulletin):
        return bulletin_record(entry, site_url)
    if isinstance(entry, Publication):
        return publication_record(entry, site_url, archive)
    raise TypeError(f"only bulletin issues and publications can be cited, not a {type(entry).__name__}")


def _records(entries: Iterable[Entry], site_url: str, archive: Archive | None) -> list[Record]:
    """One record per distinct entry, in the order given, with citation keys made unique."""
    seen_entries: set[tuple[str, str]] = set()
    used: set[str] = set()
    out: list[Record] = []
    for entry in entries:
        identity = (type(entry).__name__, entry.key)
        if identity in seen_entries:
            continue
        seen_entries.add(identity)
        rec = record(entry, site_url, archive)
        key, n = rec.key, 1
        while key in used:  # a publication could be given the id "tim-25": it must not shadow issue 25
            n += 1
            key = f"{rec.key}-{n}"
        used.add(key)
        out.append(rec if key == rec.key else replace(rec, key=key))
    return out


# --- BibTeX ---

_BIBTEX_SPECIAL = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
}


# BibTeX counts every brace, escaped or not, to find the end of a field: \{ \} are
# only safe when they balance; otherwise the brace-free commands are used.
_BIBTEX_BALANCED = str.maketrans({**_BIBTEX_SPECIAL, "{": r"\{", "}": r"\}"})
_BIBTEX_UNBALANCED = str.maketrans({**_BIBTEX_SPECIAL, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"})


def _braces_balance(text: str) -> bool:
    if "{" not in text and "}" not in text:
        return True
    depth = 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def bibtex_escape(text: str) -> str:
    """Text made literal inside a BibTeX field (and so in LaTeX); non-ASCII stays UTF-8.

    >>> print(bibtex_escape("R&D: 100% of $5 #1 a_b ~ ^ \\\\ é"))
    R\\&D: 100\\% of \\$5 \\#1 a\\_b \\textasciitilde{} \\textasciicircum{} \\textbackslash{} é
    >>> print(bibtex_escape("{EU} policy"), bibtex_escape("a { b"))
    \\{EU\\} policy a \\textbraceleft{} b
    """
    text = " ".join(text.split())
    return text.translate(_BIBTEX_BALANCED if _braces_balance(text) else _BIBTEX_UNBALANCED)


def _bibtex_url(url: str) -> str:
    # url is a verbatim field: LaTeX escapes would become part of the address.
    return quote(url, safe=":/?&=%#@!$'()*+,;~-._")


def _bibtex_name(c: Creator) -> str:
    if c.corporate or not c.given:
        # Braces keep an organisation (or a single name) whole: never split at "and" or a space.
        return "{" + bibtex_escape(c.name if c.corporate else c.family_full) + "}"
    parts = [c.family_full, *([c.suffix] if c.suffix else []), c.given]
    return ", ".join(bibtex_escape(part) for part in parts)


def _bibtex_fields(r: Record) -> list[tuple[str, str]]:
    """(field, already-encoded value) pairs; a value starting with '=' is a bare macro such as a month."""
    f: list[tuple[str, str]] = []

    def text(name: str, value: str | None) -> None:
        if value:
            f.append((name, bibtex_escape(value)))

    if r.creators:
        f.append(("author", " and ".join(_bibtex_name(c) for c in r.creators)))
    f.append(("title", "{" + bibtex_escape(r.title) + "}"))
    text("shorttitle", r.short_title)
    if r.kind is _ISSUE_KIND:
        text("journal", r.journal)
        text("number", r.number)
        text("issue", r.season.capitalize() if r.season else None)
    if r.meeting:
        text("booktitle", r.meeting.title)
        text("eventtitle", r.meeting.title)
        text("venue", r.meeting.place)
        span = r.meeting.start.iso() + (f"/{r.meeting.end.iso()}" if r.meeting.end else "")
        f.append(("eventdate", span))
    if r.kind.bibtex == "techreport":
        text("institution", r.institution)
        text("type", r.series or r.kind.genre or "Report")
    elif r.kind.bibtex == "manual":
        text("organization", r.publisher)
    else:
        text("publisher", r.publisher)
    text("address", r.place)
    text("howpublished", r.howpublished)
    if r.date:
        f.append(("year", str(r.date.year)))
        if r.date.month:
            f.append(("month", "=" + _MONTHS[r.date.month - 1]))
    if r.kind is not _ISSUE_KIND:
        # `number` is the document's own symbol when it has one; the number in the series then
        # moves next to the series title, where styles print it anyway.
        both = bool(r.number and r.series and r.series_number)
        text("series", f"{r.series} {r.series_number}" if both else r.series)
        if r.number:
            text("number", r.number)
        elif r.series and r.series_number:
            f.append(("number", str(r.series_number)))
    if r.isbn:
        f.append(("isbn", r.isbn))
    if r.issn:
        f.append(("issn", r.issn))
    if r.language:
        babel = _BABEL.get(r.language.split("-")[0])
        f.append(("language", babel or bibtex_escape(r.language)))
        if babel:
            f.append(("langid", babel))
    if r.forthcoming:
        f.append(("pubstate", "forthcoming"))
    if r.url:
        f.append(("url", _bibtex_url(r.url)))
    text("abstract", r.abstract)
    text("keywords", ", ".join(r.keywords))
    text("note", "; ".join(r.notes))
    return f


def to_bibtex(records: list[Record]) -> str:
    blocks = []
    for r in records:
        lines = [f"@{r.kind.bibtex}{{{r.key},"]
        for name, value in _bibtex_fields(r):
            lines.append(f"  {name} = {value[1:]}," if value.startswith("=") else f"  {name} = {{{value}}},")
        lines.append("}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


# --- RIS ---


def _ris_date(r: Record) -> str | None:
    """RIS DA: YYYY/MM/DD/other, empty parts kept ("2002///Spring")."""
    if not r.date:
        return None
    month = f"{r.date.month:02d}" if r.date.month else ""
    day = f"{r.date.day:02d}" if r.date.day else ""
    return f"{r.date.year:04d}/{month}/{day}/{r.season.capitalize() if r.season else ''}"


def _ris_lines(r: Record) -> list[tuple[str, str]]:
    t: list[tuple[str, str]] = [("TY", r.kind.ris), ("ID", r.key), ("TI", r.title)]
    if r.short_title:
        t.append(("ST", r.short_title))
    t.extend(("AU", c.inverted) for c in r.creators)
    if r.journal:
        t.append(("T2", r.journal))
    if r.meeting:
        t.append(("T2", r.meeting.title))
    if r.series:
        t.append(("T3", r.series))
    if r.series_number:
        t.append(("VL", str(r.series_number)))
    if r.number:
        t.append(("IS", r.number))
    if r.kind.genre:
        t.append(("M3", r.kind.genre))
    if r.date:
        t.append(("PY", str(r.date.year)))
        t.append(("DA", _ris_date(r) or ""))
    if r.publisher:
        t.append(("PB", r.publisher))
    place = r.place or (r.meeting.place if r.meeting else None)
    if place:
        t.append(("CY", place))
    # RIS has one SN for "ISBN/ISSN": the item's own ISBN identifies it better than a series ISSN.
    if r.isbn or r.issn:
        t.append(("SN", r.isbn or r.issn or ""))
    if r.language:
        t.append(("LA", r.language))
    if r.url:
        t.append(("UR", r.url))
    if r.abstract:
        t.append(("AB", r.abstract))
    t.extend(("KW", k) for k in r.keywords)
    t.extend(("N1", n) for n in r.notes)
    if r.forthcoming:
        t.append(("N1", "Forthcoming"))
    return t


def to_ris(records: list[Record]) -> str:
    # The RIS specification requires CRLF line ends; every RIS reader accepts them.
    out = []
    for r in records:
        for tag, value in _ris_lines(r):
            out.append(f"{tag}  - {' '.join(value.split())}\r\n")
        out.append("ER  - \r\n\r\n")
    return "".join(out)


# --- CSL-JSON ---


def _csl_date(d: PartialDate, season: str | None = None) -> dict[str, Any]:
    parts = [d.year, *([d.month] if d.month else []), *([d.day] if d.day else [])]
    out: dict[str, Any] = {"date-parts": [parts]}
    if season:
        out["season"] = _SEASON_NUMBER[season]
    return out


def _csl_name(c: Creator) -> dict[str, str]:
    if c.corporate:
        return {"literal": c.name}
    name = {"family": c.family}
    if c.given:
        name["given"] = c.given
    if c.particle:
        name["non-dropping-particle"] = c.particle
    if c.suffix:
        name["suffix"] = c.suffix
    return name


def to_csl(r: Record) -> dict[str, Any]:
    item: dict[str, Any] = {"id": r.key, "type": r.kind.csl, "title": r.title}
    if r.short_title:
        item["title-short"] = r.short_title
    if r.creators:
        item["author"] = [_csl_name(c) for c in r.creators]
    if r.date:
        item["issued"] = _csl_date(r.date, r.season)
    if r.journal:
        item["container-title"] = r.journal
        item["issue"] = r.number
    elif r.number:
        item["number"] = r.number
    if r.kind.genre and r.kind is not _ISSUE_KIND:
        item["genre"] = r.kind.genre
    if r.series:
        item["collection-title"] = r.series
    if r.series_number:
        item["collection-number"] = str(r.series_number)
    if r.meeting:
        # "event-title" is CSL 1.0.2; "event" is what CSL 1.0.1 processors read.
        item["event-title"] = r.meeting.title
        item["event"] = r.meeting.title
        if r.meeting.place:
            item["event-place"] = r.meeting.place
        item["event-date"] = {
            "date-parts": [_csl_date(d)["date-parts"][0] for d in (r.meeting.start, r.meeting.end) if d]
        }
    if r.publisher:
        item["publisher"] = r.publisher
    place = r.place or (r.meeting.place if r.meeting else None)
    if place:
        item["publisher-place"] = place
    if r.isbn:
        item["ISBN"] = r.isbn
    if r.issn:
        item["ISSN"] = r.issn
    if r.url:
        item["URL"] = r.url
    if r.language:
        item["language"] = r.language
    if r.abstract:
        item["abstract"] = r.abstract
    if r.keywords:
        item["keyword"] = ", ".join(r.keywords)
    if r.notes:
        item["note"] = "; ".join(r.notes)
    if r.forthcoming:
        item["status"] = "forthcoming"
    return item


def export(fmt: str, entries: list[Any], site_url: str, *, archive: Archive | None = None) -> str:
    """The citations of `entries` (bulletin issues and publications) as "bib", "ris" or "json" (CSL-JSON).

    Pass `archive` so that a publication's series (title, ISSN) and meeting can be cited;
    without it those are left out. The same input always gives the same text.
    """
    if fmt not in FORMATS:
        raise ValueError(f'unknown citation format "{fmt}": use one of {", ".join(FORMATS)}')
    records = _records(entries, site_url, archive)
    if fmt == "bib":
        return to_bibtex(records)
    if fmt == "ris":
        return to_ris(records)
    return json.dumps([to_csl(r) for r in records], ensure_ascii=False, indent=2) + "\n"
