"""The real archive built end to end, looked at as a reader's tools see it (HTML parsed with lxml)."""

from __future__ import annotations

import json
import posixpath
import re
from collections import deque
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import lxml.html
import pytest
from stdnum import isbn as stdnum_isbn

from timsite.content.checked import load_archive
from timsite.engine.plugin import today
from timsite.site.urls import entry_url

from .conftest import ROOT


@pytest.fixture(scope="module")
def site(real_site: Path) -> Path:
    return real_site


@pytest.fixture(scope="module")
def archive():  # type: ignore[no-untyped-def]
    return load_archive(ROOT / "content")[0]


def page(site: Path, url: str) -> lxml.html.HtmlElement:
    path = site / url / "index.html" if url.endswith("/") or url == "" else site / url
    return lxml.html.fromstring(path.read_bytes())


def text(tree: lxml.html.HtmlElement) -> str:
    return " ".join(tree.text_content().split())


def internal_links(site: Path, html_file: Path) -> list[tuple[str, str]]:
    """(target file path relative to the site, fragment) for every internal href/src in one page."""
    tree = lxml.html.fromstring(html_file.read_bytes())
    base = html_file.parent.relative_to(site).as_posix()
    out = []
    for element, _attribute, link, _ in tree.iterlinks():
        if (element.tag == "link" and element.get("rel") in ("canonical", "alternate")) or (
            element.tag == "a" and link.startswith("mailto:")
        ):
            continue
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            continue
        path, fragment = urldefrag(link)
        if path.startswith("/"):
            # Root-relative (the 404 page uses them, being served at any depth): site_url's path is "/".
            target = posixpath.normpath(unquote(path).lstrip("/") or ".")
        elif path:
            target = posixpath.normpath(posixpath.join(base, unquote(path)))
        else:
            target = html_file.relative_to(site).as_posix()
        if (site / target).is_dir():
            target = posixpath.join(target, "index.html")
        out.append((target.removeprefix("./"), fragment))
    return out


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    broken = []
    ids: dict[str, set[str]] = {}
    for html_file in sorted(site.rglob("*.html")):
        for target, fragment in internal_links(site, html_file):
            file = site / target
            if not file.is_file():
                broken.append(f"{html_file.relative_to(site)} -> {target}")
                continue
            if fragment and file.suffix == ".html":
                if target not in ids:
                    ids[target] = set(lxml.html.fromstring(file.read_bytes()).xpath("//@id"))
                if fragment not in ids[target]:
                    broken.append(f"{html_file.relative_to(site)} -> {target}#{fragment}")
    assert broken == []


def test_every_issue_and_publication_is_within_three_clicks_of_home(site: Path, archive) -> None:  # type: ignore[no-untyped-def]
    depth = {"index.html": 0}
    queue = deque(["index.html"])
    while queue:
        current = queue.popleft()
        if depth[current] == 3 or not current.endswith(".html"):
            continue
        for target, _ in internal_links(site, site / current):
            if target not in depth and (site / target).is_file():
                depth[target] = depth[current] + 1
                queue.append(target)
    wanted = [entry_url(e) + "index.html" for e in [*archive.bulletins, *archive.publications, *archive.meetings]]
    assert [w for w in wanted if w not in depth] == []


def test_catalogue_lists_every_publication_of_the_brochure(site: Path, archive) -> None:  # type: ignore[no-untyped-def]
    catalogue = page(site, "publications/")
    titles = [" ".join(a.text_content().split()) for a in catalogue.xpath("//table[@data-tim-catalogue]//td[1]/a")]
    # What a reader sees today: `build.py build` leaves out drafts and embargoed entries.
    assert len(titles) == len(archive.visible(today()).publications) > 0
    brochure = (ROOT / "content/publications/iom-counter-trafficking-activities.md").read_text(encoding="utf-8")
    section = brochure.split("Selected IOM Publications", 1)[1]
    listed = re.findall(r"^- \*(.+?)\*", section, flags=re.M)
    # Every item of the brochure's list was read, however many the editors record.
    assert len(listed) == len(re.findall(r"^- ", section, flags=re.M)) > 0
    assert "trafficking-in-migrants" in archive.publication_by_id  # the periodical, introduced in prose
    known = {t.casefold() for p in archive.publications for t in [p.title, *p.also_listed_as]}
    missing = [t for t in listed if t.casefold() not in known]
    assert missing == []


def test_identifier_urls_lead_to_the_publication(site: Path) -> None:
    for digits in ("9290681136", "9789290681137"):
        redirect = page(site, f"isbn/{digits}/")
        refresh = redirect.xpath("//meta[@http-equiv='refresh']/@content")[0]
        target = refresh.split("url=", 1)[1]
        resolved = posixpath.normpath(posixpath.join(f"isbn/{digits}", target))
        assert resolved == "publications/victims-of-trafficking-in-the-balkans"
        assert (site / resolved / "index.html").is_file()
    issn = page(site, "issn/1607338X/").xpath("//link[@rel='canonical']/@href")[0]
    assert issn.endswith("/series/migration-research-series/")
    # A misprinted ISBN is never an identifier URL, and an unknown one falls to the site's 404 page.
    assert not (site / "isbn/929068060X").exists()
    assert (site / "404.html").is_file()


def test_misprinted_isbn_is_shown_as_printed_with_a_note(site: Path) -> None:
    content = text(page(site, "publications/the-route-trafficking-of-migrants-through-lithuania/"))
    assert "92-9068-060-X" in content and "not a valid ISBN" in content
    valid = text(page(site, "publications/victims-of-trafficking-in-the-balkans/"))
    assert "978-92-9068-113-7" in valid and "92-9068-113-6" in valid and "not a valid" not in valid


def test_links_go_both_ways(site: Path, archive) -> None:  # type: ignore[no-untyped-def]
    issue = page(site, "bulletins/25/")
    hrefs = set(issue.xpath("//a/@href"))
    assert "../../meetings/ukat-conference-london-2002/" in hrefs
    assert "../../publications/victims-of-trafficking-in-the-balkans/" in hrefs
    meeting = page(site, "meetings/ukat-conference-london-2002/")
    assert "../../bulletins/25/" in meeting.xpath("//a/@href")
    publication = page(site, "publications/victims-of-trafficking-in-the-balkans/")
    assert "../../bulletins/25/" in publication.xpath("//a/@href")
    series = page(site, "series/migration-research-series/")
    numbers = [td.text_content().strip() for td in series.xpath("//h2[@id='volumes']/following::table[1]//tr/td[1]")]
    # `check` makes every volume carry a unique number; the page lists them all, in number order.
    volumes = archive.volumes(archive.series_by_id["migration-research-series"])
    assert numbers == [str(p.series_number) for p in volumes] and len(numbers) > 1


def test_issue_page_has_every_article_anchored_in_its_contents(site: Path, archive) -> None:  # type: ignore[no-untyped-def]
    issue = page(site, "bulletins/25/")
    ids = set(issue.xpath("//@id"))
    for anchor in (
        "temporary-resident-permits",
        "asia-pacific-conference",
        "saarc-convention",
        "ukat-conference",
        "victims-of-trafficking-in-the-balkans",
        "information-exchange",
    ):
        assert anchor in ids
        assert issue.xpath(f"//a[@href='#{anchor}']"), anchor


def test_search_indexes_entry_pages_only_with_every_identifier_form(site: Path, archive) -> None:  # type: ignore[no-untyped-def]
    assert not (site / "search" / "search_index.json").exists(), "Material's lunr index is still shipped"
    indexed = {
        p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
        if lxml.html.fromstring(p.read_bytes()).xpath("//*[@data-pagefind-body]")
    }
    visible = archive.visible(date.today())
    entries = {entry_url(e) for e in [*visible.bulletins, *visible.meetings, *visible.publications, *visible.series]}
    assert indexed == entries | {"about/"}
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(indexed)
    # Every form python-stdnum derives, in the page's heaviest-weighted element.
    for p in visible.publications:
        isbn = p.isbn_info
        if not (isbn and isbn.valid):
            continue
        weighted = page(site, entry_url(p)).xpath("//*[@data-pagefind-body]//p[@hidden][@data-pagefind-weight='10']")
        words = set(text(weighted[0]).split())
        expected = {stdnum_isbn.format(isbn.isbn13), isbn.isbn13}
        if isbn.isbn10:
            expected |= {stdnum_isbn.format(isbn.isbn10), isbn.isbn10}
        assert expected <= words, (entry_url(p), words)


def test_head_metadata(site: Path) -> None:
    issue = page(site, "bulletins/25/")
    assert issue.xpath("//link[@rel='canonical']/@href") == [
        "https://trafficking-in-migrants.example.org/bulletins/25/"
    ]
    assert (site / "sitemap.xml").is_file()
