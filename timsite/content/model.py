"""The content model: bulletin issues, meetings, publications and series, as pydantic models.

Knows nothing of files or MkDocs. Each field's description is the documentation an
editor sees when a field is missing or wrong.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from markdown.extensions.toc import slugify
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from timsite.content.dates import FIRST_YEAR, LAST_YEAR, PartialDate, format_range, parse_partial_date, season_date
from timsite.content.identifiers import Isbn, Issn, parse_isbn, parse_issn
from timsite.content.periodical import issue_title

_Date = date  # fields named `date` shadow the type inside the models below
UNDATED = date(1900, 1, 1)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


RESERVED_IDS = frozenset({"index", "feeds", "assets", "search", "isbn", "issn", "tags", "cite"})
"""Ids that would collide with a generated page or a reserved path."""


def slug_for(title: str, limit: int = 80) -> str:
    """The id a new file gets from its title (`build.py new`, the importer's stubs): lower-case words and hyphens.

    >>> slug_for("Trafficking in Women to Italy for Sexual Exploitation!")
    'trafficking-in-women-to-italy-for-sexual-exploitation'
    """
    slug = slugify(title, "-")[:limit].strip("-")
    return slug or "untitled"


def _slug(value: str) -> str:
    if value in RESERVED_IDS:
        raise ValueError(
            f'"{value}" is reserved for the site itself: choose another id (reserved: {", ".join(sorted(RESERVED_IDS))})'
        )
    if not SLUG_RE.match(value):
        raise ValueError(
            f'"{value}" is not a valid id: use lower-case letters a-z, digits and single hyphens, '
            "like trafficking-in-women-to-italy"
        )
    return value


def _partial_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and FIRST_YEAR <= value <= LAST_YEAR:
        return PartialDate(value)
    if not isinstance(value, str):
        raise ValueError(f'expected a date such as 2002-02-26 or "2002-09", but received {value!r}')
    return parse_partial_date(value)


def _day(value: Any) -> date:
    if isinstance(value, date):
        return value
    parsed = _partial_date(value)
    if parsed.precision != "day":
        raise ValueError(f'expected a full date such as 2002-04-01, but received "{value}"')
    return parsed.first_day()


# Characters that could end an HTML attribute or be read as Markdown around it; a real address has them
# percent-encoded (%20 for a space, %28 for "(" ...).
_URL_FORBIDDEN = re.compile(r"[\s<>\"'\[\]()`|\\{}]")


def web_address_problem(value: str) -> str | None:
    """Why `value` cannot be written into a link as an http(s) address with a host, or None when it can.

    >>> web_address_problem("https://"), web_address_problem("www.iom.int"), web_address_problem("https://iom.int/x")
    ('"https://" names no host after https://: write the whole address, e.g. https://www.iom.int/', '"www.iom.int" is not a web address: it must start with http:// or https://', None)
    """
    scheme = re.match(r"^(https?)://", value, re.IGNORECASE)
    if not scheme:
        return f'"{value}" is not a web address: it must start with http:// or https://'
    bad = _URL_FORBIDDEN.search(value)
    if bad:
        shown = "a space" if bad.group(0).isspace() else f'"{bad.group(0)}"'
        return (
            f'"{value}" contains {shown}, which a web address may not contain as written: '
            "copy the address from the browser's address bar, where such characters are encoded (%20, %28 ...)"
        )
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - a port out of range or not a number raises ValueError
    except ValueError as error:
        return f'"{value}" is not a web address ({error})'
    host = parts.hostname or ""
    if not host or host.startswith(".") or ".." in host or any(ord(c) < 33 for c in value):
        return (
            f'"{value}" names no host after {scheme.group(1).lower()}://: write the whole address, '
            "e.g. https://www.iom.int/"
        )
    return None


def _url(value: str) -> str:
    problem = web_address_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _language(value: str) -> str:
    if not re.match(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", value):
        raise ValueError(f'"{value}" is not a language code: use a code such as en, fr or es')
    return value


def _pdf_name(value: str) -> str:
    if not re.match(r"^[A-Za-z0-9_][A-Za-z0-9_. -]*\.pdf$", value):
        raise ValueError(
            f'"{value}" is not a PDF file name: give only the name of a .pdf file next to the Markdown file, '
            "such as tim-25.pdf (no folders)"
        )
    return value


def _not_blank(value: str) -> str:
    """Text with something to read: not empty, and not made only of invisible characters.

    >>> _not_blank("\u200b\u200d\ufeff ")
    Traceback (most recent call last):
    ValueError: must not be empty: it holds only invisible characters (zero-width spaces or joiners)
    """
    if not value.strip():
        raise ValueError("must not be empty")
    if all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in value):
        raise ValueError("must not be empty: it holds only invisible characters (zero-width spaces or joiners)")
    return value.strip()


Slug = Annotated[str, AfterValidator(_slug)]
Text = Annotated[str, AfterValidator(_not_blank)]
Url = Annotated[str, AfterValidator(_url)]
Language = Annotated[str, AfterValidator(_language)]
When = Annotated[PartialDate, BeforeValidator(_partial_date), PlainSerializer(lambda d: d.iso())]
Day = Annotated[date, BeforeValidator(_day)]
Year = Annotated[int, Field(ge=1900, le=2100)]
MAX_TAGS = 50
"""Tags one file may carry: each tag has a page and a feed listing every entry that carries it."""
MAX_TAG_LENGTH = 100
# Left-to-right and right-to-left marks too: a tag is a name, shown alone, never mixed with other text.
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _tag(value: str) -> str:
    if len(value) > MAX_TAG_LENGTH:
        raise ValueError(f'a tag may be at most {MAX_TAG_LENGTH} characters: "{value[:40]}..." is {len(value)}')
    if _BIDI.search(value):
        raise ValueError(f"the tag {value!r} holds an invisible text-direction character: retype it")
    return value


def _tags(value: list[str]) -> list[str]:
    if len(value) > MAX_TAGS:
        raise ValueError(f"{len(value)} tags: at most {MAX_TAGS} are allowed in one file")
    seen: dict[str, str] = {}
    for tag in value:
        same = unicodedata.normalize("NFC", tag)
        if same in seen:
            twin = seen[same]
            why = "twice" if twin == tag else f'twice: "{twin}" and "{tag}" look the same (Unicode normalisation)'
            raise ValueError(f'the tag "{tag}" is given {why}: keep one')
        seen[same] = tag
    return value


TagList = Annotated[list[Annotated[Text, AfterValidator(_tag)]], AfterValidator(_tags)]


class Season(StrEnum):
    winter = "winter"
    spring = "spring"
    summer = "summer"
    autumn = "autumn"


class PublicationType(StrEnum):
    book = "book"
    report = "report"
    research_series = "research-series"
    manual = "manual"
    council_document = "council-document"
    conference_paper = "conference-paper"
    presentation = "presentation"
    brochure = "brochure"
    periodical = "periodical"
    article = "article"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


class Entry(BaseModel):
    """Fields every content file has; `path` and `body` come from the file, not the front matter."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, arbitrary_types_allowed=True)
    kind: ClassVar[str] = ""
    """What the entry is, in one word (`bulletin`): names its templates, pages and page kinds."""
    folder: ClassVar[str] = ""
    """The folder of `content/` its files live in, and the first part of its URLs (`bulletins`)."""
    key_field: ClassVar[str] = "id"
    """The field that holds its permanent identity (`key`), named in messages about its URL."""

    path: Path = Field(exclude=True, description="the file this entry was read from")
    body: str = Field("", exclude=True, description="the Markdown text after the front matter")
    lines: dict[str, int] = Field(default_factory=dict, exclude=True, description="line of each field in the file")
    tags: TagList = Field(
        default_factory=list,
        description="topics, regions and countries, e.g. `Europe`, `Ukraine`, `victim protection`; each tag gets a page and a feed",
    )
    summary: Text | None = Field(None, description="one or two plain sentences for lists, feeds and search results")
    language: Language = Field("en", description="BCP 47 code, default `en`")
    draft: bool = Field(
        False,
        description="`true` keeps the entry off the public site; `build.py serve --drafts` shows it with a banner",
    )
    known_misprints: list[Literal["isbn", "issn"]] = Field(
        default_factory=list,
        description="`[isbn]` or `[issn]`: the printed identifier's check digit is known to be wrong. It stays as "
        "printed, is shown with a note and never used as an identifier; `check --strict` no longer fails on it. "
        "Listing an identifier that validates is an error",
    )

    @property
    def key(self) -> str:
        """The entry's permanent identity within its kind (issue number or id)."""
        return str(getattr(self, "id", ""))

    @property
    def published(self) -> _Date:
        """Publication date; undated entries (series) count as always published."""
        return UNDATED

    @property
    def display_title(self) -> str:
        """The title lists, feeds and links show."""
        return self.key

    @property
    def printed_date(self) -> str:
        """The date as the source prints it (a season, a month, a year), or "": never a made-up day."""
        return ""

    @property
    def creators(self) -> list[str]:
        """Who made it, persons or else an organisation (only publications name any)."""
        return []

    @property
    def attached_pdf(self) -> str | None:
        """The file name of a PDF served beside the entry's page (only issues have one)."""
        return None

    @cached_property
    def issn_info(self) -> Issn | None:
        """The entry's own ISSN (series, issues and publications may print one), parsed once; keeps the printed text."""
        printed = getattr(self, "issn", None)
        return parse_issn(printed) if printed else None


class Series(Entry):
    """A numbered series of publications, defined once and referenced by id."""

    kind: ClassVar[str] = "series"
    folder: ClassVar[str] = "series"

    id: Slug = Field(description="permanent slug of the series")
    title: Text = Field(description="name of the series")
    issn: Text | None = Field(None, description='the series ISSN as printed, quoted: `"1607-338X"`')
    publisher: Text | None = Field(None, description="publisher of the series")

    @property
    def key(self) -> str:
        return self.id

    @property
    def display_title(self) -> str:
        return self.title


class Bulletin(Entry):
    """One issue of the quarterly bulletin."""

    kind: ClassVar[str] = "bulletin"
    folder: ClassVar[str] = "bulletins"
    key_field: ClassVar[str] = "number"

    number: int = Field(gt=0, description="issue number, a whole number, unique, e.g. `25`")
    season: Season = Field(strict=False, description="`winter`, `spring`, `summer` or `autumn`")
    year: Year = Field(description="year on the cover, e.g. `2002`")
    date: Day | None = Field(
        None,
        description="publication date `YYYY-MM-DD` if known. If left out, the season rule applies: winter = 1 January, "
        "spring = 1 April, summer = 1 July, autumn = 1 October of `year`: the first day of the quarter the season names",
    )
    title: Text | None = Field(None, description=f"title of the issue; default `{issue_title(25, 'spring', 2002)}`")
    lead: Text | None = Field(None, description="title of the lead article")
    issn: Text | None = Field(None, description="the bulletin's ISSN, only if printed")
    pdf: Annotated[str, AfterValidator(_pdf_name)] | None = Field(
        None,
        description="file name of the issue's printed edition (its original PDF), stored next to the Markdown file; "
        "the site typesets its own edition as `trafficking-in-migrants-<number>.pdf`, so not that name",
    )
    meetings: list[Slug] = Field(default_factory=list, description="ids of the meetings this issue reports")
    publications: list[Text] = Field(
        default_factory=list, description="ids or ISBNs of the publications this issue reviews"
    )

    @property
    def key(self) -> str:
        return str(self.number)

    @property
    def published(self) -> _Date:
        return self.date or season_date(self.season.value, self.year)

    @property
    def attached_pdf(self) -> str | None:
        return self.pdf

    @property
    def date_is_from_season(self) -> bool:
        return self.date is None

    @property
    def display_title(self) -> str:
        return self.title or issue_title(self.number, self.season.value, self.year)

    @property
    def printed_date(self) -> str:
        if self.date:
            return f"{self.date.day} {self.date:%B %Y}"
        return f"{self.season.value.capitalize()} {self.year}"

    @property
    def label(self) -> str:
        return f"N° {self.number} – {self.season.value.capitalize()} {self.year}"


class Meeting(Entry):
    """A meeting, conference or signing reported by the bulletin."""

    kind: ClassVar[str] = "meeting"
    folder: ClassVar[str] = "meetings"

    id: Slug = Field(description="permanent slug, e.g. `ukat-conference-london-2002`")
    title: Text = Field(description="full official title")
    short_title: Text | None = Field(None, description="the title the bulletin used as heading")
    start: When = Field(
        description='first day `2002-02-26`, or a month `"2002-09"` when no day is known; never invent a day'
    )
    end: When | None = Field(None, description="last day, same forms; leave out for a one-day meeting")
    city: Text | None = Field(None, description="city, only as printed")
    country: Text | None = Field(
        None, description="country, only as printed: left out when the source names only the city"
    )
    organisers: list[Text] = Field(default_factory=list, description="list of organisations")
    reported_in: int | None = Field(None, gt=0, description="number of the bulletin issue that reported it")
    url: Url | None = Field(
        None,
        description="web address of the meeting's own page; must be `http(s)://`, with no spaces, quotes, angle brackets, brackets or parentheses: copy it from the browser's address bar",
    )

    @property
    def key(self) -> str:
        return self.id

    @property
    def published(self) -> _Date:
        return self.start.first_day()

    @property
    def display_title(self) -> str:
        return self.short_title or self.title

    @property
    def when(self) -> str:
        return format_range(self.start, self.end)

    @property
    def printed_date(self) -> str:
        return self.when

    @property
    def place(self) -> str:
        return ", ".join(p for p in (self.city, self.country) if p)


class Publication(Entry):
    """One work in the catalogue."""

    kind: ClassVar[str] = "publication"
    folder: ClassVar[str] = "publications"

    id: Slug = Field(description="permanent slug")
    title: Text = Field(description="full title as printed: main title and subtitle together, as the source prints it")
    short_title: Text | None = Field(None, description="a shorter title for lists")
    subtitle: Text | None = Field(None, description="subtitle, if printed apart from the title")
    also_listed_as: list[Text] = Field(
        default_factory=list,
        description="other titles under which the same work has been listed; the same work is one file",
    )
    authors: list[Text] = Field(default_factory=list, description="list of persons, `First Last`")
    corporate_author: Text | None = Field(None, description="an organisation as author, e.g. `IOM Dhaka`")
    publisher: Text | None = Field(None, description="publisher as printed")
    place: Text | None = Field(None, description="place of publication as printed")
    year: Year | None = Field(None, description="year of publication, a whole number")
    date: When | None = Field(None, description='exact date when printed, e.g. `2000-11-22` or `"2001-10"`')
    type: PublicationType = Field(strict=False, description=", ".join(f"`{t.value}`" for t in PublicationType))
    isbn: Text | None = Field(
        None, description='ISBN exactly as printed, quoted: `"92-9068-060-X"`; ISBN-10 or ISBN-13'
    )
    issn: Text | None = Field(
        None, description="ISSN printed for the publication itself; a series' ISSN goes on the series"
    )
    series: Slug | None = Field(None, description="id of a series in `content/series/`")
    series_number: int | None = Field(None, gt=0, description="the number in the series")
    document_number: Text | None = Field(None, description="a document symbol such as `MC/INF/245`")
    online: bool = Field(False, description="`true` when the publication can be downloaded: the brochure's asterisk")
    url: Url | None = Field(
        None,
        description="`http(s)://` address of the online copy, with no spaces, quotes, angle brackets, brackets or parentheses",
    )
    forthcoming: bool = Field(False, description="`true` when announced but not yet released")
    meeting: Slug | None = Field(None, description="id of the meeting at which it was presented")
    bulletins: list[int] = Field(
        default_factory=list,
        description="numbers of related bulletin issues; issues that review it are linked automatically",
    )
    notes: Text | None = Field(
        None,
        description="where the record comes from: discrepancies between sources, how the entry was identified. "
        'Readers see it (collapsed, as "About this record"): plain words, no field names',
    )

    @property
    def key(self) -> str:
        return self.id

    @property
    def published(self) -> _Date:
        if self.date:
            return self.date.first_day()
        return date(self.year, 1, 1) if self.year else UNDATED

    @property
    def display_title(self) -> str:
        return self.short_title or self.title

    @property
    def printed_date(self) -> str:
        if self.date:
            return str(self.date)
        return str(self.year) if self.year else ""

    @cached_property
    def isbn_info(self) -> Isbn | None:
        """The ISBN parsed once, valid or not; keeps the printed text."""
        return parse_isbn(self.isbn) if self.isbn else None

    @property
    def creators(self) -> list[str]:
        return self.authors or ([self.corporate_author] if self.corporate_author else [])


INTERNAL_FIELDS = ("path", "body", "lines")
"""Model fields filled from the file itself, never from front matter."""

MODELS: dict[str, type[Entry]] = {model.folder: model for model in (Bulletin, Meeting, Publication, Series)}
"""Content folder name -> the model of the files it holds: what the content layer reads. The entry-kind
registry (`timsite.kinds`) has one row for each, saying what the rest of the build does with it."""


def front_matter_fields(model: type[Entry]) -> dict[str, Any]:
    """Fields an editor may write in front matter (not `path`, `body`, `kind`)."""
    return {name: f for name, f in model.model_fields.items() if name not in INTERNAL_FIELDS}
