"""The safe build: render into a fresh release folder, check it, then switch `site` to it in one atomic step.

`site` is a symbolic link to the newest release in `.<name>-releases/` beside it. A failed,
interrupted or killed build never touches the release `site` points to; a lock keeps two
builds from interleaving. The previous releases are kept (three by default) so a bad
publish can be rolled back by pointing the link at an older one.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

KEEP_RELEASES = 3
REQUIRED_OUTPUT = (
    "index.html",
    "404.html",
    "pagefind/pagefind.js",
    "sitemap.xml",
    "feeds/all.atom.xml",
    "meetings.ics",
)
"""Files every good build has; a release missing one is not published."""


class PublishError(Exception):
    """The build could not be published; the previous site is untouched."""


def releases_dir(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}-releases"


@contextmanager
def build_lock(site_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock for the duration of one build; fail at once if another build holds it."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = site_dir.parent / f".{site_dir.name}.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(
                f"another build of {site_dir} is running (lock {lock_path}); try again when it ends"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_output(release: Path) -> list[str]:
    """What is missing from a rendered release, as messages (empty when it is complete)."""
    return [f"the build did not produce {name}" for name in REQUIRED_OUTPUT if not (release / name).is_file()]


def _switch(site_dir: Path, release: Path) -> None:
    """Point `site_dir` at `release` atomically (a symlink replaced with os.replace)."""
    target = os.path.relpath(release, site_dir.parent)
    temporary = site_dir.parent / f".{site_dir.name}.switch-{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(target, temporary)
    if site_dir.exists() and not site_dir.is_symlink():
        # A plain folder from an older `mkdocs build` cannot be replaced atomically: keep it as a release first.
        site_dir.rename(releases_dir(site_dir) / f"previous-{int(time.time())}")
    os.replace(temporary, site_dir)


def _prune(site_dir: Path, keep: int) -> None:
    current = site_dir.resolve() if site_dir.is_symlink() else None
    releases = sorted((p for p in releases_dir(site_dir).iterdir() if p.is_dir()), key=lambda p: p.name)
    for old in releases[:-keep]:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)


def publish(site_dir: Path, render: Callable[[Path], None], keep: int = KEEP_RELEASES) -> Path:
    """Render into a new release folder with `render(folder)`, check it, then switch `site_dir` to it.

    Any exception from `render` (or Ctrl-C) leaves `site_dir` exactly as it was; the half-built
    release is removed.
    """
    site_dir = site_dir.absolute()
    with build_lock(site_dir):
        base = releases_dir(site_dir)
        base.mkdir(parents=True, exist_ok=True)
        # mkdtemp: a fresh, unique folder even for two builds in the same second, never the live release.
        release = Path(tempfile.mkdtemp(prefix=f"release-{time.strftime('%Y%m%dT%H%M%S')}-", dir=base))
        release.chmod(0o755)  # mkdtemp makes it private; a web server must read it
        try:
            render(release)
            missing = check_output(release)
            if missing:
                raise PublishError("; ".join(missing))
            _switch(site_dir, release)
        except BaseException:
            shutil.rmtree(release, ignore_errors=True)
            raise
        _prune(site_dir, keep)
        return release
