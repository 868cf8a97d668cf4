"""A sanitized body as data for the PDF template: blocks and inlines, plain dicts of text, never markup.

The PDF template (`templates/edition.typ`) reads this tree as JSON and lays it out; the editor's
text reaches Typst only as strings inside it, so nothing an editor writes (`#read(...)`, `$x$`,
`#import "@preview/..."`) is ever evaluated. Images are not loaded: the engine reads no file an
editor names, and an image becomes its alternative text.

>>> tree = blocks('<p>A <em>b</em> <a href="../x/">c</a>.</p>', "https://s.org/bulletins/25/")
>>> tree[0]["t"], [n["t"] for n in tree[0]["c"]]
('p', ['text', 'em', 'text', 'link', 'text'])
>>> tree[0]["c"][3]["href"]
'https://s.org/bulletins/x/'
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml.html import HtmlElement

from timsite.content.sanitize import url_allowed

Node = dict[str, Any]

_SPACE = re.compile(r"\s+")
_BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "pre", "hr", "table", "div"}
    | {"figure", "details", "nav", "figcaption", "summary", "caption"}
)
_INLINE_STYLES = {
    "em": "em",
    "i": "em",
    "cite": "em",
    "dfn": "em",
    "var": "em",
    "strong": "strong",
    "b": "strong",
    "u": "u",
    "ins": "u",
    "s": "s",
    "del": "s",
    "sup": "sup",
    "sub": "sub",
    "small": "small",
    "mark": "mark",
}
_CODE = frozenset({"code", "kbd", "samp"})


def blocks(fragment: str, base_url: str) -> list[Node]:
    """The blocks of a sanitized HTML fragment; relative links made absolute against `base_url`."""
    if not fragment.strip():
        return []
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    notes = _footnotes(root)
    return _Reader(base_url, notes).blocks(root)


def _footnotes(root: HtmlElement) -> dict[str, HtmlElement]:
    """Python-Markdown's footnotes (`div.footnote > ol > li#fn:x`), taken out of the tree by id."""
    notes: dict[str, HtmlElement] = {}
    for box in root.xpath('.//div[contains(concat(" ", normalize-space(@class), " "), " footnote ")]'):
        for item in box.xpath("./ol/li[@id]"):
            for back in item.xpath('.//a[contains(@class, "footnote-backref")]'):
                back.drop_tree()
            notes[item.get("id")] = item
        box.drop_tree()
    return notes


class _Reader:
    def __init__(self, base_url: str, notes: dict[str, HtmlElement]) -> None:
        self.base_url = base_url
        self.notes = notes
        self.depth = 0
        """How many containers (list, quote, table, note) the blocks being read are in: headings there are not
        the document's (no bookmark, no heading tag), so they become bold paragraphs."""

    def inside(self, el: HtmlElement) -> list[Node]:
        """The blocks of a container's element."""
        self.depth += 1
        try:
            return self.blocks(el)
        finally:
            self.depth -= 1

    # --- blocks ---
    def blocks(self, parent: HtmlElement) -> list[Node]:
        """The children of `parent` as blocks; runs of inline content become paragraphs."""
        out: list[Node] = []
        run: list[Node] = []

        def flush() -> None:
            para = _trim(run)
            if para:
                out.append({"t": "p", "c": para})
            run.clear()

        if parent.text:
            run.append(_text(parent.text))
        for child in parent:
            if not isinstance(child.tag, str):
                pass
            elif child.tag in _BLOCK_TAGS:
                flush()
                out.extend(self.block(child))
            else:
                run.extend(self.inline(child))
            if child.tail:
                run.append(_text(child.tail))
        flush()
        return out

    def block(self, el: HtmlElement) -> list[Node]:
        tag = el.tag
        if tag == "p":
            content = _trim(self.inlines(el))
            return [{"t": "p", "c": content}] if content else []
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            if self.depth:
                return [{"t": "p", "c": [{"t": "strong", "c": _trim(self.inlines(el))}]}]
            return [{"t": "h", "level": int(tag[1]), "id": el.get("id") or "", "c": _trim(self.inlines(el))}]
        if tag in {"ul", "ol"}:
            items = [self.inside(li) for li in el if li.tag == "li"]
            node: Node = {"t": tag, "items": items}
            if tag == "ol":
                node["start"] = _int(el.get("start"), 1)
            return [node]
        if tag == "dl":
            entries: list[Node] = []
            for child in el:
                if child.tag == "dt":
                    entries.append({"term": _trim(self.inlines(child)), "defs": []})
                elif child.tag == "dd":
                    if not entries:
                        entries.append({"term": [], "defs": []})
                    entries[-1]["defs"].append(self.inside(child))
            return [{"t": "dl", "items": entries}]
        if tag == "blockquote":
            return [{"t": "quote", "c": self.inside(el)}]
        if tag == "pre":
            return [{"t": "pre", "v": el.text_content().rstrip("\n")}]
        if tag == "hr":
            return [{"t": "hr"}]
        if tag == "table":
            return [self.table(el)]
        if tag == "div" and "admonition" in (el.get("class") or "").split():
            title = el.xpath('./p[contains(@class, "admonition-title")]')
            head = _trim(self.inlines(title[0])) if title else []
            for t in title:
                t.drop_tree()
            return [{"t": "aside", "title": head, "c": self.inside(el)}]
        if tag == "details":
            summary = el.find("summary")
            head = _trim(self.inlines(summary)) if summary is not None else []
            if summary is not None:
                summary.drop_tree()
            return [{"t": "aside", "title": head, "c": self.inside(el)}]
        # div, figure, nav, figcaption, caption: their content, in order
        return self.blocks(el)

    def table(self, el: HtmlElement) -> Node:
        head: list[list[Node]] = []
        body: list[list[Node]] = []
        for row in el.iter("tr"):
            cells = [
                {
                    "c": self.inside(cell),
                    "colspan": max(1, _int(cell.get("colspan"), 1)),
                    "rowspan": max(1, _int(cell.get("rowspan"), 1)),
                    "align": cell.get("align") if cell.get("align") in {"left", "right", "center"} else "",
                }
                for cell in row
                if cell.tag in {"td", "th"}
            ]
            in_head = row.getparent().tag == "thead" or (not body and all(c.tag == "th" for c in row))
            (head if in_head and not body else body).append(cells)
        columns = max((sum(c["colspan"] for c in r) for r in head + body), default=1)
        caption = el.find("caption")
        return {
            "t": "table",
            "cols": columns,
            "head": head,
            "body": body,
            "caption": _trim(self.inlines(caption)) if caption is not None else [],
        }

    # --- inlines ---
    def inlines(self, el: HtmlElement) -> list[Node]:
        out: list[Node] = []
        if el.text:
            out.append(_text(el.text))
        for child in el:
            if isinstance(child.tag, str):
                out.extend(self.inline(child))
            if child.tail:
                out.append(_text(child.tail))
        return out

    def inline(self, el: HtmlElement) -> list[Node]:
        tag = el.tag
        if tag == "br":
            return [{"t": "br"}]
        if tag == "wbr":
            return []
        if tag == "img":
            alt = _SPACE.sub(" ", el.get("alt") or "").strip()
            return [{"t": "em", "c": [_text(f"[{alt or 'image'}]")]}]
        if tag in _CODE:
            return [{"t": "code", "v": el.text_content()}]
        if tag == "sup" and el.get("id", "").startswith("fnref"):
            link = el.find("a")
            target = (link.get("href") or "").removeprefix("#") if link is not None else ""
            note = self.notes.get(target)
            if note is not None:
                return [{"t": "fn", "c": self.inside(note)}]
        if tag == "a":
            return [self.link(el)]
        if tag == "q":
            return [_text("“"), *self.inlines(el), _text("”")]
        if tag in _INLINE_STYLES:
            return [{"t": _INLINE_STYLES[tag], "c": self.inlines(el)}]
        if tag in _BLOCK_TAGS:  # a block inside inline content: keep its text in place
            return self.inlines(el)
        return self.inlines(el)

    def link(self, el: HtmlElement) -> Node:
        content = self.inlines(el)
        href = (el.get("href") or "").strip()
        if not href or not url_allowed(href):
            return {"t": "span", "c": content}
        if href.startswith("#"):
            return {"t": "link", "href": "", "anchor": href[1:], "c": content}
        return {"t": "link", "href": urljoin(self.base_url, href), "anchor": "", "c": content}


def _text(value: str) -> Node:
    return {"t": "text", "v": _SPACE.sub(" ", value)}


def _trim(nodes: list[Node]) -> list[Node]:
    """Inline nodes without the white space HTML would not show at the start and end of a block."""
    nodes = [n for n in nodes if not (n["t"] == "text" and not n["v"])]
    while nodes and nodes[0]["t"] == "text" and not nodes[0]["v"].strip():
        nodes.pop(0)
    while nodes and nodes[-1]["t"] == "text" and not nodes[-1]["v"].strip():
        nodes.pop()
    if nodes and nodes[0]["t"] == "text":
        nodes[0] = {"t": "text", "v": nodes[0]["v"].lstrip()}
    if nodes and nodes[-1]["t"] == "text":
        nodes[-1] = {"t": "text", "v": nodes[-1]["v"].rstrip()}
    return nodes


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


__all__ = ["Node", "blocks"]
