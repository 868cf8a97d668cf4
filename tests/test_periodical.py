"""The periodical's identity has one home: `timsite/content/periodical.py`."""

from __future__ import annotations

import ast
from pathlib import Path

from timsite import kinds
from timsite.content import periodical
from timsite.content.model import MODELS, Bulletin, Meeting, Publication, Series

from .conftest import ROOT

HOME = "timsite/content/periodical.py"


def _strings(path: Path) -> list[str]:
    """Every string literal in a module except docstrings (which may name the periodical in prose)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


def test_publisher_place_and_domain_are_written_once() -> None:
    found = []
    for path in sorted((ROOT / "timsite").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name == HOME:
            continue
        for text in _strings(path):
            for value in (periodical.PUBLISHER, periodical.DOMAIN, f"{periodical.NAME} N°"):
                if value in text:
                    found.append(f"{name}: {text!r}")
    for path in sorted((ROOT / "timsite" / "templates").rglob("*.j2")):
        text = path.read_text(encoding="utf-8")
        if periodical.PUBLISHER in text or periodical.NAME in text:
            found.append(path.relative_to(ROOT).as_posix())
    assert found == [], "write these through timsite.content.periodical"


def test_each_kind_names_its_folder_once() -> None:
    assert {"bulletins": Bulletin, "meetings": Meeting, "publications": Publication, "series": Series} == MODELS
    assert [m.kind for m in MODELS.values()] == ["bulletin", "meeting", "publication", "series"]
    assert {k.model for k in kinds.KINDS if k.record} == {Bulletin, Publication}
    for folder in MODELS:
        assert (ROOT / "content" / folder).is_dir()
