"""A page per tag, the grouped tags index, old anchors kept, merged names' feeds still answering (real site)."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html

from timsite.content.checked import load_archive
from timsite.site.tags import tag_slug

from .conftest import ROOT


def _page(site: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / path / "index.html").read_bytes())


def test_every_tag_has_a_page_listing_its_items(real_site: Path) -> None:
    archive, _ = load_archive(ROOT / "content")
    tags = archive.tags()
    assert tags
    for tag, entries in tags.items():
        page = _page(real_site, f"tags/{tag_slug(tag)}")
        assert page.findtext(".//article//h1") == tag
        listed = page.xpath("//article//h2[not(@id='feed')]/following-sibling::ul[1]/li/a")
        assert len(listed) == len(entries), tag
        feed_links = {a.get("href") for a in page.xpath("//article//a[@type='application/atom+xml']")}
        assert feed_links == {f"../../feeds/tags/{tag_slug(tag)}.atom.xml"}


def test_index_groups_tags_sorted_without_case_and_keeps_old_anchors(real_site: Path) -> None:
    archive, _ = load_archive(ROOT / "content")
    index = _page(real_site, "tags")
    headings = [h.text_content().rstrip("¶").strip() for h in index.xpath("//article//h2")]
    assert [h.split(" (")[0] for h in headings] == ["Topics", "Regions", "Countries"]
    total = 0
    for ul in index.xpath("//ul[@class='tim-tag-index']"):
        names = [a.text_content() for a in ul.xpath("./li/a")]
        assert names == sorted(names, key=str.casefold)
        total += len(names)
    assert total == len(archive.tags())
    ids = set(index.xpath("//ul[@class='tim-tag-index']//@id"))
    # Every anchor Material's index had (tags/#tag:<slug>) is still there, merged names' included.
    old = {f"tag:{tag_slug(t)}" for t in archive.tags()} | {f"tag:{tag_slug(a)}" for a in archive.vocabulary.merged}
    assert old <= ids
    # A tag page is one link away, and the index is a fraction of one page holding every item.
    assert (real_site / "tags/index.html").stat().st_size < 60_000


def test_merged_names_feeds_answer_at_their_old_addresses(real_site: Path) -> None:
    archive, _ = load_archive(ROOT / "content")
    assert archive.vocabulary.merged
    for alias, tag in archive.vocabulary.merged.items():
        if tag_slug(alias) == tag_slug(tag):
            continue
        old = json.loads((real_site / f"feeds/tags/{tag_slug(alias)}.json").read_text())
        new = json.loads((real_site / f"feeds/tags/{tag_slug(tag)}.json").read_text())
        assert [i["id"] for i in old["items"]] == [i["id"] for i in new["items"]]
        assert old["feed_url"].endswith(f"feeds/tags/{tag_slug(alias)}.json")
        assert old["home_page_url"].endswith(f"tags/{tag_slug(tag)}/")
        for suffix in ("rss.xml", "atom.xml"):
            assert (real_site / f"feeds/tags/{tag_slug(alias)}.{suffix}").is_file()


def test_item_pages_link_tags_to_their_pages(real_site: Path) -> None:
    page = _page(real_site, "bulletins/25")
    links = {a.text_content(): a.get("href") for a in page.xpath("//nav[@class='md-tags tim-tags']/a")}
    assert links["T visa"] == "../../tags/t-visa/"
    assert (real_site / "tags/t-visa/index.html").is_file()
