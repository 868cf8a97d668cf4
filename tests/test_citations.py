"""Citation exports and page metadata, read back with real parsers: bibtexparser, rispy, citeproc-py, jinja2."""

from __future__ import annotations

import dataclasses
import json
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from bibtexparser.model import Entry as BibEntry
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from timsite import kinds
from timsite.content.archive import Archive
from timsite.content.checked import load_archive
from timsite.content.model import Bulletin, Meeting, Publication, PublicationType, Series
from timsite.outputs.export.citations import Citations, export
from timsite.outputs.export.formats import CITATION_FORMATS
from timsite.outputs.export.head import page_metadata
from timsite.outputs.export.library import RECORD_FORMATS, LibraryRecords

ROOT = Path(__file__).resolve().parents[1]
SITE = "https://example.org/tim/"
VALID_ISBN = "92-9068-113-6"  # hyphenated ISBN-13: 978-92-9068-113-7
MISPRINTED_ISBN = "92-9068-060-X"  # the check digit fails, as printed in the brochure
VALID_ISSN = "1607-338X"


# --- building content in memory ---


def pub(**fields: Any) -> Publication:
    base: dict[str, Any] = {
        "path": Path(f"content/publications/{fields.get('id', 'a-report')}.md"),
        "id": "a-report",
        "title": "A Report",
        "type": "report",
        "publisher": "International Organization for Migration",
        "year": 2001,
    }
    return Publication(**{**base, **fields})


def bulletin(**fields: Any) -> Bulletin:
    base: dict[str, Any] = {"path": Path("content/bulletins/025.md"), "number": 25, "season": "spring", "year": 2002}
    return Bulletin(**{**base, **fields})


def series() -> Series:
    return Series(
        path=Path("content/series/migration-research-series.md"),
        id="migration-research-series",
        title="Migration Research Series",
        issn=VALID_ISSN,
        publisher="International Organization for Migration",
    )


def meeting(**fields: Any) -> Meeting:
    base: dict[str, Any] = {
        "path": Path("content/meetings/expert-meeting.md"),
        "id": "expert-meeting",
        "title": "Expert Group Meeting on Migration",
        "start": "2005-07-06",
        "end": "2005-07-08",
        "city": "New York",
        "country": "United States",
        "organisers": ["Population Division", "IOM"],
    }
    return Meeting(**{**base, **fields})


def archive_of(*entries: Any) -> Archive:
    return Archive(
        [e for e in entries if isinstance(e, Bulletin)],
        [e for e in entries if isinstance(e, Meeting)],
        [e for e in entries if isinstance(e, Publication)],
        [e for e in entries if isinstance(e, Series)],
    )


# --- reading the exports back with real parsers ---


def read_bib(text: str, decode: bool = False) -> dict[str, BibEntry]:
    middleware = [SeparateCoAuthors(), SplitNameParts()] + ([LatexDecodingMiddleware()] if decode else [])
    library = bibtexparser.parse_string(text, append_middleware=middleware)
    assert library.failed_blocks == []
    assert len({e.key for e in library.entries}) == len(library.entries)
    return {e.key: e for e in library.entries}


def bib_raw(text: str) -> dict[str, BibEntry]:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return {e.key: e for e in library.entries}


def fields(entry: BibEntry) -> dict[str, Any]:
    return {f.key: f.value for f in entry.fields}


def read_ris(text: str) -> dict[str, dict[str, Any]]:
    records = rispy.loads(text)
    return {r["id"]: r for r in records}


def render_csl(text: str) -> str:
    """Every CSL-JSON record formatted by citeproc-py with a bundled style: the bibliography as plain text."""
    data = json.loads(text)
    assert isinstance(data, list)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        source = CiteProcJSON(data)
        style = CitationStylesStyle("harvard-cite-them-right", validate=False)
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        for item in data:
            bibliography.register(Citation([CitationItem(item["id"])]))
        rendered = [str(line) for line in bibliography.bibliography()]
    # citeproc-py knows CSL 1.0.1, where the meeting is "event"; "event-title" (CSL 1.0.2) is exported too.
    unexpected = [str(w.message) for w in caught if "unsupported: event_title" not in str(w.message)]
    assert unexpected == []
    assert len(rendered) == len(data)
    return "\n".join(rendered)


def meta(tim: dict[str, Any], name: str) -> list[str]:
    return [content for n, content in tim["citation"] if n == name]


# --- BibTeX ---


def test_bibtex_special_characters_round_trip() -> None:
    title = "Smugglers & Traffickers: {EU} Data, 100% of $5 #1 a_b ~ back\\slash in Côte d’Ivoire"
    text = export("bib", [pub(title=title)], SITE)
    assert "Côte d’Ivoire" in text  # UTF-8 kept, not turned into LaTeX accents
    entry = read_bib(text, decode=True)["a-report"]
    assert fields(entry)["title"] == title
    raw = fields(bib_raw(text)["a-report"])["title"]
    assert r"\&" in raw and r"\{EU\}" in raw and r"\%" in raw and r"\$" in raw and r"\#" in raw and r"a\_b" in raw


def test_bibtex_caret_and_unbalanced_brace_stay_literal() -> None:
    text = export("bib", [pub(title="x^2 { open")], SITE)
    raw = fields(bib_raw(text)["a-report"])["title"]
    assert raw == r"{x\textasciicircum{}2 \textbraceleft{} open}"
    # BibTeX counts every brace, escaped or not: the field must still balance.
    assert raw.count("{") == raw.count("}")


def test_bibtex_authors_split_and_corporate_kept_whole() -> None:
    people = pub(id="people", authors=["Donna M. Hughes", "Jan van der Berg"])
    corporate = pub(id="corporate", corporate_author="Ministry of Justice and Police", publisher=None)
    entries = read_bib(export("bib", [people, corporate], SITE))
    hughes, berg = fields(entries["people"])["author"]
    assert (hughes.first, hughes.last) == (["Donna", "M."], ["Hughes"])
    assert (berg.first, berg.von, berg.last) == (["Jan"], ["van", "der"], ["Berg"])
    (organisation,) = fields(entries["corporate"])["author"]
    assert organisation.last == ["{Ministry of Justice and Police}"] and organisation.first == []
    # a report needs an institution: the corporate author stands in for a missing publisher
    assert fields(entries["corporate"])["institution"] == "Ministry of Justice and Police"
    assert "publisher" not in fields(entries["corporate"])


def test_isbn_only_when_valid_in_every_format() -> None:
    good = pub(id="good", isbn=VALID_ISBN)
    bad = pub(id="bad", isbn=MISPRINTED_ISBN, known_misprints=["isbn"])
    note = f"ISBN as printed: {MISPRINTED_ISBN} (invalid check digit)"

    bib = read_bib(export("bib", [good, bad], SITE))
    assert fields(bib["good"])["isbn"] == "978-92-9068-113-7"
    assert "isbn" not in fields(bib["bad"])
    assert fields(bib["bad"])["note"] == note

    ris = read_ris(export("ris", [good, bad], SITE))
    assert ris["good"]["issn"] == "978-92-9068-113-7"  # rispy names the RIS SN tag "issn"
    assert "issn" not in ris["bad"]
    assert ris["bad"]["notes"] == [note]

    csl = {item["id"]: item for item in json.loads(export("json", [good, bad], SITE))}
    assert csl["good"]["ISBN"] == "978-92-9068-113-7"
    assert "ISBN" not in csl["bad"]
    assert csl["bad"]["note"] == note


@pytest.mark.parametrize(
    ("kind", "bibtex", "ris", "csl"),
    [
        ("book", "book", "BOOK", "book"),
        ("report", "techreport", "RPRT", "report"),
        ("research-series", "techreport", "RPRT", "report"),
        ("council-document", "techreport", "RPRT", "report"),
        ("conference-paper", "inproceedings", "CPAPER", "paper-conference"),
        ("presentation", "misc", "SLIDE", "speech"),
        ("manual", "manual", "BOOK", "book"),
        ("brochure", "misc", "PAMP", "pamphlet"),
        ("periodical", "misc", "JFULL", "periodical"),
        ("article", "article", "JOUR", "article-journal"),
    ],
)
def test_types(kind: str, bibtex: str, ris: str, csl: str) -> None:
    p = pub(type=kind, title=f"A {kind}")
    assert bib_raw(export("bib", [p], SITE))["a-report"].entry_type == bibtex
    assert read_ris(export("ris", [p], SITE))["a-report"]["type_of_reference"] == ris
    (item,) = json.loads(export("json", [p], SITE))
    assert item["type"] == csl
    assert f"A {kind}" in render_csl(export("json", [p], SITE))


def test_every_publication_type_is_mapped() -> None:
    for kind in PublicationType:
        assert export("bib", [pub(type=kind.value)], SITE).startswith("@")


def test_document_number_date_place_url_language_abstract_keywords() -> None:
    p = pub(
        id="mc-inf-245",
        type="council-document",
        document_number="MC/INF/245",
        date="2000-11-22",
        year=2000,
        place="Geneva",
        summary="Reviews the projects.",
        tags=["victim assistance", "Africa"],
        forthcoming=True,
    )
    f = fields(read_bib(export("bib", [p], SITE))["mc-inf-245"])
    assert (f["number"], f["year"], f["month"], f["address"]) == ("MC/INF/245", "2000", "nov", "Geneva")
    assert f["url"] == "https://example.org/tim/publications/mc-inf-245/"
    assert (f["abstract"], f["keywords"], f["language"], f["pubstate"]) == (
        "Reviews the projects.",
        "victim assistance, Africa",
        "english",
        "forthcoming",
    )
    r = read_ris(export("ris", [p], SITE))["mc-inf-245"]
    assert (r["number"], r["year"], r["date"], r["place_published"]) == ("MC/INF/245", "2000", "2000/11/22/", "Geneva")
    assert (r["urls"], r["keywords"], r["language"]) == (
        ["https://example.org/tim/publications/mc-inf-245/"],
        ["victim assistance", "Africa"],
        "en",
    )
    (item,) = json.loads(export("json", [p], SITE))
    assert item["issued"] == {"date-parts": [[2000, 11, 22]]}
    assert (item["number"], item["status"], item["keyword"]) == (
        "MC/INF/245",
        "forthcoming",
        "victim assistance, Africa",
    )
    assert "Council document MC/INF/245" in render_csl(export("json", [p], SITE))


def test_partial_dates_never_invent_a_day() -> None:
    p = pub(date="2001-10", year=2001)
    f = fields(read_bib(export("bib", [p], SITE))["a-report"])
    assert (f["year"], f["month"]) == ("2001", "oct")
    assert read_ris(export("ris", [p], SITE))["a-report"]["date"] == "2001/10//"
    assert json.loads(export("json", [p], SITE))[0]["issued"] == {"date-parts": [[2001, 10]]}
    assert meta(page_metadata(p, None, "", SITE), "citation_publication_date") == ["2001"]
    undated = pub(year=None)
    assert "year" not in fields(read_bib(export("bib", [undated], SITE))["a-report"])
    assert "issued" not in json.loads(export("json", [undated], SITE))[0]


def test_series_and_meeting_need_the_archive() -> None:
    s, m = series(), meeting()
    volume = pub(id="volume", type="research-series", series=s.id, series_number=7, year=None)
    paper = pub(id="paper", type="conference-paper", authors=["Irena Omelaniuk"], meeting=m.id, publisher=None)
    archive = archive_of(s, m, volume, paper)

    f = fields(read_bib(export("bib", [volume, paper], SITE, archive=archive))["volume"])
    assert (f["series"], f["number"], f["issn"], f["type"]) == (
        "Migration Research Series",
        "7",
        VALID_ISSN,
        "Migration Research Series",
    )
    g = fields(read_bib(export("bib", [volume, paper], SITE, archive=archive))["paper"])
    assert g["booktitle"] == "Expert Group Meeting on Migration"
    assert g["eventdate"] == "2005-07-06/2005-07-08"

    r = read_ris(export("ris", [volume, paper], SITE, archive=archive))
    assert (r["volume"]["tertiary_title"], r["volume"]["volume"], r["volume"]["issn"]) == (
        "Migration Research Series",
        "7",
        VALID_ISSN,
    )
    assert r["paper"]["secondary_title"] == "Expert Group Meeting on Migration"

    csl = {i["id"]: i for i in json.loads(export("json", [volume, paper], SITE, archive=archive))}
    assert (csl["volume"]["collection-title"], csl["volume"]["collection-number"]) == ("Migration Research Series", "7")
    assert csl["paper"]["event"] == "Expert Group Meeting on Migration"
    assert csl["paper"]["event-date"] == {"date-parts": [[2005, 7, 6], [2005, 7, 8]]}
    rendered = render_csl(export("json", [volume, paper], SITE, archive=archive))
    assert "A Report" in rendered and "Expert Group Meeting on Migration" in rendered

    # Without the archive nothing is guessed from the ids.
    bare = fields(read_bib(export("bib", [volume], SITE))["volume"])
    assert "series" not in bare and "number" not in bare and "issn" not in bare


def test_bulletin_issue() -> None:
    b = bulletin(issn=VALID_ISSN, summary="The lead article looks at permits.", tags=["T visa"])
    expected_title = "Trafficking in Migrants N° 25 – Spring 2002"

    f = fields(read_bib(export("bib", [b], SITE), decode=True)["tim-25"])
    assert bib_raw(export("bib", [b], SITE))["tim-25"].entry_type == "misc"
    assert (f["title"], f["journal"], f["number"], f["issue"], f["year"]) == (
        expected_title,
        "Trafficking in Migrants",
        "25",
        "Spring",
        "2002",
    )
    assert (f["publisher"], f["address"], f["issn"]) == (
        "International Organization for Migration",
        "Geneva",
        VALID_ISSN,
    )
    assert "month" not in f  # the season rule's 1 April is for sorting, not for citing

    r = read_ris(export("ris", [b], SITE))["tim-25"]
    assert (r["type_of_reference"], r["secondary_title"], r["number"], r["date"], r["issn"]) == (
        "JFULL",
        "Trafficking in Migrants",
        "25",
        "2002///Spring",
        VALID_ISSN,
    )

    (item,) = json.loads(export("json", [b], SITE))
    assert (item["type"], item["issue"], item["container-title"]) == ("periodical", "25", "Trafficking in Migrants")
    assert item["issued"] == {"date-parts": [[2002]], "season": 1}
    assert expected_title in render_csl(export("json", [b], SITE))


def test_keys_stable_unique_and_output_deterministic() -> None:
    clash = pub(id="tim-25", title="A publication whose id looks like an issue key")
    entries = [bulletin(), clash, pub(), pub()]  # the same publication twice is one record
    first = export("bib", entries, SITE)
    assert first == export("bib", [bulletin(), clash, pub(), pub()], SITE)
    assert list(read_bib(first)) == ["tim-25", "tim-25-2", "a-report"]
    for fmt in ("ris", "json"):
        assert export(fmt, entries, SITE) == export(fmt, entries, SITE)
    assert [i["id"] for i in json.loads(export("json", entries, SITE))] == ["tim-25", "tim-25-2", "a-report"]


def test_unknown_format_and_kind_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown citation format"):
        export("endnote", [pub()], SITE)
    with pytest.raises(TypeError, match="a meeting cannot be cited"):
        export("bib", [meeting()], SITE)


# --- page metadata ---


def test_citation_meta_for_a_misprinted_isbn_has_no_isbn() -> None:
    bad = pub(type="book", isbn=MISPRINTED_ISBN, known_misprints=["isbn"])
    tim = page_metadata(bad, None, SITE + "publications/a-report/", SITE)
    assert meta(tim, "citation_isbn") == []
    assert "isbn" not in tim["jsonld"]
    assert "book:isbn" not in tim["og"]
    assert meta(tim, "citation_title") == ["A Report"]


def test_citation_meta_for_a_publication() -> None:
    s = series()
    p = pub(
        authors=["Donna M. Hughes"],
        isbn=VALID_ISBN,
        series=s.id,
        series_number=7,
        summary="About <trafficking> & smuggling.",
        tags=["Ukraine"],
    )
    url = SITE + "publications/a-report/"
    tim = page_metadata(p, archive_of(s, p), url, SITE)
    assert meta(tim, "citation_author") == ["Hughes, Donna M."]
    assert meta(tim, "citation_publication_date") == ["2001"]
    assert meta(tim, "citation_isbn") == ["978-92-9068-113-7"]
    assert meta(tim, "citation_issn") == [VALID_ISSN]
    assert meta(tim, "citation_technical_report_institution") == ["International Organization for Migration"]
    assert meta(tim, "citation_language") == ["en"]
    assert meta(tim, "citation_keywords") == ["Ukraine"]
    assert meta(tim, "citation_abstract_html_url") == [url]
    ld = tim["jsonld"]
    assert ld["@type"] == ["Report", "Book"]  # Book lends the `isbn` property to a report with an ISBN
    assert ld["isbn"] == ["978-92-9068-113-7", "92-9068-113-6"]
    assert ld["isPartOf"]["issn"] == VALID_ISSN and ld["position"] == 7
    assert ld["author"] == [
        {"@type": "Person", "name": "Donna M. Hughes", "givenName": "Donna M.", "familyName": "Hughes"}
    ]
    assert tim["og"]["og:type"] == "article" and tim["og"]["og:description"] == "About <trafficking> & smuggling."


def test_corporate_author_and_book_open_graph() -> None:
    book = pub(type="book", corporate_author="IOM Dhaka", isbn=VALID_ISBN, date="2002-03-04", year=2002)
    tim = page_metadata(book, None, "", SITE)
    assert meta(tim, "citation_author") == ["IOM Dhaka"]
    assert meta(tim, "citation_date") == ["2002/03/04"]
    assert tim["og"]["og:type"] == "book" and tim["og"]["book:isbn"] == "978-92-9068-113-7"
    assert tim["og"]["og:url"] == SITE + "publications/a-report/"  # falls back to the site URL of the entry
    assert tim["jsonld"]["@type"] == "Book" and tim["jsonld"]["author"] == [
        {"@type": "Organization", "name": "IOM Dhaka"}
    ]


def test_bulletin_meta_and_jsonld() -> None:
    b = bulletin(issn=VALID_ISSN, pdf="tim 25.pdf", lead="Temporary Resident Permits")
    tim = page_metadata(b, None, SITE + "bulletins/25/", SITE)
    assert meta(tim, "citation_journal_title") == ["Trafficking in Migrants"]
    assert meta(tim, "citation_issue") == ["25"]
    assert meta(tim, "citation_publication_date") == ["2002"]
    assert meta(tim, "citation_pdf_url") == [SITE + "bulletins/25/tim%2025.pdf"]
    ld = tim["jsonld"]
    assert (ld["@type"], ld["issueNumber"]) == ("PublicationIssue", 25)
    assert ld["isPartOf"]["@type"] == "Periodical" and ld["isPartOf"]["issn"] == VALID_ISSN
    assert ld["isPartOf"]["name"] == "Trafficking in Migrants"


def test_meeting_event_jsonld() -> None:
    m = meeting(start="2002-09", end=None, reported_in=25)
    b = bulletin(meetings=[m.id])
    tim = page_metadata(m, archive_of(m, b), SITE + "meetings/expert-meeting/", SITE)
    ld = tim["jsonld"]
    assert ld["@type"] == "Event" and ld["startDate"] == "2002-09" and "endDate" not in ld
    assert ld["location"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "New York",
        "addressCountry": "United States",
    }
    assert [o["name"] for o in ld["organizer"]] == ["Population Division", "IOM"]
    assert ld["subjectOf"][0]["issueNumber"] == 25
    assert tim["citation"] == []


def test_series_jsonld() -> None:
    s = series()
    volume = pub(type="research-series", series=s.id, series_number=1)
    ld = page_metadata(s, archive_of(s, volume), SITE + "series/migration-research-series/", SITE)["jsonld"]
    assert ld["@type"] == "CreativeWorkSeries" and ld["issn"] == VALID_ISSN
    assert ld["hasPart"][0]["position"] == 1


def test_index_pages() -> None:
    home = page_metadata(None, None, SITE, SITE)
    assert home["citation"] == [] and home["jsonld"]["@type"] == "WebSite"
    assert home["og"]["og:type"] == "website"
    assert page_metadata(None, None, SITE + "meetings/", SITE)["jsonld"] == {}


# --- the theme partial ---


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.metas: list[dict[str, str | None]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self.metas.append(dict(attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def render_partial(**context: Any) -> str:
    # As in MkDocs: a plain environment without autoescape, so the partial must escape by itself.
    env = Environment(loader=FileSystemLoader(ROOT / "theme" / "partials"), autoescape=False, undefined=StrictUndefined)
    return env.get_template("tim-metadata.html").render(**context)


def test_partial_escapes_meta_and_json_ld() -> None:
    title = "Smuggling </script><script>alert(\"x\")</script> & <b>'quoted'</b>"
    p = pub(title=title, summary="A & B </script>", authors=["Donna M. Hughes"])
    tim = page_metadata(p, None, SITE + "publications/a-report/", SITE)
    html = render_partial(tim=tim)
    assert html.count("</script>") == 1  # only the partial's own closing tag
    assert "<b>" not in html
    head = _Head()
    head.feed(html)
    by_name = {(m.get("name") or m.get("property")): m.get("content") for m in head.metas}
    assert by_name["citation_title"] == title
    assert by_name["og:description"] == "A & B </script>"
    assert by_name["citation_author"] == "Hughes, Donna M."
    (script,) = head.scripts
    assert json.loads(script) == tim["jsonld"]
    assert json.loads(script)["name"] == title


def test_partial_prints_nothing_without_metadata() -> None:
    assert render_partial().strip() == ""
    assert render_partial(tim={}).strip() == ""
    index = render_partial(tim=page_metadata(None, None, SITE + "tags/", SITE))
    assert "application/ld+json" not in index and 'property="og:type" content="website"' in index


# --- the real archive ---


def test_real_archive_exports_every_publication() -> None:
    archive, _problems = load_archive(ROOT / "content")
    assert archive.publications
    entries = [*archive.publications, *archive.bulletins]

    bib = read_bib(export("bib", entries, SITE, archive=archive), decode=True)
    assert set(bib) == {p.id for p in archive.publications} | {f"tim-{b.number}" for b in archive.bulletins}
    ris = read_ris(export("ris", entries, SITE, archive=archive))
    assert set(ris) == set(bib)
    csl_text = export("json", entries, SITE, archive=archive)
    rendered = render_csl(csl_text)

    for p in archive.publications:
        f = fields(bib[p.id])
        assert f["title"] == p.title
        assert ris[p.id]["title"] == p.title
        assert p.title in rendered
        isbn = p.isbn_info
        if isbn and isbn.valid:
            assert f["isbn"] == isbn.hyphenated13
            assert ris[p.id]["issn"] == isbn.hyphenated13
        elif isbn:
            assert "isbn" not in f
            assert f"ISBN as printed: {isbn.printed} (invalid check digit)" in f["note"]
        if p.year:
            assert f["year"] == str(p.year) and ris[p.id]["year"] == str(p.year)
        tim = page_metadata(p, archive, SITE + f"publications/{p.id}/", SITE)
        json.dumps(tim["jsonld"])
        if not (isbn and isbn.valid):
            assert meta(tim, "citation_isbn") == []

    misprinted = archive.publication_by_id["the-route-trafficking-of-migrants-through-lithuania"]
    assert misprinted.isbn == MISPRINTED_ISBN
    assert meta(page_metadata(misprinted, archive, "", SITE), "citation_isbn") == []
    hughes = fields(bib["trafficking-for-sexual-exploitation-russian-federation"])["author"][0]
    assert (hughes.first, hughes.last) == (["Donna", "M."], ["Hughes"])
    assert export("json", entries, SITE, archive=archive) == csl_text


# --- one record per entry per build ---


def test_each_record_is_built_once_however_many_formats_and_pages_use_it(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []

    def counted(real: Any) -> Any:
        if real is None:
            return None

        def build(entry: Any, site_url: str, archive: Archive | None = None) -> Any:
            built.append(entry.key)
            return real(entry, site_url, archive)

        return build

    for kind in kinds.KINDS:
        if kind.record or kind.library:
            counting = dataclasses.replace(kind, record=counted(kind.record), library=counted(kind.library))
            monkeypatch.setitem(kinds._BY_MODEL, kind.model, counting)
    s, b = series(), bulletin()
    volume = pub(id="volume", type="research-series", series=s.id, series_number=1)
    other = pub(id="other")
    archive = archive_of(s, b, volume, other)
    # What a build does: every record up front, then the per-entry files, the catalogue files and the heads.
    citations = Citations(archive, SITE).build_all()
    for fmt in CITATION_FORMATS:
        for entry in (b, volume, other):
            assert citations.export(fmt, [entry])
        assert citations.export(fmt, archive.publications)
    for entry in (b, volume, other):
        assert page_metadata(entry, archive, "", SITE, citations)["citation"]
    library = LibraryRecords(archive, citations.library_record, SITE)
    for entry in library.entries():
        for fmt in RECORD_FORMATS:
            assert library.file(fmt, entry)
    assert library.collection_mrc() and library.oai_repository()
    # A series has a library record (not a citation); a citable entry's one record serves both.
    assert sorted(built) == sorted(["25", "volume", "other", s.id])
    # And the shared records give the same text as a fresh export.
    assert citations.export("bib", [volume]) == export("bib", [volume], SITE, archive=archive)
