"""The neutral citation record: the facts a citation of one issue or publication needs, formatted by the others.

Every entry is turned into one `Record`; `bibtex`, `ris`, `csl` and `head` only format records,
so they cannot disagree about a title, an author or an identifier.

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

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import NamedTuple

from timsite.content.archive import Archive
from timsite.content.dates import PartialDate
from timsite.content.model import Bulletin, Meeting, Publication, PublicationType, Series
from timsite.content.periodical import NAME as PERIODICAL
from timsite.content.periodical import PLACE, PUBLISHER, issue_title
from timsite.content.vocabulary import EMPTY, Group
from timsite.site.urls import entry_url, pdf_href


class CitationType(NamedTuple):
    """A type of document in each format's vocabulary (see the table above)."""

    bibtex: str
    ris: str
    csl: str
    schema: str
    genre: str | None  # the kind of document, for formats that print it (BibTeX type, CSL genre, RIS M3)


VOCABULARY: dict[PublicationType, CitationType] = {  # each type in each format: see the table above
    PublicationType.book: CitationType("book", "BOOK", "book", "Book", None),
    PublicationType.report: CitationType("techreport", "RPRT", "report", "Report", "Report"),
    PublicationType.research_series: CitationType("techreport", "RPRT", "report", "Report", None),
    PublicationType.council_document: CitationType("techreport", "RPRT", "report", "Report", "Council document"),
    PublicationType.conference_paper: CitationType(
        "inproceedings", "CPAPER", "paper-conference", "ScholarlyArticle", None
    ),
    PublicationType.presentation: CitationType(
        "misc", "SLIDE", "speech", "PresentationDigitalDocument", "Slide presentation"
    ),
    PublicationType.manual: CitationType("manual", "BOOK", "book", "Book", "Manual"),
    PublicationType.brochure: CitationType("misc", "PAMP", "pamphlet", "CreativeWork", "Brochure"),
    PublicationType.periodical: CitationType("misc", "JFULL", "periodical", "Periodical", "Periodical"),
    PublicationType.article: CitationType("article", "JOUR", "article-journal", "ScholarlyArticle", None),
}
ISSUE_TYPE = CitationType("misc", "JFULL", "periodical", "PublicationIssue", None)
ARTICLE_TYPE = CitationType("article", "JOUR", "article-journal", "Article", None)
"""One article of a bulletin issue (a `###` heading), cited with its anchor as URL."""
MEETING_TYPE = CitationType("misc", "CONF", "event", "Event", "Meeting")
"""A meeting itself (CSL 1.0.2 "event"; a processor knowing only CSL 1.0.1 falls back to a generic entry)."""
SERIES_TYPE = CitationType("misc", "SER", "periodical", "CreativeWorkSeries", "Series")
_REPORT_TYPES = frozenset({PublicationType.report, PublicationType.research_series, PublicationType.council_document})
BOOK_TYPES = frozenset({PublicationType.book, PublicationType.manual})

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
    """Everything a citation of one issue or publication, or a library record of it or of a series, says,
    already validated and formatted."""

    key: str
    type: CitationType
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
    # Library records (MARC, MODS, Dublin Core, COinS) say more than a citation does:
    level: str = "publication"  # "publication", "issue" or "series": what is described
    main_title: str = ""  # the title split as printed: main title ...
    subtitle: str | None = None  # ... and subtitle (after the printed colon, or the `subtitle` field)
    isbn_misprint: str | None = None  # an ISBN exactly as printed whose check fails: kept, never used as one
    issn_misprint: str | None = None
    series_id: str | None = None
    series_issn: str | None = None  # valid only, formatted
    series_url: str | None = None
    provenance: str | None = None  # where the description comes from (the editors' notes)
    full_text: bool = False  # the page at `url` holds the text of the work, not only its description
    online_url: str | None = None  # the work's own online copy elsewhere
    pdf_url: str | None = None
    topics: tuple[str, ...] = ()  # the keywords the tag vocabulary names topics (MARC 650, second indicator 4)
    places: tuple[str, ...] = ()  # ... and regions or countries (MARC 651 and MODS geographic subjects)


def grouped(tags: Iterable[str], archive: Archive | None, *groups: Group) -> tuple[str, ...]:
    """The tags the vocabulary puts in one of `groups` (none without an archive): topics, or places."""
    vocabulary = archive.vocabulary if archive is not None else EMPTY
    return tuple(tag for tag in tags if vocabulary.group(tag) in groups)


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


def split_title(title: str, subtitle: str | None = None) -> tuple[str, str | None]:
    """A title as printed, split into main title and subtitle: at the printed subtitle, else at the first colon.

    >>> split_title("The Route: the Trafficking of Migrants through Lithuania")
    ('The Route', 'the Trafficking of Migrants through Lithuania')
    >>> split_title("Paths of Exploitation"), split_title("Journeys", "A Review")
    (('Paths of Exploitation', None), ('Journeys', 'A Review'))
    """
    if subtitle:
        return title.strip().rstrip(":").strip(), subtitle
    head, colon, tail = title.partition(": ")
    if colon and head.strip() and tail.strip():
        return head.strip(), tail.strip()
    return title, None


def _bad_identifier(kind: str, printed: str, problem: str | None, checksum_failed: bool) -> str:
    why = "invalid check digit" if checksum_failed else (problem or "not valid")
    return f"{kind} as printed: {printed} ({why})"


def bulletin_record(b: Bulletin, site_url: str, archive: Archive | None = None) -> Record:
    notes: list[str] = []
    issn = b.issn_info
    if issn and not issn.valid:
        notes.append(_bad_identifier("ISSN", issn.printed, issn.problem, issn.checksum_failed))
    season = b.season.value.capitalize()
    custom_title = b.display_title != issue_title(b.number, b.season.value, b.year)
    return Record(
        key=f"tim-{b.number}",
        type=ISSUE_TYPE,
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
        topics=grouped(b.tags, archive, Group.topic),
        places=grouped(b.tags, archive, Group.region, Group.country),
        notes=tuple(notes),
        howpublished=f"{PERIODICAL}, N° {b.number}, {season} {b.year}" if custom_title else None,
        level="issue",
        main_title=split_title(b.display_title)[0],
        subtitle=split_title(b.display_title)[1],
        issn_misprint=issn.printed if issn and not issn.valid else None,
        full_text=bool(b.body.strip()),
        pdf_url=absolute(site_url, pdf_href(b)) if b.pdf else None,
    )


def publication_record(p: Publication, site_url: str, archive: Archive | None = None) -> Record:
    citation_type = VOCABULARY[p.type]
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
        type=citation_type,
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
        topics=grouped(p.tags, archive, Group.topic),
        places=grouped(p.tags, archive, Group.region, Group.country),
        notes=tuple(notes),
        forthcoming=p.forthcoming,
        howpublished=citation_type.genre if citation_type.bibtex == "misc" else None,
        main_title=split_title(p.title, p.subtitle)[0],
        subtitle=split_title(p.title, p.subtitle)[1],
        isbn_misprint=isbn.printed if isbn and not isbn.valid else None,
        issn_misprint=own_issn.printed if own_issn and not own_issn.valid else None,
        series_id=series.id if series else None,
        series_issn=series_issn.formatted if series_issn and series_issn.valid else None,
        series_url=absolute(site_url, entry_url(series)) if series else None,
        provenance=p.notes,
        full_text=bool(p.body.strip()),
        online_url=p.url,
    )


def series_record(s: Series, site_url: str, archive: Archive | None = None) -> Record:
    """A series as a whole (a serial), so that libraries can describe it and link its volumes to it."""
    issn = s.issn_info
    notes = (
        [_bad_identifier("ISSN", issn.printed, issn.problem, issn.checksum_failed)] if issn and not issn.valid else []
    )
    return Record(
        key=s.id,
        type=SERIES_TYPE,
        title=s.title,
        publisher=s.publisher,
        issn=issn.formatted if issn and issn.valid else None,
        url=absolute(site_url, entry_url(s)),
        language=s.language,
        abstract=s.summary,
        keywords=tuple(s.tags),
        topics=grouped(s.tags, archive, Group.topic),
        places=grouped(s.tags, archive, Group.region, Group.country),
        notes=tuple(notes),
        level="series",
        main_title=s.title,
        issn_misprint=issn.printed if issn and not issn.valid else None,
    )


def article_record(b: Bulletin, title: str, anchor: str, site_url: str) -> Record:
    """One article of an issue: its heading as title, the issue as container, its anchor as URL."""
    issue = bulletin_record(b, site_url)
    url = f"{issue.url}#{anchor}" if issue.url else None
    return replace(issue, key=f"{issue.key}-{anchor}", type=ARTICLE_TYPE, title=title, url=url, howpublished=None)


def meeting_record(m: Meeting, site_url: str, archive: Archive | None = None) -> Record:
    """A meeting: its organisers as authors, its dates and place, the bulletin issue that reported it."""
    reported = archive.by_number.get(m.reported_in) if archive and m.reported_in else None
    return Record(
        key=m.id,
        type=MEETING_TYPE,
        title=m.title,
        short_title=m.short_title,
        creators=tuple(organisation(o) for o in m.organisers),
        place=m.place or None,
        date=m.start,
        url=absolute(site_url, entry_url(m)),
        language=m.language,
        abstract=m.summary,
        keywords=tuple(m.tags),
        meeting=m,
        howpublished=f"{PERIODICAL}, N° {reported.number}" if reported else None,
    )


def unique_keys(records: Iterable[Record]) -> list[Record]:
    """The records in the order given, with citation keys made unique within them."""
    used: set[str] = set()
    out: list[Record] = []
    for rec in records:
        key, n = rec.key, 1
        while key in used:  # a publication could be given the id "tim-25": it must not shadow issue 25
            n += 1
            key = f"{rec.key}-{n}"
        used.add(key)
        out.append(rec if key == rec.key else replace(rec, key=key))
    return out
