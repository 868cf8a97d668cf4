"""The engine: ProperDocs drives build.py's builds, behind one module; `mkdocs build` still gives the same site."""

from __future__ import annotations

import ast
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
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
        if any(name.split(".")[0] in {"mkdocs", "material", "properdocs"} for name in _imported_modules(path))
    }
    # choose.py only installs ProperDocs' import hook; every use of the engine's API is in the plugin.
    assert importers == {"timsite/engine/plugin.py", "timsite/engine/choose.py"}, (
        "MkDocs imports belong in timsite/engine/plugin.py only"
    )


def test_build_py_drives_properdocs(real_site: Path) -> None:
    """Every page build.py writes names ProperDocs as the engine (Material prints the engine in this tag)."""
    generators = {m.group(0) for p in real_site.rglob("*.html") if (m := GENERATOR.search(p.read_bytes()))}
    assert len(generators) == 1 and b"ProperDocs 1.6." in next(iter(generators)), generators


def test_mkdocs_serve_typed_by_hand_still_serves_the_site(fixture_content: Path) -> None:
    """`mkdocs serve` (MkDocs itself, not ProperDocs) loads the plugin and serves the generated pages."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {**os.environ, "TIMSITE_CONTENT_DIR": str(fixture_content), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", "mkdocs.yml", "--dev-addr", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, page = time.monotonic() + 120, b""
        while b"Fixture Report" not in page and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/publications/fixture-report/", timeout=5) as r:
                    page = r.read()
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        assert b"Fixture Report" in page
        generator = GENERATOR.search(page)
        assert generator is not None and b"mkdocs-1.6.1" in generator.group(0)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


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


def test_mkdocs_builds_the_same_pages(real_site: Path, tmp_path: Path) -> None:
    """`mkdocs build` typed by hand, with our mkdocs.yml, plugin and Material, gives the site build.py gives (on
    ProperDocs), file by file."""
    out = tmp_path / "mkdocs-site"
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
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.yml", "-d", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ours, theirs = _tree(real_site), _tree(out)
    assert sorted(ours.keys() - theirs.keys()) == [], "only ProperDocs (build.py) wrote these"
    assert sorted(theirs.keys() - ours.keys()) == [], "only MkDocs wrote these"
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
