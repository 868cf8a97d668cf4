"""Property: whatever body an editor writes (Markdown, attribute lists, raw HTML, links, in any mix),
what the site renders and sanitizes has nothing live in it; and `check` never crashes on it."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from timsite.content import sanitize
from timsite.content.body import body_problems

from .live import fragment_problems, site_markdown

PAYLOAD = "window.__pwned=1"
SCHEMES = st.sampled_from(
    [
        "javascript:",
        "JaVaScRiPt:",
        "jav&#x61;script:",
        "&#106;avascript:",
        "java&#x09;script:",
        " javascript:",
        "java\tscript:",
        "vbscript:",
        "data:text/html,",
        "data:image/svg+xml,",
        "https://example.org/",
        "mailto:a@b.org?x=",
        "../",
        "#",
        "",
    ]
)
URLS = st.builds(lambda scheme, rest: scheme + rest, SCHEMES, st.sampled_from([PAYLOAD, "alert(1)", "x.png", "a b"]))
ATTR_NAMES = st.sampled_from(
    [
        "onclick",
        "onerror",
        "onload",
        "onmouseover",
        "onfocus",
        "ONCLICK",
        "style",
        "href",
        "src",
        "autofocus",
        "id",
        "class",
        "title",
        "data-x",
        "formaction",
        "srcdoc",
        "xlink:href",
        "align",
        "open",
        "ontoggle",
    ]
)
ATTR_VALUES = st.one_of(URLS, st.sampled_from([PAYLOAD, "position:fixed;inset:0", "x", ">", '">', "'", "a}b"]))
QUOTES = st.sampled_from(['"', "'", ""])
TAGS = st.sampled_from(
    [
        "a",
        "img",
        "div",
        "span",
        "p",
        "svg",
        "script",
        "iframe",
        "object",
        "embed",
        "form",
        "input",
        "style",
        "details",
        "summary",
        "math",
        "table",
        "td",
        "base",
        "meta",
        "link",
        "template",
        "video",
        "body",
        "abbr",
    ]
)


@st.composite
def attribute(draw: st.DrawFn) -> str:
    quote = draw(QUOTES)
    value = draw(ATTR_VALUES)
    return f"{draw(ATTR_NAMES)}={quote}{value}{quote}"


@st.composite
def raw_tag(draw: st.DrawFn) -> str:
    tag = draw(TAGS)
    separator = draw(st.sampled_from([" ", "/", "\n", "\t"]))
    attrs = separator.join(draw(st.lists(attribute(), max_size=3)))
    inner = draw(st.sampled_from(["", "text", "**bold**", PAYLOAD]))
    close = draw(st.sampled_from([f"</{tag}>", "", "/>"]))
    opening = f"<{tag}{separator}{attrs}>" if attrs else f"<{tag}>"
    md = draw(st.sampled_from(["", " markdown", ' markdown="1"']))
    if md and opening.endswith(">"):
        opening = opening[:-1] + md + ">"
    return f"{opening}{inner}{close}"


@st.composite
def attr_list(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(attribute(), st.sampled_from(["#anchor", ".cls", "autofocus"])), max_size=3))
    return "{" + draw(st.sampled_from([":", ""])) + " " + " ".join(parts) + " }"


@st.composite
def link(draw: st.DrawFn) -> str:
    url = draw(URLS)
    kind = draw(st.sampled_from(["[x]({})", "![x]({})", "[x](<{}>)", "<{}>", "[x][r]\n\n[r]: {}"]))
    return kind.format(url)


MARKDOWN = st.sampled_from(
    [
        "word",
        "*em*",
        "**strong**",
        "`code <b>`",
        "> quote",
        "- item",
        "1. item",
        "## Heading",
        "x[^1]\n\n[^1]: note",
        '!!! note "Title"\n    text',
        "| a | b |\n|---|---|\n| c | d |",
        "Term\n:   def",
        "<!-- note -->",
        "<!--",
        "&lt;script&gt;",
        "&#60;img src=x onerror=alert(1)&#62;",
        "<br>",
        "\\{: onclick=x }",
        "    indented <b>",
    ]
)
PIECE = st.one_of(MARKDOWN, raw_tag(), link(), st.builds(lambda a, b: a + b, st.one_of(MARKDOWN, link()), attr_list()))
BODY = st.lists(st.tuples(PIECE, st.sampled_from([" ", "\n", "\n\n", ""])), min_size=1, max_size=8).map(
    lambda parts: "".join(piece + sep for piece, sep in parts)
)


@pytest.fixture(scope="module")
def converter() -> markdown.Markdown:
    return site_markdown()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODY)
# found by this test in CI: a bare `id=` in an attribute list has no value at all
@example(body='word{: onclick="window.__pwned=1" id= javascript:window.__pwned=1 } ')
@example(body="word{: class= }\n\n# Heading {: id= }")
def test_rendered_and_sanitized_html_is_never_live(converter: markdown.Markdown, body: str) -> None:
    problems = body_problems(body, 5, "x.md")
    assert all(p.path == "x.md" and p.field == "body" and p.line and p.line >= 5 for p in problems)
    converter.reset()
    try:
        rendered = converter.convert(body)
    except Exception:
        # Python-Markdown itself fails on a few of these (a heading's `{: id= }`): the build never renders
        # a refused body, so a refusal is what must come first
        assert problems, body
        return
    html = sanitize.clean(rendered)
    assert fragment_problems("body", html) == [], (body, html)
    # the sanitizer's output is stable: cleaning it again changes nothing a browser would see
    assert fragment_problems("body", sanitize.clean(html)) == []
