"""Every class the site's and Material's stylesheets style is refused by `check` and removed by the sanitizer.

The class selectors are read from the stylesheets the site ships (ours in pages/assets, Material's in
its package); each one outside the sanitizer's allow-list is written into bodies in every way an
editor can (attribute lists, raw HTML, admonition kinds), the bodies rendered as the site renders
them and sanitized, and the output parsed: none of those classes may remain on any element.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import material
import pytest

from timsite.content import sanitize
from timsite.content.body import PARAGRAPH_LIMITS, body_problems

from .conftest import ROOT
from .live import site_markdown

STYLESHEETS = [
    *sorted((ROOT / "pages" / "assets" / "stylesheets").glob("*.css")),
    *sorted((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("*.css")),
]
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|url\([^)]*\)")
_PRELUDE = re.compile(r"([^{}]*)\{")
_CLASS = re.compile(r"(?<![\w\\])\.(-?[A-Za-z_][A-Za-z0-9_-]*)")
TAGS = ("div", "span", "p", "a", "nav", "h2", "code", "li", "table")
"""Elements a class is written on: those the allow-list names, and some it does not."""


def css_classes(path: Path) -> set[str]:
    """The class names in the selectors of one stylesheet (not in its declarations, strings or URLs)."""
    text = _STRING.sub('""', _COMMENT.sub("", path.read_text(encoding="utf-8")))
    return {name for prelude in _PRELUDE.findall(text) for name in _CLASS.findall(prelude)}


def all_classes() -> list[str]:
    return sorted(set().union(*(css_classes(path) for path in STYLESHEETS)))


def _batches(names: list[str], size: int) -> list[list[str]]:
    return [names[i : i + size] for i in range(0, len(names), size)]


def _bodies(names: list[str]) -> list[str]:
    """Bodies writing each class in every form; each paragraph under the limits of what one may hold."""
    bodies = []
    for batch in _batches(names, 60):
        parts = []
        for name in batch:
            parts.append(f"[Go](https://evil.example/){{: .{name} }}")
            parts.append(f'A paragraph.\n{{: class="{name}" }}')
            parts.append(f"## Heading {{#h-{len(parts)} .{name}}}")
            parts.append(f'!!! {name} "Box"\n    Inside.')
            parts.append(" ".join(f'<{tag} class="{name}">x</{tag}>' for tag in TAGS))
            parts.append(f'<div class="{name}" markdown>\n**x**\n</div>')
        bodies.append("\n\n".join(parts) + "\n")
    return bodies


def test_the_stylesheets_are_read() -> None:
    """The harness can fail: it finds the classes that make the overlay and Material's dialogs."""
    names = all_classes()
    assert len(STYLESHEETS) >= 3
    assert {"tim-search-layer", "md-button", "md-dialog", "md-typeset", "admonition", "headerlink"} <= set(names)
    assert not {"5rem", "svg", "min"} & set(names)


def test_no_styled_class_outside_the_allow_list_reaches_body_markup() -> None:
    names = all_classes()
    forbidden = {name for name in names if not any(sanitize.class_allowed(tag, name) for tag in TAGS)}
    assert len(forbidden) > 200 and "tim-search-layer" in forbidden  # Material's and ours
    converter = site_markdown()
    seen = 0
    for body in _bodies(names):
        assert all(
            sum(paragraph.count(c) for c in chars) <= limit
            for paragraph in body.split("\n\n")
            for chars, limit in PARAGRAPH_LIMITS.values()
        )
        converter.reset()
        rendered = converter.convert(body)
        root = lxml.html.fragment_fromstring(sanitize.clean(rendered), create_parent="div")
        for element in root.iter():
            for name in (element.get("class") or "").split():
                seen += 1
                assert sanitize.class_allowed(element.tag, name), (element.tag, name)
                assert name not in forbidden
    assert seen  # the extensions' own classes (admonition, headerlink) are still there


def test_check_refuses_every_class_an_editor_writes() -> None:
    names = [name for name in all_classes() if name not in sanitize.EDITOR_CLASSES]
    for body in _bodies(names):
        messages = " ".join(p.message for p in body_problems(body, 1, "x.md"))
        written = {n for n in names if f".{n} " in body or f'"{n}"' in body}
        missing = [n for n in written if f'"{n}' not in messages]
        assert not missing


@pytest.mark.parametrize("value", ["__config", "__search", "md-content", "tim-search-title", "MD-Header"])
def test_reserved_ids_are_removed_by_the_sanitizer(value: str) -> None:
    html = site_markdown().convert(f'## Heading {{#{value}}}\n\n<span id="{value}">x</span>\n')
    root = lxml.html.fragment_fromstring(sanitize.clean(html), create_parent="div")
    assert root.xpath("//h2") and root.xpath("//span")
    assert not [e for e in root.iter() if (e.get("id") or "").lower() == value.lower()]


def test_template_ids_are_the_templates_own() -> None:
    """The ids our page templates give headings are reserved; a new one there is caught here."""
    templates = ROOT / "timsite" / "templates" / "pages"
    made = set()
    for name in ("bulletin", "meeting", "publication", "series"):
        made |= set(re.findall(r"\{#([a-z][a-z0-9-]*)[ }]", (templates / f"{name}.md.j2").read_text(encoding="utf-8")))
    assert made and made <= sanitize.TEMPLATE_IDS
