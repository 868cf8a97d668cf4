"""Loading `content/`: every file read, validated and turned into a model, every problem collected.

`load_content` never raises for anything an editor can get wrong: it returns the
entries it could build and the problems it found, across all files at once.
"""

from __future__ import annotations

import difflib
import functools
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from timsite.content.body import body_problems
from timsite.content.model import (
    INTERNAL_FIELDS,
    MODELS,
    Bulletin,
    Entry,
    Meeting,
    Publication,
    Series,
    front_matter_fields,
)
from timsite.content.problems import Problem, Severity, display_path
from timsite.content.source import Scalar, Source, SourceError, read_source
from timsite.content.todos import to_do_problems

_TYPE_WORDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a decimal number",
    "bool": "true or false",
    "list": "a list",
    "dict": "a group of fields",
    "NoneType": "nothing",
}


@dataclass
class Loaded:
    """What `content/` holds: entries by kind, in file-name order, plus every problem found."""

    bulletins: list[Bulletin] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    publications: list[Publication] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    if value is None:
        return "nothing"
    return repr(value) if isinstance(value, str) else str(value)


def _expects(annotation: Any) -> set[str]:
    """Python type names a field accepts at its top level (list items not included)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _expects(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_expects(a) for a in typing.get_args(annotation)))
    if origin is list:
        return {"list"}
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return {"str"}
        return {annotation.__name__}
    return {"str"}


def _list_item_type(annotation: Any) -> set[str]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _list_item_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_list_item_type(a) for a in typing.get_args(annotation)))
    if origin is list:
        return _expects(typing.get_args(annotation)[0])
    return set()


def _yaml_surprise(name: str, scalar: Scalar, wanted: set[str]) -> str | None:
    """A plain YAML value read as another type than the field wants, explained with the fix."""
    if not scalar.plain or scalar.yaml_type == "str":
        return None
    if scalar.yaml_type in ("int", "float") and ":" in scalar.text:
        return (
            f'"{scalar.text}" is read by YAML as a base-60 number: write a date such as 2002-02-26 or put it in quotes'
        )
    if scalar.yaml_type == "int" and "int" in wanted:
        digits = scalar.text.lstrip("+-")
        if digits.startswith("0") and digits != "0":
            return (
                f"{scalar.text} starts with 0, which YAML reads as an octal number: "
                f"write it without the leading zero ({digits.lstrip('0') or '0'})"
            )
        return None
    if scalar.yaml_type in wanted or "str" not in wanted:
        return None
    read_as = {"bool": "true/false", "int": "a number", "float": "a number", "null": "empty"}.get(
        scalar.yaml_type, scalar.yaml_type
    )
    return f'expected text, but YAML read {scalar.text} as {read_as}: put it in quotes, {name}: "{scalar.text}"'


@functools.cache
def _wanted(model: type[Entry]) -> dict[str, tuple[set[str], set[str]]]:
    """Per field of `model`: the type names it accepts, and those its list items accept."""
    return {
        name: (_expects(field.annotation), _list_item_type(field.annotation))
        for name, field in front_matter_fields(model).items()
    }


def _pre_check(model: type[Entry], source: Source, show: str) -> list[Problem]:
    """Problems pydantic would report in programmer's words, or would not see at all."""
    problems: list[Problem] = []
    fields = _wanted(model)
    for name, scalar in source.scalars.items():
        if name not in fields:
            continue
        if isinstance(scalar, Scalar):
            message = _yaml_surprise(name, scalar, fields[name][0])
            if message:
                problems.append(Problem(show, scalar.line, name, message))
        else:
            wanted = fields[name][1]
            for item in scalar:
                item_message = _yaml_surprise("-", item, wanted) if item else None
                if item_message and item:
                    problems.append(Problem(show, item.line, name, item_message))
    for name, comment in source.comments_lost.items():
        if name in fields and fields[name][0] & {"str"}:
            problems.append(
                Problem(
                    show,
                    source.lines.get(name),
                    name,
                    f'the text after "#" ({comment}) was dropped: YAML treats " #" as the start of a comment. '
                    f"If it belongs to the value, put the whole value in quotes",
                    Severity.WARNING,
                )
            )
    return problems


def _message(error: Mapping[str, Any], model: type[Entry], name: str) -> str:
    kind = error["type"]
    value = error.get("input")
    fields = front_matter_fields(model)
    info = fields.get(name)
    described = f" ({info.description})" if info is not None and info.description else ""
    if kind == "missing":
        return f"this field is required{described}"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(name, list(fields), n=1)
        hint = f'did you mean "{close[0]}"?' if close else "allowed fields are: " + ", ".join(sorted(fields))
        return f"unknown field: {hint}"
    if kind == "enum":
        allowed = error.get("ctx", {}).get("expected", "")
        close = difflib.get_close_matches(
            str(value), [a.strip(" '") for a in allowed.replace(" or ", ", ").split(",")], n=1
        )
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        return f"expected one of: {allowed}, but received: {_describe(value)}{hint}"
    if kind.endswith("_type") or kind in ("int_from_float", "bool_parsing", "int_parsing"):
        wanted = _TYPE_WORDS.get(kind.removesuffix("_type").removesuffix("_parsing"), kind.removesuffix("_type"))
        if kind == "list_type":
            return f"expected a list (one `- item` line per entry, or [a, b]), but received {_describe(value)}"
        if kind in ("model_type", "dataclass_type", "is_instance_of"):
            wanted = "a value of the right kind"
        return f"expected {wanted}{described}, but received {_describe(value)}"
    if kind in ("greater_than", "greater_than_equal", "less_than_equal", "less_than"):
        return f"{_describe(value)} is out of range: {error['msg'].lower().removeprefix('input should be ')}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return f"{error['msg']} (received {_describe(value)})"


def build_entry(model: type[Entry], source: Source, show: str) -> tuple[Entry | None, list[Problem]]:
    """The one way in: front-matter data of one file to a model object, or the problems."""
    problems = _pre_check(model, source, show) + body_problems(source.body, source.body_line, show)
    problems += to_do_problems(source.body, source.body_line, show)
    flagged = {p.field for p in problems if p.severity is Severity.ERROR}
    data = {k: v for k, v in source.data.items() if k not in flagged}
    reserved = set(INTERNAL_FIELDS) & set(data)
    for name in sorted(reserved):
        problems.append(Problem(show, source.lines.get(name), name, "this name is reserved: remove the field"))
        del data[name]
    # An explicitly empty optional field (`summary:`) means "not given".
    data = {k: v for k, v in data.items() if v is not None}
    try:
        entry = model(path=source.path, body=source.body, lines=source.lines, **data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = error["loc"]
            name = str(loc[0]) if loc else ""
            if name in flagged:
                continue
            suffix = f" (item {loc[1] + 1})" if len(loc) > 1 and isinstance(loc[1], int) else ""
            problems.append(Problem(show, source.lines.get(name), name, _message(error, model, name) + suffix))
        return None, problems
    if problems and any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    return entry, problems


def content_files(root: Path) -> Iterable[tuple[str, Path]]:
    """(kind folder, file) for every Markdown file under the content folders, sorted.

    Names starting with a dot are skipped, files and folders alike: editors' lock files (`.#x.md`),
    macOS resource forks (`._x.md`) and hidden files are never content.
    """
    for folder in MODELS:
        directory = root / folder
        if directory.is_dir():
            for path in sorted(directory.rglob("*.md")):
                if not any(part.startswith(".") for part in path.relative_to(directory).parts):
                    yield folder, path


def _load_file(item: tuple[str, Path]) -> tuple[str, Entry | None, list[Problem]]:
    folder, path = item
    show = display_path(path)
    # The content folder is the parent of the kind folder the file was listed under.
    root = next((p.parent for p in path.parents if p.name == folder), path.parent)
    try:
        source = read_source(path, root)
    except SourceError as exc:
        return folder, None, [Problem(show, exc.line, exc.field, exc.message)]
    except OSError as exc:
        return folder, None, [Problem(show, None, "", f"cannot be read: {exc.strerror}")]
    entry, problems = build_entry(MODELS[folder], source, show)
    return folder, entry, problems


_READ: dict[Path, tuple[tuple[int, int], tuple[str, Entry | None, list[Problem]]]] = {}
"""Each file's result by its modification time and size: a process checking again (the preview after a save)
reads and checks only the files that changed; the cross-file rules then run on the whole archive."""


def _load_file_once(item: tuple[str, Path]) -> tuple[str, Entry | None, list[Problem]]:
    folder, path = item
    try:
        stat = path.stat()
    except OSError:
        return _load_file(item)
    stamp = (stat.st_mtime_ns, stat.st_size)
    kept = _READ.get(path)
    if kept is not None and kept[0] == stamp and kept[1][0] == folder:
        return kept[1][0], kept[1][1], list(kept[1][2])
    result = _load_file(item)
    _READ[path] = (stamp, result)
    return result[0], result[1], list(result[2])


_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


def _ignored_files(root: Path) -> list[Problem]:
    """Markdown files an editor may think are content but that are never read: beside the content folders,
    or named `.MD`, `.markdown`... Each is a warning, so that nothing is left out without a word."""
    found = []
    for path in sorted(root.iterdir()):
        if path.is_file() and path.suffix.lower() in _MARKDOWN_SUFFIXES and not path.name.startswith("."):
            where = ", ".join(f"{kind}/" for kind in MODELS)
            found.append((path, f"this file is not read: content files go in one of {where}"))
    for folder in MODELS:
        directory = root / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.rglob("*")):
            hidden = any(part.startswith(".") for part in path.relative_to(directory).parts)
            if not hidden and path.suffix.lower() in _MARKDOWN_SUFFIXES and path.suffix != ".md":
                found.append(
                    (path, f'this file is not read: content files end in ".md" (lower case), not "{path.suffix}"')
                )
    return [Problem(display_path(path), None, "", message, Severity.WARNING) for path, message in found]


def load_content(root: Path) -> Loaded:
    """Read every content file under `root`; collect entries and problems."""
    loaded = Loaded()
    if not root.is_dir():
        loaded.problems.append(Problem(str(root), None, "", "the content folder does not exist"))
        return loaded
    files = list(content_files(root))
    results = [_load_file_once(f) for f in files]
    listed = {path for _, path in files}
    for gone in [p for p in _READ if p not in listed and root in p.parents]:
        del _READ[gone]  # deleted or renamed
    for folder, entry, problems in results:
        loaded.problems.extend(problems)
        if entry is not None:
            getattr(loaded, folder).append(entry)
    loaded.problems.extend(_ignored_files(root))
    for stray in sorted(root.iterdir()):
        if stray.is_dir() and stray.name not in MODELS and not stray.name.startswith("."):
            loaded.problems.append(
                Problem(
                    display_path(stray),
                    None,
                    "",
                    f"unknown content folder: content goes in {', '.join(MODELS)}",
                    Severity.WARNING,
                )
            )
    return loaded
