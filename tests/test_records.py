"""Records libraries load (MARC 21, MODS, Dublin Core, OAI static repository, catalogue data, COinS), read back.

Every XML file is validated with lxml against offline copies of the official schemas
(tests/fixtures/schemas, see its README for their sources); MARC is read back with pymarc; the
expected MARC fields of three publications are written here by hand.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jsonschema
import pymarc
import pytest
from lxml import etree, html
from stdnum import isbn as stdisbn

from timsite.content.archive import Archive
from timsite.content.checked import load_archive
from timsite.content.history import History
from timsite.content.model import Publication
from timsite.content.vocabulary import Group
from timsite.outputs import manifest as outputs
from timsite.outputs.export import catalogue_data, oai
from timsite.outputs.export.citations import Citations
from timsite.outputs.export.library import (
    COLLECTION_MARCXML,
    COLLECTION_MRC,
    OAI_REPOSITORY,
    LibraryRecords,
    record_files,
)
from timsite.outputs.export.marc import marc_record
from timsite.outputs.export.record import full_title
from tools.bench.synthetic import generate, write_archive

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = Path(__file__).resolve().parent / "fixtures" / "schemas"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile" / "content"
SITE = "https://example.org/tim/"
AS_OF = date(2026, 1, 1)
MARC_NS = {"m": "http://www.loc.gov/MARC21/slim"}
ENTERED = date(2026, 11, 22)

IMPORTS = {  # namespace -> entry schema, as tests/fixtures/schemas/README.md says to load them
    "http://www.loc.gov/MARC21/slim": "MARC21slim.xsd",
    "http://www.loc.gov/mods/v3": "mods-3-8.local.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc/": "oai_dc.local.xsd",
    "http://www.openarchives.org/OAI/2.0/static-repository": "static-repository.local.xsd",
}


def schema(*namespaces: str) -> etree.XMLSchema:
    """One schema for the namespaces: a driver that imports each (the OAI file's xs:any is strict)."""
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{(SCHEMAS / IMPORTS[ns]).as_uri()}"/>' for ns in namespaces
    )
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.fromstring(driver, parser, base_url=SCHEMAS.as_uri() + "/"))


@pytest.fixture(scope="module")
def schemas() -> dict[str, etree.XMLSchema]:
    return {
        "marcxml": schema("http://www.loc.gov/MARC21/slim"),
        "mods": schema("http://www.loc.gov/mods/v3"),
        "dc": schema("http://www.openarchives.org/OAI/2.0/oai_dc/"),
        "oai": schema(*IMPORTS),
    }


def visible(content: Path) -> Archive:
    archive, problems = load_archive(content)
    assert not [p for p in problems if p.severity == "error"], problems
    return archive.visible(AS_OF)


def write_records(archive: Archive, site: Path) -> dict[str, bytes]:
    """The build's outputs needing no rendered page, written as a build writes them; the library files by path."""
    plan = outputs.plan(archive, {}, SITE)
    plan.write(site, needs_pages=False)
    ours = {p for e in [*archive.bulletins, *archive.publications, *archive.series] for p in record_files(e).values()}
    ours |= {COLLECTION_MARCXML, COLLECTION_MRC, OAI_REPOSITORY, catalogue_data.CSV_NAME, catalogue_data.JSON_NAME}
    ours.add(catalogue_data.SCHEMA_NAME)
    claimed = set(plan.paths())
    assert ours <= claimed, f"written but not claimed in the manifest: {sorted(ours - claimed)[:5]}"
    return {path: (site / path).read_bytes() for path in sorted(ours)}


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, dict[str, bytes]]:
    archive = visible(ROOT / "content")
    return archive, write_records(archive, tmp_path_factory.mktemp("records-real"))


@pytest.fixture(scope="module")
def x1(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, dict[str, bytes]]:
    content = tmp_path_factory.mktemp("x1") / "content"
    write_archive(generate(1), content)
    archive = visible(content)
    return archive, write_records(archive, tmp_path_factory.mktemp("records-x1"))


def _validate_all(files: dict[str, bytes], schemas: dict[str, etree.XMLSchema]) -> int:
    checked = 0
    for path, data in files.items():
        kind = next(
            (
                k
                for k, suffix in (("marcxml", ".marc.xml"), ("mods", ".mods.xml"), ("dc", ".dc.xml"))
                if path.endswith(suffix)
            ),
            None,
        )
        if path == OAI_REPOSITORY:
            kind = "oai"
        if kind is None:
            continue
        doc = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
        assert schemas[kind].validate(doc), f"{path}: {schemas[kind].error_log}"
        checked += 1
    return checked


def test_every_record_of_the_real_archive_is_valid(real: Any, schemas: dict[str, etree.XMLSchema]) -> None:
    archive, files = real
    entries = len(archive.bulletins) + len(archive.publications) + len(archive.series)
    assert _validate_all(files, schemas) == 3 * entries + 2  # three per entry, the collection, the repository


def test_every_record_of_the_x1_archive_is_valid(x1: Any, schemas: dict[str, etree.XMLSchema]) -> None:
    archive, files = x1
    entries = len(archive.bulletins) + len(archive.publications) + len(archive.series)
    assert entries > 300
    assert _validate_all(files, schemas) == 3 * entries + 2


def test_a_broken_record_is_refused_by_the_schemas(real: Any, schemas: dict[str, etree.XMLSchema]) -> None:
    """The validation can fail: a datafield without a tag, and a MODS element MODS does not have."""
    _, files = real
    marcxml = etree.fromstring(files[COLLECTION_MARCXML])
    del marcxml.find(".//m:datafield", MARC_NS).attrib["tag"]
    assert not schemas["marcxml"].validate(marcxml)
    name = next(p for p in files if p.endswith(".mods.xml"))
    mods = etree.fromstring(files[name])
    etree.SubElement(mods, "{http://www.loc.gov/mods/v3}notAModsElement")
    assert not schemas["mods"].validate(mods)


# --- MARC written by hand ---


def _fields(rec: pymarc.Record, tag: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(f.indicator1, f.indicator2, [(s.code, s.value) for s in f.subfields]) for f in rec.get_fields(tag)]


def _real_record(archive: Archive, key: str) -> pymarc.Record:
    citations = Citations(archive, SITE)
    return marc_record(citations.record(archive.publication_by_id[key]), ENTERED)


MARC_EXPECTED: dict[str, dict[str, Any]] = {
    # The one with the misprinted ISBN: 020 $z as printed, no $a; a leading article skipped in sorting (4).
    "the-route-trafficking-of-migrants-through-lithuania": {
        "leader": ("am", "a"),
        "008": "261122s1997    xx ||||| |||||00| 0 eng d",
        "020": [(" ", " ", [("z", "92-9068-060-X")])],
        "100": [],
        "110": [],
        "245": [("0", "4", [("a", "The Route"), ("b", "the Trafficking of Migrants through Lithuania")])],
        "490": [],
        "830": [],
        "856": [
            (
                "4",
                "2",
                [
                    ("u", SITE + "publications/the-route-trafficking-of-migrants-through-lithuania/"),
                    ("z", "Description on the Trafficking in Migrants site"),
                ],
            )
        ],
    },
    # A numbered volume of the Migration Research Series, no year printed: 008/06 n, dates uuuu.
    "journeys-of-jeopardy": {
        "leader": ("am", "a"),
        "008": "261122nuuuu    xx ||||| |||||00| 0 eng d",
        "020": [],
        "100": [],
        "110": [],
        "245": [
            (
                "0",
                "0",
                [
                    ("a", "Journeys of Jeopardy"),
                    ("b", "A Review of Research on Trafficking in Women and Children in Europe"),
                ],
            )
        ],
        "490": [("1", " ", [("a", "Migration Research Series"), ("x", "1607-338X"), ("v", "11")])],
        "830": [(" ", "0", [("a", "Migration Research Series"), ("v", "11"), ("x", "1607-338X")])],
        "856": [
            (
                "4",
                "2",
                [
                    ("u", SITE + "publications/journeys-of-jeopardy/"),
                    ("z", "Description on the Trafficking in Migrants site"),
                ],
            )
        ],
    },
    # A report with a corporate author: 110 main entry, so 245 first indicator 1.
    "europol-crime-assessment-trafficking-into-the-eu": {
        "leader": ("am", "a"),
        "008": "261122s2001    xx ||||| |||||00| 0 eng d",
        "020": [],
        "100": [],
        "110": [("2", " ", [("a", "EUROPOL")])],
        "245": [("1", "0", [("a", "Crime Assessment"), ("b", "Trafficking of Human Beings into the European Union")])],
        "264": [(" ", "1", [("b", "EUROPOL"), ("c", "2001")])],
        "490": [],
        "830": [],
        "856": [
            (
                "4",
                "2",
                [
                    ("u", SITE + "publications/europol-crime-assessment-trafficking-into-the-eu/"),
                    ("z", "Description on the Trafficking in Migrants site"),
                ],
            )
        ],
    },
}


@pytest.mark.parametrize("key", sorted(MARC_EXPECTED))
def test_marc_fields_as_a_cataloguer_wrote_them(key: str) -> None:
    rec = _real_record(visible(ROOT / "content"), key)
    expected = MARC_EXPECTED[key]
    leader = str(rec.leader)
    assert (leader[6:8], leader[9]) == expected["leader"]
    [f008] = rec.get_fields("008")
    assert f008.data == expected["008"]
    for tag, fields in expected.items():
        if tag.isdigit() and tag != "008":
            assert _fields(rec, tag) == fields, tag


def test_a_valid_isbn_is_given_in_both_lengths_and_a_series_as_serial() -> None:
    archive = visible(ROOT / "content")
    rec = _real_record(archive, "victims-of-trafficking-in-the-balkans")
    assert _fields(rec, "020") == [(" ", " ", [("a", "9789290681137")]), (" ", " ", [("a", "9290681136")])]
    series = marc_record(Citations(archive, SITE).library_record(archive.series[0]), ENTERED)
    assert str(series.leader)[6:8] == "as"
    assert _fields(series, "022") == [(" ", " ", [("a", "1607-338X")])]
    assert series.get_fields("008")[0].data[21] == "m"  # a monographic series


# --- read back with pymarc ---


def _words(text: str) -> str:
    """A title's words: 245 splits it at the printed colon and drops the colon (ISBD punctuation omitted)."""
    return " ".join(text.replace(":", " ").split())


def _title(rec: pymarc.Record) -> str:
    return _words(" ".join(rec.get_fields("245")[0].get_subfields("a", "b")))


@pytest.mark.parametrize("source", ["mrc", "marcxml"])
def test_pymarc_reads_every_publication_back(real: Any, source: str) -> None:
    archive, files = real
    if source == "mrc":
        records = [r for r in pymarc.MARCReader(files[COLLECTION_MRC], to_unicode=True, force_utf8=True) if r]
    else:
        records = pymarc.parse_xml_to_array(io.BytesIO(files[COLLECTION_MARCXML]), strict=True)
    by_id = {r.get_fields("001")[0].data: r for r in records}
    assert len(archive.publications) == 37
    for p in archive.publications:
        rec = by_id[p.id]
        # The title: the record splits it as printed, so joined with ": " it is the printed full title.
        assert _title(rec) == _words(full_title(p)), p.id
        valid, misprinted = [], []
        if p.isbn:
            if stdisbn.is_valid(p.isbn):
                valid = [stdisbn.to_isbn13(stdisbn.compact(p.isbn))]
                if stdisbn.compact(valid[0]).startswith("978"):
                    valid.append(stdisbn.to_isbn10(valid[0]))
                valid = [stdisbn.compact(v) for v in valid]
            else:
                misprinted = [p.isbn]
        assert [f.get("a") for f in rec.get_fields("020") if f.get("a")] == valid, p.id
        assert [f.get("z") for f in rec.get_fields("020") if f.get("z")] == misprinted, p.id
        series = archive.series_by_id.get(p.series or "")
        f490 = rec.get_fields("490")
        if series:
            assert f490[0].get("a") == series.title
            assert f490[0].get("v") == (str(p.series_number) if p.series_number else None)
        else:
            assert not f490
        urls = [f.get("u") for f in rec.get_fields("856")]
        assert urls[0] == SITE + f"publications/{p.id}/"
        if p.url:
            assert p.url in urls


def test_the_misprint_is_in_z_and_never_in_a(real: Any) -> None:
    """The one named case, read from the binary file a library batch-loads."""
    _, files = real
    records = {r["001"].data: r for r in pymarc.MARCReader(files[COLLECTION_MRC], to_unicode=True, force_utf8=True)}
    route = records["the-route-trafficking-of-migrants-through-lithuania"]
    assert [f.get_subfields("z") for f in route.get_fields("020")] == [["92-9068-060-X"]]
    assert not any(f.get_subfields("a") for f in route.get_fields("020"))
    armenia = records["irregular-migration-and-smuggling-of-migrants-from-armenia"]
    assert [f.get_subfields("z") for f in armenia.get_fields("020")] == [["92-9068-128-2"]]


# --- the hostile corpus, drafts and embargoes ---


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, dict[str, bytes]]:
    archive = visible(HOSTILE)
    return archive, write_records(archive, tmp_path_factory.mktemp("records-hostile"))


def test_a_hostile_title_stays_text_in_every_record(hostile: Any, schemas: dict[str, etree.XMLSchema]) -> None:
    archive, files = hostile
    title = archive.publication_by_id["hostile-title"].title
    assert _validate_all(files, schemas) > 0
    base = "records/publications/hostile-title"
    marcxml = etree.fromstring(files[base + ".marc.xml"])
    assert marcxml.findtext(".//m:datafield[@tag='245']/m:subfield[@code='a']", namespaces=MARC_NS) == title
    assert not marcxml.xpath("//*[local-name()='b']")
    mods = etree.fromstring(files[base + ".mods.xml"])
    ns = {"v3": "http://www.loc.gov/mods/v3"}
    assert mods.findtext("v3:titleInfo/v3:title", namespaces=ns) == title
    assert not mods.xpath("//*[local-name()='b']")  # the <b> of the title is text, not an element
    dc = etree.fromstring(files[base + ".dc.xml"])
    assert dc.findtext("{http://purl.org/dc/elements/1.1/}title") == title
    repository = etree.fromstring(files[OAI_REPOSITORY])
    titles = repository.xpath("//*[local-name()='title']/text()")
    assert titles.count(title) == 2  # oai_dc and mods
    assert not repository.xpath("//*[local-name()='b' or local-name()='i']")
    record = next(
        r
        for r in pymarc.MARCReader(files[COLLECTION_MRC], to_unicode=True, force_utf8=True)
        if r["001"].data == "hostile-title"
    )
    assert record["245"].get_subfields("a", "b") == [title]
    rows = json.loads(files[catalogue_data.JSON_NAME])
    assert next(r for r in rows if r["id"] == "hostile-title")["title"] == title


def test_drafts_and_embargoed_items_are_in_no_record(hostile: Any) -> None:
    _, files = hostile
    for path, data in files.items():
        assert b"MUST NOT APPEAR" not in data, path
        assert b"draft-publication" not in data and b"embargoed-publication" not in data, path
    assert not any("draft" in p or "embargoed" in p for p in files)


# --- OAI, catalogue data, reproducibility ---


def test_oai_repository_holds_every_entry_in_three_formats_with_commit_datestamps(real: Any) -> None:
    archive, files = real
    doc = etree.fromstring(files[OAI_REPOSITORY])
    ns = {"sr": oai.SR, "oai": oai.OAI}
    entries = [*archive.bulletins, *archive.publications, *archive.series]
    for prefix in ("oai_dc", "marc21", "mods"):
        ids = doc.xpath(
            f"sr:ListRecords[@metadataPrefix='{prefix}']/oai:record/oai:header/oai:identifier/text()", namespaces=ns
        )
        assert len(ids) == len(set(ids)) == len(entries)
    assert doc.findtext("sr:Identify/oai:deletedRecord", namespaces=ns) == "no"
    stamps = doc.xpath("//oai:header/oai:datestamp/text()", namespaces=ns)
    history = LibraryRecords(archive, Citations(archive, SITE).library_record, SITE).history
    assert sorted(set(stamps)) == sorted({history.changed(e.path).isoformat() for e in entries})
    assert doc.findtext("sr:Identify/oai:earliestDatestamp", namespaces=ns) == min(stamps)


def test_oai_repository_above_the_limit_is_refused_not_written() -> None:
    assert oai.fits(oai.MAX_RECORDS) and not oai.fits(oai.MAX_RECORDS + 1) and not oai.fits(0)
    with pytest.raises(ValueError, match="5000"):
        oai.static_repository([], "https://example.org/", "a@example.org")


def test_catalogue_data_matches_its_schema_and_the_csv_the_json(real: Any) -> None:
    archive, files = real
    rows = json.loads(files[catalogue_data.JSON_NAME])
    jsonschema.Draft202012Validator(json.loads(files[catalogue_data.SCHEMA_NAME])).validate(rows)
    assert [r["id"] for r in rows] == [p.id for p in archive.publications]
    table = list(csv.DictReader(io.StringIO(files[catalogue_data.CSV_NAME].decode("utf-8"), newline="")))
    assert len(table) == len(rows)
    for row, obj in zip(table, rows, strict=True):
        assert row["title"] == obj["title"] and row["isbn_printed"] == (obj["isbn_printed"] or "")
        assert (row["tags"].split(catalogue_data.LIST_SEPARATOR) if row["tags"] else []) == obj["tags"]
    route = next(r for r in rows if r["id"] == "the-route-trafficking-of-migrants-through-lithuania")
    assert (route["isbn_printed"], route["isbn_valid"], route["isbn13"]) == ("92-9068-060-X", False, None)
    balkans = next(r for r in rows if r["id"] == "victims-of-trafficking-in-the-balkans")
    assert (balkans["isbn13"], balkans["isbn10"], balkans["isbn_valid"]) == ("978-92-9068-113-7", "92-9068-113-6", True)
    bad = dict(rows[0], isbn_valid="yes")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(json.loads(files[catalogue_data.SCHEMA_NAME])).validate([bad])


def test_a_formula_in_a_csv_cell_is_not_run() -> None:
    row = dict.fromkeys(catalogue_data.FIELDS, "")
    row |= {"title": '=HYPERLINK("http://evil")', "tags": ["+1", "ok"], "online": False}
    cells = next(csv.DictReader(io.StringIO(catalogue_data.to_csv([row]))))
    assert cells["title"].startswith("'=") and cells["tags"] == "'+1 ; ok"


def test_records_are_byte_identical_across_builds(real: Any, tmp_path: Path) -> None:
    archive, files = real
    assert write_records(archive, tmp_path) == files


# --- COinS on list pages ---


def _coins(page: Path) -> list[dict[str, list[str]]]:
    tree = html.parse(str(page))
    return [parse_qs(span.get("title")) for span in tree.xpath("//span[contains(concat(' ', @class, ' '), ' Z3988 ')]")]


def test_every_list_page_carries_one_coins_per_listed_item(real_site: Path) -> None:
    archive = visible(ROOT / "content")
    pubs = {p.id: p for p in archive.publications}

    def check(page: str, expected: list[Any]) -> None:
        found = _coins(real_site / page)
        assert len(found) == len(expected), page
        for kev, entry in zip(found, expected, strict=True):
            assert kev["ctx_ver"] == ["Z39.88-2004"]
            if isinstance(entry, Publication):
                assert kev["rft.btitle"] == [full_title(entry)]
                info = entry.isbn_info
                assert kev.get("rft.isbn") == ([info.hyphenated13] if info and info.valid else None)
                assert kev["rft_id"][0].endswith(f"publications/{entry.id}/")
            else:
                assert kev["rft.genre"] == ["issue"] and kev["rft.issue"] == [str(entry.number)]

    check("publications/index.html", archive.publications)
    check("bulletins/index.html", list(reversed(archive.bulletins)))
    for s in archive.series:
        check(f"series/{s.id}/index.html", archive.volumes(s))
    for b in archive.bulletins:
        check(f"bulletins/{b.number}/index.html", archive.reviews(b))
    identifiers = _coins(real_site / "identifiers/index.html")
    listed = [p for p in archive.publications if p.isbn_info] + [p for p in archive.publications if p.issn_info]
    assert len(identifiers) == len(listed) and {k["rft.btitle"][0] for k in identifiers} <= {
        full_title(p) for p in pubs.values()
    }


def test_entry_pages_link_their_records(real_site: Path) -> None:
    page = html.parse(str(real_site / "publications/journeys-of-jeopardy/index.html"))
    records = "../../records/publications/journeys-of-jeopardy"
    links = {(ln.get("type"), ln.get("href")) for ln in page.xpath("//head/link[@rel='alternate']")}
    assert ("application/marcxml+xml", f"{records}.marc.xml") in links
    assert ("application/mods+xml", f"{records}.mods.xml") in links
    assert ("application/xml", f"{records}.dc.xml") in links
    for suffix in (".marc.xml", ".mods.xml", ".dc.xml"):
        assert page.xpath(f"//a[@href='{records}{suffix}']"), suffix
        assert (real_site / "records/publications" / f"journeys-of-jeopardy{suffix}").is_file()
    # Material fetches a sitemap beside every alternate link: each records folder answers with an empty one.
    sitemap = etree.parse(str(real_site / "records/publications/sitemap.xml")).getroot()
    assert sitemap.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset" and len(sitemap) == 0


# --- datestamps ---


def test_a_datestamp_is_the_files_last_commit_and_the_build_date_without_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("one\n")
    (content / "b.md").write_text("two\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")  # 2025-11-24
    assert History(content).changed(content / "a.md") == date(2025, 11, 24)  # no git at all
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t"}
    env |= {"GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

    def commit(name: str, when: str) -> None:
        dated = env | {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        subprocess.run(["git", "add", f"content/{name}"], cwd=tmp_path, env=env, check=True, capture_output=True)
        subprocess.run(["git", "commit", "-q", "-m", name], cwd=tmp_path, env=dated, check=True, capture_output=True)

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True, env=env)
    commit("a.md", "2003-04-05T12:00:00+00:00")
    commit("b.md", "2004-05-06T12:00:00+00:00")
    (content / "a.md").write_text("one, changed\n")
    commit("a.md", "2005-06-07T12:00:00+00:00")
    (content / "c.md").write_text("not committed\n")
    history = History(content)
    assert history.changed(content / "a.md") == date(2005, 6, 7)  # the last change, not the first
    assert history.changed(content / "b.md") == date(2004, 5, 6)
    assert history.changed(content / "c.md") == date(2025, 11, 24)


def test_subjects_are_topics_and_places_as_the_tag_vocabulary_groups_them(real: Any) -> None:
    """Tags are the archive's terms, not LCSH (second indicator 4): topics in 650, regions and countries in
    651, and in MODS places are geographic subjects; the groups come from content/tags.yml, not from the code."""
    archive, files = real
    records = pymarc.parse_xml_to_array(io.BytesIO(files[COLLECTION_MARCXML]), strict=True)
    by_id = {r.get_fields("001")[0].data: r for r in records}
    seen = {"650": 0, "651": 0}
    for p in archive.publications:
        rec = by_id[p.id]
        expected = {"650": [], "651": [], "653": []}
        for tag in p.tags:
            group = archive.vocabulary.group(tag)
            expected["650" if group is Group.topic else "651" if group is not None else "653"].append(tag)
        for number, tags in expected.items():
            fields = rec.get_fields(number)
            assert [f.get_subfields("a")[0] for f in fields] == tags, (p.id, number)
            assert all(f.indicators[1] == ("4" if number != "653" else " ") for f in fields), (p.id, number)
            seen[number] = seen.get(number, 0) + len(fields)
    assert seen["650"] > 0 and seen["651"] > 0, seen
    balkans = etree.fromstring(files["records/publications/victims-of-trafficking-in-the-balkans.mods.xml"])
    ns = {"m": "http://www.loc.gov/mods/v3"}
    assert "Balkans" in balkans.xpath("//m:subject/m:geographic/text()", namespaces=ns)
    assert "Balkans" not in balkans.xpath("//m:subject/m:topic/text()", namespaces=ns)
