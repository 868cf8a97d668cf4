"""A newcomer's first commands, run in a fresh `git clone` of this repository.

- `make site` in a fresh clone builds the site and leaves `git status --porcelain` empty: everything the
  build writes (the site link, its releases, its lock) is ignored, so `git add -A` never commits it. The
  clone reuses this checkout's virtualenv through the Makefile's VENV variable (nothing is reinstalled).
- `make site` says only what the build says: the installer is not run, and no setuptools or pip noise.
- Without Python's `ensurepip` (Debian ships it in `python3-venv`), `make` says what to install, and
  creates nothing.

Only committed files are cloned: the test checks HEAD, as CI does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .browser import missing
from .conftest import ROOT

VENV = Path(sys.prefix)


def tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        missing(name, f"apt-get install {name}")
    return found


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    git = tool("git")
    if run([git, "rev-parse", "--git-dir"], ROOT).returncode != 0:
        missing("a git checkout of the project", "run the tests from a git clone")
    target = tmp_path_factory.mktemp("clone") / "timsite"
    result = run([git, "clone", "--quiet", "--no-hardlinks", str(ROOT), str(target)], ROOT)
    assert result.returncode == 0, result.stderr
    return target


def status(clone: Path) -> list[str]:
    result = run(["git", "status", "--porcelain", "--untracked-files=all"], clone)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_make_site_in_a_fresh_clone_leaves_git_status_clean(clone: Path) -> None:
    make = tool("make")
    assert status(clone) == [], "a fresh clone is not clean before anything runs"
    # -o: this virtualenv is set up already; the clone's files are newer than its stamp, so make would redo it.
    stamp = VENV / ".installed"
    result = run([make, "site", f"VENV={VENV}", "-o", str(stamp)], clone)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert (clone / "site" / "index.html").is_file(), output
    assert (clone / "site" / "bulletins" / "index.html").is_file(), output
    left = status(clone)
    assert left == [], "make site left files that git would commit (add them to .gitignore):\n  " + "\n  ".join(left)
    # The build's own messages only: its summary and the content warnings, no installer or setuptools noise.
    assert "published " in output and "0 errors" in output, output
    noise = [
        line
        for line in output.splitlines()
        if any(word in line for word in ("pip ", "setuptools", "Requirement already", "Package would be ignored"))
    ]
    assert noise == [], "make site printed installer output:\n" + "\n".join(noise)


def test_make_explains_a_missing_ensurepip(clone: Path, tmp_path: Path) -> None:
    """Debian's python3 without python3-venv has no ensurepip: make must say what to install."""
    make = tool("make")
    # A module earlier on the path than the standard library hides it, as on a Debian machine without it.
    shadow = tmp_path / "shadow" / "ensurepip"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text('raise ImportError("ensurepip is not installed (test)")\n')
    env = {**os.environ, "PYTHONPATH": str(shadow.parent)}
    venv = tmp_path / "venv"
    result = run([make, "setup", f"VENV={venv}", f"PYTHON={sys.executable}"], clone, env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "python3-venv" in output and "apt-get install" in output, output
    assert "Traceback" not in output, output
    assert not venv.exists(), "make created a virtualenv although ensurepip is missing"
