"""What a reader sees, in Chromium at a phone's and a desktop's width: the dark scheme, tag pages, notes, skip links.

Uses the same built real site as tests/test_browser.py (the session's `real_site`: no build of its own), its
browser helpers and its rules: no console error, no request leaving the site, no serious or critical axe
violation. Skipped without Chromium outside CI, failed in CI (tests/browser.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from .browser import SCREENSHOTS, settle
from .test_browser import (
    PHONE,
    TIMEOUT_MS,
    VIEWPORT,
    base_url,
    browser,
    describe_violation,
    open_page,
    open_search,
    problems_report,
    search,
)

__all__ = ["base_url", "browser"]  # fixtures, shared with tests/test_browser.py

WIDTHS = [pytest.param(PHONE, id="390"), pytest.param(VIEWPORT, id="1280")]

# Every kind of page, and what a reader does there before axe looks at it.
PAGE_TYPES = [
    ("home", ""),
    ("bulletin", "bulletins/25/"),
    ("meeting", "meetings/ukat-conference-london-2002/"),
    ("publication-about-open", "publications/victims-of-trafficking-in-the-balkans/"),
    ("series", "series/migration-research-series/"),
    ("catalogue-filtered", "publications/"),
    ("identifiers", "identifiers/"),
    ("subscribe", "subscribe/"),
    ("tags", "tags/"),
    ("tag", "tags/t-visa/"),
    ("feed", "feeds/tags/t-visa/"),
    ("not-found", "404.html"),
    ("search-open", ""),
]


def _context(browser: Browser, viewport: ViewportSize, scheme: str) -> BrowserContext:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture(params=WIDTHS)
def dark(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    context = _context(browser, request.param, "dark")
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(params=WIDTHS)
def light(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    context = _context(browser, request.param, "light")
    try:
        yield context
    finally:
        context.close()


def _prepare(page: Page, name: str) -> None:
    """Put the page in the state a reader leaves it in: notes expanded, catalogue filtered, search showing results."""
    if name == "publication-about-open":
        page.locator("details.tim-about > summary").click()
        expect(page.locator("details.tim-about")).to_have_attribute("open", "")
    elif name == "catalogue-filtered":
        page.locator("[data-tim-catalogue-filters] select[name=type]").select_option(index=1)
        expect(page.locator("[data-tim-catalogue] tbody tr:not([hidden])").first).to_be_visible()
    elif name == "search-open":
        open_search(page)
        assert search(page, "trafficking")


def _axe(page: Page, what: str) -> None:
    settle(page)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{what}: axe-core finds serious or critical violation(s):\n  " + "\n  ".join(
        describe_violation(v) for v in serious
    )


@pytest.mark.parametrize(("name", "path"), PAGE_TYPES, ids=[n for n, _ in PAGE_TYPES])
def test_every_page_type_is_accessible_in_the_dark_scheme(
    dark: BrowserContext, base_url: str, name: str, path: str
) -> None:
    page, watch = open_page(dark, base_url, path)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    _prepare(page, name)
    assert page.viewport_size is not None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"dark-{name}-{page.viewport_size['width']}.png")
    _axe(page, f"/{path} ({name}, dark)")
    assert watch.problems == [], problems_report(path, watch.problems)


# The light scheme's page types are in tests/test_browser.py; these are the new ones and the new states.
LIGHT_ONLY = [
    p
    for p in PAGE_TYPES
    if p[0] in ("publication-about-open", "catalogue-filtered", "tags", "tag", "feed", "not-found")
]


@pytest.mark.parametrize(("name", "path"), LIGHT_ONLY, ids=[n for n, _ in LIGHT_ONLY])
def test_new_page_types_are_accessible_in_the_light_scheme(
    light: BrowserContext, base_url: str, name: str, path: str
) -> None:
    page, watch = open_page(light, base_url, path)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    _prepare(page, name)
    _axe(page, f"/{path} ({name}, light)")
    assert watch.problems == [], problems_report(path, watch.problems)


def test_the_toggle_switches_the_scheme_and_it_is_kept(light: BrowserContext, base_url: str) -> None:
    page, _ = open_page(light, base_url, "tags/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
    # The search dialog and the catalogue take the scheme's colours, not fixed ones.
    page.goto(base_url + "publications/", wait_until="load")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    table = page.locator("[data-tim-catalogue]")
    assert table.evaluate("e => getComputedStyle(e).color") == page.evaluate(
        "getComputedStyle(document.querySelector('.md-typeset')).color"
    )
    open_search(page)
    dialog = page.locator("[data-tim-search]")
    assert dialog.evaluate("e => getComputedStyle(e).backgroundColor") == page.evaluate(
        "getComputedStyle(document.body).backgroundColor"
    )


def test_an_old_tag_link_leads_to_the_tag_page(light: BrowserContext, base_url: str) -> None:
    page, watch = open_page(light, base_url, "tags/#tag:t-visa")
    page.wait_for_url(base_url + "tags/t-visa/")
    expect(page.locator("h1")).to_have_text("T visa")
    # A merged name's old anchor leads to the tag it joined.
    page.goto(base_url + "tags/#tag:policies", wait_until="load")
    page.wait_for_url(base_url + "tags/policy/")
    # Leaving the index at once aborts what Material was still fetching there (its sitemap): not a fault.
    problems = [p for p in watch.problems if "net::ERR_ABORTED" not in p]
    assert problems == [], problems_report("tags", problems)


def test_about_this_record_is_collapsed_until_opened(light: BrowserContext, base_url: str) -> None:
    page, _ = open_page(light, base_url, "publications/victims-of-trafficking-in-the-balkans/")
    about = page.locator("details.tim-about")
    note = about.locator("p").first
    expect(note).to_be_hidden()
    # The title and key facts lead; the note is below them.
    facts = page.locator(".tim-meta").bounding_box()
    summary = about.locator("summary").bounding_box()
    assert facts is not None and summary is not None and summary["y"] > facts["y"]
    about.locator("summary").click()
    expect(note).to_be_visible()
    expect(note).to_contain_text("same work")


@pytest.mark.parametrize(
    "path", ["", "404.html", "publications/victims-of-trafficking-in-the-balkans/", "tags/t-visa/"]
)
def test_the_first_tab_reaches_a_skip_link_that_works(light: BrowserContext, base_url: str, path: str) -> None:
    page, _ = open_page(light, base_url, path)
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert "md-skip" in focused[0], f"/{path}: the first Tab reaches {focused}"
    target = focused[1]
    assert target and target.startswith("#") and page.locator(target.replace(":", "\\:")).count() == 1


@pytest.mark.parametrize("path", ["bulletins/25/", "publications/victims-of-trafficking-in-the-balkans/"])
def test_the_copy_button_copies_the_citation(light: BrowserContext, base_url: str, path: str) -> None:
    light.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page, watch = open_page(light, base_url, path)
    citation = page.locator(".tim-howto > .tim-citation").nth(1)  # Chicago
    button = citation.locator("button[data-tim-copy]")
    expect(button).to_be_visible()
    button.click()
    expect(citation.locator("[role=status]")).to_have_text("Copied")
    text = citation.locator(".tim-citation__text").inner_text()
    assert page.evaluate("navigator.clipboard.readText()") == text
    assert text.startswith(("Trafficking in Migrants. 2002. No. 25 (Spring).", "Victims of Trafficking in the Balkans"))
    if path.startswith("bulletins/"):
        # Each article has its own citation, its anchor as address.
        page.locator("details.tim-howto__articles > summary").click()
        first = page.locator("details.tim-howto__articles .tim-citation").first
        first.locator("button").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert "/bulletins/25/#" in copied and copied == first.locator(".tim-citation__text").inner_text()
    assert watch.problems == [], problems_report(path, watch.problems)
