"""The way off MkDocs: MkDocs stays behind one module, never 2.x, and ProperDocs builds the same site."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from timsite.engine.cli import source_date_epoch

from .conftest import ROOT

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
"""The one tag allowed to differ: Material prints the engine's name and version in it."""


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_only_the_plugin_imports_mkdocs() -> None:
    sources = [ROOT / "build.py", *(ROOT / "timsite").rglob("*.py"), *(ROOT / "tools").rglob("*.py")]
    importers = {
        path.relative_to(ROOT).as_posix()
        for path in sources
        if any(name.split(".")[0] in {"mkdocs", "material"} for name in _imported_modules(path))
    }
    assert importers == {"timsite/engine/plugin.py"}, "MkDocs imports belong in timsite/engine/plugin.py only"


def test_no_dependency_resolves_mkdocs_2() -> None:
    """MkDocs 2 drops plugins and mkdocs.yml: the installed MkDocs and every requirement on it stay on 1.x."""
    installed = Version(metadata.version("mkdocs"))
    assert installed.major < 2, f"mkdocs {installed} is installed; this site needs MkDocs 1.x (see docs/platform.md)"
    wanted = []
    for dist in metadata.distributions():
        for text in dist.requires or []:
            requirement = Requirement(text)
            if canonicalize_name(requirement.name) != "mkdocs":
                continue
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            wanted.append(dist.metadata["Name"])
            assert requirement.specifier.contains(installed, prereleases=True), (
                f"{dist.metadata['Name']} requires {requirement}, which the installed mkdocs {installed} does not meet"
            )
    # Our own pin and Material's requirement are both read; a guard that saw no requirement would guard nothing.
    assert {"timsite", "mkdocs-material"} <= {canonicalize_name(name) for name in wanted}


def _tree(root: Path) -> dict[str, Path]:
    return {path.relative_to(root).as_posix(): path for path in sorted(root.rglob("*")) if path.is_file()}


def test_properdocs_builds_the_same_pages(real_site: Path, tmp_path: Path) -> None:
    """`properdocs build` with our mkdocs.yml, plugin and Material gives the site build.py gives, file by file."""
    out = tmp_path / "properdocs-site"
    content = ROOT / "content"
    env = {
        **os.environ,
        # What build.py sets for the MkDocs build of `real_site`.
        "SOURCE_DATE_EPOCH": source_date_epoch(ROOT, content),
        "TIMSITE_CONTENT_DIR": str(content),
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
    }
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-q", "-f", "mkdocs.yml", "-d", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ours, theirs = _tree(real_site), _tree(out)
    assert sorted(ours.keys() - theirs.keys()) == [], "only MkDocs wrote these"
    assert sorted(theirs.keys() - ours.keys()) == [], "only ProperDocs wrote these"
    differ, generators = [], 0
    for name, path in ours.items():
        a, b = path.read_bytes(), theirs[name].read_bytes()
        if a == b:
            continue
        if name.endswith(".html") and GENERATOR.sub(b"", a) == GENERATOR.sub(b"", b):
            generators += 1
            continue
        differ.append(name)
    assert differ == [], f"{len(differ)} files differ beyond the generator tag, e.g. {differ[:5]}"
    # The expected difference is real (Material names the engine), so the comparison did see two engines.
    assert generators > 0
