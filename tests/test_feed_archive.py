"""Archived feeds (RFC 5005): a client walking back from each subscription document recovers every item once,
full archive pages never change, and today's subscribers see the same ids, links, titles and dates."""

from __future__ import annotations

import html
import json
import shutil
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from lxml import etree

from timsite.content.archive import Archive
from timsite.content.checked import load_archive
from timsite.outputs import feeds
from timsite.outputs import manifest as outputs
from tools.bench.synthetic import generate, write_archive

from .conftest import FIXTURES, ROOT

REAL_URL = "https://trafficking-in-migrants.example.org/"
SITE_URL = "https://walker.example.org/tim/"
FH = "{http://purl.org/syndication/history/1.0}"
ATOM = "{http://www.w3.org/2005/Atom}"
IDENTITY = FIXTURES / "feed-identity.json"
"""Ids, links, titles and dates of the fixture site's feeds as subscribers saw them before the archives."""


def load(content: Path, as_of: date) -> Archive:
    archive, problems = load_archive(content)
    assert not [p for p in problems if p.severity.name == "ERROR"], problems
    return archive.visible(as_of)


def local(site: Path, url: str, site_url: str) -> Path:
    assert url.startswith(site_url), url
    return site / unquote(urlsplit(url).path.removeprefix(urlsplit(site_url).path))


def markers(path: Path) -> set[str]:
    """Which of fh:complete and fh:archive a feed document carries, read with lxml."""
    root = etree.parse(str(path)).getroot()
    scope = root.find("channel") if root.tag == "rss" else root
    return {child.tag.removeprefix(FH) for child in scope if isinstance(child.tag, str) and child.tag.startswith(FH)}


def link(parsed: Any, rel: str) -> str | None:
    found = [x.href for x in parsed.feed.get("links", []) if x.get("rel") == rel]
    assert len(found) <= 1, found
    return found[0] if found else None


def walk(site: Path, url: str, site_url: str) -> tuple[list[str], list[Path], bool]:
    """Follow `prev-archive` from a subscription document as a client would, with feedparser.

    Returns every entry id met (in order, duplicates kept), the archive documents visited, and
    whether the subscription document said it is complete.
    """
    path = local(site, url, site_url)
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    complete = "complete" in markers(path)
    assert "archive" not in markers(path)
    ids = [e.id for e in parsed.entries]
    visited: list[Path] = []
    current = url
    following = link(parsed, "prev-archive")
    assert not (complete and following), url
    while following:
        path = local(site, following, site_url)
        assert path not in visited, "the archive chain loops"
        visited.append(path)
        page = feedparser.parse(path.read_bytes())
        assert not page.bozo, (path, page.get("bozo_exception"))
        assert markers(path) == {"archive"}, path
        # Each page leads back to the subscription document (in Atom, the archives' format).
        assert link(page, "current") == current.removesuffix(".rss.xml").removesuffix(".atom.xml") + ".atom.xml"
        ids += [e.id for e in page.entries]
        before = link(page, "prev-archive")
        if before:
            assert link(feedparser.parse(local(site, before, site_url).read_bytes()), "next-archive") == following
        following = before
    return ids, visited, complete


def walk_json(site: Path, url: str, site_url: str) -> list[str]:
    """Follow `next_url` from a JSON Feed subscription document."""
    ids: list[str] = []
    seen: set[str] = set()
    following: str | None = url
    while following:
        assert following not in seen
        seen.add(following)
        document = json.loads(local(site, following, site_url).read_text(encoding="utf-8"))
        assert document["feed_url"] == following
        ids += [item["id"] for item in document["items"]]
        following = document.get("next_url")
    return ids


def check_walks(site: Path, archive: Archive, site_url: str, limit: int) -> int:
    """Walk every feed in every format; return how many archive pages were met."""
    pages = 0
    directory = feeds.feed_directory(archive, site_url, limit)
    assert directory
    for feed in directory:
        published = [feeds.guid(e) for e in feed_entries(archive, feed.key)]
        newest = [feeds.guid(e) for e in feed.entries]
        for fmt in ("rss", "atom"):
            ids, visited, complete = walk(site, site_url + feed.url(fmt), site_url)
            pages += len(visited)
            assert len(ids) == len(set(ids)), (feed.key, fmt)  # each item once
            assert ids[: len(newest)] == newest
            if complete or visited:
                assert set(ids) == set(published), (feed.key, fmt)
            else:
                # A tag feed keeps a window of its newest items; the site feed's archive has them all.
                assert feed.scope == "tag" and ids == newest and len(published) > len(newest)
        # JSON Feed has no archives (see feeds.ARCHIVE_FORMATS): the newest items, like the XML documents.
        assert walk_json(site, site_url + feed.url("json"), site_url) == newest
    return pages


def feed_entries(archive: Archive, key: str) -> list[Any]:
    [feed] = [f for f in feeds.feed_directory(archive, limit=None) if f.key == key]
    return list(feed.items)


def tree(site: Path, under: str = "") -> dict[str, bytes]:
    root = site / under
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- the real archive, built by build.py ---
def test_walking_the_real_site_recovers_every_item_once(real_site: Path) -> None:
    archive = load(ROOT / "content", date.today())
    assert len(archive.publications) > feeds.FEED_LIMIT  # so the site feed is archived
    pages = check_walks(real_site, archive, REAL_URL, feeds.FEED_LIMIT)
    assert pages >= 2
    for path in (real_site / "feeds").rglob("*.json"):
        assert len(json.loads(path.read_text(encoding="utf-8"))["items"]) <= feeds.FEED_LIMIT


def test_subscription_documents_are_small_and_archives_dated_rfc_3339(real_site: Path) -> None:
    for path in (real_site / "feeds").rglob("*.atom.xml"):
        root = etree.parse(str(path)).getroot()
        entries = root.findall(f"{ATOM}entry")
        limit = feeds.ARCHIVE_PAGE_SIZE if "archive" in path.parts else feeds.FEED_LIMIT
        assert len(entries) <= limit, path
        stamps = [root.findtext(f"{ATOM}updated")]
        stamps += [e.findtext(f"{ATOM}{name}") for e in entries for name in ("updated", "published")]
        for text in stamps:
            assert "T" in text and datetime.fromisoformat(text).utcoffset() is not None, (path, text)
    for path in (real_site / "feeds").rglob("*.rss.xml"):
        channel = etree.parse(str(path)).getroot().find("channel")
        assert len(channel.findall("item")) <= feeds.FEED_LIMIT
        for text in [channel.findtext("lastBuildDate")] + [i.findtext("pubDate") for i in channel.findall("item")]:
            assert parsedate_to_datetime(text).tzinfo is not None, text


# --- a synthetic archive of today's size ---
@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("synthetic") / "content"
    write_archive(generate(1), content)
    return content


AS_OF = date(2030, 1, 1)


def test_walking_a_synthetic_archive_recovers_every_item_once(synthetic: Path, tmp_path: Path) -> None:
    archive = load(synthetic, AS_OF)
    site = tmp_path / "site"
    outputs.plan(archive, {}, SITE_URL, limit=feeds.FEED_LIMIT).write(site)
    pages = check_walks(site, archive, SITE_URL, feeds.FEED_LIMIT)
    total = len(archive.bulletins) + len(archive.meetings) + len(archive.publications)
    assert pages >= 2 * ((total - feeds.FEED_LIMIT) // feeds.ARCHIVE_PAGE_SIZE)


def test_adding_an_item_rewrites_no_full_archive_page(synthetic: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(synthetic, content)
    outputs.plan(load(content, AS_OF), {}, SITE_URL).write(tmp_path / "before")
    before = tree(tmp_path / "before")
    (content / "publications" / "added-later.md").write_text(
        '---\nid: added-later\ntitle: "Added Later"\ntype: report\ndate: "2029-06-01"\ntags: ["Europe"]\n---\n\nNew.\n',
        encoding="utf-8",
    )
    after_site = tmp_path / "after"
    outputs.plan(load(content, AS_OF), {}, SITE_URL).write(after_site)
    after = tree(after_site)
    full = [
        name
        for name, data in before.items()
        if name.startswith("feeds/archive/")
        and len(etree.fromstring(data).findall(f"{ATOM}entry")) == feeds.ARCHIVE_PAGE_SIZE
    ]
    assert len(full) >= 8  # the site feed and the publications feed each fill several pages
    for name in full:
        assert after[name] == before[name], name
    # The new item is in the subscription documents, and one older item moved into the newest archive page.
    assert json.loads(after["feeds/all.json"])["items"][0]["id"].endswith("publication/added-later")
    assert sum(name.startswith("feeds/archive/") for name in after) >= sum(
        n.startswith("feeds/archive/") for n in before
    )


# --- today's subscribers ---
def test_ids_links_titles_and_dates_are_those_subscribers_already_have(tmp_path: Path) -> None:
    """The fixture site's feeds (subscription documents and archives together) against the record of what they
    carried before archives existed; their site address was https://example.org/tim/ then."""
    archive = load(FIXTURES / "site" / "content", date(2026, 1, 1))
    site = tmp_path / "site"
    old_url = "https://example.org/tim/"
    for limit in (feeds.FEED_LIMIT, 1):  # the second: almost everything in archives
        shutil.rmtree(site, ignore_errors=True)
        outputs.plan(archive, {}, old_url, limit=limit).write(site)
        for name, expected in json.loads(IDENTITY.read_text(encoding="utf-8")).items():
            url = old_url + "feeds/" + name
            if name.endswith(".json"):
                pages = _json_pages(site, url, old_url)
                items = pages[0]["items"] + [i for p in pages[1:] for i in reversed(p["items"])]
                got = [
                    {"id": i["id"], "link": i["url"], "title": i["title"], "date": i["date_published"]} for i in items
                ]
            else:
                got = [_row(e) for e in _walk_entries(site, url, old_url)]
            if name.startswith("tags/") or name.endswith(".json"):
                # Tag feeds and JSON feeds are windows of the newest items: the rest is in the Atom archives.
                expected = expected[:limit]
            assert got == expected, (limit, name)


def _json_pages(site: Path, url: str, site_url: str) -> list[dict[str, Any]]:
    pages, following = [], url
    while following:
        pages.append(json.loads(local(site, following, site_url).read_text(encoding="utf-8")))
        following = pages[-1].get("next_url")
    return pages


def _walk_entries(site: Path, url: str, site_url: str) -> list[Any]:
    """Entries newest first across the subscription document and its archive pages (each page is oldest first)."""
    parsed = feedparser.parse(local(site, url, site_url).read_bytes())
    entries = list(parsed.entries)
    following = link(parsed, "prev-archive")
    while following:
        page = feedparser.parse(local(site, following, site_url).read_bytes())
        entries += list(reversed(page.entries))
        following = link(page, "prev-archive")
    return entries


def _row(entry: Any) -> dict[str, str]:
    stamp = entry.published
    when = datetime.fromisoformat(stamp) if "T" in stamp else parsedate_to_datetime(stamp)
    return {"id": entry.id, "link": entry.link, "title": entry.title, "date": when.isoformat()}


def test_a_subscription_document_stops_at_its_text_budget(synthetic: Path) -> None:
    archive = load(synthetic, AS_OF)
    [issues] = [f for f in feeds.feed_directory(archive, SITE_URL) if f.key == "bulletins"]
    texts = [len(e.body) for e in issues.entries]
    # the synthetic issues are as long as real ones: twenty would pass the budget, so fewer are carried
    assert sum(len(e.body) for e in issues.items[: feeds.FEED_LIMIT]) > feeds.FEED_TEXT_BUDGET
    assert 1 <= len(texts) < min(feeds.FEED_LIMIT, len(issues.items))
    assert sum(texts) <= feeds.FEED_TEXT_BUDGET < sum(texts) + len(issues.items[len(texts)].body)
    assert issues.pages >= 1  # the rest are in the archive
    # one item is always carried, however long
    [lone] = [f for f in feeds.feed_directory(archive, SITE_URL, limit=1) if f.key == "bulletins"]
    assert len(lone.entries) == 1


def test_archive_pages_carry_summaries_and_subscription_documents_full_texts(real_site: Path) -> None:
    """An archived item, or one in a tag's feed, links to its page and carries its summary; the newest items of
    the site's and the collections' feeds carry their full text."""
    paths = sorted((real_site / "feeds/archive").rglob("*.atom.xml"))
    paths += sorted((real_site / "feeds/tags").glob("*.xml"))
    assert len(paths) > 100
    entries = [e for doc in (feedparser.parse(p.read_bytes()) for p in paths) for e in doc.entries]
    assert entries
    for path in sorted((real_site / "feeds/tags").glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8"))["items"]:
            assert item["content_html"] == html.escape(item["summary"], quote=False), path
    for entry in entries:
        assert entry.link.startswith(REAL_URL)
        assert entry.content[0].value == entry.summary  # no full text in the archive
    current = feedparser.parse((real_site / "feeds/bulletins.atom.xml").read_bytes())
    [issue] = current.entries
    assert len(issue.content[0].value) > 10 * len(issue.summary)  # N° 25 with its full text
