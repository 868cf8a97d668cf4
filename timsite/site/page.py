"""One generated page: where it lives, its front matter, its Markdown from a template, and what it links to.

Pure: knows nothing of MkDocs. A page links to others by their Markdown source paths, so the
renderer can resolve and check every internal link.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import yaml

from timsite.content.archive import Archive
from timsite.content.model import Entry
from timsite.site.render import render
from timsite.site.urls import SECTIONS, entry_src, entry_url, page_url, relative, relpath

_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Listed(Protocol):
    """A generated file as a page lists it (an `Output` of the manifest): where it is, what it is called."""

    @property
    def path(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def media_type(self) -> str: ...


class Outputs(Protocol):
    """What pages read of the outputs manifest: the files listed on a page, and one file by its path."""

    def listed(self, page: str, group: str) -> Sequence[Listed]: ...
    def get(self, path: str) -> Listed | None: ...


class NoOutputs:
    """The manifest of a site without generated files (page tests that need none)."""

    def listed(self, page: str, group: str) -> Sequence[Listed]:
        return ()

    def get(self, path: str) -> Listed | None:
        return None


@dataclass(frozen=True)
class Context:
    """What every page builder reads: the archive, the date embargoes are judged against (a preview
    that shows drafts marks drafts and embargoed items with a banner), and the manifest of the files
    pages link to (citation downloads, feeds, the calendar)."""

    archive: Archive
    as_of: date = date.max
    outputs: Outputs = field(default_factory=NoOutputs)
    coins: Callable[[Entry], str] = field(default=lambda entry: "")
    """A listed item's COinS (the KEV of its `span.Z3988`), "" for one that has none."""


@dataclass
class Page:
    """A generated page: where it lives, its front matter, its Markdown, and the entry it shows."""

    src: str
    meta: dict[str, Any]
    markdown: str
    entry: Entry | None = None
    in_nav: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return page_url(self.src)

    def text(self) -> str:
        """The page as a Markdown file: YAML front matter (safely dumped) and body."""
        head = yaml.dump(self.meta, Dumper=_Dumper, allow_unicode=True, sort_keys=True)
        return f"---\n{head}---\n\n{self.markdown}"


def linker(src: str) -> Callable[[Any], str]:
    """A function giving the relative Markdown link from page `src` to an entry or a section name."""
    here = posixpath.dirname(src)

    def link(target: Any) -> str:
        if isinstance(target, Entry):
            to = entry_src(target)
        elif target in SECTIONS:
            to = SECTIONS[target]
        else:
            to = str(target)
        return relpath(to, here or ".")

    return link


def hrefer(src: str) -> Callable[[Any], str]:
    """A function giving the relative URL (not the Markdown path) from page `src` to an entry or URL."""
    here = page_url(src)

    def href(target: Any) -> str:
        to = entry_url(target) if isinstance(target, Entry) else str(target)
        return relative(here, to)

    return href


def make_page(
    ctx: Context, src: str, template: str, meta: dict[str, Any], entry: Entry | None = None, **context: Any
) -> Page:
    """A page from its template (`templates/pages/<template>.md.j2`); an entry's page lists its citation downloads."""
    cite = ctx.outputs.listed(entry_url(entry), "cite") if entry is not None else ()
    markdown = render(
        f"pages/{template}.md.j2",
        link=linker(src),
        href=hrefer(src),
        entry=entry,
        cite=cite,
        coins=ctx.coins,
        as_of=ctx.as_of,
        **context,
    )
    return Page(src, {k: v for k, v in meta.items() if v not in (None, [], "")}, markdown, entry)


__all__ = ["Context", "Listed", "NoOutputs", "Outputs", "Page", "hrefer", "linker", "make_page"]
