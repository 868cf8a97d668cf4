"""What a PDF edition shows, as data: the cover (masthead, contents lists, disclaimer) and the body's blocks.

The body is the part of the page MkDocs rendered and the sanitizer cleaned that is the editor's text:
an issue's page without its key facts, its "In this issue" list, the meetings and publications
lists, the citation downloads and the issue navigation; a publication's "Full text" section. The
template (`templates/edition.typ`) reads the dict made here and nothing else.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import lxml.html
from lxml.html import HtmlElement

from timsite.content import periodical
from timsite.content.model import Bulletin
from timsite.outputs.pdf.blocks import Node, blocks

WEB_ONLY_SECTIONS = frozenset({"contents", "reported-meetings", "reviewed-publications"})
"""Headings (ids) of the issue page's own sections, made by `timsite/templates/pages/bulletin.md.j2`."""
WEB_ONLY_CLASSES = frozenset({"tim-meta", "tim-cite", "tim-issue-nav", "tim-status", "tim-pdf"})
"""Classes of the page's own blocks (key facts, downloads, navigation), not the editor's text."""
ABOUT = "about"
"""The issue section printed on the cover as its disclaimer (its first paragraph)."""


def _classes(el: HtmlElement) -> set[str]:
    return set((el.get("class") or "").split())


def body_html(page_html: str, start_after: str | None) -> str:
    """The editor's part of a rendered page body, as HTML (footnotes kept, the page's own blocks left out).

    `start_after` is the id of the heading whose section comes first (a publication's `full-text`);
    None keeps everything that is not the page's own.
    """
    root = lxml.html.fragment_fromstring(page_html or "<p></p>", create_parent="div")
    for anchor in root.xpath('.//a[contains(concat(" ", @class, " "), " headerlink ")]'):
        anchor.drop_tree()
    kept: list[HtmlElement] = []
    skipping = start_after is not None
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if "footnote" in _classes(child):
            kept.append(child)
            continue
        if child.tag == "h2":
            if start_after is not None and child.get("id") == start_after:
                skipping = False
                continue
            if start_after is None:
                skipping = child.get("id") in WEB_ONLY_SECTIONS
        if skipping or _classes(child) & WEB_ONLY_CLASSES:
            continue
        kept.append(child)
    return "".join(lxml.html.tostring(el, encoding="unicode", with_tail=False) for el in kept)


def _levels(nodes: list[Node], lowest: int) -> None:
    """Heading levels from `lowest` (2: the title is the one level 1) with no level skipped (PDF/UA), and each
    anchor on one heading only (Typst refuses a link to a label that two elements carry)."""
    previous = lowest - 1
    seen: set[str] = set()
    for node in nodes:
        if node["t"] == "h":
            level = max(lowest, min(node["level"], previous + 1))
            node["level"] = previous = level
            if node["id"] in seen:
                node["id"] = ""
            seen.add(node["id"])


def _sections(body: list[Node]) -> list[tuple[Node, list[Node]]]:
    """The body cut at its level-2 headings: (heading, blocks after it) for each."""
    out: list[tuple[Node, list[Node]]] = []
    for node in body:
        if node["t"] == "h" and node["level"] == 2:
            out.append((node, []))
        elif out:
            out[-1][1].append(node)
    return out


def _plain(nodes: list[Node]) -> str:
    parts: list[str] = []
    for n in nodes:
        if n["t"] == "text":
            parts.append(n["v"])
        elif "c" in n and n["t"] != "fn":
            parts.append(_plain(n["c"]))
    return "".join(parts).strip()


def _anchors(nodes: list[Node], base_url: str, known: set[str]) -> None:
    """A link to an anchor the PDF does not hold (the page's own parts) goes to the web page instead."""
    for node in nodes:
        if node.get("t") == "link" and node.get("anchor") and node["anchor"] not in known:
            node["href"], node["anchor"] = f"{base_url}#{node['anchor']}", ""
        for key in ("c", "title", "term", "caption"):
            value = node.get(key)
            if isinstance(value, list):
                _anchors(value, base_url, known)
        for key in ("items", "defs", "head", "body"):
            for group in node.get(key) or []:
                if isinstance(group, dict):
                    _anchors([group], base_url, known)
                else:
                    _anchors([g for g in group if isinstance(g, dict)], base_url, known)
                    for g in group:
                        if isinstance(g, list):
                            _anchors(g, base_url, known)


def _ids(nodes: list[Node]) -> set[str]:
    return {n["id"] for n in nodes if n["t"] == "h" and n["id"]}


def issue_edition(bulletin: Bulletin, page_html: str, page_url: str) -> dict[str, Any]:
    """The edition of an issue: `page_html` is its page's sanitized body, `page_url` its absolute address."""
    body = blocks(body_html(page_html, None), page_url)
    _levels(body, 2)
    disclaimer: list[Node] = []
    cover: list[dict[str, Any]] = []
    sections = _sections(body)
    for number, (heading, content) in enumerate(sections):
        if heading["id"] == ABOUT:
            # The cover prints its first paragraph; the rest (masthead lines) is the masthead itself.
            disclaimer = [b for b in content if b["t"] == "p"][:1]
            body = [b for b in body if b is not heading and not any(b is c for c in content)]
            continue
        articles = [{"id": h["id"], "title": _plain(h["c"])} for h in content if h["t"] == "h" and h["level"] == 3]
        if number > 0 and articles:
            cover.append({"title": _plain(heading["c"]), "items": articles})
    _anchors(body, page_url, _ids(body))
    _anchors(disclaimer, page_url, set())
    return {
        "title": bulletin.display_title,
        "authors": [periodical.PUBLISHER],
        "keywords": list(bulletin.tags),
        "lang": bulletin.language,
        "date": bulletin.published.isoformat(),
        "running": [periodical.NAME, bulletin.label],
        "masthead": {
            "name": periodical.NAME,
            "kind": periodical.KIND,
            "publisher": f"IOM {periodical.PUBLISHER}",
            "issue": bulletin.label,
            "address": periodical.ADDRESS,
        },
        "lead": bulletin.lead or "",
        "cover": cover,
        "disclaimer": disclaimer,
        "body": body,
        "columns": 2,
    }


def size_text(size: int) -> str:
    """A file's size as the download link says it: `412 KB` (1 KB = 1,024 bytes).

    >>> size_text(421_888), size_text(200), size_text(3_500_000)
    ('412 KB', '1 KB', '3.3 MB')
    """
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024)):,} KB"


def creation_date(edition: dict[str, Any]) -> date:
    """The date the PDF says it was made: the entry's own, so the bytes never depend on the day of the build."""
    return date.fromisoformat(edition["date"])


__all__ = [
    "body_html",
    "creation_date",
    "issue_edition",
    "size_text",
]
