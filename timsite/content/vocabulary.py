"""The tag vocabulary (`content/tags.yml`): each tag's group (topic, region, country) and the tags merged into it.

The file is a mapping of groups to tags, each tag with the list of the names merged into it (or nothing):

    topic:
      trafficking in persons: [trafficking in human beings]
      T visa:
    region:
      Europe:
    country:
      Ukraine:

Pages group the tags index by it, library records use it to tell subjects from places (MARC 650/651), and
`check` uses it to warn about tags it does not list and about near-duplicates. An entry that still carries a
merged name is read as carrying the tag it was merged into; the merged name's feeds keep answering at their old
addresses. Without the file every tag is accepted as it is and nothing is grouped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from timsite.content.problems import Problem, Severity, display_path
from timsite.content.source import MAX_FILE_BYTES, SourceError, parse_yaml, read_regular

if TYPE_CHECKING:
    from timsite.content.model import Entry

E = TypeVar("E", bound="Entry")

FILE_NAME = "tags.yml"
"""The vocabulary's file name, at the top of the content folder."""


class Group(StrEnum):
    """What a tag names; the order is the tags index's."""

    topic = "topic"
    region = "region"
    country = "country"

    @property
    def label(self) -> str:
        return {"topic": "Topics", "region": "Regions", "country": "Countries"}[self.value]


@dataclass(frozen=True)
class Tag:
    """One tag of the vocabulary: its name as shown, its group, the names merged into it, its line in the file."""

    name: str
    group: Group
    aliases: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class Vocabulary:
    """Every tag of the vocabulary by name, and each merged name with the tag it was merged into."""

    path: Path | None = None
    tags: dict[str, Tag] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        """Whether there is a vocabulary at all (without one, no tag is unknown and none is grouped)."""
        return self.path is not None

    def canonical(self, tag: str) -> str:
        """The tag a name stands for: the tag it was merged into, or itself.

        >>> Vocabulary(Path("tags.yml"), {}, {"policies": "policy"}).canonical("policies")
        'policy'
        """
        return self.merged.get(tag, tag)

    def group(self, tag: str) -> Group | None:
        """The group of a tag (or of the tag a merged name stands for); None when the vocabulary does not list it."""
        found = self.tags.get(self.canonical(tag))
        return found.group if found else None

    def aliases(self, tag: str) -> tuple[str, ...]:
        found = self.tags.get(tag)
        return found.aliases if found else ()


EMPTY = Vocabulary()

_STOP_WORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "the", "to"})


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(tag: str) -> tuple[str, ...]:
    """A tag's significant words, without case, accents, punctuation, small words or plural `s`.

    >>> words("Policies"), words("research and data collection"), words("Côte d'Ivoire")
    (('policy',), ('research', 'data', 'collection'), ('cote', 'divoire'))
    """
    plain = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode().casefold()
    plain = re.sub(r"['’]", "", plain)
    return tuple(_singular(w) for w in re.split(r"[^a-z0-9]+", plain) if w and w not in _STOP_WORDS)


def near_duplicate(one: str, other: str, group: Group | None) -> bool:
    """Whether two tags probably name one thing: the same words in any order, or (topics only) the words of one
    all inside the other: `policy` and `policies`, `migrant trafficking` and `trafficking in migrants`, `research`
    and `research and data collection`. Places nest (`Asia`, `East Asia`), so for them only the first test holds.

    >>> near_duplicate("policy", "Policies", Group.topic), near_duplicate("Asia", "East Asia", Group.region)
    (True, False)
    >>> near_duplicate("research", "research and data collection", Group.topic)
    True
    """
    a, b = words(one), words(other)
    if not a or not b:
        return False
    if sorted(a) == sorted(b):
        return True
    return group is Group.topic and (set(a) < set(b) or set(b) < set(a))


# --- reading the file ---
def _scalar_text(node: Node) -> str | None:
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:str" and node.value.strip():
        return str(node.value).strip()
    return None


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _read_tags(group: Group, node: Node, show: str) -> Iterator[Tag | Problem]:
    if not isinstance(node, MappingNode):
        yield Problem(show, _line(node), group.value, "list the tags as `name:` lines, each with its merged names")
        return
    for key, value in node.value:
        name = _scalar_text(key)
        if name is None:
            yield Problem(show, _line(key), group.value, f"a tag must be text, not {key.value!r}: quote it")
            continue
        aliases: list[str] = []
        if isinstance(value, SequenceNode):
            for item in value.value:
                alias = _scalar_text(item)
                if alias is None:
                    yield Problem(show, _line(item), name, "a merged name must be text: quote it")
                else:
                    aliases.append(alias)
        elif not (isinstance(value, ScalarNode) and value.tag == "tag:yaml.org,2002:null"):
            message = "after the tag, write nothing or the list of names merged into it: [name, other name]"
            yield Problem(show, _line(value), name, message)
        yield Tag(name, group, tuple(aliases), _line(key))


def _parse(path: Path, show: str) -> tuple[list[Tag], list[Problem]]:
    try:
        text = read_regular(path, MAX_FILE_BYTES).decode("utf-8-sig")
        root, _ = parse_yaml(text.replace("\r\n", "\n"))
    except SourceError as exc:
        return [], [Problem(show, exc.line, exc.field, exc.message)]
    except UnicodeDecodeError:
        return [], [Problem(show, None, "", "is not UTF-8 text: save it as UTF-8")]
    except OSError as exc:
        return [], [Problem(show, None, "", f"cannot be read: {exc.strerror}")]
    if root is None:
        return [], []
    if not isinstance(root, MappingNode):
        return [], [Problem(show, _line(root), "", "write the groups topic:, region: and country: with their tags")]
    tags: list[Tag] = []
    problems: list[Problem] = []
    for key, value in root.value:
        try:
            group = Group(key.value)
        except ValueError:
            wanted = ", ".join(g.value for g in Group)
            problems.append(Problem(show, _line(key), str(key.value), f"unknown group: the groups are {wanted}"))
            continue
        for found in _read_tags(group, value, show):
            (tags if isinstance(found, Tag) else problems).append(found)  # type: ignore[arg-type]
    return tags, problems


def load_vocabulary(root: Path) -> tuple[Vocabulary, list[Problem]]:
    """Read `tags.yml` in the content folder `root`; every problem in it, collected. No file: `EMPTY`."""
    path = root / FILE_NAME
    if not path.exists() and not path.is_symlink():
        return EMPTY, []
    show = display_path(path)
    found, problems = _parse(path, show)
    tags: dict[str, Tag] = {}
    merged: dict[str, str] = {}
    for tag in found:
        if tag.name in tags:
            first = tags[tag.name]
            message = f"is listed twice (line {first.line}, as a {first.group.value}): keep one"
            problems.append(Problem(show, tag.line, tag.name, message))
            continue
        tags[tag.name] = tag
    for tag in tags.values():
        for alias in tag.aliases:
            if alias in tags:
                message = f'"{alias}" is merged into it but is also a tag of its own: keep one of the two'
                problems.append(Problem(show, tag.line, tag.name, message))
            elif alias in merged and merged[alias] != tag.name:
                message = f'"{alias}" is already merged into "{merged[alias]}": a name is merged into one tag'
                problems.append(Problem(show, tag.line, tag.name, message))
            else:
                merged[alias] = tag.name
    problems.extend(_near_duplicates(tags.values(), show))
    return Vocabulary(path, tags, merged), problems


def _near_duplicates(tags: Iterable[Tag], show: str) -> Iterator[Problem]:
    listed = sorted(tags, key=lambda t: t.line or 0)
    for i, tag in enumerate(listed):
        for other in listed[:i]:
            if other.group is tag.group and near_duplicate(tag.name, other.name, tag.group):
                message = (
                    f'looks like a near-duplicate of "{other.name}" (line {other.line}): merge one into the other '
                    "(list it after the tag it joins), or reword one"
                )
                yield Problem(show, tag.line, tag.name, message, Severity.WARNING)


def unknown_tag_message(tag: str, vocabulary: Vocabulary) -> str:
    """What `check` says of a tag the vocabulary does not list, with the listed tag it may have meant."""
    close = [t for t in vocabulary.tags if near_duplicate(tag, t, Group.topic)]
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    return f'"{tag}" is not in {FILE_NAME}{hint}: add it under topic, region or country, or use a listed tag'


def merge_tags(entries: list[E], vocabulary: Vocabulary) -> tuple[list[E], list[Problem]]:
    """The entries with merged names replaced by the tag they joined, and a warning where one was written."""
    problems: list[Problem] = []
    out: list[E] = []
    for entry in entries:
        tags = list(dict.fromkeys(vocabulary.canonical(t) for t in entry.tags))
        for tag in entry.tags:
            if tag in vocabulary.merged:
                message = f'"{tag}" is merged into "{vocabulary.merged[tag]}" ({FILE_NAME}): write that tag'
                where = display_path(entry.path)
                problems.append(Problem(where, entry.lines.get("tags"), "tags", message, Severity.WARNING))
        out.append(entry if tags == entry.tags else entry.model_copy(update={"tags": tags}))
    return out, problems
