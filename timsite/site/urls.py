"""Where every entry lives: source paths of generated pages and their public URLs, in one place.

URLs never change once published, so they come from permanent identity (the issue
number, an entry's id, an identifier's digits), never from a file name or a title.

>>> page_src("publication", "the-route")
'publications/the-route.md'
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

from timsite.content import periodical
from timsite.content.model import KINDS, RESERVED_IDS, Bulletin, Entry

__all__ = [
    "RESERVED_IDS",
    "SECTIONS",
    "cite_files",
    "edition_name",
    "edition_path",
    "entry_src",
    "entry_url",
    "page_src",
    "page_url",
    "relative",
]

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


_FOLDERS = {model.kind: model.folder for model in KINDS.values()}


def page_src(kind: str, key: str) -> str:
    return f"{_FOLDERS[kind]}/{key}.md"


def entry_src(entry: Entry) -> str:
    return f"{entry.folder}/{entry.key}.md"


def cite_files(entry: Entry | None) -> dict[str, str]:
    """Source paths of an entry's citation downloads, by format (BibTeX, RIS, CSL-JSON)."""
    if entry is None or not entry.citable:
        return {}
    base = entry_src(entry).removesuffix(".md")
    # An issue's files are named after the periodical (trafficking-in-migrants-25.bib), a publication's after its id.
    name = f"{periodical.SLUG}-{entry.key}" if isinstance(entry, Bulletin) else entry.key
    return {"bib": f"{base}/{name}.bib", "ris": f"{base}/{name}.ris", "json": f"{base}/{name}.csl.json"}


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


def pdf_path(bulletin: Bulletin) -> str:
    """Where a bulletin's PDF is served, beside its page, as a path in the site (not URL-quoted).

    >>> b = Bulletin.model_construct(number=25, pdf="tim 25.pdf")
    >>> pdf_path(b), pdf_href(b)
    ('bulletins/25/tim 25.pdf', 'bulletins/25/tim%2025.pdf')
    """
    return entry_url(bulletin) + (bulletin.pdf or "")


def pdf_href(bulletin: Bulletin) -> str:
    """The PDF's path in the site URL-quoted, for links, feeds' enclosures and citation metadata."""
    return entry_url(bulletin) + quote(bulletin.pdf or "")


def edition_name(entry: Entry) -> str:
    """The file name of an entry's typeset PDF edition, stable once published: named like its citation files.

    >>> edition_name(Bulletin.model_construct(number=25))
    'trafficking-in-migrants-25.pdf'
    """
    return periodical.edition_file(entry.number) if isinstance(entry, Bulletin) else f"{entry.key}.pdf"


def edition_path(entry: Entry) -> str:
    """Where an entry's typeset PDF edition is served, beside its page (file names need no quoting)."""
    return entry_url(entry) + edition_name(entry)


def isbn_url(key: str) -> str:
    return f"isbn/{key}/"


def issn_url(key: str) -> str:
    return f"issn/{key}/"


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
