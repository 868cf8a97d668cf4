"""Shared fixtures: the tiny valid fixture site and paths to the real project."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixture_content(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture site's content folder."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "site" / "content", target)
    return target


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real archive built once per test session (per xdist worker) with `build.py build --strict`."""
    out = tmp_path_factory.mktemp("real") / "site"
    result = subprocess.run(
        [sys.executable, "build.py", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out.resolve()
