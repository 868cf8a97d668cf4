"""What a reader sees first, read from the built HTML with lxml: the home page and the head of every item page.

- The home page says what the site is, leads with the latest issue (its lead article, summary and contents),
  lists the newest publications and meetings and how to subscribe; with one issue (the fixture site) it
  lists no earlier issues, with many (a synthetic archive) the few before the latest, newest first.
- Every issue, meeting, publication and series page starts with its title (the first heading), then its
  key facts as a definition list, and only then any tag; no table on those pages has an empty header row.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from timsite.content.archive import Archive
from timsite.content.checked import load_archive
from timsite.site.urls import entry_url
from tools.bench.synthetic import Counts, generate, write_archive

from .conftest import FIXTURES, ROOT

Tree = lxml.html.HtmlElement


def build(content: Path, out: Path) -> Path:
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--content", str(content), "build", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out.resolve()


@pytest.fixture(scope="module")
def fixture_built(fixture_site: Path) -> tuple[Path, Archive]:
    return fixture_site, load_archive(FIXTURES / "site" / "content")[0]


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Archive]:
    """A hundred issues (25 years of the bulletin), each reporting a meeting and reviewing publications."""
    root = tmp_path_factory.mktemp("synthetic")
    write_archive(generate(1, counts=Counts(issues=100, meetings=100, publications=200)), root / "content")
    archive, problems = load_archive(root / "content")
    assert not [p for p in problems if p.severity.name == "ERROR"], problems
    return build(root / "content", root / "site"), archive


def parse(site: Path, url: str) -> Tree:
    return lxml.html.fromstring((site / url / "index.html").read_bytes())


def words(element: Tree) -> str:
    return " ".join(element.text_content().split())


def content(tree: Tree) -> Tree:
    found = tree.xpath("//article[contains(@class, 'md-content__inner')]")
    assert len(found) == 1, "no single article.md-content__inner"
    return found[0]


def resolves(site: Path, page_url: str, href: str) -> bool:
    """Whether a relative link on the page at `page_url` leads to a page of the site (anchor ignored)."""
    path = (site / page_url / href.split("#")[0]).resolve()
    return (path / "index.html").is_file() or path.is_file()


def check_home(site: Path, archive: Archive) -> Tree:
    home = content(parse(site, ""))
    h1 = home.xpath(".//h1")
    assert [words(h) for h in h1] == ["Trafficking in Migrants"]
    assert "quarterly bulletin" in words(home.xpath(".//*[contains(@class, 'tim-home__about')]")[0])
    latest = max(archive.bulletins, key=lambda b: b.number)
    block = home.xpath(".//section[@aria-labelledby='latest-issue']")[0]
    assert latest.label in words(block)
    assert words(block.xpath(".//h2")[0]) == (latest.lead or latest.display_title)
    if latest.summary:
        assert " ".join(latest.summary.split()) in words(block)
    issue_links = [a.get("href") for a in block.xpath(".//a")]
    assert entry_url(latest) in issue_links
    contents = [words(a) for a in block.xpath(".//ol[contains(@class, 'tim-home__contents')]/li/a")]
    sections = [line.removeprefix("## ").split(" {#")[0] for line in latest.body.splitlines() if line.startswith("## ")]
    assert contents == sections
    # Newest publications and meetings, each linking to its page; subscribe and the calendar in reach.
    for name, entries in (("new-publications", archive.publications), ("new-meetings", archive.meetings)):
        listed = home.xpath(f".//section[@aria-labelledby='{name}']//ul/li/a/@href")
        assert listed and set(listed) <= {entry_url(e) for e in entries}, name
    follow = home.xpath(".//section[@aria-labelledby='follow']//a/@href")
    assert "subscribe/" in follow and "meetings.ics" in follow
    for a in home.xpath(".//a[@href]"):
        assert resolves(site, "", a.get("href")), f"home links to {a.get('href')}, which is not in the site"
    return home


def test_home_with_the_fixture_site(fixture_built: tuple[Path, Archive]) -> None:
    site, archive = fixture_built
    home = check_home(site, archive)
    assert len(archive.bulletins) == 2
    earlier = home.xpath(".//ul[preceding-sibling::h3[@id='earlier-issues']]/li/a/@href")
    assert earlier == [entry_url(min(archive.bulletins, key=lambda b: b.number))]
    counts = words(home.xpath(".//*[contains(@class, 'tim-home__counts')]")[0])
    assert (
        counts.startswith("The archive holds 2 issues")
        and "earlier issues are being added" in counts
        and f"{len(archive.publications)} publications" in counts
    )


def test_home_with_a_larger_archive(synthetic_site: tuple[Path, Archive]) -> None:
    site, archive = synthetic_site
    home = check_home(site, archive)
    newest = sorted(archive.bulletins, key=lambda b: b.number, reverse=True)
    earlier = home.xpath(".//ul[preceding-sibling::h3[@id='earlier-issues']]/li/a/@href")
    assert earlier == [entry_url(b) for b in newest[1:5]], "the four issues before the latest, newest first"
    assert f"All {len(newest)} issues" in words(home)
    # A section with many articles lists its first five and how many more there are.
    for item in home.xpath(".//ol[contains(@class, 'tim-home__contents')]/li"):
        articles = item.xpath("./ul/li")
        assert len(articles) <= 6
        if len(articles) == 6:
            assert re.fullmatch(r"and \d+ more in .+", words(articles[-1])), words(articles[-1])
    assert any(len(item.xpath("./ul/li")) == 6 for item in home.xpath(".//ol/li")), "no long section to check"
    meetings = home.xpath(".//section[@aria-labelledby='new-meetings']//ul/li/a/@href")
    by_start = sorted(archive.meetings, key=lambda m: m.start.first_day(), reverse=True)
    assert meetings == [entry_url(m) for m in by_start[: len(meetings)]] and len(meetings) == 5


def item_pages(site: Path, archive: Archive) -> list[str]:
    return [entry_url(e) for e in [*archive.bulletins, *archive.meetings, *archive.publications, *archive.series]]


def check_item_page(site: Path, url: str) -> None:
    article = content(parse(site, url))
    elements = list(article.iter())
    position = {id(e): i for i, e in enumerate(elements)}
    headings = [e for e in elements if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    tags = [e for e in elements if "md-tag" in (e.get("class") or "").split()]
    assert headings and headings[0].tag == "h1", f"/{url}: the first heading is not the title (h1)"
    facts = article.xpath(".//div[contains(@class, 'tim-meta')]/dl")
    assert len(facts) == 1 and facts[0].xpath("./dt"), f"/{url}: no key facts as a definition list"
    if tags:
        first_tag = position[id(tags[0])]
        assert position[id(headings[0])] < first_tag, f"/{url}: a tag comes before the title"
        assert position[id(facts[0])] < first_tag, f"/{url}: a tag comes before the key facts"
    for table in article.xpath(".//table"):
        for row in table.xpath("./thead/tr"):
            assert any(words(cell) for cell in row.xpath("./th|./td")), f"/{url}: a table has an empty header row"


def test_item_pages_lead_with_title_and_facts_before_tags(real_site: Path) -> None:
    archive = load_archive(ROOT / "content")[0]
    urls = item_pages(real_site, archive)
    assert any(e.tags for e in archive.bulletins) and any(e.tags for e in archive.publications)
    for url in urls:
        check_item_page(real_site, url)


def test_item_pages_of_a_larger_archive(synthetic_site: tuple[Path, Archive]) -> None:
    site, archive = synthetic_site
    for url in item_pages(site, archive):
        check_item_page(site, url)
