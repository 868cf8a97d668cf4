"""The import graph of timsite: no circle, and no step of the build imports a later one (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "timsite"
STEPS = {
    "timsite.processes": 0,
    "timsite.content": 0,
    "timsite.site": 1,
    "timsite.outputs": 1,
    "timsite.kinds": 1,
    "timsite.importer": 2,
    "timsite.engine": 3,
    "timsite.plugin": 4,
}
"""Each part of the tree and its step: read, model and check (0); pages and outputs, and the registry that ties
them (1); the importer beside the build (2); the MkDocs engine and publishing (3); the plugin's old import
path (4). A module may import its own step and earlier ones only."""


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The timsite modules `name` imports, anywhere in it (functions included): a late import is an import."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _step(name: str) -> int | None:
    for part, step in STEPS.items():
        if name == part or name.startswith(part + "."):
            return step
    return None


def test_every_module_belongs_to_a_step() -> None:
    assert [name for name in MODULES if name != "timsite" and _step(name) is None] == []


def test_no_step_imports_a_later_one() -> None:
    upward = [
        f"{name} (step {_step(name)}) imports {target} (step {_step(target)})"
        for name, targets in GRAPH.items()
        for target in sorted(targets)
        if name != "timsite" and (_step(target) or 0) > (_step(name) or 0)
    ]
    assert upward == [], "\n".join(upward)


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of `graph` (its strongly connected parts of more than one module, or a module
    importing itself), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            part = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                part.append(member)
                if member == node:
                    break
            if len(part) > 1 or node in graph.get(node, ()):
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_circle_finder_finds_circles() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"a"}}) == [["a"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_has_no_circle() -> None:
    assert circles(GRAPH) == []


def test_the_graph_is_read_from_the_code() -> None:
    # The graph the tests above judge is the real one: the plugin reaches the registry, the registry the model.
    assert "timsite.kinds" in GRAPH["timsite.site.pages"]
    assert "timsite.content.model" in GRAPH["timsite.kinds"]
    assert "timsite.engine.background" in GRAPH["timsite.engine.side_work"]
