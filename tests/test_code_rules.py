"""Rules the package's code keeps everywhere, read from its syntax tree."""

from __future__ import annotations

import ast

from .conftest import ROOT


def asserts(source: str, filename: str) -> list[str]:
    """Every `assert` statement: `python -O` removes them, so a check of input or of a protocol must raise."""
    return [f"{filename}:{n.lineno}" for n in ast.walk(ast.parse(source, filename)) if isinstance(n, ast.Assert)]


def test_the_finder_finds_asserts() -> None:
    assert asserts("def f(x):\n    assert x\n", "f.py") == ["f.py:2"]
    assert asserts("def f(x):\n    if not x:\n        raise ValueError(x)\n", "f.py") == []


def test_no_assert_in_the_package() -> None:
    found = []
    for path in sorted((ROOT / "timsite").rglob("*.py")):
        found += asserts(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    assert found == [], "raise an exception instead (an assert vanishes under python -O):\n" + "\n".join(found)
