"""The real site in a real browser: headless Debian chromium, driven by Playwright, as a reader uses it.

The site is built once (see `tests/browser.py`), served on 127.0.0.1 and opened in one browser per module.
Each kind of page must load with no console error, no failed request and no request leaving the machine,
and with no serious or critical axe-core accessibility violation; a full-page screenshot of each is saved
in `artifacts/screenshots/`. The catalogue's filters and sorting are used through its controls, and
Material's search box is typed into, checking that identifiers, titles, authors, places and full text find
the page a reader expects first.

Skipped on a developer's machine without /usr/bin/chromium; in CI (CI=true) a missing chromium fails.
"""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    sync_playwright,
)

from .browser import SCREENSHOTS, launch_chromium, require_chromium, serve

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
    # "Search the archive" opens Material's search, hidden behind the header's magnifier on a phone.
    toggle, box = page.locator("#__search"), page.locator("input.md-search__input")
    assert not toggle.is_checked()
    page.get_by_text("Search the archive", exact=True).click()
    assert toggle.is_checked()
    box.wait_for(state="visible")
    box.type("Balkans")
    assert box.input_value() == "Balkans"


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

BALKANS = "publications/victims-of-trafficking-in-the-balkans/"
MIGRATION_RESEARCH_SERIES = "series/migration-research-series/"

# (what a reader types, the path that must be the FIRST result). For "Turin", a reader looking for the place
# expects the meeting held there (the Turin symposium), not the issue that reports on it among other news.
SEARCHES = [
    pytest.param("92-9068-113-6", BALKANS, id="isbn10-hyphenated"),
    pytest.param("9290681136", BALKANS, id="isbn10-compact"),
    pytest.param("978-92-9068-113-7", BALKANS, id="isbn13-hyphenated"),
    pytest.param("9789290681137", BALKANS, id="isbn13-compact"),
    pytest.param("90-411-0531-X", "publications/huddled-masses-in-uncertain-shores/", id="isbn10-check-x"),
    pytest.param("1607-338X", MIGRATION_RESEARCH_SERIES, id="issn-hyphenated"),
    pytest.param("1607338X", MIGRATION_RESEARCH_SERIES, id="issn-compact"),
    pytest.param("1238-8211", "publications/illegal-migration-in-lithuania/", id="issn-of-a-publication"),
    pytest.param("Journeys of Jeopardy", "publications/journeys-of-jeopardy/", id="title"),
    pytest.param("Omelaniuk", "publications/omelaniuk-2005-trafficking-in-human-beings/", id="author"),
    pytest.param("Turin", "meetings/turin-symposium-un-convention-transnational-organized-crime-2002/", id="place"),
    pytest.param("T visa", "bulletins/25/", id="full-text"),
]

RESULTS_JS = """items => items.map(li => {
    const a = li.querySelector("a");
    const h = li.querySelector("h1, h2");
    return { href: a ? a.href : "", title: h ? h.textContent.trim() : "" };
})"""


def search_results(page: Page, query: str) -> tuple[str, list[dict[str, str]]]:
    """Type `query` into Material's search box as a reader does; return the result count text and results."""
    box = page.locator("input.md-search__input")
    box.click()
    meta = page.locator(".md-search-result__meta")
    # The index is loaded in a web worker; Material says "Type to start searching" once it is ready.
    page.wait_for_function(
        "() => /type to start/i.test(document.querySelector('.md-search-result__meta')?.textContent || '')"
    )
    page.keyboard.type(query, delay=15)
    assert box.input_value() == query
    page.wait_for_function(
        "() => /matching/i.test(document.querySelector('.md-search-result__meta')?.textContent || '')"
    )
    # Results follow each keystroke, computed in a web worker: wait until they have not changed for a second.
    items = page.locator(".md-search-result__item")
    last: tuple[str, list[dict[str, str]]] | None = None
    unchanged = 0
    deadline = time.monotonic() + 15
    while unchanged < 4 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        now = (" ".join(meta.inner_text().split()), items.evaluate_all(RESULTS_JS))
        unchanged = unchanged + 1 if now == last else 0
        last = now
    assert last is not None
    return last


@pytest.fixture(scope="module")
def search_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_search_finds_the_expected_page_first(
    search_context: BrowserContext, base_url: str, query: str, expected: str
) -> None:
    page, _ = open_page(search_context, base_url, "")
    try:
        meta, results = search_results(page, query)
    finally:
        page.close()
    shown = "\n  ".join(f"{r['href'].removeprefix(base_url)}  ({r['title']})" for r in results[:5]) or "(none)"
    assert results, f"search {query!r} finds nothing ({meta}); expected /{expected} first"
    first = results[0]["href"].removeprefix(base_url).split("?")[0].split("#")[0]
    assert first == expected, (
        f"search {query!r} ({meta}): first result /{first}, expected /{expected}; top 5:\n  {shown}"
    )


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
        results = Axe().run(page)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], [describe_violation(v) for v in serious]
        assert watch.problems == [], problems_report("feeds/bulletins/", watch.problems)
    finally:
        context.close()
