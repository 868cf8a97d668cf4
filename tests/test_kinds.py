"""The entry-kind registry: every kind fills every row, and no code outside it branches on an entry's kind."""

from __future__ import annotations

import ast
import dataclasses
from datetime import date

import pytest

from timsite import kinds
from timsite.content.archive import Archive
from timsite.content.checked import load_archive
from timsite.content.model import MODELS
from timsite.outputs.export.record import Record
from timsite.outputs.search_records import SearchData
from timsite.site.page import Context

from .conftest import FIXTURES, ROOT

SITE = "https://example.org/tim/"
OPTIONAL = {
    "feed": "the kind is in no feed",
    "record": "the kind is not citable",
    "library": "the kind has no library records (MARC 21, MODS, Dublin Core)",
    "edition": "the kind gets no PDF edition",
    "how_to_cite": '"How to cite" formats its citation record',
}
"""The columns a row may leave empty, and what an empty one means."""
MODEL_NAMES = {kind.model.__name__ for kind in kinds.KINDS}


@pytest.fixture(scope="module")
def archive() -> Archive:
    archive, _ = load_archive(FIXTURES / "site" / "content")
    return archive.visible(date(2026, 1, 1))


def test_the_registry_has_one_row_per_model_in_the_content_layer() -> None:
    assert [kind.model for kind in kinds.KINDS] == list(MODELS.values())
    assert [kind.folder for kind in kinds.KINDS] == list(MODELS)
    assert len({kind.name for kind in kinds.KINDS}) == len(kinds.KINDS)


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda k: k.name)
def test_every_kind_fills_every_row(kind: kinds.Kind, archive: Archive) -> None:  # type: ignore[type-arg]
    for column in dataclasses.fields(kind):
        if column.name not in OPTIONAL:
            assert getattr(kind, column.name) is not None, f"{kind.name}: {column.name} is empty"
    assert (ROOT / "timsite" / "templates" / kind.template).is_file()
    entries = kind.entries(archive)
    assert entries, f"the fixture site has no {kind.name}: the rows below would go untested"
    entry = entries[0]
    assert kinds.of(entry) is kind
    page = kind.page(Context(archive), entry)
    assert (page.src, page.entry, page.extra["kind"]) == (f"{kind.folder}/{entry.key}.md", entry, kind.name)
    assert page.meta["template"] == "entry.html" and page.markdown.strip()
    assert kind.url(entry) == f"{kind.folder}/{entry.key}/"
    search = kind.search(entry, archive)
    assert isinstance(search, SearchData) and search.kind
    record = kind.record(entry, SITE, archive) if kind.record else None
    assert record is None or (isinstance(record, Record) and record.title)
    library = kind.library(entry, SITE, archive) if kind.library else None
    assert library is None or (isinstance(library, Record) and library.title and library.url == SITE + kind.url(entry))
    assert record is None or library == record  # a citable kind's library record is its citation record
    head = kind.head(entry, record, archive, SITE + kind.url(entry), SITE)
    assert set(head) == {"citation", "og", "jsonld"} and head["og"]["og:url"] == SITE + kind.url(entry)
    assert bool(head["citation"]) == (kind.record is not None)
    if kind.feed is not None:
        summary = kind.feed.summary(entry)
        assert summary.endswith(".") and len(summary) > 1
        assert kind.feed.label and kind.feed.description
    assert kind.cite_name(entry)
    if kind.edition is not None:
        # A page body as an issue's or a publication's page has it (the full text under its own heading).
        body = "<h2 id='full-text'>Full text</h2><h2 id='a'>A</h2><p>Text.</p>"
        edition = kind.edition.make(entry, body, SITE + kind.url(entry))
        assert edition["title"] and edition["lang"] == entry.language
        assert [n["id"] for n in edition["body"] if n["t"] == "h"][-1] == "a"
        assert kind.edition_path(entry) == f"{kind.url(entry)}{kind.cite_name(entry)}.pdf"


@pytest.mark.parametrize("column", sorted(OPTIONAL))
def test_each_optional_column_is_used_and_left_empty_somewhere(column: str) -> None:
    filled = {kind.name for kind in kinds.KINDS if getattr(kind, column) is not None}
    assert filled and filled != {kind.name for kind in kinds.KINDS}


# --- no ladder: nothing outside the registry branches on an entry's kind ---
KIND_ATTRIBUTES = {"kind", "folder"}
KIND_WORDS = {kind.name for kind in kinds.KINDS} | {kind.folder for kind in kinds.KINDS}
"""What an entry's `kind` or `folder` can be: comparing one with these is branching on an entry's kind."""
OWN_KINDS = {
    "timsite/importer/run.py": "an imported article's `kind` is the section of the printed issue it came from "
    "(meetings, publications), read from text before any entry exists",
}
"""Modules whose comparisons of a `kind` are about something else than an entry, and why. Only comparisons:
an isinstance ladder on a kind's class is found everywhere."""


def _names(node: ast.AST) -> set[str]:
    """The class names an expression mentions (`Bulletin`, `model.Bulletin`, a tuple of them)."""
    found = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            found.add(sub.attr)
    return found


def _is_kind_value(node: ast.AST) -> bool:
    """`x.kind`, `x.folder`, `x["kind"]`, `getattr(x, "kind")` or `type(x)`."""
    if isinstance(node, ast.Attribute) and node.attr in KIND_ATTRIBUTES:
        return True
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return node.slice.value in KIND_ATTRIBUTES
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id == "type" and len(node.args) == 1:
            return True
        if node.func.id == "getattr" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
            return node.args[1].value in KIND_ATTRIBUTES
    return False


def _is_kind_word(node: ast.AST) -> bool:
    """A constant naming an entry kind or folder ("bulletin", ("meetings", ...)), or `Model.kind`."""
    if isinstance(node, ast.Constant):
        return node.value in KIND_WORDS
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_kind_word(e) for e in node.elts)
    return isinstance(node, ast.Attribute) and node.attr in KIND_ATTRIBUTES and _names(node.value) <= MODEL_NAMES


def _compares_kinds(operands: list[ast.expr]) -> bool:
    """A comparison of types, or of a kind or folder with a kind's name (other things have kinds of their own:
    a paragraph's, a feed's scope)."""
    if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "type" for n in operands):
        return True
    return any(_is_kind_value(n) for n in operands) and any(_is_kind_word(n) for n in operands)


def ladders(source: str, filename: str) -> list[str]:
    """Every place `source` branches on an entry's kind: isinstance/issubclass on a kind's class, a comparison
    of a kind, a folder or a type, a `match` on either, or a dict keyed by kinds (a ladder written as a table)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', 0)}"
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("isinstance", "issubclass")
        ):
            if len(node.args) == 2 and _names(node.args[1]) & MODEL_NAMES:
                found.append(f"{where}: {node.func.id} on {sorted(_names(node.args[1]) & MODEL_NAMES)}")
        elif isinstance(node, ast.Compare) and _compares_kinds([node.left, *node.comparators]):
            found.append(f"{where}: compares a kind, a folder or a type")
        elif isinstance(node, ast.Match):
            patterns = [case.pattern for case in node.cases]
            classes = {n.cls for p in patterns for n in ast.walk(p) if isinstance(n, ast.MatchClass)}
            values = [n for p in patterns for n in ast.walk(p) if isinstance(n, ast.MatchValue)]
            by_word = _is_kind_value(node.subject) and any(_is_kind_word(v.value) for v in values)
            if by_word or any(_names(c) & MODEL_NAMES for c in classes):
                found.append(f"{where}: match on a kind")
        elif isinstance(node, ast.Dict) and any(
            k is not None and (_is_kind_value(k) or (isinstance(k, ast.Name) and k.id in MODEL_NAMES))
            for k in node.keys
        ):
            found.append(f"{where}: a dict keyed by kinds")
    return found


def test_the_ladder_finder_finds_every_form_of_ladder() -> None:
    bad = {
        "isinstance(entry, Bulletin)": 1,
        "isinstance(entry, (model.Meeting, Publication))": 1,
        "type(entry) is Series": 1,
        "entry.kind == 'bulletin'": 1,
        "entry.folder in ('bulletins',)": 1,
        "row['kind'] != 'meeting'": 1,
        "entry.kind == Bulletin.kind": 1,
        "kind = 'x' if entry.folder != 'series' else 'y'": 1,
        "getattr(entry, 'kind') == 'meeting'": 1,
        "match entry:\n    case Bulletin():\n        pass": 1,
        "match entry.kind:\n    case 'bulletin':\n        pass": 1,
        "X = {Bulletin.kind: 1, Meeting.kind: 2}": 1,
        "X = {Bulletin: 1}": 1,
        # Not ladders: reading a kind, or isinstance on something else.
        "guid = f'{entry.kind}/{entry.key}'": 0,
        "isinstance(value, str)": 0,
        "para.kind == 'list'": 0,
        "feed.scope == 'tag'": 0,
    }
    for source, count in bad.items():
        assert len(ladders(source, "example.py")) == count, source


def test_no_code_outside_the_registry_branches_on_an_entry_kind() -> None:
    registry = ROOT / "timsite" / "kinds.py"
    found = []
    for path in sorted((ROOT / "timsite").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if path != registry:
            found += [f for f in ladders(path.read_text(encoding="utf-8"), name) if not _allowed(name, f)]
    assert found == [], "ask the entry-kind registry (timsite.kinds) instead:\n" + "\n".join(found)


def _allowed(name: str, finding: str) -> bool:
    return name in OWN_KINDS and finding.endswith("compares a kind, a folder or a type")


@pytest.mark.parametrize("name", sorted(OWN_KINDS))
def test_each_allowance_is_still_needed(name: str) -> None:
    assert ladders((ROOT / name).read_text(encoding="utf-8"), name), f"{name} no longer needs its allowance"


def test_the_theme_has_one_template_for_every_entry() -> None:
    theme = ROOT / "theme"
    assert (theme / "entry.html").is_file()
    assert not [p.name for p in theme.glob("*.html") if p.stem in {kind.name for kind in kinds.KINDS}]
