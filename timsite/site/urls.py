"""Where every entry lives: source paths of generated pages and their public URLs, in one place.

URLs never change once published, so they come from permanent identity (the issue
number, an entry's id, an identifier's digits), never from a file name or a title.

>>> page_url("publications/the-route.md")
'publications/the-route/'
>>> page_url("index.md")
''
>>> relative("publications/the-route/", "bulletins/25/")
'../../bulletins/25/'
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from timsite.content.model import RESERVED_IDS, Entry

__all__ = ["PDF_MEDIA_TYPE", "RESERVED_IDS", "SECTIONS", "entry_src", "entry_url", "page_url", "relative"]

PDF_MEDIA_TYPE = "application/pdf"

SECTIONS = {
    "home": "index.md",
    "bulletins": "bulletins/index.md",
    "meetings": "meetings/index.md",
    "publications": "publications/index.md",
    "series": "series/index.md",
    "identifiers": "identifiers.md",
    "tags": "tags.md",
    "subscribe": "subscribe.md",
}


def entry_src(entry: Entry) -> str:
    return f"{entry.folder}/{entry.key}.md"


def page_url(src: str) -> str:
    """The directory URL MkDocs gives a Markdown source path (use_directory_urls)."""
    stem = src.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def entry_url(entry: Entry) -> str:
    return page_url(entry_src(entry))


def pdf_path(entry: Entry) -> str:
    """Where an entry's PDF is served, beside its page, as a path in the site (not URL-quoted).

    >>> from timsite.content.model import Bulletin
    >>> b = Bulletin.model_construct(number=25, pdf="tim 25.pdf")
    >>> pdf_path(b), pdf_href(b)
    ('bulletins/25/tim 25.pdf', 'bulletins/25/tim%2025.pdf')
    """
    return entry_url(entry) + (entry.attached_pdf or "")


def pdf_href(entry: Entry) -> str:
    """The PDF's path in the site URL-quoted, for links, feeds' enclosures and citation metadata."""
    return entry_url(entry) + quote(entry.attached_pdf or "")


def relpath(path: str, start: str) -> str:
    """`posixpath.relpath` for paths inside the site, which need no working directory (relpath asks the
    operating system for it on every call, thousands of times a build).

    >>> relpath("publications/x.md", "bulletins"), relpath("a/b", "a/b"), relpath("f.pdf", ".")
    ('../publications/x.md', '.', 'f.pdf')
    """
    here = [p for p in start.split("/") if p not in ("", ".")]
    there = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in here or ".." in there:
        return posixpath.relpath(path, start)
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


def relative(from_url: str, to_url: str) -> str:
    """Relative link from one directory URL to another, so the site works under any base path.

    >>> relative("bulletins/25/", "publications/x/"), relative("a/b/", "a/b/"), relative("a/", ""), relative("", "f.pdf")
    ('../../publications/x/', './', '../', 'f.pdf')
    """
    target = relpath(to_url or ".", from_url or ".")
    if target == ".":
        return "./"
    return target + ("/" if to_url.endswith("/") or not to_url else "")
