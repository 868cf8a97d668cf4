"""Shared fixtures: the tiny valid fixture site, paths to the real project, and sites built once per session."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import settings

# Locally every run tries new examples; CI tries the same ones each time, so a merge is judged on the code
# and not on a draw (what a local run finds is kept as an @example in the test).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def ctrl_c_delivered() -> None:
    """For a child process that must stop on Ctrl-C: a shell that starts a command in the background without job
    control makes it ignore SIGINT, its children inherit that, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # not ignored: the new program installs its own handler


@pytest.fixture
def fixture_content(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture site's content folder."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "site" / "content", target)
    return target


class Builds:
    """Sites built with `build.py` once per test run, keyed by their arguments, for tests that only read them.

    Under pytest-xdist every worker has its own session, so each would build the same sites: the sites live in
    the folder the workers share, each built by the first worker to ask under a file lock, then read by all.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def build(self, before: list[str], after: list[str]) -> Path:
        """The site `build.py BEFORE build AFTER --site-dir SITE` writes, built at the first call."""
        key = hashlib.sha256(json.dumps([before, after]).encode()).hexdigest()[:16]
        folder = self.root / key
        done = folder / "built"
        with FileLock(str(folder) + ".lock"):
            if not done.exists():
                shutil.rmtree(folder, ignore_errors=True)  # a worker stopped midway left a partial build
                folder.mkdir(parents=True)
                site = folder / "site"
                command = [sys.executable, str(ROOT / "build.py"), *before, "build", *after, "--site-dir", str(site)]
                result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
                assert result.returncode == 0, result.stdout + result.stderr
                done.write_text(" ".join(command), encoding="utf-8")
        return folder / "site"


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    """The session's shared builds (shared by every xdist worker of the run)."""
    base = tmp_path_factory.getbasetemp()
    # An xdist worker's folder is one of the run's: their parent is the run's, the same for every worker.
    return Builds((base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-builds")


@pytest.fixture(scope="session")
def real_site(builds: Builds) -> Path:
    """The real archive built once per test run with `build.py build --strict`. Read it, never change it."""
    return builds.build([], ["--strict"]).resolve()


@pytest.fixture(scope="session")
def fixture_site(builds: Builds) -> Path:
    """The fixture site built once per test run with `build.py --content FIXTURE build --strict`. Read it only."""
    return builds.build(["--content", str(FIXTURES / "site" / "content")], ["--strict"])


def published_copy(site: Path, folder: Path) -> Path:
    """A copy of the published `site` (its link and releases) as `folder/site`, for a test to build over."""
    releases = site.parent / f".{site.name}-releases"
    shutil.copytree(releases, folder / releases.name, symlinks=True)
    (folder / site.name).symlink_to(os.readlink(site))
    return folder / site.name
