"""MARC 21: one bibliographic record per issue, publication and series, as MARCXML or ISO 2709, made with pymarc.

Choices a cataloguer would ask about (the test `tests/test_records.py` holds three records written by hand):

- Leader 06 `a` (language material) for everything; 07 `m` for a publication and for a bulletin issue
  (libraries catalogue a single issue as an item of its serial, linked by 490/830 with its number), `s`
  for a series; 09 `a` (UCS/Unicode); 17 `7` (minimal level: we are not a cataloguing agency); 18 `c`
  (ISBD punctuation omitted, so fields carry no trailing `/` or `:`).
- 008 for books (07 `m`) or continuing resources (07 `s`). Whatever the sources do not print is coded
  `|` (no attempt to code) or `xx ` (place of publication not coded), never guessed. 00-05 is the day
  the record last changed (the OAI datestamp), so that the record's bytes do not depend on the build day.
- `020 $a` each valid ISBN (13, then 10, digits only); `020 $z` a misprinted ISBN exactly as printed;
  `022 $a` an ISSN of the work itself, `$y` one that is misprinted (MARC's "incorrect ISSN").
- `245` first indicator 1 when a 100/110 main entry exists; second indicator counts an English leading
  article; the title split as printed (`$a` main title, `$b` subtitle).
- `490 1_` + `830 _0` a series with `$v` its number and `$x` its ISSN; `500` where the description comes
  from; `520` the summary; tags as topics (`650 _4`) and places (`651 _4`) by the tag vocabulary, other tags as uncontrolled terms (`653`); `856 40` where the page at the URL holds
  the full text (and for an online copy or PDF), `856 42` where it only describes the work.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import date

from lxml import etree
from pymarc import Field, Indicators, Subfield
from pymarc import Record as MarcRecord
from pymarc.marcxml import record_to_xml_node

from timsite.content.periodical import NAME as PERIODICAL
from timsite.outputs.export.record import Creator, Record

NS = "http://www.loc.gov/MARC21/slim"
MEDIA_TYPE = "application/marcxml+xml"
BINARY_MEDIA_TYPE = "application/marc"

LANGUAGES = {  # BCP 47 primary subtag -> MARC language code (the MARC list, not ISO 639-2/T: "fre", "ger")
    "en": "eng",
    "fr": "fre",
    "es": "spa",
    "ru": "rus",
    "de": "ger",
    "it": "ita",
    "pt": "por",
    "ar": "ara",
    "zh": "chi",
    "ja": "jpn",
    "uk": "ukr",
    "sq": "alb",
    "hy": "arm",
    "lt": "lit",
    "nl": "dut",
}
_ARTICLES = {"eng": ("the ", "an ", "a ")}


def marc_language(bcp47: str) -> str:
    """The MARC language code of a BCP 47 tag; `und` (undetermined) when it is not in the table."""
    return LANGUAGES.get(bcp47.split("-")[0].casefold(), "und")


def nonfiling(title: str, language: str) -> int:
    """How many leading characters a library skips when sorting the title ("The " is 4), for 245 ind2."""
    lowered = title.casefold()
    return next((len(a) for a in _ARTICLES.get(language, ()) if lowered.startswith(a)), 0)


def _sub(*pairs: tuple[str, str | None]) -> list[Subfield]:
    return [Subfield(code, value) for code, value in pairs if value]


def _field(tag: str, ind: str, *pairs: tuple[str, str | None]) -> Field:
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=_sub(*pairs))


def field_008(r: Record, entered: date) -> str:
    """The fixed-length data elements (40 characters) for a book or a continuing resource."""
    lang = marc_language(r.language)
    year = f"{r.date.year:04d}" if r.date else "uuuu"
    head = entered.strftime("%y%m%d")
    if r.level == "series":
        # c/u: status unknown (not "currently published": we do not know); frequency and regularity not coded;
        # 21 m: a monographic series; 22-34 not coded, 29 0: not a conference publication.
        body = "uuuuuuuu" + "xx " + "||" + " " + "m" + "  " + " " + "   " + "|" + "0" + "   " + "|" + "|"
        return head + "u" + body + lang + " " + "d"
    dates = ("s" + year + "    ") if r.date else "nuuuu    "
    conference = "1" if r.meeting else "0"
    # 18-21 illustrations, 22 audience, 23 form of item (regular print), 24-27 contents, 28 government
    # publication: not coded; 29 conference; 30 festschrift no; 31 index not coded; 33 literary form: non-fiction;
    # 34 biography: none.
    body = "xx " + "||||" + "|" + " " + "||||" + "|" + conference + "0" + "|" + " " + "0" + " "
    return head + dates + body + lang + " " + "d"


def _name_field(c: Creator, main: bool) -> Field:
    if c.corporate:
        return _field("110" if main else "710", "2 ", ("a", c.name))
    return _field("100" if main else "700", "1 ", ("a", c.inverted))


def _series_fields(r: Record) -> list[Field]:
    if r.level == "issue":
        number = f"no. {r.number}" if r.number else None
        return [
            _field("490", "1 ", ("a", PERIODICAL), ("v", number)),
            _field("830", " 0", ("a", PERIODICAL), ("v", number)),
        ]
    if not r.series:
        return []
    volume = str(r.series_number) if r.series_number else None
    return [
        _field("490", "1 ", ("a", r.series), ("x", r.series_issn), ("v", volume)),
        _field("830", " 0", ("a", r.series), ("v", volume), ("x", r.series_issn)),
    ]


def _links(r: Record) -> list[Field]:
    out = []
    if r.url:
        if r.full_text:
            out.append(_field("856", "40", ("u", r.url), ("z", "Full text on the Trafficking in Migrants site")))
        else:
            out.append(_field("856", "42", ("u", r.url), ("z", "Description on the Trafficking in Migrants site")))
    if r.pdf_url:
        out.append(_field("856", "40", ("u", r.pdf_url), ("q", "application/pdf")))
    if r.online_url:
        out.append(_field("856", "40", ("u", r.online_url), ("z", "Online copy")))
    return out


def marc_record(r: Record, entered: date) -> MarcRecord:
    """The MARC 21 bibliographic record of `r`; `entered` is the day it last changed (008/00-05)."""
    bib_level = "s" if r.level == "series" else "m"
    rec = MarcRecord(leader=f"00000na{bib_level} a22000007c 4500", force_utf8=True)
    rec.add_field(Field(tag="001", data=r.key))
    rec.add_field(Field(tag="008", data=field_008(r, entered)))
    for isbn in (r.isbn, r.isbn10):
        if isbn:
            rec.add_field(_field("020", "  ", ("a", isbn.replace("-", ""))))
    if r.isbn_misprint:
        rec.add_field(_field("020", "  ", ("z", r.isbn_misprint)))
    own_issn = r.issn if r.level != "publication" or r.issn != r.series_issn else None
    if own_issn or r.issn_misprint:
        rec.add_field(_field("022", "  ", ("a", own_issn), ("y", r.issn_misprint)))
    if r.number and r.level == "publication":
        rec.add_field(_field("088", "  ", ("a", r.number)))
    lang = marc_language(r.language)
    main = r.creators[0] if r.creators else None
    if main:
        rec.add_field(_name_field(main, True))
    title = r.main_title or r.title
    rec.add_field(_field("245", f"{1 if main else 0}{nonfiling(title, lang)}", ("a", title), ("b", r.subtitle)))
    if r.short_title and r.short_title != title:
        rec.add_field(_field("246", "30", ("a", r.short_title)))
    year = str(r.date.year) if r.date else None
    if r.place or r.publisher or year:
        rec.add_field(_field("264", " 1", ("a", r.place), ("b", r.publisher), ("c", year)))
    for f in _series_fields(r):
        rec.add_field(f)
    if r.provenance:
        rec.add_field(_field("500", "  ", ("a", r.provenance)))
    for note in r.notes:
        rec.add_field(_field("500", "  ", ("a", note)))
    if r.forthcoming:
        rec.add_field(_field("500", "  ", ("a", "Forthcoming")))
    if r.abstract:
        rec.add_field(_field("520", "  ", ("a", r.abstract)))
    # Tags are the archive's own terms, not LCSH: second indicator 4 (source not specified). The vocabulary
    # tells topics (650) from places (651); a tag it does not group stays an uncontrolled term (653).
    for tag in r.keywords:
        if tag in r.topics:
            rec.add_field(_field("650", " 4", ("a", tag)))
        elif tag in r.places:
            rec.add_field(_field("651", " 4", ("a", tag)))
        else:
            rec.add_field(_field("653", "  ", ("a", tag)))
    for c in r.creators[1:]:
        rec.add_field(_name_field(c, False))
    if r.meeting:
        m = r.meeting
        rec.add_field(_field("711", "2 ", ("a", m.title), ("d", m.start.iso() if m.start else None), ("c", m.place)))
    for f in _links(r):
        rec.add_field(f)
    return rec


def _node(rec: MarcRecord) -> etree._Element:
    return etree.fromstring(ET.tostring(record_to_xml_node(rec, namespace=False)))


def to_marcxml(records: Iterable[MarcRecord]) -> bytes:
    """A MARCXML collection of the records (one record is a collection of one: every MARCXML reader takes it).

    Not indented: the files are for machines, and indentation would add a tenth to thousands of them.
    """
    collection = etree.Element(f"{{{NS}}}collection", nsmap={None: NS})
    for rec in records:
        node = _node(rec)
        for el in node.iter():
            el.tag = f"{{{NS}}}{el.tag}"
        collection.append(node)
    return etree.tostring(collection, xml_declaration=True, encoding="UTF-8") + b"\n"


def to_iso2709(records: Iterable[MarcRecord]) -> bytes:
    """Binary MARC (ISO 2709) for batch loading; pymarc fills in the lengths in the leader."""
    return b"".join(copy.deepcopy(rec).as_marc() for rec in records)
