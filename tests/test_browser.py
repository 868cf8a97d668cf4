"""The real site in a real browser: headless Debian chromium, driven by Playwright, as a reader uses it.

The site is built once (see `tests/browser.py`), served on 127.0.0.1 and opened in one browser per module.
Each kind of page must load with no console error, no failed request and no request leaving the machine,
and with no serious or critical axe-core accessibility violation; a full-page screenshot of each is saved
in `artifacts/screenshots/`. The catalogue's filters and sorting are used through its controls, and the
header's search (Pagefind) is used by keyboard, checking that every form of every identifier, titles, authors,
places, meetings and full text find the page a reader expects first, that filters narrow the results, and
that a sub-path site finds a newly added publication and no draft.

Skipped on a developer's machine without /usr/bin/chromium; in CI (CI=true) a missing chromium fails.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import astuple, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import lxml.html
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Response,
    Route,
    ViewportSize,
    expect,
    sync_playwright,
)
from stdnum import isbn as stdnum_isbn

from timsite.content.checked import load_archive
from timsite.content.model import Entry
from timsite.site.urls import entry_url

from .browser import SCREENSHOTS, launch_chromium, require_chromium, serve, settle
from .conftest import FIXTURES, ROOT

# One page of each kind: (screenshot name, path in the site).
PAGES = [
    ("home", ""),
    ("bulletin", "bulletins/25/"),
    ("meeting", "meetings/ukat-conference-london-2002/"),
    ("publication", "publications/victims-of-trafficking-in-the-balkans/"),
    ("series", "series/migration-research-series/"),
    ("catalogue", "publications/"),
    ("identifiers", "identifiers/"),
    ("subscribe", "subscribe/"),
]
# The pages of one item each, whose title and key facts must come before their tags.
ITEM_PAGES = [(name, path) for name, path in PAGES if name in ("bulletin", "meeting", "publication", "series")]

# Wide enough for Material's desktop layout, with the search box in the header.
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
# A phone (390 x 844 CSS pixels): Material's mobile layout, navigation in the drawer.
PHONE: ViewportSize = {"width": 390, "height": 844}
VIEWPORTS = [pytest.param(PHONE, id="390"), pytest.param(VIEWPORT, id="1280")]

TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def base_url(real_site: Path) -> Iterator[str]:
    with serve(real_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_chromium()  # skip here on a developer machine without chromium, fail in CI
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Watch:
    """Everything that went wrong while a page was open: console errors, failed and external requests."""

    base_url: str
    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.route("**/*", self._route)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _route(self, route: Route) -> None:
        # Nothing may come from outside the site: Material's fonts are off (font: false) and no CDN is used.
        if route.request.url.startswith(self.base_url):
            route.continue_()
        else:
            self.problems.append(f"request leaving the site: {route.request.method} {route.request.url}")
            route.abort()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location or {}
            self.problems.append(f"console error: {message.text} (at {location.get('url', '?')})")

    def _failed(self, request: Request) -> None:
        if request.url.startswith(self.base_url):  # external ones are reported by _route already
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """A fresh browser context, desktop-sized unless the test is parametrized with `viewport` (indirectly)."""
    viewport: ViewportSize = getattr(request, "param", VIEWPORT)
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


def open_page(context: BrowserContext, base_url: str, path: str) -> tuple[Page, Watch]:
    """Open `path` of the site in a new tab, wait until the network is quiet; return the tab and its watch."""
    page = context.new_page()
    watch = Watch(base_url)
    watch.attach(page)
    response = page.goto(base_url + path, wait_until="load")
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    page.wait_for_load_state("networkidle")
    return page, watch


def problems_report(path: str, problems: list[str]) -> str:
    """The problems of one page, each distinct one once with how many times it happened."""
    counts = Counter(problems)
    lines = [f"{problem} (x{n})" if n > 1 else problem for problem, n in counts.items()]
    return f"/{path}: {len(problems)} problem(s):\n  " + "\n  ".join(lines)


@pytest.mark.parametrize("context", VIEWPORTS, indirect=True)
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_page_loads_without_errors(context: BrowserContext, base_url: str, name: str, path: str) -> None:
    page, watch = open_page(context, base_url, path)
    assert page.locator("h1").first.is_visible(), f"/{path} shows no title"
    assert page.viewport_size is not None
    width = page.viewport_size["width"]
    # A page must fit its width: nothing may make a phone scroll sideways.
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"/{path} at {width} px is {scroll_width} px wide: it scrolls sideways"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    assert watch.problems == [], problems_report(path, watch.problems)


def top(page: Page, selector: str) -> float:
    """The distance from the top of the page to the first element matching `selector`, as laid out."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not displayed"
    return box["y"] + page.evaluate("window.scrollY")


@pytest.mark.parametrize("context", [pytest.param(PHONE, id="390")], indirect=True)
@pytest.mark.parametrize(("name", "path"), ITEM_PAGES, ids=[name for name, _ in ITEM_PAGES])
def test_item_page_shows_title_and_facts_before_tags(
    context: BrowserContext, base_url: str, name: str, path: str
) -> None:
    """On a phone, the title is on the first screen, and the title and the key facts are above every tag."""
    page, _ = open_page(context, base_url, path)
    title = top(page, "article h1")
    facts = top(page, "article .tim-meta dl")
    assert title < PHONE["height"] / 2, f"/{path}: the title starts {title:.0f} px down, below half the first screen"
    assert title < facts, f"/{path}: the key facts are above the title"
    tags = page.locator("article .md-tag")
    if name in ("bulletin", "publication", "meeting"):
        assert tags.count() > 0, f"/{path}: the page was chosen for its tags but shows none"
    for i in range(tags.count()):
        box = tags.nth(i).bounding_box()
        assert box is not None
        tag_top = box["y"] + page.evaluate("window.scrollY")
        assert tag_top > facts, f"/{path}: the tag {tags.nth(i).inner_text()!r} is above the key facts"


@pytest.mark.parametrize("context", [pytest.param(PHONE, id="390")], indirect=True)
def test_home_shows_the_latest_issue_on_the_first_screen_of_a_phone(context: BrowserContext, base_url: str) -> None:
    page, _ = open_page(context, base_url, "")
    assert top(page, "article h1") < top(page, "#latest-issue") < PHONE["height"], "the latest issue is below the fold"
    for label in ("Read the latest issue", "Subscribe"):
        link = page.get_by_role("link", name=label, exact=True)
        assert link.first.is_visible(), f"no {label!r} on the home page"
    # "Search the archive" opens the site's search dialog, and the first result comes from the archive.
    dialog = page.locator("[data-tim-search]")
    assert not dialog.is_visible()
    page.get_by_role("button", name="Search the archive", exact=True).click()
    box = dialog.locator("input[type=search]")
    box.wait_for(state="visible")
    expect(box).to_be_focused()
    box.type("Balkans")
    page.locator("[data-tim-search-results] a.tim-search__link").first.wait_for(state="visible")


def describe_violation(violation: dict[str, Any]) -> str:
    nodes = violation["nodes"]
    targets = "; ".join(" ".join(map(str, node["target"])) for node in nodes[:5])
    more = f" (+{len(nodes) - 5} more)" if len(nodes) > 5 else ""
    return f"[{violation['impact']}] {violation['id']}: {violation['help']} -> {targets}{more}"


@pytest.mark.parametrize("context", VIEWPORTS, indirect=True)
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_page_has_no_serious_accessibility_violations(
    context: BrowserContext, base_url: str, name: str, path: str
) -> None:
    page, _ = open_page(context, base_url, path)
    settle(page)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], f"/{path}: axe-core finds {len(serious)} serious or critical violation(s):\n  " + "\n  ".join(
        describe_violation(v) for v in serious
    )


# The catalogue ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    title: str
    type: str
    year: str
    series: str


def catalogue_rows(site: Path) -> list[Row]:
    """The catalogue's rows as built, read from the HTML with lxml (independently of the page's script)."""
    tree = lxml.html.fromstring((site / "publications" / "index.html").read_bytes())
    return [
        Row(
            " ".join(tr.xpath("./td[1]/a")[0].text_content().split()),
            tr.get("data-type"),
            tr.get("data-year"),
            tr.get("data-series"),
        )
        for tr in tree.xpath("//table[@data-tim-catalogue]/tbody/tr")
    ]


VISIBLE_ROWS_JS = """rows => rows.map(r => ({
    title: r.cells[0].querySelector("a").textContent.trim().replace(/\\s+/g, " "),
    type: r.dataset.type, year: r.dataset.year, series: r.dataset.series }))"""


def visible_rows(page: Page) -> list[Row]:
    """The rows a reader sees now, in the order shown."""
    found = page.locator("table[data-tim-catalogue] tbody tr:visible").evaluate_all(VISIBLE_ROWS_JS)
    return [Row(r["title"], r["type"], r["year"], r["series"]) for r in found]


def count_text(page: Page) -> str:
    return " ".join(page.locator("form[data-tim-catalogue-filters] output").inner_text().split())


def expected_count(n: int) -> str:
    return f"{n} publication" if n == 1 else f"{n} publications"


def choose(page: Page, name: str, value: str) -> None:
    """Pick an option of one of the catalogue's selects by its visible label, as a reader does."""
    select = page.locator(f"form[data-tim-catalogue-filters] select[name={name}]")
    label = select.locator(f"option[value='{value}']").first.inner_text()
    select.select_option(label=label)


def test_catalogue_filters_change_rows_and_count(context: BrowserContext, base_url: str, real_site: Path) -> None:
    rows = catalogue_rows(real_site)
    assert len(rows) > 1
    page, _ = open_page(context, base_url, "publications/")
    assert visible_rows(page) == rows
    assert count_text(page) == expected_count(len(rows))

    def check(type_: str, year: str, series: str) -> None:
        choose(page, "type", type_)
        choose(page, "year", year)
        choose(page, "series", series)
        wanted = [
            r
            for r in rows
            if (not type_ or r.type == type_) and (not year or r.year == year) and (not series or r.series == series)
        ]
        shown = visible_rows(page)
        assert shown == wanted, f"type={type_!r} year={year!r} series={series!r}: shown {[r.title for r in shown]}"
        assert count_text(page) == expected_count(len(wanted)), f"type={type_!r} year={year!r} series={series!r}"

    types = sorted({r.type for r in rows})
    years = sorted({r.year for r in rows if r.year})
    series = sorted({r.series for r in rows if r.series != "none"})
    commonest_type = max(types, key=lambda t: sum(r.type == t for r in rows))
    commonest_year = max(years, key=lambda y: sum(r.year == y for r in rows))
    check(commonest_type, "", "")
    check(commonest_type, commonest_year, "")
    check("", commonest_year, "")
    for s in series:
        check("", "", s)
    check("", "", "none")
    check("", years[0], "none")
    # A combination that matches nothing says so.
    empty = next(((t, y) for t in types for y in years if not any(r.type == t and r.year == y for r in rows)), None)
    if empty:
        check(empty[0], empty[1], "")
    # A single match says "1 publication".
    single = next(((t, y) for t in types for y in years if sum(r.type == t and r.year == y for r in rows) == 1), None)
    if single:
        check(single[0], single[1], "")
    check("", "", "")


def header_button(page: Page, label: str) -> Locator:
    """A column's sort button, found by its label as a reader sees it (a sort arrow may follow the label)."""
    name = re.compile(rf"^{re.escape(label)}\b")
    return page.locator("table[data-tim-catalogue] thead").get_by_role("button", name=name)


def aria_sort(page: Page, column: str) -> str | None:
    return page.locator(f"table[data-tim-catalogue] thead th[data-sort={column}]").get_attribute("aria-sort")


def year_order(rows: list[Row]) -> list[int]:
    return [int(r.year) for r in rows if r.year]


def check_undated_at_one_end(rows: list[Row]) -> None:
    flags = [bool(r.year) for r in rows]
    changes = sum(a != b for a, b in itertools.pairwise(flags))
    assert changes <= 1, f"undated publications are scattered among dated ones: {[r.year for r in rows]}"


def test_catalogue_column_headers_sort_rows(context: BrowserContext, base_url: str) -> None:
    page, _ = open_page(context, base_url, "publications/")
    titles = [r.title for r in visible_rows(page)]
    assert aria_sort(page, "title") == "ascending"
    assert titles == sorted(titles, key=str.lower), "the catalogue does not start sorted by title"

    header_button(page, "Year").click()
    rows = visible_rows(page)
    assert aria_sort(page, "year") == "ascending" and aria_sort(page, "title") is None
    assert year_order(rows) == sorted(year_order(rows)), f"Year ascending: {[r.year for r in rows]}"
    check_undated_at_one_end(rows)
    assert len(set(year_order(rows))) > 1

    header_button(page, "Year").click()
    rows = visible_rows(page)
    assert aria_sort(page, "year") == "descending"
    assert year_order(rows) == sorted(year_order(rows), reverse=True), f"Year descending: {[r.year for r in rows]}"
    check_undated_at_one_end(rows)

    header_button(page, "Title").click()
    titles = [r.title for r in visible_rows(page)]
    assert aria_sort(page, "title") == "ascending" and aria_sort(page, "year") is None
    assert titles == sorted(titles, key=str.lower), f"Title ascending: {titles}"

    header_button(page, "Title").click()
    titles = [r.title for r in visible_rows(page)]
    assert aria_sort(page, "title") == "descending"
    assert titles == sorted(titles, key=str.lower, reverse=True), f"Title descending: {titles}"


def test_catalogue_sorting_keeps_the_filter(context: BrowserContext, base_url: str, real_site: Path) -> None:
    rows = catalogue_rows(real_site)
    page, _ = open_page(context, base_url, "publications/")
    choose(page, "type", "report")
    header_button(page, "Year").click()
    shown = visible_rows(page)
    assert {r.type for r in shown} == {"report"}
    assert sorted(r.title for r in shown) == sorted(r.title for r in rows if r.type == "report")
    assert year_order(shown) == sorted(year_order(shown))
    assert count_text(page) == expected_count(len(shown))


# Search -------------------------------------------------------------------------------------------------
# Pagefind's index, searched through the header's search dialog as a reader does: keys typed, results read
# from the dialog. The identifier cases are derived from the content with python-stdnum, not listed by hand.

ARCHIVE = load_archive(ROOT / "content")[0].visible(date.today())
BALKANS = "publications/victims-of-trafficking-in-the-balkans/"


def _url(entry: Entry) -> str:
    return entry_url(entry).lstrip("/")


def identifier_searches() -> list[tuple[str, str, bool]]:
    """(what a reader types, the page that must come first, whether it is a misprint shown with its note)."""
    cases: list[tuple[str, str, bool]] = []
    for p in ARCHIVE.publications:
        isbn = p.isbn_info
        if isbn is None:
            continue
        if not isbn.valid:
            cases.append((isbn.printed, _url(p), True))
            continue
        assert isbn.isbn13
        forms = [stdnum_isbn.format(isbn.isbn13), isbn.isbn13]
        if isbn.isbn10:
            forms += [stdnum_isbn.format(isbn.isbn10), isbn.isbn10]
        # Forms the page does not print: spaced with a prefix, and a check digit X typed in lower case.
        forms.append("ISBN " + stdnum_isbn.format(isbn.isbn13).replace("-", " "))
        if isbn.isbn10 and isbn.isbn10.endswith("X"):
            forms.append("isbn:" + stdnum_isbn.format(isbn.isbn10).lower())
        cases += [(form, _url(p), False) for form in forms]
    for entry in [*ARCHIVE.bulletins, *ARCHIVE.publications, *ARCHIVE.series]:
        issn = entry.issn_info
        if issn and issn.valid:
            assert issn.formatted and issn.compact
            cases += [(form, _url(entry), False) for form in (issn.formatted, issn.compact, f"ISSN {issn.formatted}")]
    return cases


# (what a reader types, the path that must be the FIRST result). For "Turin", a reader looking for the place
# expects the meeting held there (the Turin symposium), not the issue that reports on it among other news.
WORD_SEARCHES = [
    ("Journeys of Jeopardy", "publications/journeys-of-jeopardy/"),  # title
    ("Omelaniuk", "publications/omelaniuk-2005-trafficking-in-human-beings/"),  # author
    ("Donna Hughes", "publications/trafficking-for-sexual-exploitation-russian-federation/"),  # author
    ("Turin", "meetings/turin-symposium-un-convention-transnational-organized-crime-2002/"),  # place
    ("UKAT conference", "meetings/ukat-conference-london-2002/"),  # meeting
    ("T visa", "bulletins/25/"),  # full text: the lead article of N° 25
]

RESULTS_JS = """items => items.map(li => ({
    href: li.querySelector("a.tim-search__link").href,
    title: li.querySelector(".tim-search__result-title").textContent,
    kind: li.querySelector(".tim-search__kind").textContent,
    note: li.querySelector(".tim-search__note")?.textContent || "",
    excerpt: li.querySelector(".tim-search__excerpt").innerHTML,
    subs: Array.from(li.querySelectorAll("a.tim-search__sub")).map(a => a.href),
}))"""


def open_search(page: Page, key: str = "/") -> Locator:
    """Open the search dialog with a keyboard shortcut; return its input, which has the focus."""
    page.locator("body").press(key)
    dialog = page.locator("[data-tim-search]")
    expect(dialog).to_be_visible()
    box = dialog.locator("input[name=q]")
    expect(box).to_be_focused()
    return box


def search(page: Page, query: str) -> list[dict[str, Any]]:
    """Put `query` into the open search (replacing what was there, as pasting would); return the results once shown.

    Typing key by key, with a search started at each key, is tested on its own (`test_search_by_keyboard`,
    `test_typing_replaces_the_address_and_back_closes_the_search`): here each query is one input event.
    """
    box = page.locator("[data-tim-search] input[name=q]")
    box.fill(query)
    page.wait_for_function(
        "q => document.querySelector('[data-tim-search-results]').dataset.query === q"
        " && !document.querySelector('[data-tim-search-results]').hasAttribute('aria-busy')",
        arg=query,
    )
    results: list[dict[str, Any]] = page.locator("[data-tim-search-results] > li.tim-search__result").evaluate_all(
        RESULTS_JS
    )
    return results


def path_of(base_url: str, href: str) -> str:
    return href.removeprefix(base_url).split("?")[0].split("#")[0]


def describe(base_url: str, results: list[dict[str, Any]]) -> str:
    return "\n  ".join(f"{path_of(base_url, r['href'])}  ({r['title']})" for r in results[:5]) or "(none)"


@pytest.fixture(scope="module")
def search_page(browser: Browser, base_url: str) -> Iterator[tuple[Page, Watch]]:
    """One tab with the search open, reused by the searches (as a reader searching again would)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page, watch = open_page(context, base_url, "")
        open_search(page)
        yield page, watch
    finally:
        context.close()


def test_every_identifier_form_finds_its_page_first(search_page: tuple[Page, Watch], base_url: str) -> None:
    page, watch = search_page
    cases = identifier_searches()
    valid_isbns = {p.id for p in ARCHIVE.publications if p.isbn_info and p.isbn_info.valid}
    assert len(valid_isbns) >= 10 and sum(misprint for *_, misprint in cases) == 2, "the content changed: check"
    failures = []
    for query, expected, misprint in cases:
        results = search(page, query)
        first = path_of(base_url, results[0]["href"]) if results else None
        if first != expected:
            failures.append(f"{query!r}: first /{first}, expected /{expected}; top 5:\n  {describe(base_url, results)}")
        elif misprint and "not a valid" not in results[0]["note"]:
            failures.append(f"{query!r}: the misprint is shown without its note: {results[0]}")
        elif not misprint and results[0]["note"]:
            failures.append(f"{query!r}: a valid number is shown with a note: {results[0]['note']}")
    assert failures == [], f"{len(failures)} of {len(cases)} identifier searches fail:\n" + "\n".join(failures)
    assert watch.problems == [], problems_report("(search)", watch.problems)


@pytest.mark.parametrize(("query", "expected"), WORD_SEARCHES, ids=[q for q, _ in WORD_SEARCHES])
def test_words_find_the_expected_page_first(
    search_page: tuple[Page, Watch], base_url: str, query: str, expected: str
) -> None:
    page, watch = search_page
    results = search(page, query)
    assert results, f"search {query!r} finds nothing; expected /{expected} first"
    first = path_of(base_url, results[0]["href"])
    assert first == expected, (
        f"search {query!r}: first /{first}, expected /{expected}; top 5:\n  {describe(base_url, results)}"
    )
    # Each result says what it is and shows the words found, highlighted.
    assert results[0]["kind"].strip() and "<mark>" in results[0]["excerpt"], results[0]
    assert watch.problems == [], problems_report("(search)", watch.problems)


def test_an_issue_shows_its_articles_as_sub_results(search_page: tuple[Page, Watch], base_url: str) -> None:
    page, _ = search_page
    results = search(page, "T visa")
    issue = results[0]
    assert issue["kind"].startswith("Bulletin issue"), issue
    # The excerpt is the passage where the words occur together, with only "visa" marked (not "T": too short).
    excerpt = lxml.html.fragment_fromstring(issue["excerpt"], create_parent="p")
    assert re.search(r"\bT visas?\b", excerpt.text_content()), excerpt.text_content()
    assert {m.text_content().lower() for m in excerpt.iter("mark")} <= {"visa", "visas"}
    anchors = [urlsplit(href).fragment for href in issue["subs"]]
    assert anchors and all(anchors), issue["subs"]
    ids = set(lxml.html.fromstring(page.context.request.get(base_url + "bulletins/25/").body()).xpath("//@id"))
    assert set(anchors) <= ids, f"sub-results link to anchors the issue does not have: {set(anchors) - ids}"


# The reader's test set (issue 21): queries a new reader types, with the outcome a reader needs, in a data file.
READER_SEARCHES = FIXTURES / "reader-searches.tsv"
READER_COLUMNS = ["query", "first", "includes", "suggest", "says", "marks", "known"]


@dataclass(frozen=True)
class ReaderSearch:
    """One row of tests/fixtures/reader-searches.tsv (its header comment says what each column means)."""

    query: str
    first: str
    includes: str
    suggest: str
    says: str
    marks: str
    known: str


def reader_searches() -> list[ReaderSearch]:
    lines = [line for line in READER_SEARCHES.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert lines[0].split("\t") == READER_COLUMNS, f"{READER_SEARCHES}: the header is not {READER_COLUMNS}"
    rows = [ReaderSearch(*line.split("\t")) for line in lines[1:] if line.strip()]
    assert all(len(astuple(row)) == len(READER_COLUMNS) for row in rows)
    return rows


# Everything a reader sees of an answer: the status line, the results (with every highlighted word of each),
# and the suggested words.
ANSWER_JS = """() => {
    const dialog = document.querySelector("[data-tim-search]");
    return {
        status: dialog.querySelector("[data-tim-search-status]").textContent,
        results: Array.from(dialog.querySelectorAll("[data-tim-search-results] li.tim-search__result")).map(li => ({
            href: li.querySelector("a.tim-search__link").href,
            marks: Array.from(li.querySelectorAll("mark")).map(m => m.textContent),
        })),
        suggestions: Array.from(dialog.querySelectorAll("[data-tim-search-suggestion]")).map(a => a.textContent),
    };
}"""


def reader_answer(page: Page, query: str) -> dict[str, Any]:
    search(page, query)
    answer: dict[str, Any] = page.evaluate(ANSWER_JS)
    return answer


def judge(row: ReaderSearch, answer: dict[str, Any], base_url: str) -> str:
    """What is wrong with `answer` for `row`, in words; empty when the reader gets what they need."""
    paths = [path_of(base_url, r["href"]) for r in answer["results"]]
    shown = ", ".join(paths[:5]) or "no results"
    if row.first == "-" and paths:
        return f"expected no results, got {shown}"
    if row.first == "*" and not paths:
        return f"expected results, got none ({answer['status']!r})"
    if row.first not in ("-", "*") and (not paths or paths[0] != row.first):
        return f"expected /{row.first} first, got {shown}"
    if row.includes and row.includes not in paths:
        return f"expected /{row.includes} among the results, got {shown}"
    if row.says and row.says not in answer["status"]:
        return f"expected the status to say {row.says!r}, it says {answer['status']!r}"
    if row.suggest and row.suggest not in [s.strip().lower() for s in answer["suggestions"]]:
        return f"expected the suggestion {row.suggest!r}, got {answer['suggestions']}"
    if row.marks and answer["results"]:
        allowed = {w.lower() for w in row.marks.split(",")}
        wrong = [m for m in answer["results"][0]["marks"] if m.strip(" .,;:()“”\"'").lower() not in allowed]
        if wrong:
            return f"highlights {wrong[:8]} in the first result; only {sorted(allowed)} may be"
    return ""


def test_reader_searches(search_page: tuple[Page, Watch], base_url: str) -> None:
    page, watch = search_page
    rows = reader_searches()
    assert len(rows) >= 60
    failures, known, fixed = [], [], []
    for row in rows:
        problem = judge(row, reader_answer(page, row.query), base_url)
        if problem and row.known:
            known.append(row.query)
        elif problem:
            failures.append(f"{row.query!r}: {problem}")
        elif row.known:
            fixed.append(f"{row.query!r} passes: remove its known failure ({row.known})")
    report = f"{len(failures)} of {len(rows)} reader searches fail ({len(known)} known failures not counted):\n"
    assert failures == [] and fixed == [], report + "\n".join(failures + fixed)
    assert watch.problems == [], problems_report("(reader searches)", watch.problems)


def choose_in_search(page: Page, name: str, value: str) -> None:
    select = page.locator(f"[data-tim-search] select[name={name}]")
    select.locator(f"option[value='{value}']").wait_for(state="attached")
    select.select_option(value=value)


def result_count(page: Page) -> int:
    """The number of results the status line announces (all of them, not only those shown)."""
    status = page.locator("[data-tim-search-status]").inner_text()
    found = re.match(r"(\d+) results?\b", status)
    assert found, f"the status says {status!r}"
    return int(found.group(1))


def test_results_come_five_at_a_time(search_page: tuple[Page, Watch], base_url: str) -> None:
    page, watch = search_page
    first = search(page, "trafficking")
    total = result_count(page)
    assert len(first) == 5 < total
    more = page.locator("[data-tim-search-more]")
    more.click()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-tim-search-results] > li').length === 10"
        " && !document.querySelector('[data-tim-search-results]').hasAttribute('aria-busy')"
    )
    hrefs = page.locator("[data-tim-search-results] a.tim-search__link").evaluate_all("as => as.map(a => a.href)")
    assert hrefs[:5] == [r["href"] for r in first] and len(set(hrefs)) == 10
    expect(page.locator("[data-tim-search-results] a.tim-search__link").nth(5)).to_be_focused()
    assert watch.problems == [], problems_report("(search)", watch.problems)


def test_filters_narrow_the_results(search_page: tuple[Page, Watch], base_url: str) -> None:
    page, watch = search_page
    search(page, "trafficking")
    everything = result_count(page)
    page.locator("[data-tim-search] details summary").click()
    choose_in_search(page, "collection", "Meeting")
    page.wait_for_function("() => /result/.test(document.querySelector('[data-tim-search-status]').textContent)")
    meetings = search(page, "trafficking")
    meeting_urls = {_url(m) for m in ARCHIVE.meetings}
    assert meetings and {path_of(base_url, r["href"]) for r in meetings} <= meeting_urls, describe(base_url, meetings)
    assert result_count(page) < everything
    year = str(ARCHIVE.meetings[0].start.year)
    choose_in_search(page, "year", year)
    both = search(page, "trafficking")
    assert both and all(r["kind"].startswith("Meeting") and year in r["kind"] for r in both), both
    choose_in_search(page, "year", "")
    choose_in_search(page, "collection", "")
    assert watch.problems == [], problems_report("(search)", watch.problems)


def test_search_by_keyboard(context: BrowserContext, base_url: str) -> None:
    page, watch = open_page(context, base_url, "bulletins/25/")
    box = open_search(page, "/")
    results = search(page, "trafficking")
    assert len(results) >= 2
    links = page.locator("[data-tim-search-results] a")
    box.press("ArrowDown")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    target = links.nth(1).get_attribute("href")
    assert target
    # The search is in the address as it is typed (history.replaceState, which Playwright counts as a
    # navigation): wait for the result's own address instead.
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.split("#")[0] == urljoin(base_url, target).split("#")[0])
    # `s` opens it too, Escape closes it and gives the page back.
    open_search(page, "s")
    page.keyboard.press("Escape")
    expect(page.locator("[data-tim-search]")).to_be_hidden()
    # Enter typed straight after the words, before any result is shown, opens the first result.
    box = open_search(page, "/")
    box.fill("")
    box.press_sequentially("Turin", delay=10)
    box.press("Enter")
    page.wait_for_url(base_url + "meetings/turin-symposium-un-convention-transnational-organized-crime-2002/")
    assert watch.problems == [], problems_report("(keyboard)", watch.problems)


def test_search_open_with_results_has_no_serious_accessibility_violations(
    context: BrowserContext, base_url: str
) -> None:
    page, _ = open_page(context, base_url, "")
    open_search(page)
    assert search(page, "T visa")
    page.locator("[data-tim-search] details summary").click()
    page.locator("[data-tim-search] select[name=collection] option").nth(1).wait_for(state="attached")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "search.png")
    settle(page)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], "search open: axe-core finds serious or critical violation(s):\n  " + "\n  ".join(
        describe_violation(v) for v in serious
    )


@pytest.mark.parametrize("query", ["traficking", "smuggling Lithuania"])
def test_no_results_and_some_words_are_accessible_and_reachable_by_keyboard(
    context: BrowserContext, base_url: str, query: str
) -> None:
    page, watch = open_page(context, base_url, "")
    box = open_search(page)
    answer = reader_answer(page, query)
    name = "search-" + query.split()[0]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")
    settle(page)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{query!r}: " + "\n  ".join(describe_violation(v) for v in serious)
    # The answer is in the live region screen readers announce.
    live = page.locator("[data-tim-search] [role=status]")
    assert answer["status"] in (live.text_content() or "")
    if not answer["results"]:
        assert page.locator("[data-tim-search-suggestion]").first.is_visible()
        assert answer["suggestions"] and (live.text_content() or "").count(answer["suggestions"][0])
        # ↓ from the box reaches the suggestion, and Enter on it searches for it.
        box.press("ArrowDown")
        expect(page.locator("[data-tim-search-suggestion]").first).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_function(
            "w => document.querySelector('[data-tim-search-results]').dataset.query === w"
            " && !document.querySelector('[data-tim-search-results]').hasAttribute('aria-busy')",
            arg=answer["suggestions"][0],
        )
        assert page.locator("[data-tim-search-results] li.tim-search__result").count() > 0
    else:
        heading = page.locator("[data-tim-search-results] .tim-search__group-title")
        expect(heading).to_have_text("Pages with some of the words")
    assert watch.problems == [], problems_report(f"(search {query!r})", watch.problems)


# The word rules of the search box (pages/assets/javascripts/tim-search-words.js), run in the browser that runs
# them for readers. The stems are the Snowball English (Porter2) stemmer's, the algorithm Pagefind's index uses.
STEMS = FIXTURES / "english-stems.tsv"

WORD_RULES_JS = """([pairs]) => {
    const w = window.timSearchWords;
    return {
        stems: pairs.filter(([word, stem]) => w.stem(word) !== stem).map(([word, stem]) => [word, stem, w.stem(word)]),
        matches: [
            w.matches("visa", "visas", false), w.matches("Trafficked", "trafficking", false),
            w.matches("trafficking", "traff", true), w.matches("Bénin", "benin", false),
            w.matches("T", "traficking", false), w.matches("T", "traficking", true),
            w.matches("trafficking", "traficking", true), w.matches("1020", "10208712", true),
            w.matches("trafficking", "traffic", false), w.matches("trafficking", "traffic", true),
        ],
        words: w.words("T-visa: women’s rights (2002)"),
        nearest: w.nearest("traficking", ["the", "trafficking", "tracking", "trafficked"], 3),
        short: w.nearest("tha", ["the", "that", "than"], 3),
    };
}"""


def test_the_search_word_rules(search_page: tuple[Page, Watch]) -> None:
    page, _ = search_page
    lines = STEMS.read_text(encoding="utf-8").splitlines()
    pairs = [line.split("\t") for line in lines if line and not line.startswith("#")]
    assert len(pairs) >= 40 and all(len(p) == 2 for p in pairs)
    answer = page.evaluate(WORD_RULES_JS, [pairs])
    assert answer["stems"] == [], "stems differ from Snowball's (word, expected, got)"
    # Forms of a word and a word being typed match; a word that only shares a start (Pagefind's back-off) does not.
    assert answer["matches"] == [True, True, True, True, False, False, False, False, False, True]
    assert answer["words"] == ["T", "visa", "women’s", "rights", "2002"]
    assert answer["nearest"] == ["trafficking", "tracking"]  # one edit, then two; "trafficked" is four away
    assert answer["short"] == ["than"]  # stop words ("the", "that") are never suggested


# Shareable searches: the dialog's and the catalogue's state in the address, and the address as untrusted input.


def wait_answered(page: Page) -> None:
    """Wait until the open search has answered what its box holds (results, or no results with suggestions)."""
    page.wait_for_function(
        "() => { const l = document.querySelector('[data-tim-search-results]');"
        " const q = document.querySelector('[data-tim-search] input[name=q]').value;"
        " return q && l.dataset.query === q && !l.hasAttribute('aria-busy'); }"
    )


def search_params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_a_link_to_a_search_opens_it_with_its_results(context: BrowserContext, base_url: str) -> None:
    page, watch = open_page(context, base_url, "?q=T+visa")
    expect(page.locator("[data-tim-search]")).to_be_visible()
    expect(page.locator("[data-tim-search] input[name=q]")).to_have_value("T visa")
    wait_answered(page)
    first = page.locator("[data-tim-search-results] a.tim-search__link").first.get_attribute("href") or ""
    assert path_of(base_url, urljoin(page.url, first)) == "bulletins/25/"
    # Closing a search that came with the page takes it out of the address.
    page.keyboard.press("Escape")
    expect(page.locator("[data-tim-search]")).to_be_hidden()
    assert "q" not in search_params(page)
    assert watch.problems == [], problems_report("?q=T+visa", watch.problems)


def test_typing_replaces_the_address_and_back_closes_the_search(context: BrowserContext, base_url: str) -> None:
    page, watch = open_page(context, base_url, "bulletins/25/")
    before = page.evaluate("history.length")
    box = open_search(page)
    box.press_sequentially("Turin", delay=10)
    wait_answered(page)
    assert search_params(page)["q"] == ["Turin"]
    assert page.evaluate("history.length") == before + 1, "each key typed must not add a step to the history"
    page.go_back()
    expect(page.locator("[data-tim-search]")).to_be_hidden()
    assert "q" not in search_params(page) and urlsplit(page.url).path.endswith("/bulletins/25/")
    # Forward reopens the same search.
    page.go_forward()
    expect(page.locator("[data-tim-search]")).to_be_visible()
    expect(page.locator("[data-tim-search] input[name=q]")).to_have_value("Turin")
    wait_answered(page)
    assert watch.problems == [], problems_report("(history)", watch.problems)


def test_a_search_address_carries_its_filters_and_order(context: BrowserContext, base_url: str) -> None:
    page, watch = open_page(context, base_url, "?q=trafficking&collection=Meeting&sort=desc")
    wait_answered(page)
    expect(page.locator("[data-tim-search] select[name=collection]")).to_have_value("Meeting")
    expect(page.locator("[data-tim-search] select[name=sort]")).to_have_value("desc")
    results = page.locator("[data-tim-search-results] > li.tim-search__result").evaluate_all(RESULTS_JS)
    meeting_urls = {_url(m) for m in ARCHIVE.meetings}
    assert results and {path_of(base_url, r["href"]) for r in results} <= meeting_urls, describe(base_url, results)
    # Changing a filter changes the address.
    choose_in_search(page, "collection", "Publication")
    wait_answered(page)
    assert search_params(page)["collection"] == ["Publication"]
    assert watch.problems == [], problems_report("(filters)", watch.problems)


def test_the_catalogue_address_carries_its_filters_and_sort(
    context: BrowserContext, base_url: str, real_site: Path
) -> None:
    rows = catalogue_rows(real_site)
    commonest = Counter(r.type for r in rows).most_common(1)[0][0]
    page, watch = open_page(context, base_url, f"publications/?type={commonest}&sort=year&order=desc")
    shown = visible_rows(page)
    wanted = [r for r in rows if r.type == commonest]
    assert sorted(shown, key=lambda r: r.title) == sorted(wanted, key=lambda r: r.title)
    assert aria_sort(page, "year") == "descending"
    years = [r.year for r in shown if r.year]
    assert years == sorted(years, reverse=True)
    choose(page, "type", "")
    assert search_params(page) == {"sort": ["year"], "order": ["desc"]}
    # A value the form does not offer is ignored, not shown.
    page, _ = open_page(context, base_url, "publications/?type=%3Cimg%20src%3Dx%3E&series=nope")
    assert len(visible_rows(page)) == len(rows)
    assert watch.problems == [], problems_report("publications/", watch.problems)


HOSTILE_ADDRESSES = FIXTURES / "hostile" / "search-addresses.txt"

# Every element and attribute of the dialog, as the browser holds it after answering.
DIALOG_NODES_JS = """() => Array.from(document.querySelectorAll("[data-tim-search-layer] *")).map(e => ({
    tag: e.tagName.toLowerCase(),
    attributes: Array.from(e.attributes).map(a => [a.name, a.value]),
}))"""


def test_hostile_search_addresses_are_shown_as_text(browser: Browser, base_url: str) -> None:
    """What comes from the address is shown on the page ("No results for ..."): it must stay text."""
    payloads = [line for line in HOSTILE_ADDRESSES.read_text(encoding="utf-8").splitlines() if line.strip()]
    payloads.append("A" * 5000)  # far longer than a query: cut, not searched whole
    assert len(payloads) >= 10
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    dialogs: list[str] = []
    context.on("dialog", lambda d: dialogs.append(d.message))
    try:
        for payload in payloads:
            page, watch = open_page(context, base_url, "?q=" + quote(payload, safe=""))
            wait_answered(page)
            typed = page.locator("[data-tim-search] input[name=q]").input_value()
            assert typed == payload[:200], "the address's query is cut to 200 characters, never altered"
            status = page.locator("[data-tim-search-status]").text_content() or ""
            if not page.locator("[data-tim-search-results] > li").count():
                assert typed.strip()[:40] in status, f"the query is not shown as typed: {status!r}"
            assert page.evaluate("() => window.__pwned") is None, f"{payload!r} ran a script"
            nodes = page.evaluate(DIALOG_NODES_JS)
            tags = {n["tag"] for n in nodes}
            assert not tags & {"script", "img", "iframe", "object", "embed", "b", "style"}, (payload, tags)
            # The dialog's own icon is its only SVG.
            assert sum(n["tag"] == "svg" for n in nodes) == 1, (payload, [n for n in nodes if n["tag"] == "svg"])
            for node in nodes:
                for name, value in node["attributes"]:
                    assert not name.startswith("on"), (payload, node)
                    if name in ("href", "src", "action", "formaction", "xlink:href"):
                        assert urlsplit(urljoin(page.url, value)).scheme == "http", (payload, node)
            assert watch.problems == [] and dialogs == [], problems_report(
                f"?q={payload[:40]}", watch.problems + dialogs
            )
            page.close()
    finally:
        context.close()


# A site of its own: published under a sub-path, with a publication added to the fixture content, a draft and
# an embargoed issue. One build serves three checks.

NEW_ISBN = "92-9068-097-0"
SECRET = "zqsearchsecret"


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture content plus a new publication, a draft and an embargoed issue, built for /archive/tim/."""
    root = tmp_path_factory.mktemp("subpath")
    content = root / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    assert not any(NEW_ISBN in f.read_text(encoding="utf-8") for f in content.rglob("*.md"))
    (content / "publications" / "added-later.md").write_text(
        f'---\nid: added-later\ntitle: "A Study Added Later"\ntype: report\nyear: 2003\nisbn: "{NEW_ISBN}"\n---\n\n'
        "Added to the archive after the first build.\n",
        encoding="utf-8",
    )
    (content / "publications" / "secret.md").write_text(
        f'---\nid: secret-draft\ntitle: "Secret {SECRET}"\ntype: report\nyear: 2001\ndraft: true\n---\n\n{SECRET}\n',
        encoding="utf-8",
    )
    (content / "bulletins" / "099-winter-2099.md").write_text(
        f'---\nnumber: 99\nseason: winter\nyear: 2099\ntitle: "Issue {SECRET}"\n---\n\n## Lead {{#lead}}\n\n{SECRET}\n',
        encoding="utf-8",
    )
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\nsite_url: " in config
    config = re.sub(r"\nsite_url: [^\n]+", "\nsite_url: https://example.org/archive/tim/", config)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for folder in ("pages", "theme"):
        shutil.copytree(ROOT / folder, root / folder)
    served = root / "www"
    site = served / "archive" / "tim"
    command = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--config", str(root / "mkdocs.yml")]
    result = subprocess.run(
        [*command, "build", "--site-dir", str(site)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return served


def test_sub_path_site_finds_a_new_publication_and_no_draft(browser: Browser, subpath_site: Path) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        with serve(subpath_site) as root_url:
            base = root_url + "archive/tim/"
            page, watch = open_page(context, base, "")
            open_search(page)
            isbn = stdnum_isbn.validate(NEW_ISBN, convert=True)
            for query in (NEW_ISBN, isbn, stdnum_isbn.format(isbn)):
                results = search(page, query)
                assert results, f"{query!r} finds nothing"
                assert path_of(base, results[0]["href"]) == "publications/added-later/", describe(base, results)
            assert search(page, "fixture"), "a word of the fixture site finds nothing: the draft check would be empty"
            for query in (SECRET, "Secret"):
                assert search(page, query) == [], f"{query!r} finds a draft or an embargoed issue"
            # Every request stayed on the site's origin, under its sub-path.
            assert watch.problems == [], problems_report("(sub-path search)", watch.problems)
            assert page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
            names = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
            assert any("/archive/tim/pagefind/" in n for n in names), names
    finally:
        context.close()


def test_the_vocabulary_has_no_draft_word_and_is_fetched_only_when_nothing_is_found(
    browser: Browser, subpath_site: Path
) -> None:
    words = json.loads((subpath_site / "archive" / "tim" / "search" / "vocabulary.json").read_bytes())["words"]
    assert "fixture" in words, "the fixture's words are missing: the draft check would prove nothing"
    assert SECRET not in words, "a word only a draft or an embargoed issue holds is in the vocabulary"
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        with serve(subpath_site) as root_url:
            base = root_url + "archive/tim/"
            page, watch = open_page(context, base, "")
            fetched: list[str] = []
            page.on("request", lambda r: fetched.append(r.url) if "vocabulary" in r.url else None)
            open_search(page)
            assert search(page, "fixture")
            assert fetched == [], "the vocabulary was fetched by a search that found something"
            answer = reader_answer(page, "fixtrue")
            assert answer["results"] == [] and "No results for" in answer["status"]
            assert "fixture" in [s.lower() for s in answer["suggestions"]], answer
            assert fetched == [base + "search/vocabulary.json"]
            # The suggestion is one click (or Enter on it) away from its results.
            page.locator("[data-tim-search-suggestion]").first.click()
            page.wait_for_function(
                "() => document.querySelector('[data-tim-search-results]').dataset.query === 'fixture'"
                " && !document.querySelector('[data-tim-search-results]').hasAttribute('aria-busy')"
            )
            assert page.locator("[data-tim-search-results] li.tim-search__result").count() > 0
            assert reader_answer(page, "fixtrue")["suggestions"] and len(fetched) == 1, "fetched once, then kept"
            assert watch.problems == [], problems_report("(vocabulary)", watch.problems)
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_feed_link_leads_a_person_to_a_readable_page(browser: Browser, base_url: str, width: int) -> None:
    """From the Subscribe page a click on a feed lands on its HTML page (never raw XML, never an XSLT warning),
    which shows the address to paste and the newest items; screenshots at phone and desktop widths."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page, watch = open_page(context, base_url, "subscribe/")
        page.get_by_role("link", name="Trafficking in Migrants: bulletin issues").click()
        page.wait_for_load_state("networkidle")
        assert page.url == base_url + "feeds/bulletins/"
        assert "text/html" in (page.evaluate("document.contentType") or "")
        assert page.locator("h1").first.inner_text().startswith("Feed: ")
        address = "https://trafficking-in-migrants.example.org/feeds/bulletins.rss.xml"
        assert page.get_by_text(address, exact=True).is_visible()
        assert page.locator("#newest + ul li a").count() >= 1
        discovered = page.eval_on_selector_all(
            "head link[rel=alternate]", "links => links.map(l => l.getAttribute('href'))"
        )
        assert "/feeds/bulletins.rss.xml" in discovered and "/feeds/bulletins.json" in discovered
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"feed-{width}.png", full_page=True)
        settle(page)
        results = Axe().run(page)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], [describe_violation(v) for v in serious]
        assert watch.problems == [], problems_report("feeds/bulletins/", watch.problems)
    finally:
        context.close()
