"""Shared fixtures: the tiny valid fixture site and paths to the real project."""

from __future__ import annotations

import shutil
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
