"""The tags as readers browse them: one page per tag (`tags/<slug>/`), and the index grouped by the vocabulary.

A tag's slug is its feeds' (`feeds.tag_slug`); tags that differ only in case or accents share a slug, a page and
a feed. The index keeps an element with each old anchor (`tags/#tag:t-visa`, Material's), merged names' too, so
that links made before the tag pages existed land on the right row, and its script sends them on to the page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from markdown.extensions.toc import slugify

from timsite import kinds
from timsite.content.archive import Archive
from timsite.content.model import Entry
from timsite.content.vocabulary import Group

UNGROUPED = "Other tags"
"""The heading of tags the vocabulary does not list (or all tags, without a vocabulary)."""


def tag_slug(tag: str) -> str:
    """The slug of a tag's page and feeds (Latin letters, digits, hyphens; a digest if nothing Latin is left).

    >>> tag_slug("T visa"), tag_slug("Côte d'Ivoire"), tag_slug("Asia-Pacific")
    ('t-visa', 'cote-divoire', 'asia-pacific')
    >>> tag_slug("日本")
    'tag-44da6bbcf2'
    """
    return slugify(tag, "-") or "tag-" + hashlib.sha1(tag.encode()).hexdigest()[:10]


def tag_src(slug: str) -> str:
    """The page source path of a tag.

    >>> tag_src("t-visa")
    'tags/t-visa/index.md'
    """
    return f"tags/{slug}/index.md"


@dataclass
class TagInfo:
    """One tag as shown: its name, slug, group, entries by kind, and the slugs of its old anchors."""

    name: str
    slug: str
    group: Group | None
    entries: list[Entry] = field(default_factory=list)
    old_slugs: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.entries)

    def by_kind(self) -> list[tuple[str, list[Entry]]]:
        """Its entries grouped by kind, in the registry's order, each group headed by the kind's name."""
        groups: list[tuple[str, list[Entry]]] = []
        for kind in kinds.KINDS:
            members = [e for e in self.entries if kinds.of(e) is kind]
            if members:
                label = kind.feed.label if kind.feed else kind.folder
                groups.append((label[:1].upper() + label[1:], members))
        return groups


def tag_infos(archive: Archive) -> list[TagInfo]:
    """Every tag carried by a visible entry, one per slug, sorted without regard to case."""
    vocabulary = archive.vocabulary
    infos: dict[str, TagInfo] = {}
    # By identity: comparing models field by field made this quadratic (half a minute at x10).
    seen: dict[str, set[int]] = {}
    for tag, entries in archive.tags().items():
        slug = tag_slug(tag)
        info = infos.get(slug)
        if info is None:
            info = infos[slug] = TagInfo(tag, slug, vocabulary.group(tag))
            seen[slug] = set()
        ids = seen[slug]
        for entry in entries:
            if id(entry) not in ids:
                ids.add(id(entry))
                info.entries.append(entry)
    for info in infos.values():
        merged = {tag_slug(alias) for alias in vocabulary.aliases(info.name)}
        info.old_slugs = sorted(merged - set(infos))
    return sorted(infos.values(), key=lambda i: (i.name.casefold(), i.name))


def tag_groups(infos: list[TagInfo]) -> list[tuple[str, list[TagInfo]]]:
    """The tags index's sections: topics, regions, countries, then any tag the vocabulary does not list."""
    groups: list[tuple[str, list[TagInfo]]] = [(g.label, [i for i in infos if i.group is g]) for g in Group]
    groups.append((UNGROUPED, [i for i in infos if i.group is None]))
    return [(label, members) for label, members in groups if members]
