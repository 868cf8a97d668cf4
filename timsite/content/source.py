"""Reading one content file safely: bytes to text, front matter split and parsed as plain data.

Nothing here trusts the file. The YAML is parsed with a safe loader that
refuses tags, aliases and duplicate keys, keeps dates as text (they are parsed
in one place, `dates`), and remembers, for every top-level field, the line it
is on and how it was written, so that YAML 1.1 surprises (`NO` read as false,
`0306406152` read as an octal number) can be reported with the fix.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_FILE_BYTES = 1024 * 1024
"""Content files larger than this (1 MiB) are refused: no bulletin issue comes near it."""

MAX_PDF_BYTES = 100 * 1024 * 1024
"""A bulletin's PDF may be at most 100 MiB: the scanned issues are a few MiB each."""

MAX_NESTING = 20
"""Lists and groups of fields in front matter may nest this deep; real front matter uses two levels."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# In parsed values (a YAML escape such as "\0" or "\e" gives any character): C0 and C1 controls but
# tab and line feed, lone surrogates ("\ud800", which no UTF-8 file can hold), and the bidi
# embeddings, overrides and isolates that make text display in another order than it is stored.
_BAD_IN_VALUE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_STR_TAG = "tag:yaml.org,2002:str"


class SourceError(Exception):
    """A file that cannot be read at all; carries the line when known."""

    def __init__(self, message: str, line: int | None = None, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.field = field


@dataclass(frozen=True)
class Scalar:
    """How one value was written in the file."""

    text: str
    tag: str
    plain: bool
    line: int

    @property
    def yaml_type(self) -> str:
        """The YAML type the value was read as (`int`, `str`, `bool`...)."""
        return self.tag.rsplit(":", 1)[-1]


@dataclass
class Source:
    """A content file split into its front matter (plain data) and its Markdown body."""

    path: Path
    data: dict[str, Any]
    body: str
    body_line: int
    lines: dict[str, int] = field(default_factory=dict)
    scalars: dict[str, Scalar | list[Scalar | None]] = field(default_factory=dict)
    comments_lost: dict[str, str] = field(default_factory=dict)


# libyaml's parser when PyYAML was built with it (ten times faster); the safe constructor either way.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader without duplicate keys or date conversion (aliases are refused by `_refuse_aliases`).

    Line numbers in its marks count from the opening `---` line, which is line 1 of
    the file, because the front matter text handed to it starts with that line's end.
    """

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
            if not isinstance(key, str):
                raise SourceError(
                    f"field names must be words, not {type(key).__name__} {key!r}", key_node.start_mark.line + 1
                )
            if key in seen:
                raise SourceError(
                    f'"{key}" is given twice (lines {seen[key]} and {key_node.start_mark.line + 1}): keep one',
                    key_node.start_mark.line + 1,
                    key,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


# Dates stay text: one parser (`dates.parse_partial_date`) gives every date its message.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _refuse_aliases(root: Node) -> None:
    """An alias makes two places share one node: refuse it before anything is built (no alias bombs)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise SourceError(
                "YAML aliases (*name) are not allowed in front matter: write the value out in full",
                node.start_mark.line + 1,
            )
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


def _scalar(node: ScalarNode) -> Scalar:
    # A plain scalar has no style: None from the Python parser, "" from libyaml.
    return Scalar(node.value, node.tag, not node.style, node.start_mark.line + 1)


def _kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    return "not a regular file"


def _regular(path: Path, root: Path | None) -> Path:
    """The real path of `path` once it is known to be a regular file inside `root`; SourceError if not.

    Only `stat` is used, never `open`: opening a named pipe would wait for a writer forever.
    """
    try:
        real = path.resolve(strict=True)
    except RuntimeError:
        raise SourceError("is a symbolic link that loops back on itself: delete it") from None
    except FileNotFoundError:
        raise SourceError("is a symbolic link to a file that does not exist: delete it or fix it") from None
    if root is not None:
        base = root.resolve()
        if real != base and base not in real.parents:
            raise SourceError(
                f"is a symbolic link to {real}, outside the content folder {base}: only files inside it are "
                "read (copy the file in instead of linking to it)"
            )
    what = _kind_of(os.stat(real).st_mode)
    if what:
        raise SourceError(f"is {what}: only regular files are read (delete it or rename it)")
    return real


def read_regular(path: Path, limit: int, root: Path | None = None) -> bytes:
    """At most `limit` + 1 bytes of `path`, which must be a regular file (inside `root`, when given)."""
    real = _regular(path, root)
    # O_NONBLOCK and O_NOFOLLOW: should the file be swapped for a pipe or a link after the check, the
    # open neither waits nor follows, and fstat below sees what was really opened.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(real, flags)
    with os.fdopen(fd, "rb") as handle:
        what = _kind_of(os.fstat(fd).st_mode)
        if what:
            raise SourceError(f"is {what}: only regular files are read (delete it or rename it)")
        return handle.read(limit + 1)


def pdf_problem(path: Path, root: Path) -> str | None:
    """Why `path` cannot be published as a bulletin's PDF, or None when it can."""
    try:
        real = _regular(path, root)
        size = os.stat(real).st_size
        if size > MAX_PDF_BYTES:
            return f"is {size:,} bytes; a PDF may be at most {MAX_PDF_BYTES:,} (100 MiB)"
        head = read_regular(path, 4, root)[:5]
    except SourceError as exc:
        return exc.message
    except FileNotFoundError:
        return "does not exist"
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if not head.startswith(b"%PDF-"):
        return "is not a PDF file (it does not start with %PDF-): save the issue as PDF"
    return None


def _decode(path: Path, raw: bytes) -> str:
    if not raw.strip():
        raise SourceError("the file is empty: it needs front matter between two --- lines")
    if len(raw) > MAX_FILE_BYTES:
        raise SourceError(f"the file is too large: the limit is {MAX_FILE_BYTES:,} bytes (1 MiB)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"byte {raw[exc.start]:#04x} is not UTF-8: save the file as UTF-8 (it was probably saved as Latin-1 or Windows-1252)",
            line,
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        raise SourceError(
            f"invisible control character U+{ord(bad.group()):04X} in the text: delete it (it often comes from copy and paste)",
            line,
        )
    return text


def _too_deep(fm: str) -> tuple[int, str] | None:
    """The line and top-level field where the front matter nests deeper than MAX_NESTING, or None.

    Only the event stream is read (libyaml's parser keeps its own stack); building the values
    recurses once per level in C, which a few thousand `[` turn into a segmentation fault.
    """
    loader = _Loader(fm)
    depth, key, at_key = 0, "", True
    try:
        while (event := loader.get_event()) is not None:
            if depth == 1 and isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.AliasEvent)):
                # In the top mapping, events alternate: a field name, then its value.
                if at_key:
                    key = event.value if isinstance(event, yaml.ScalarEvent) else ""
                at_key = not at_key
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    return (event.start_mark.line + 1 if event.start_mark else 1), key
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # the full parse below reports it
    finally:
        loader.dispose()
    return None


def _walk(value: Any) -> Iterator[str]:
    """Every text inside a parsed value, keys of groups included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(key)
            yield from _walk(item)


def _check_values(data: dict[str, Any], lines: dict[str, int]) -> None:
    """What YAML escapes can smuggle past the check of the raw text: control, surrogate and bidi characters."""
    for key, value in data.items():
        for text in _walk(value):
            bad = _BAD_IN_VALUE.search(text)
            if bad:
                code = ord(bad.group())
                name = unicodedata.name(bad.group(), "a control character") if code >= 0x202A else ""
                what = f"U+{code:04X}" + (f" ({name})" if name else "")
                raise SourceError(
                    f"the value holds the invisible character {what} (written as a YAML escape such as \\0 or "
                    "\\e, or pasted in): remove it",
                    lines.get(key),
                    key,
                )


def read_source(path: Path, root: Path | None = None) -> Source:
    """Read and parse one content file, or raise SourceError saying what is wrong and where.

    With `root`, a file that is (or lies behind) a symbolic link leading out of `root` is refused.
    """
    return parse_source(path, read_regular(path, MAX_FILE_BYTES, root))


def parse_source(path: Path, raw: bytes) -> Source:
    """Parse the bytes of a content file named `path`; SourceError saying what is wrong and where."""
    text = _decode(path, raw)
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        raise SourceError("the file must start with front matter: a line ---, the fields, and another line ---", 1)
    try:
        fm, body = handler.split(text)
    except ValueError:
        raise SourceError(
            "the front matter opened with --- on line 1 is never closed: add a line --- after the last field", 1
        ) from None
    body_line = text[: len(text) - len(body)].count("\n") + 1
    deep = _too_deep(fm)
    if deep is not None:
        raise SourceError(
            f"lists or groups nest more than {MAX_NESTING} levels deep here: write plain values", deep[0], deep[1]
        )
    loader = _Loader(fm)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SourceError("the front matter is empty", 2)
        _refuse_aliases(node)
        if not isinstance(node, MappingNode):
            raise SourceError("the front matter must be a set of `field: value` lines, not a list or a single value", 2)
        lines: dict[str, int] = {}
        scalars: dict[str, Scalar | list[Scalar | None]] = {}
        lost: dict[str, str] = {}
        fm_lines = fm.split("\n")
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is None:
                continue
            lines.setdefault(key, key_node.start_mark.line + 1)
            if isinstance(value_node, ScalarNode):
                scalars[key] = _scalar(value_node)
                if not value_node.style and value_node.value:
                    end = value_node.end_mark
                    rest = fm_lines[end.line][end.column :] if end.line < len(fm_lines) else ""
                    if "#" in rest:
                        lost[key] = rest.strip().lstrip("#").strip()
            elif isinstance(value_node, SequenceNode):
                scalars[key] = [_scalar(item) if isinstance(item, ScalarNode) else None for item in value_node.value]
        data = loader.construct_document(node)
        _check_values(data, lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or "it is not valid YAML"
        if exc.problem and "could not determine a constructor" in exc.problem:
            what = "YAML tags such as !!python/object are not allowed: write plain values"
        raise SourceError(f"the front matter is not valid YAML: {what}", line) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"the front matter is not valid YAML: {exc}") from None
    except RecursionError:
        raise SourceError(f"the front matter nests more than {MAX_NESTING} levels deep: write plain fields") from None
    finally:
        loader.dispose()
    return Source(path, data, body, body_line, lines, scalars, lost)


def parse_yaml(text: str) -> tuple[Node | None, Any]:
    """Parse a whole YAML file (not front matter) with the same safe loader: its root node, for the line of
    each value, and its data. SourceError on anything refused (tags, aliases, duplicate keys, bad YAML)."""
    bad = _CONTROL.search(text)
    if bad:
        raise SourceError("a control character: retype the line", text[: bad.start()].count("\n") + 1)
    deep = _too_deep(text)
    if deep is not None:
        raise SourceError(f"lists or groups nest more than {MAX_NESTING} levels deep: write plain values", deep[0])
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _refuse_aliases(node)
        return node, loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "it is not valid YAML"
        if exc.problem and "could not determine a constructor" in exc.problem:
            what = "YAML tags such as !!python/object are not allowed: write plain values"
        raise SourceError(f"not valid YAML: {what}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise SourceError(f"lists or groups nest more than {MAX_NESTING} levels deep: write plain values") from None
    finally:
        loader.dispose()
