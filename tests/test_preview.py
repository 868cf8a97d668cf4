"""The editors' preview (`build.py serve`): after a save it shows what `build.py build` would publish.

Each test runs its own preview of a copy of the fixture content, edits a file as an editor would, waits
until the banner's data (`_preview/status.json`) says everything is up to date, and reads the pages over
HTTP: they are compared with a full build of the same content, page by page.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from timsite.content import load
from timsite.content.checked import load_archive
from timsite.content.problems import errors
from timsite.engine import preview as preview_module
from timsite.engine.preview import Carried
from timsite.site.pages import entry_sources

from .browser import launch_chromium, require_chromium
from .conftest import ROOT

SITE_URL = "https://trafficking-in-migrants.example.org/"  # mkdocs.yml's: the full build's absolute URLs
WAIT = 120.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Preview:
    """A running `build.py serve` of `content`, read over HTTP."""

    def __init__(self, content: Path, port: int) -> None:
        self.content = content
        self.base = f"http://127.0.0.1:{port}/"
        self.log = ""
        """What the server printed, once it has stopped."""

    def get(self, path: str) -> bytes | None:
        """The file at `path` (site-relative), or None when the preview has none."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                data: bytes = response.read()
                return data
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise

    def status(self) -> dict[str, Any]:
        data = self.get("_preview/status.json")
        return json.loads(data) if data else {}

    def wait(self, build: int, state: str = "ready") -> dict[str, Any]:
        """The status once build number `build` (or a later one) has reached `state`."""
        deadline = time.monotonic() + WAIT
        while True:
            with contextlib.suppress(urllib.error.URLError, ConnectionError, json.JSONDecodeError):
                status = self.status()
                if status.get("state") == state and status.get("build", 0) >= build:
                    return status
                if state != "error" and status.get("state") == "error" and status.get("build", 0) >= build:
                    pytest.fail(f"the preview reports problems: {status['problems']}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {state!r} status of build {build} after {WAIT:.0f} s")
            time.sleep(0.1)


@contextlib.contextmanager
def preview(content: Path) -> Iterator[Preview]:
    port = _free_port()
    command = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "serve"]
    proc = subprocess.Popen(
        [*command, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        running = Preview(content, port)
        running.wait(1)
        yield running
    finally:
        proc.terminate()
        _, errors = proc.communicate(timeout=30)
        running.log = errors
        assert "Traceback" not in errors, errors


def full_build(content: Path, site: Path) -> Path:
    command = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "build", "--site-dir", str(site)]
    # Without PDFs, as the preview (`serve` without --pdf) shows the pages: the PDFs are made on request there.
    env = {**os.environ, "TIMSITE_PDF": "0"}
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def shown(html: bytes, base: str) -> tuple[str, str]:
    """What a reader sees of a page: its title and its main content (absolute URLs as the full build's)."""
    tree = lxml.html.fromstring(html.replace(base.encode(), SITE_URL.encode()))
    title = tree.findtext(".//title") or ""
    for script in tree.xpath("//script[contains(., 'livereload')]"):
        script.drop_tree()  # what MkDocs' server adds to every page it serves
    main = tree.xpath("//div[contains(concat(' ', @class, ' '), ' md-content ')]") or [tree.body]  # or a redirect
    return title, lxml.html.tostring(main[0], encoding="unicode")


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")


def compare(running: Preview, site: Path) -> list[str]:
    """Every page of the full build `site` as the preview shows it; the pages that differ."""
    differ = []
    for name in pages(site):
        served = running.get(name.removesuffix("index.html"))
        if served is None or shown(served, running.base) != shown((site / name).read_bytes(), SITE_URL):
            differ.append(name)
    return differ


def retitle(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", f"title: {json.dumps(title)}", text, count=1, flags=re.M), "utf-8")


def test_a_changed_title_shows_as_a_full_build_shows_it(fixture_content: Path, tmp_path: Path) -> None:
    new = "Retitled & Revised: A <Preview> Study"
    with preview(fixture_content) as running:
        first = running.status()
        retitle(fixture_content / "publications/fixture-report.md", new)
        status = running.wait(first["build"] + 1)
        site = full_build(fixture_content, tmp_path / "site")
        showing = [n for n in pages(site) if "Retitled &amp; Revised" in (site / n).read_text("utf-8")]
        # The publication's page, the catalogue, the issues that review it...
        assert {"publications/fixture-report/index.html", "publications/index.html"} <= set(showing), showing
        assert len(showing) >= 4, showing  # and the issues that review it
        assert compare(running, site) == []
        # Only what the edit changes was rendered again: far fewer pages than the first build's.
        assert len(showing) <= status["rendered"] < first["rendered"] / 2
        # Search: the preview's index is the full build's (Pagefind's entry names a hash of the whole index).
        assert json.loads(running.get("pagefind/pagefind-entry.json") or b"{}") == json.loads(
            (site / "pagefind/pagefind-entry.json").read_bytes()
        )
        for feed in ("feeds/all.atom.xml", "catalogue.bib"):
            served = running.get(feed) or b""
            assert served.replace(running.base.encode(), SITE_URL.encode()) == (site / feed).read_bytes(), feed
    # The edited entry's page first, by a quick build that neither plans nor renders any other page; then the
    # full build, which renders the pages listing it.
    assert re.findall(r"preview: (\d+) edited page\(s\) shown first", running.log) == ["1"], running.log
    plans = re.findall(r"preview: (\d+) of (\d+) pages to render", running.log)
    assert len(plans) == 2 and int(plans[1][0]) == status["rendered"], plans


def test_rapid_saves_end_on_the_last_one(fixture_content: Path, tmp_path: Path) -> None:
    path = fixture_content / "publications/fixture-report.md"
    with preview(fixture_content) as running:
        first = running.status()
        for number in range(6):  # an editor's autosave, or several quick saves: faster than a build
            retitle(path, f"Quick Save {number}")
            time.sleep(0.03)
        status = running.wait(first["build"] + 1)
        while b"Quick Save 5" not in (running.get("publications/fixture-report/") or b""):
            status = running.wait(status["build"] + 1)
        running.wait(status["build"])
        assert compare(running, full_build(fixture_content, tmp_path / "site")) == []
    # Saves arriving while the server waits for quiet, or while it builds, are taken together.
    plans = re.findall(r"preview: (\d+) of (\d+) pages to render", running.log)
    assert len(plans) - 1 < 2 * 6, plans


def test_a_deleted_and_an_added_entry(fixture_content: Path, tmp_path: Path) -> None:
    with preview(fixture_content) as running:
        first = running.status()
        assert running.get("publications/fixture-misprint/") is not None
        (fixture_content / "publications/fixture-misprint.md").unlink()
        (fixture_content / "publications/added.md").write_text(
            '---\nid: added-later\ntitle: "Added Later"\ntype: report\nyear: 2001\n---\n\nNew.\n', encoding="utf-8"
        )
        running.wait(first["build"] + 1)
        site = full_build(fixture_content, tmp_path / "site")
        assert running.get("publications/fixture-misprint/") is None
        assert running.get("publications/added-later/") is not None
        assert compare(running, site) == []
    # Pages added and removed: no quick build, the full one at once.
    assert "shown first" not in running.log


HOSTILE = '<img src=x onerror="document.title=`pwned`">'


def test_a_broken_file_is_shown_on_the_banner_escaped_and_fixing_it_clears_it(
    fixture_content: Path, tmp_path: Path
) -> None:
    path = fixture_content / "publications/fixture-report.md"
    good = path.read_text(encoding="utf-8")
    with preview(fixture_content) as running:
        first = running.status()
        before = shown(running.get("publications/fixture-report/") or b"", running.base)
        # A title the editor typed with markup, and a year that is not one: the check refuses the file.
        broken = good.replace("year: 2001", "year: two thousand")
        path.write_text(broken.replace('title: "Fixture Report: A Study"', f"title: '{HOSTILE}'"), "utf-8")
        status = running.wait(first["build"], state="error")
        problem = next(line for line in status["problems"] if "fixture-report.md" in line)
        assert re.search(r"publications/fixture-report\.md:\d+: year: ", problem), problem
        # The last good pages stay.
        assert shown(running.get("publications/fixture-report/") or b"", running.base) == before
        _check_banner(running, problem)
        path.write_text(good.replace("A Study", "A Study, Fixed"), "utf-8")
        fixed = running.wait(status["build"] + 1)
        assert fixed["problems"] == []
        assert b"A Study, Fixed" in (running.get("publications/fixture-report/") or b"")
        assert compare(running, full_build(fixture_content, tmp_path / "site")) == []


def _check_banner(running: Preview, problem: str) -> None:
    """In Chromium, the page being looked at shows the problem as text: nothing the editor wrote runs."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.goto(running.base + "publications/fixture-report/")
            banner = page.locator("#tim-preview")
            banner.locator("li").first.wait_for(timeout=30_000)
            assert banner.is_visible()
            assert problem in banner.inner_text()
            assert banner.locator("img").count() == 0 and page.locator("img[onerror]").count() == 0
            assert page.title() != "pwned"
        finally:
            browser.close()


def test_checking_again_reads_only_the_files_changed(fixture_content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview checks after each save: the changed file is read again, the cross-file rules run on all."""
    load_archive(fixture_content)
    read: list[str] = []
    original = load._load_file

    def counting(item: tuple[str, Path]) -> Any:
        read.append(item[1].name)
        return original(item)

    monkeypatch.setattr(load, "_load_file", counting)
    path = fixture_content / "publications/fixture-report.md"
    path.write_text(path.read_text("utf-8").replace("A Study", "A Study Again"), "utf-8")
    (fixture_content / "bulletins/002-spring-2001.md").unlink()  # a cross-file rule: references still resolve
    archive, problems = load_archive(fixture_content)
    assert read == ["fixture-report.md"]
    assert [p.title for p in archive.publications if p.id == "fixture-report"] == ["Fixture Report: A Study Again"]
    assert len(archive.bulletins) == 1 and not errors(problems), [str(p) for p in problems]
    # A file gone from the folder is forgotten.
    assert not [p for p in load._READ if p.name == "002-spring-2001.md" and fixture_content in p.parents]


def test_a_quick_build_only_when_no_page_address_or_tag_changes(
    fixture_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a save may change for the preview to show it by a quick build: one or more entries' text, nothing else."""
    archive, _ = load_archive(fixture_content)
    shown_now = entry_sources(archive)
    carried = Carried("inputs", dict(shown_now), archive.vocabulary, [], "shared")
    src = "publications/fixture-report.md"
    report = shown_now[src]
    retitled = {**shown_now, src: report.model_copy(update={"title": "Another Title"})}
    assert carried.edits(shown_now, "inputs", archive.vocabulary) is None  # nothing edited: the full build
    assert carried.edits(retitled, "inputs", archive.vocabulary) == [src]
    # An equal copy is no edit (entries are compared by value when they are not the same object).
    assert carried.edits({**retitled, src: report.model_copy()}, "inputs", archive.vocabulary) is None
    assert carried.edits(retitled, "the theme changed", archive.vocabulary) is None
    assert carried.edits(retitled, "inputs", None) is None  # the tag vocabulary changed
    retagged = {**shown_now, src: report.model_copy(update={"tags": [*report.tags, "New Tag"]})}
    assert carried.edits(retagged, "inputs", archive.vocabulary) is None  # a tag page and feed more
    added = {**retitled, "publications/new.md": report}
    assert carried.edits(added, "inputs", archive.vocabulary) is None
    removed = {key: value for key, value in retitled.items() if key != "publications/fixture-misprint.md"}
    assert carried.edits(removed, "inputs", archive.vocabulary) is None
    monkeypatch.setattr(preview_module, "QUICK_LIMIT", 2)
    many = {key: value.model_copy(update={"summary": "Edited."}) for key, value in list(shown_now.items())[:3]}
    assert carried.edits({**shown_now, **many}, "inputs", archive.vocabulary) is None  # more than the limit
    assert carried.edits({**shown_now, **dict(list(many.items())[:2])}, "inputs", archive.vocabulary) is not None
