"""A hostile corpus for rendering: each case is a content file that is either refused by `check` with a
message naming the file, or built with nothing live in any page or feed item.

All "must build" cases are built together, once, into one site (`built`); all "refused" cases are then
given to one more build over that site, which must fail, name every file, and leave the site as it was.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml
from playwright.sync_api import Page, sync_playwright

from timsite.content import sanitize
from timsite.content.load import build_entry
from timsite.content.model import MODELS
from timsite.content.problems import Severity
from timsite.content.source import read_source

from .browser import launch_chromium, require_chromium, serve
from .conftest import FIXTURES, ROOT
from .live import fragment_problems, site_markdown, site_problems

PWN = "window.__pwned=1"


@dataclass(frozen=True)
class Case:
    name: str
    body: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    refused: str | None = None
    """A fragment of the expected message; None when the file must build with nothing live."""
    kind: str = "publications"
    shows: str | None = None
    """Text the built page's article must show (what the editor wrote, as written)."""

    def text(self) -> str:
        if self.kind == "meetings":
            head: dict[str, Any] = {"id": self.name, "title": f"Meeting {self.name}", "start": "2001-05-02"}
        else:
            head = {"id": self.name, "title": f"Case {self.name}", "type": "report", "year": 2001}
        head |= self.fields
        return (
            "---\n" + yaml.safe_dump(head, allow_unicode=True, sort_keys=False) + "---\n\nIntro line.\n\n" + self.body
        )

    @property
    def file(self) -> str:
        return f"{self.kind}/{self.name}.md"


ATTR = "an attribute list may set only"
ELEMENT = "is not allowed in the text"
ATTRIBUTE = "is not allowed and is removed"
ADDRESS = "is not allowed and its link is removed"
URL_FIELD = "which a web address may not contain"
TOO_DEEP = "nested"
CLASS = "is not allowed and is removed from the site: classes belong"
RESERVED = "is reserved"
KIND = "is not a kind of admonition"
MADE_ID = "which the site's theme uses"
USED_ID = "is already used by the page"
EMPTY = "to nothing: write #name for an id"

CASES = [
    # classes and ids by allow-list: the site's styles give a class power over the whole window
    Case("class-overlay-link", "[Go](https://evil.example/){: .tim-search-layer }", refused=CLASS),
    Case(
        "class-fake-dialog",
        '<div class="tim-search-layer" markdown>\n**Session expired**: [log in](https://evil.example/)\n</div>',
        refused=CLASS,
    ),
    Case("class-material-button", "[Log in](https://evil.example/){: .md-button .md-button--primary }", refused=CLASS),
    Case("class-attr-list-key", '[x](#a){: class="md-dialog md-dialog--active" }', refused=CLASS),
    Case("class-span-raw", '<span class="md-search__overlay">x</span>', refused=CLASS),
    Case("class-template-own", "A paragraph.\n{: .tim-meta }", refused=CLASS),
    Case("class-admonition-kind", '!!! tim-search-layer "Session expired"\n    Log in again.', refused=KIND),
    Case("class-admonition-extra", '!!! note inline end "Aside"\n    Text.', refused=KIND),
    Case("id-material-config", "## Settings {#__config}\n\nText.", refused=RESERVED),
    Case("id-md-prefix", "A paragraph.\n{: #md-search }", refused=RESERVED),
    Case("id-tim-prefix-raw", '<span id="tim-search-title">x</span>', refused=RESERVED),
    Case("id-footnote-clash", "## Note {#fn:1}\n\nText.", refused=USED_ID),
    Case("id-template-heading", "## Notes {#full-text}\n\nText.", refused=USED_ID),
    Case("id-made-from-heading", "## __config\n\nText.", refused=MADE_ID),
    Case("id-made-from-setext", "MD search\n---------\n\nText.", refused=MADE_ID),
    # attribute lists: handlers, styles, anything but id and class
    Case("attr-img-onerror", f"![x](x.png){{: onerror={PWN} }}", refused=ATTR),
    Case("attr-link-autofocus-onfocus", f"[x](#x){{: autofocus onfocus={PWN} }}", refused=ATTR),
    Case("attr-heading-onmouseover", f"## Title {{#id onmouseover={PWN}}}", refused=ATTR),
    Case(
        "attr-style-overlay",
        "A paragraph.\n{: style='position:fixed;inset:0;z-index:9999;background:red' }",
        refused=ATTR,
    ),
    Case("attr-href-javascript", "[x](https://example.org/){: href='javascript:alert(1)' }", refused=ATTR),
    Case("attr-quoted-brace-trick", f'[x](#a){{: class="}}" onclick={PWN}}}', refused=ATTR),
    Case("attr-list-item-onclick", f"- item {{: onclick={PWN} }}", refused=ATTR),
    # a bare `id=` has no value at all: Python-Markdown fails on it in a heading, and publishes `id` in a paragraph
    Case("attr-bare-id-heading", "## Title {: id= }", refused=EMPTY),
    Case("attr-bare-class-with-handler", f'word{{: onclick="{PWN}" class= }}', refused=EMPTY),
    Case("attr-table-cell-onclick", f"| a |\n|---|\n| b {{: onclick={PWN} }} |", refused=ATTR),
    # raw HTML: elements
    Case("raw-script", f"<script>{PWN}</script>", refused=ELEMENT),
    Case("raw-iframe", "<iframe src='https://example.org/'></iframe>", refused=ELEMENT),
    Case("raw-object", "<object data='x.swf'></object>", refused=ELEMENT),
    Case("raw-embed", "<embed src='x.swf'>", refused=ELEMENT),
    Case("raw-form", "<form action='https://example.org/'><input name=q><button>Go</button></form>", refused=ELEMENT),
    Case("raw-style-element", "<style>body{display:none}</style>", refused=ELEMENT),
    Case("raw-svg-onload", f"<svg/onload={PWN}>", refused=ELEMENT),
    Case("raw-svg-animate", f"<svg><animate onbegin={PWN} attributeName=x dur=1s>", refused=ELEMENT),
    Case("raw-math", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", refused=ELEMENT),
    Case("raw-base", "<base href='https://evil.example/'>", refused=ELEMENT),
    Case("raw-meta-refresh", "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>", refused=ELEMENT),
    Case("raw-link-stylesheet", "<link rel=stylesheet href='https://evil.example/x.css'>", refused=ELEMENT),
    Case("raw-input-autofocus", f"<input autofocus onfocus={PWN}>", refused=ELEMENT),
    Case("raw-template", f"<template><img src=x onerror={PWN}></template>", refused=ELEMENT),
    # raw HTML: attributes and addresses
    Case("raw-img-onerror", f"<img src=x onerror={PWN}>", refused=ATTRIBUTE),
    Case("raw-gt-in-quoted-attribute", f'<a title=">" onmouseover="{PWN}">x</a>', refused=ATTRIBUTE),
    Case("raw-details-ontoggle", f"<details open ontoggle={PWN}><summary>s</summary>x</details>", refused=ATTRIBUTE),
    Case("raw-div-style", "<div style='position:fixed;inset:0'>overlay</div>", refused=ATTRIBUTE),
    Case("raw-a-javascript", f"<a href='javascript:{PWN}'>x</a>", refused=ADDRESS),
    Case("raw-a-entity-javascript", "<a href='jav&#x61;script&colon;alert(1)'>x</a>", refused=ADDRESS),
    Case(
        "raw-a-all-entities",
        "<a href='&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)'>x</a>",
        refused=ADDRESS,
    ),
    Case("raw-a-tab-javascript", "<a href='java&#x09;script:alert(1)'>x</a>", refused=ADDRESS),
    Case("raw-a-leading-space", "<a href='  javascript:alert(1)'>x</a>", refused=ADDRESS),
    Case("raw-img-data", "<img src='data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=' alt=x>", refused=ADDRESS),
    Case("raw-a-vbscript", "<a href='vbscript:msgbox(1)'>x</a>", refused=ADDRESS),
    # Markdown links and images
    Case("md-link-javascript", f"[x](javascript:{PWN})", refused=ADDRESS),
    Case("md-link-mixed-case", "[x](JaVaScRiPt:alert(1))", refused=ADDRESS),
    Case("md-link-entity", "[x](jav&#x61;script:alert(1))", refused=ADDRESS),
    Case("md-image-data", "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", refused=ADDRESS),
    Case("md-reference-javascript", "[x][r]\n\n[r]: javascript:alert(1)", refused=ADDRESS),
    Case("md-autolink-javascript", "<javascript:alert(1)>", refused=ELEMENT),
    # comments
    Case("comment-never-closed", "Text.\n\n<!-- a note that never ends\n\nMore text.", refused="never closed"),
    # nesting and super-linear bombs
    Case("bomb-nested-brackets", "[" * 20000 + "x" + "]" * 20000, refused="square brackets"),
    Case("bomb-open-brackets", "[a " * 5000, refused="square brackets"),
    Case("bomb-open-angles", "<a " * 5000, refused="angle brackets"),
    Case("bomb-deep-list", "\n".join("    " * i + "- x" for i in range(60)), refused=TOO_DEEP),
    Case("bomb-deep-quote", "> " * 60 + "x", refused=TOO_DEEP),
    Case("bomb-deep-admonition", "\n".join("    " * i + "!!! note\n" for i in range(40)), refused=TOO_DEEP),
    Case("bomb-deep-div", "<div markdown>\n" * 60 + "x\n" + "</div>\n" * 60, refused=TOO_DEEP),
    Case("bomb-footnote-references", "x[^1] " * 800 + "\n\n[^1]: note", refused="footnote references"),
    Case("bomb-table-columns", "|a" * 400 + "\n" + "|-" * 400, refused="cells"),
    # URL fields: attributes, never Markdown
    Case(
        "url-markdown-link",
        fields={"online": True, "url": f"https://example.org/[x](javascript:{PWN})"},
        refused=URL_FIELD,
    ),
    Case(
        "url-quote-breakout",
        fields={"online": True, "url": f'https://example.org/"onmouseover="{PWN}'},
        refused=URL_FIELD,
    ),
    Case("url-angle-breakout", fields={"online": True, "url": "https://example.org/<script>"}, refused=URL_FIELD),
    Case(
        "url-meeting-markdown",
        kind="meetings",
        fields={"url": "https://example.org/)[x](javascript:alert(1)"},
        refused=URL_FIELD,
    ),
    Case("url-javascript", fields={"online": True, "url": "javascript:alert(1)"}, refused="not a web address"),
    # must build: as written, with nothing live
    Case(
        "ok-comment-note",
        "Public text.\n\n<!-- zqcommentmarker internal note -->\n\nMore public text.",
        shows="More public text.",
    ),
    Case("ok-inline-comment", "Public <!-- zqcommentmarker too --> text.", shows="Public  text."),
    Case(
        "ok-code-span-script",
        f"Code: `<script>{PWN}</script>` and `<img src=x onerror=alert(1)>`.",
        shows=f"<script>{PWN}</script>",
    ),
    Case("ok-code-span-attr-list", "Written as `{: onclick=x }` in a code span.", shows="{: onclick=x }"),
    Case("ok-heading-id", "## A heading {#ok-anchor}\n\nText.", shows="A heading"),
    Case("ok-heading-entities", f"## Heading &lt;img src=x onerror={PWN}&gt; {{#h-ent}}\n\nText.", shows="<img src=x"),
    Case("ok-heading-code", f"## Code `<img src=y onerror={PWN}>` here {{#h-code}}\n\nText.", shows="<img src=y"),
    Case("ok-escaped-brace", "A literal \\{: onclick=alert(1) \\} in text.", shows="{: onclick=alert(1) }"),
    Case("ok-div-markdown", "<div markdown>\n**bold** inside\n</div>", shows="bold inside"),
    Case("ok-admonition-kind", '!!! warning "Mind the gap"\n    Inside.', shows="Mind the gap"),
    Case("ok-heading-made-id", "## Medium-term plans\n\nText.", shows="Medium-term plans"),
    Case("ok-legit-url-with-javascript-word", "[x](https://example.org/?q=javascript:alert(1))", shows="x"),
    Case("ok-mailto", "[write](mailto:editor@example.org) or <editor@example.org>", shows="write"),
    Case("ok-autolink", "<https://example.org/a_b>", shows="https://example.org/a_b"),
    Case(
        "ok-details-abbr",
        '<details><summary>More</summary>Hidden <abbr title="International Organization for Migration">IOM</abbr></details>',
        shows="More",
    ),
    Case(
        "ok-entities-as-text",
        "&lt;script&gt;alert(1)&lt;/script&gt; is shown, not run.",
        shows="<script>alert(1)</script> is shown",
    ),
    Case("ok-lt-in-text", "If a < b and c > d, then a < b.", shows="If a < b and c > d"),
    Case(
        "ok-front-matter-payloads",
        fields={
            "title": f"<img src=x onerror={PWN}> [x](javascript:{PWN}) {{: onclick={PWN} }}",
            "summary": f"<svg/onload={PWN}> <!-- c -->",
            "authors": [f"<script>{PWN}</script>"],
            "publisher": "**bold** {#x onclick=y}",
            "place": "`code` <b>bold</b>",
            "tags": [f"<img src=x onerror={PWN}>"],
            "notes": f"[x](javascript:{PWN}) <iframe src=x>",
        },
        shows=f"<img src=x onerror={PWN}>",
    ),
    Case(
        "ok-meeting-front-matter",
        kind="meetings",
        fields={
            "city": f"<svg onload={PWN}>",
            "organisers": ["A & B <i>", "{: onclick=x}"],
            "url": "https://example.org/a_b*c?d=1&e=2",
        },
        shows="https://example.org/a_b*c?d=1&e=2",
    ),
    Case(
        "ok-title-symbols",
        fields={
            "title": "Care c/o 1/4 ~tilde~ 21st (c) --> +/- =/=",
            "also_listed_as": ["Care c/o 1/4 ~tilde~ 21st (c) --> +/- =/="],
        },
        shows="Care c/o 1/4 ~tilde~ 21st (c) --> +/- =/=",
    ),
]

ORDINARY = """> A quoted line with *emphasis* and a [link](https://example.org/).
> A second line.

!!! note "A title & \"quotes\""
    Inside the admonition, with `code`.

Code: `a < b && c > d` in a span.

    x = 1 < 2 & 3 > 0

| Left | Right |
|:-----|------:|
| a    | b & c |

A footnote reference.[^n] Another line<br>after a break.

<div markdown>
**Markdown** inside a *div*.
</div>

Term
:   Its definition.

[^n]: The footnote text.
"""
CASES.append(Case("ok-ordinary-markdown", ORDINARY, shows='A title & "quotes"'))

REFUSED = [c for c in CASES if c.refused]
BUILT = [c for c in CASES if not c.refused]


def _build(content: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--content", str(content), "build", "--site-dir", str(site)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


def _content(base: Path, cases: list[Case]) -> Path:
    content = base / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    for case in cases:
        (content / case.file).write_text(case.text(), encoding="utf-8")
    return content


def _tree_hash(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(site.resolve().rglob("*")):
        digest.update(path.relative_to(site.resolve()).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site with every must-build case, built once."""
    base = tmp_path_factory.mktemp("hostile-render")
    site = base / "site"
    result = _build(_content(base, BUILT), site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_the_corpus_is_large_and_names_are_unique() -> None:
    assert len(CASES) >= 35 and len(REFUSED) >= 35 and len(BUILT) >= 10
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.name)
def test_check_refuses_with_the_file_and_line(case: Case, tmp_path: Path) -> None:
    path = tmp_path / case.file
    path.parent.mkdir(parents=True)
    path.write_text(case.text(), encoding="utf-8")
    entry, problems = build_entry(MODELS[case.kind], read_source(path), case.file)
    assert entry is None
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert errors and all(p.path == case.file for p in errors)
    assert case.refused is not None and any(case.refused in p.message for p in errors), errors
    lines = case.text().count("\n") + 1
    assert all(p.line is not None and 1 <= p.line <= lines for p in errors), errors


def test_refused_cases_stop_the_build_and_leave_the_site_as_it_was(built: Path, tmp_path: Path) -> None:
    before = _tree_hash(built)
    result = _build(_content(tmp_path, REFUSED), built)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    for case in REFUSED:
        field = "url" if case.name.startswith("url-") else "body"
        assert re.search(rf"{re.escape(case.file)}:\d+: {field}: ", output), (case.file, output[-3000:])
    assert _tree_hash(built) == before


def test_nothing_live_in_any_page_or_feed_item(built: Path) -> None:
    assert site_problems(built) == []


def _article(built: Path, case: Case) -> lxml.html.HtmlElement:
    page = built / case.kind / case.name / "index.html"
    return lxml.html.fromstring(page.read_bytes()).xpath("//article")[0]


@pytest.mark.parametrize("case", BUILT, ids=lambda c: c.name)
def test_built_case_shows_what_was_written(built: Path, case: Case) -> None:
    text = " ".join(_article(built, case).text_content().split())
    assert case.shows is not None and " ".join(case.shows.split()) in text


def test_front_matter_text_is_shown_exactly_in_the_title_and_the_key_facts(built: Path) -> None:
    case = next(c for c in BUILT if c.name == "ok-title-symbols")
    article = _article(built, case)
    assert [h.text_content().strip() for h in article.xpath(".//h1")] == [case.fields["title"]]
    cells = article.xpath(
        ".//div[contains(@class, 'tim-meta')]//dt[normalize-space()='Also listed as']/following-sibling::dd[1]"
    )
    assert [c.text_content().strip() for c in cells] == case.fields["also_listed_as"]


def test_url_fields_are_links_with_the_address_as_written(built: Path) -> None:
    case = next(c for c in BUILT if c.name == "ok-meeting-front-matter")
    links = _article(built, case).xpath("//div[@class='tim-meta']//a[@href]")
    assert [(a.get("href"), a.text_content()) for a in links] == [(case.fields["url"], case.fields["url"])]


def test_comments_are_dropped_everywhere(built: Path) -> None:
    for path in built.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            assert "zqcommentmarker" not in path.read_text(encoding="utf-8", errors="replace"), path


def _shape(element: lxml.html.HtmlElement) -> tuple[Any, ...]:
    """An element as tag, attributes, normalized text and children: what a reader's browser shows."""
    attrs = tuple(sorted((k, v) for k, v in element.attrib.items()))
    text = " ".join((element.text or "").split())
    tail = " ".join((element.tail or "").split())
    return (element.tag, attrs, text, tuple(_shape(c) for c in element if isinstance(c.tag, str)), tail)


def test_ordinary_markdown_renders_as_markdown_does_without_the_plugin(built: Path) -> None:
    article = _article(built, next(c for c in BUILT if c.name == "ok-ordinary-markdown"))
    heading = article.xpath(".//h2[@id='full-text']")[0]
    ours = [_shape(e) for e in heading.itersiblings() if isinstance(e.tag, str)]
    body = "Intro line.\n\n" + ORDINARY  # as Case.text writes it
    alone = lxml.html.fragment_fromstring(site_markdown().convert(body), create_parent="div")
    expected = [_shape(e) for e in alone if isinstance(e.tag, str)]
    assert ours == expected
    # and it is what the editor meant: a quote, a titled admonition, code with < and &, a table, a footnote
    assert article.xpath(".//blockquote/p/em") and article.xpath(".//p[@class='admonition-title']")
    assert "a < b && c > d" in [c.text for c in article.xpath(".//code")]
    assert article.xpath(".//td[@align='right']") and article.xpath(".//div[@class='footnote']//li")
    assert article.xpath(".//div[not(@class)]/p/strong") and article.xpath(".//p/br")


UNSANITIZED_LIVE = ["attr-img-onerror", "attr-heading-onmouseover", "attr-style-overlay", "raw-script", "raw-iframe"]
UNSANITIZED_LIVE += [
    "attr-link-autofocus-onfocus",
    "raw-a-entity-javascript",
    "md-link-javascript",
    "raw-div-style",
    "raw-form",
]


UNRENDERABLE = {"attr-bare-id-heading"}
"""Bodies Python-Markdown cannot render at all (its table of contents reads the id it left unset)."""


@pytest.mark.parametrize("case", [c for c in REFUSED if not c.name.startswith(("bomb-", "url-"))], ids=lambda c: c.name)
def test_the_sanitizer_alone_makes_every_refused_body_inert(case: Case) -> None:
    """Defence in depth: were a refused body ever rendered, the sanitizer leaves nothing live in it."""
    if case.name in UNRENDERABLE:  # Python-Markdown 3.x fails on it: the refusal is all that stands
        with pytest.raises(TypeError):
            site_markdown().convert(case.body)
        return
    rendered = site_markdown().convert(case.body)
    assert fragment_problems(case.name, sanitize.clean(rendered)) == []
    if case.name in UNSANITIZED_LIVE:  # the checker does see the payload before sanitizing
        assert fragment_problems(case.name, rendered)


_PROVOKE = """() => {
    for (const e of document.querySelectorAll("article *")) {
        if (e.focus) e.focus();
        for (const type of ["mouseover", "mouseenter", "pointerover", "focus", "focusin", "click", "toggle"]) {
            e.dispatchEvent(new Event(type));
        }
    }
}"""


def _pwned_after_interaction(page: Page, url: str) -> Any:
    """Load, focus and hover: every element of the article gets focus and the events a reader would cause
    (links clicked included: a script address would run); the real mouse sweeps the viewport."""
    page.goto(url, wait_until="load")
    for y in range(60, 720, 180):
        for x in range(200, 1280, 400):
            page.mouse.move(x, y)
    page.keyboard.press("Tab")
    page.evaluate(_PROVOKE)
    page.wait_for_timeout(50)
    return page.evaluate("window.__pwned")


def test_no_handler_fires_in_a_browser(built: Path, tmp_path: Path) -> None:
    """Hostile pages in Chromium: the built must-build cases, and every refused body as the sanitizer would
    leave it, placed in a built page of the theme. window.__pwned, set by every payload, stays undefined."""
    require_chromium()
    site = tmp_path / "site"
    shutil.copytree(built.resolve(), site)
    template = (site / "publications" / "ok-comment-note" / "index.html").read_text(encoding="utf-8")
    marker = "<p>More public text.</p>"
    assert marker in template
    pages = [f"{c.kind}/{c.name}/" for c in BUILT]
    for case in REFUSED:
        if case.name.startswith(("bomb-", "url-")) or case.name in UNRENDERABLE:
            continue
        body = sanitize.clean(site_markdown().convert(case.body))
        target = site / "hostile" / case.name / "index.html"
        target.parent.mkdir(parents=True)
        target.write_text(template.replace(marker, body), encoding="utf-8")
        pages.append(f"hostile/{case.name}/")
    # The harness can fail: the same payload, unsanitized, fires.
    control = site / "hostile" / "control" / "index.html"
    control.parent.mkdir(parents=True)
    control.write_text(template.replace(marker, f'<img src="x" onerror="{PWN}">'), encoding="utf-8")
    with serve(site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            assert _pwned_after_interaction(page, base + "hostile/control/") == 1
            fired = [path for path in pages if _pwned_after_interaction(page, base + path) is not None]
        finally:
            browser.close()
    assert fired == []


_COVERED = """() => {
    const hits = [];
    for (let y = 5; y < innerHeight; y += 60) {
        for (let x = 5; x < innerWidth; x += 80) {
            const e = document.elementFromPoint(x, y);
            const link = e && e.closest("a");
            if (link && link.href.startsWith("https://evil.example/")) hits.push([x, y]);
        }
    }
    return hits.length / (Math.ceil(innerHeight / 60) * Math.ceil(innerWidth / 80));
}"""

OVERLAYS = ["class-overlay-link", "class-fake-dialog", "class-material-button", "class-attr-list-key"]


def test_a_class_cannot_make_a_link_cover_the_page(built: Path, tmp_path: Path) -> None:
    """In Chromium, the site's own stylesheet applied: an attacker's link covers no more of the window than a
    link in the text would. The unsanitized overlay does cover it (the harness can fail)."""
    require_chromium()
    site = tmp_path / "site"
    shutil.copytree(built.resolve(), site)
    template = (site / "publications" / "ok-comment-note" / "index.html").read_text(encoding="utf-8")
    marker = "<p>More public text.</p>"
    cases = {c.name: c for c in REFUSED}
    pages = {}
    for name in OVERLAYS:
        target = site / "hostile" / name / "index.html"
        target.parent.mkdir(parents=True)
        body = sanitize.clean(site_markdown().convert(cases[name].body))
        target.write_text(template.replace(marker, body), encoding="utf-8")
        pages[name] = f"hostile/{name}/"
    control = site / "hostile" / "control-overlay" / "index.html"
    control.parent.mkdir(parents=True)
    unsanitized = site_markdown().convert(cases["class-overlay-link"].body)
    assert "tim-search-layer" in unsanitized
    control.write_text(template.replace(marker, unsanitized), encoding="utf-8")
    with serve(site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(base + "hostile/control-overlay/", wait_until="load")
            assert page.evaluate(_COVERED) > 0.9
            covered = {}
            for name, path in pages.items():
                page.goto(base + path, wait_until="load")
                covered[name] = page.evaluate(_COVERED)
        finally:
            browser.close()
    assert all(share < 0.02 for share in covered.values()), covered
