"""Feeds: every format parses, items are stable, absolute, escaped and dated right, builds are byte-identical."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import lxml.html
import pytest
from lxml import etree

from timsite.content.archive import Archive
from timsite.content.checked import load_archive
from timsite.content.model import Bulletin, Meeting, Publication
from timsite.outputs import feeds
from timsite.outputs import manifest as outputs
from timsite.outputs.export.library import OAI_REPOSITORY

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
AS_OF = date(2010, 1, 1)
SITE_URL = "https://fixture.example.org/tim/"
HOSTILE_TITLE = 'Smuggling & "Trafficking" <b>bold</b> ]]> test'
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC = "{http://purl.org/dc/elements/1.1/}"
TAG_PREFIX = "tag:trafficking-in-migrants.iom.int,2002:"


# --- helpers ---
def load(content: Path, as_of: date = AS_OF) -> Archive:
    archive, problems = load_archive(content)
    assert not [p for p in problems if p.severity.name == "ERROR"], problems
    return archive.visible(as_of)


def write(site: Path, archive: Archive, site_url: str = SITE_URL, limit: int | None = None, **kw: Any) -> Path:
    """The feeds (and other outputs) written without MkDocs: items carry their summary as content."""
    outputs.plan(archive, kw.get("rendered", {}), site_url, limit=limit, hub=kw.get("hub")).write(site)
    return site


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def feed_files(site: Path, suffix: str) -> list[Path]:
    """The feeds of one format (".rss.xml", ".atom.xml", ".json"), or both XML formats for ".xml"."""
    if suffix == ".xml":
        return feed_files(site, ".rss.xml") + feed_files(site, ".atom.xml")
    return sorted(p for p in (site / "feeds").rglob(f"*{suffix}") if "archive" not in p.relative_to(site).parts)


def archive_files(site: Path) -> list[Path]:
    return sorted((site / "feeds" / "archive").rglob("*.*")) if (site / "feeds" / "archive").is_dir() else []


def rss_items(path: Path) -> list[etree._Element]:
    return etree.parse(str(path)).getroot().findall("channel/item")


def atom_entries(path: Path) -> list[etree._Element]:
    return etree.parse(str(path)).getroot().findall(f"{ATOM}entry")


def json_items(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["items"]


def item_contents(site: Path) -> list[str]:
    """The HTML content of every item in every feed, all three formats."""
    found: list[str] = []
    for path in feed_files(site, ".rss.xml"):
        found += [item.findtext(CONTENT) or "" for item in rss_items(path)]
    for path in feed_files(site, ".atom.xml"):
        found += [entry.findtext(f"{ATOM}content") or "" for entry in atom_entries(path)]
    for path in feed_files(site, ".json"):
        found += [item["content_html"] for item in json_items(path)]
    return found


def relative_urls(fragment: str) -> list[str]:
    if not fragment.strip():
        return []
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    links = [link for _, _, link, _ in root.iterlinks()]
    links += [c.split()[0] for e in root.xpath("//*[@srcset]") for c in e.get("srcset").split(",") if c.strip()]
    return [link for link in links if not urlsplit(link).scheme]


def site_file(site: Path, url: str, site_url: str) -> Path:
    """The file in the built site that an absolute URL of the site serves."""
    assert url.startswith(site_url), url
    path = unquote(urlsplit(url).path.removeprefix(urlsplit(site_url).path))
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def check_built_feeds(site: Path, site_url: str) -> list[Any]:
    """Every XML feed of a built site (archives too) parses; item links and enclosures lead to files there;
    return the entries."""
    entries: list[Any] = []
    for path in feed_files(site, ".xml") + [p for p in archive_files(site) if p.suffix == ".xml"]:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        for entry in parsed.entries:
            assert site_file(site, entry.link, site_url).is_file(), entry.link
            for link in entry.links:
                if link.rel == "enclosure":
                    assert site_file(site, link.href, site_url).stat().st_size == int(link.length)
        entries += parsed.entries
    assert all(not relative_urls(c) for c in item_contents(site))
    return entries


def mkdocs_build(config: Path, site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        cwd=config.parent,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


# --- fixtures ---
@pytest.fixture(scope="module")
def archive() -> Archive:
    return load(HOSTILE / "content")


@pytest.fixture(scope="module")
def site(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile fixture's feeds, written without MkDocs (items carry their summaries as content)."""
    return write(tmp_path_factory.mktemp("feeds"), archive)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile fixture built by MkDocs, theme included."""
    site = tmp_path_factory.mktemp("hostile-site")
    mkdocs_build(HOSTILE / "mkdocs.yml", site)
    return site


@pytest.fixture(scope="module")
def real_build(real_site: Path) -> Path:
    """The real site, as `build.py build` publishes it (shared with the other tests reading it)."""
    return real_site


# --- the list of feeds and autodiscovery ---
def test_directory_has_site_collection_and_tag_feeds_at_stable_urls(archive: Archive) -> None:
    directory = feeds.feed_directory(archive)
    keys = [f.key for f in directory]
    assert keys[:4] == ["all", "bulletins", "meetings", "publications"]
    assert [f.scope for f in directory[:4]] == ["site", "collection", "collection", "collection"]
    assert directory[0].url("rss") == "feeds/all.rss.xml"
    assert (directory[0].url("atom"), directory[0].url("json")) == ("feeds/all.atom.xml", "feeds/all.json")
    assert {f.key for f in directory if f.scope == "tag"} == {
        "tags/europe",
        "tags/cote-divoire",
        "tags/smuggling-trafficking",
    }
    for f in directory:
        assert f.page == f"feeds/{f.key}/"
        assert all(
            f.url(fmt) == f"feeds/{f.key}.{suffix}"
            for fmt, suffix in (("rss", "rss.xml"), ("atom", "atom.xml"), ("json", "json"))
        )
        assert not f.url("rss").startswith("/") and f.title and f.description


def test_tags_differing_only_in_case_share_one_feed() -> None:
    meetings = [
        Meeting.model_validate({"path": Path(f"{key}.md"), "id": key, "title": key, "start": "2002-01", "tags": [tag]})
        for key, tag in (("a", "Europe"), ("b", "europe"))
    ]
    archive = Archive([], meetings, [], [])
    tag_feeds = [f for f in feeds.feed_directory(archive) if f.scope == "tag"]
    assert [f.key for f in tag_feeds] == ["tags/europe"]


def test_alternates_are_site_then_collection_then_tags(archive: Archive) -> None:
    directory = feeds.feed_directory(archive)
    publication = archive.publication_by_id["hostile-title"]
    manifest = outputs.plan(archive, {}, SITE_URL)
    links = feeds.alternates(publication, feeds.by_key(directory), SITE_URL, manifest)
    hrefs = [link["href"] for link in links]
    # Root-relative: same-origin wherever the site is served (site_url's path is kept).
    root = urlsplit(SITE_URL).path
    assert hrefs[:3] == [root + "feeds/all.rss.xml", root + "feeds/all.atom.xml", root + "feeds/all.json"]
    assert hrefs[3:6] == [root + f"feeds/publications.{s}" for s in ("rss.xml", "atom.xml", "json")]
    # Tags are announced in Atom only (Material fetches a sitemap beside every alternate link).
    assert hrefs[6:] == [root + "feeds/tags/smuggling-trafficking.atom.xml", root + "feeds/tags/europe.atom.xml"]
    assert [link["type"] for link in links[:3]] == [
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
    ]
    assert all(link["title"] for link in links)
    assert len(feeds.alternates(None, feeds.by_key(directory), SITE_URL, manifest)) == 3
    # A tag feed's own page announces it in every format.
    own = [link["href"] for link in feeds.alternates(None, feeds.by_key(directory), SITE_URL, manifest, "tags/europe")]
    assert own[:3] == [root + f"feeds/tags/europe.{s}" for s in ("rss.xml", "atom.xml", "json")]


# --- every feed parses, with the right kind of dates ---
def test_every_feed_parses_without_errors(site: Path) -> None:
    for path in feed_files(site, ".xml"):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == ("rss20" if path.name.endswith(".rss.xml") else "atom10")
    for path in feed_files(site, ".json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        assert document["feed_url"] == SITE_URL + path.relative_to(site).as_posix()


def test_rss_dates_are_rfc_822_and_atom_dates_rfc_3339(site: Path) -> None:
    for path in feed_files(site, ".rss.xml"):
        channel = etree.parse(str(path)).getroot().find("channel")
        stamps = [channel.findtext("lastBuildDate")] + [i.findtext("pubDate") for i in channel.findall("item")]
        for text in stamps:
            parsed = parsedate_to_datetime(text)
            assert parsed.tzinfo is not None and format_datetime(parsed) == text, text
    for path in feed_files(site, ".atom.xml"):
        root = etree.parse(str(path)).getroot()
        stamps = [root.findtext(f"{ATOM}updated")]
        stamps += [e.findtext(f"{ATOM}{name}") for e in atom_entries(path) for name in ("updated", "published")]
        for text in stamps:
            assert "T" in text and datetime.fromisoformat(text).utcoffset() is not None, text
    for path in feed_files(site, ".json"):
        for item in json_items(path):
            assert datetime.fromisoformat(item["date_published"]).utcoffset() is not None


def test_items_are_dated_at_midnight_utc_from_content(site: Path, archive: Archive) -> None:
    entries = {e.published for e in [*archive.bulletins, *archive.meetings, *archive.publications]}
    dates = [parsedate_to_datetime(i.findtext("pubDate")) for i in rss_items(site / "feeds/all.rss.xml")]
    assert {d.date() for d in dates} == entries
    assert all(d == datetime.combine(d.date(), datetime.min.time(), UTC) for d in dates)
    assert parsedate_to_datetime(rss_items(site / "feeds/bulletins.rss.xml")[-1].findtext("pubDate")).date() == date(
        2002, 1, 1
    )


# --- escaping ---
def test_hostile_titles_come_back_as_the_same_text(site: Path) -> None:
    url = SITE_URL + "publications/hostile-title/"
    rss = {e.link: e for e in feedparser.parse((site / "feeds/all.rss.xml").read_bytes()).entries}[url]
    atom = {e.link: e for e in feedparser.parse((site / "feeds/all.atom.xml").read_bytes()).entries}[url]
    for entry in (rss, atom):
        assert entry.title == HOSTILE_TITLE
        assert [a["name"] for a in entry.authors] == ["Anna & Ben <Ltd>", "Zoë O'Brien"]
        assert [t.term for t in entry.tags] == ["Smuggling & <Trafficking>", "Europe"]
    assert atom.title_detail.type == "text/plain"
    [item] = [i for i in json_items(site / "feeds/all.json") if i["url"] == url]
    assert item["title"] == HOSTILE_TITLE and item["summary"] == "A summary with & and <i>markup</i> ]]> too."
    [xml_item] = [i for i in rss_items(site / "feeds/all.rss.xml") if i.findtext("link") == url]
    assert xml_item.findtext("title") == HOSTILE_TITLE
    assert [c.text for c in xml_item.findall(f"{DC}creator")] == ["Anna & Ben <Ltd>", "Zoë O'Brien"]
    # The summary is escaped HTML of the plain text: as HTML it reads as the same text.
    description = lxml.html.fragment_fromstring(xml_item.findtext("description"), create_parent="div")
    assert description.text_content() == "A summary with & and <i>markup</i> ]]> too."


def test_atom_content_is_type_html_never_cdata(site: Path) -> None:
    for path in [*feed_files(site, ".atom.xml"), *feed_files(site, ".rss.xml")]:
        assert b"<![CDATA[" not in path.read_bytes()
    for path in feed_files(site, ".atom.xml"):
        for entry in atom_entries(path):
            assert entry.find(f"{ATOM}content").get("type") == "html"
            assert entry.find(f"{ATOM}title").get("type") in (None, "text")


def test_hostile_fixture_survives_the_whole_mkdocs_build(hostile_build: Path) -> None:
    entries = check_built_feeds(hostile_build, SITE_URL)
    titles = {e.title for e in entries}
    assert HOSTILE_TITLE in titles and 'Issue & <One> "quoted" ]]> test' in titles
    enclosures = [link.href for e in entries for link in e.links if link.rel == "enclosure"]
    # Issue 1's printed PDF; the typeset edition of issue 2 (a publication's full text is not typeset).
    assert set(enclosures) == {
        SITE_URL + "bulletins/1/tim-1.pdf",
        SITE_URL + "bulletins/2/trafficking-in-migrants-2.pdf",
    }
    # MkDocs' own rendering is used: its permalink markers are gone, its anchors kept.
    [issue] = [i for i in json_items(hostile_build / "feeds/bulletins.json") if i["id"].endswith("/1")]
    assert (
        "headerlink" not in issue["content_html"] and f'href="{SITE_URL}bulletins/1/#article"' in issue["content_html"]
    )


# --- identity ---
def test_ids_are_tag_uris_from_identity_not_from_the_site_address(archive: Archive, tmp_path: Path) -> None:
    moved = write(tmp_path / "moved", archive, site_url="https://elsewhere.example.net/")
    for name in ("all.rss.xml", "all.atom.xml"):
        here = [e.id for e in feedparser.parse((tmp_path / "moved/feeds" / name).read_bytes()).entries]
        assert all(i.startswith(TAG_PREFIX) for i in here)
    ids = {i["id"] for i in json_items(moved / "feeds/all.json")}
    assert ids == {
        TAG_PREFIX + "bulletin/1",
        TAG_PREFIX + "bulletin/2",
        TAG_PREFIX + "meeting/range-meeting",
        TAG_PREFIX + "meeting/month-meeting",
        TAG_PREFIX + "meeting/one-day-meeting",
        TAG_PREFIX + "publication/hostile-title",
        TAG_PREFIX + "publication/corporate-report",
    }
    for guid in etree.parse(str(moved / "feeds/all.rss.xml")).getroot().iter("guid"):
        assert guid.get("isPermaLink") == "false"


def test_renaming_content_files_changes_nothing(site: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(HOSTILE / "content", content)
    for path in sorted(content.rglob("*.md")):
        path.rename(path.with_name("renamed-" + path.name))
    renamed = write(tmp_path / "site", load(content))
    before, after = tree(site), tree(renamed)
    assert after.keys() == before.keys()
    # Library records carry a datestamp: the content file's last commit, and the copy here is not in git
    # (docs/libraries.md). Every other byte must match.
    dated = {p for p in before if p.endswith((".marc.xml", ".mods.xml", ".mrc")) or p == OAI_REPOSITORY}
    assert {p: b for p, b in after.items() if p not in dated} == {p: b for p, b in before.items() if p not in dated}


def test_two_writes_of_the_same_archive_are_byte_identical(archive: Archive, site: Path, tmp_path: Path) -> None:
    assert tree(write(tmp_path / "again", archive)) == tree(site)


# --- order, limit, channel ---
def test_items_are_newest_first_and_the_channel_is_dated_by_the_newest(site: Path) -> None:
    for path in feed_files(site, ".rss.xml"):
        channel = etree.parse(str(path)).getroot().find("channel")
        dates = [parsedate_to_datetime(i.findtext("pubDate")) for i in channel.findall("item")]
        assert dates == sorted(dates, reverse=True) and dates
        assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == dates[0]
    for path in feed_files(site, ".atom.xml"):
        updated = [datetime.fromisoformat(e.findtext(f"{ATOM}updated")) for e in atom_entries(path)]
        assert updated == sorted(updated, reverse=True)
        assert datetime.fromisoformat(etree.parse(str(path)).getroot().findtext(f"{ATOM}updated")) == updated[0]


def test_limit_keeps_the_newest_items(archive: Archive, site: Path, tmp_path: Path) -> None:
    limited = write(tmp_path / "limited", archive, limit=2)
    everything = [i["id"] for i in json_items(site / "feeds/all.json")]
    assert [i["id"] for i in json_items(limited / "feeds/all.json")] == everything[:2]
    assert len(rss_items(limited / "feeds/all.rss.xml")) == 2 and len(atom_entries(limited / "feeds/all.atom.xml")) == 2
    assert len(everything) == 7


def test_channel_has_title_link_description_language_self_link_and_image(hostile_build: Path) -> None:
    site = hostile_build  # the channel image is a theme file: only a MkDocs build has it
    channel = etree.parse(str(site / "feeds/tags/europe.rss.xml")).getroot().find("channel")
    assert channel.findtext("title") == "Trafficking in Migrants: Europe"
    assert channel.findtext("link") == SITE_URL + "tags/europe/"
    assert channel.findtext("description") and channel.findtext("language") == "en"
    assert channel.findtext("generator") == "timsite"
    assert channel.find(f"{ATOM}link[@rel='self']").get("href") == SITE_URL + "feeds/tags/europe.rss.xml"
    image = channel.findtext("image/url")
    assert site_file(site, image, SITE_URL).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    atom = etree.parse(str(site / "feeds/tags/europe.atom.xml")).getroot()
    assert atom.find(f"{ATOM}link[@rel='self']").get("href") == SITE_URL + "feeds/tags/europe.atom.xml"
    assert atom.findtext(f"{ATOM}author/{ATOM}name") and atom.findtext(f"{ATOM}icon") == image


# --- item content ---
def test_no_relative_url_is_left_in_any_item_content(site: Path) -> None:
    contents = item_contents(site)
    assert contents and all(not relative_urls(c) for c in contents)


def test_rendered_html_is_used_and_made_absolute(archive: Archive, tmp_path: Path) -> None:
    rendered = {
        "meetings/month-meeting.md": '<h2 id="x">X<a class="headerlink" href="#x">¶</a></h2>'
        '<p><a href="../range-meeting/">r</a> <img src="map.png" srcset="a.png 1x, ../b.png 2x"> '
        '<a href="mailto:a@b.org">m</a> <a href="https://example.org/">e</a></p>'
    }
    out = write(tmp_path / "rendered", archive, rendered=rendered)
    [item] = [i for i in json_items(out / "feeds/meetings.json") if i["id"].endswith("month-meeting")]
    html = item["content_html"]
    assert "headerlink" not in html and "¶" not in html
    assert f'href="{SITE_URL}meetings/range-meeting/"' in html
    assert f'src="{SITE_URL}meetings/month-meeting/map.png"' in html
    assert f'srcset="{SITE_URL}meetings/month-meeting/a.png 1x, {SITE_URL}meetings/b.png 2x"' in html
    assert 'href="mailto:a@b.org"' in html and 'href="https://example.org/"' in html


def test_one_item_per_issue_with_its_contents_and_full_text(hostile_build: Path) -> None:
    site = hostile_build  # the full text is what MkDocs rendered
    items = json_items(site / "feeds/bulletins.json")
    assert [i["id"] for i in items] == [TAG_PREFIX + "bulletin/2", TAG_PREFIX + "bulletin/1"]
    root = lxml.html.fragment_fromstring(items[1]["content_html"], create_parent="div")
    hrefs = [a.get("href") for a in root.iter("a")]
    assert SITE_URL + "bulletins/1/#lead" in hrefs and SITE_URL + "bulletins/1/#article" in hrefs
    assert SITE_URL + "publications/hostile-title/" in hrefs
    assert "Text with an" in root.text_content() and "The footnote." in root.text_content()


def test_issue_pdf_is_an_enclosure_and_is_copied(hostile_build: Path) -> None:
    site = hostile_build  # the PDF is copied into the site by the MkDocs plugin
    size = (HOSTILE / "content/bulletins/tim-1.pdf").stat().st_size
    url = SITE_URL + "bulletins/1/tim-1.pdf"
    # Issue 1's printed PDF is its enclosure; issue 2, which has none, encloses its typeset edition.
    typeset = SITE_URL + "bulletins/2/trafficking-in-migrants-2.pdf"
    typeset_size = site_file(site, typeset, SITE_URL).stat().st_size
    enclosed = {i.find("link").text: i.find("enclosure") for i in rss_items(site / "feeds/bulletins.rss.xml")}
    rss = enclosed[SITE_URL + "bulletins/1/"]
    assert dict(rss.attrib) == {"url": url, "length": str(size), "type": "application/pdf"}
    assert enclosed[SITE_URL + "bulletins/2/"].get("url") == typeset
    assert enclosed[SITE_URL + "bulletins/2/"].get("length") == str(typeset_size)
    [atom] = [
        e
        for e in atom_entries(site / "feeds/bulletins.atom.xml")
        if e.find(f"{ATOM}link[@rel='alternate']").get("href") == SITE_URL + "bulletins/1/"
    ]
    link = atom.find(f"{ATOM}link[@rel='enclosure']")
    assert (link.get("href"), link.get("length"), link.get("type")) == (url, str(size), "application/pdf")
    [item] = [i for i in json_items(site / "feeds/bulletins.json") if i["url"] == SITE_URL + "bulletins/1/"]
    assert item["attachments"] == [{"url": url, "mime_type": "application/pdf", "size_in_bytes": size}]
    assert site_file(site, url, SITE_URL).read_bytes() == (HOSTILE / "content/bulletins/tim-1.pdf").read_bytes()


def test_items_written_outside_mkdocs_carry_their_summary(site: Path) -> None:
    for item in json_items(site / "feeds/all.json"):
        assert (
            lxml.html.fragment_fromstring(item["content_html"], create_parent="div").text_content() == item["summary"]
        )


def test_authors_only_where_known(site: Path) -> None:
    by_id = {i["id"]: i for i in json_items(site / "feeds/all.json")}
    assert by_id[TAG_PREFIX + "publication/corporate-report"]["authors"] == [{"name": "IOM Geneva"}]
    assert "authors" not in by_id[TAG_PREFIX + "bulletin/1"]
    assert all(i["summary"] for i in by_id.values())


def test_drafts_and_embargoed_entries_never_appear(site: Path) -> None:
    for name, data in tree(site).items():
        assert b"MUST NOT APPEAR" not in data, name
        assert b"draft-" not in data and b"embargoed-" not in data and b"bulletin/99" not in data, name


# --- a person in a browser, OPML ---
def test_xml_feeds_carry_no_stylesheet(site: Path) -> None:
    """Chromium flags XSLT as going away: a person follows a link to the feed's page instead."""
    for path in feed_files(site, ".xml") + [p for p in archive_files(site) if p.suffix == ".xml"]:
        root = etree.parse(str(path)).getroot()
        assert root.getprevious() is None, path


def test_opml_lists_every_feed(site: Path, archive: Archive) -> None:
    root = etree.parse(str(site / "feeds/feeds.opml")).getroot()
    assert root.get("version") == "2.0"
    outlines = root.findall("body/outline/outline")
    assert [o.get("xmlUrl") for o in outlines] == [SITE_URL + f.url("rss") for f in feeds.feed_directory(archive)]
    assert all(site_file(site, o.get("xmlUrl"), SITE_URL).is_file() for o in outlines)
    assert parsedate_to_datetime(root.findtext("head/dateCreated")).date() == date(2002, 9, 1)


# --- the real site, as build.py builds it ---
def test_real_site_feeds_parse_and_point_to_existing_files(real_build: Path) -> None:
    site_url = "https://trafficking-in-migrants.example.org/"
    archive = load(ROOT / "content", date.today())
    assert len(feed_files(real_build, ".rss.xml")) == len(feeds.feed_directory(archive))
    check_built_feeds(real_build, site_url)
    total = len(archive.bulletins) + len(archive.meetings) + len(archive.publications)
    assert len(json_items(real_build / "feeds/all.json")) == min(total, feeds.FEED_LIMIT)
    assert (real_build / "meetings.ics").is_file() and (real_build / "feeds/feeds.opml").is_file()


def test_real_pages_announce_their_feeds(real_build: Path) -> None:
    page = lxml.html.fromstring((real_build / "bulletins/25/index.html").read_bytes())
    hrefs = [link.get("href") for link in page.xpath("//head/link[@rel='alternate']")]
    base = "/feeds/"
    assert (
        base + "all.rss.xml" in hrefs
        and base + "bulletins.atom.xml" in hrefs
        and base + "tags/europe.atom.xml" in hrefs
    )
    # Material fetches sitemap.xml next to every alternate link: each must exist, or every page view logs a 404.
    site_url = "https://trafficking-in-migrants.example.org/"
    for href in hrefs:
        sitemap = site_file(real_build, urljoin(urljoin(site_url, href), "sitemap.xml"), site_url)
        assert etree.parse(str(sitemap)).getroot().tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    subscribe = lxml.html.fromstring((real_build / "subscribe/index.html").read_bytes())
    links = {urljoin(site_url + "subscribe/", a.get("href")) for a in subscribe.iter("a") if a.get("href")}
    assert site_url + "feeds/feeds.opml" in links
    # Every feed's page is linked from the Subscribe page and announces the feed in every format.
    for f in feeds.feed_directory(load(ROOT / "content", date.today())):
        # A merged tag name's feed keeps its old address and page, but is not offered to new subscribers.
        assert (site_url + f.page in links) is (f.scope != "merged"), f.page
        page = lxml.html.fromstring((real_build / f.page / "index.html").read_bytes())
        announced = {link.get("href") for link in page.xpath("//head/link[@rel='alternate']")}
        assert {"/" + f.url(fmt) for fmt in ("rss", "atom", "json")} <= announced
        shown = page.text_content()
        assert all(site_url + f.url(fmt) in shown for fmt in ("rss", "atom", "json"))


def test_bulletin_and_publication_models_give_item_titles() -> None:
    b = Bulletin(path=Path("b.md"), number=7, season="autumn", year=2003)
    p = Publication(path=Path("p.md"), id="x", title="T & <x>", type="report")
    assert feeds.guid(b) == TAG_PREFIX + "bulletin/7" and feeds.guid(p) == TAG_PREFIX + "publication/x"
    assert feeds.item_date(b) == datetime(2003, 10, 1, tzinfo=UTC)
