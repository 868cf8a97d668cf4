"""The safe build: render into a fresh release folder, check it, then switch `site` to it in one atomic step.

`site` is a symbolic link to the newest release in `.<name>-releases/` beside it. A failed,
interrupted or killed build never touches the release `site` points to; a lock keeps two
builds from interleaving. The previous releases are kept (three by default) so a bad
publish can be rolled back by pointing the link at an older one.

A release is rendered as `partial-*` and renamed `release-*` only once it is complete, so the
half-built folder of a killed build is recognised, and removed, by the next build. `site`
must be such a link, or not exist: any other folder or link there is refused, never moved.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from timsite.engine import background

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


def _is_release(folder: Path) -> bool:
    return folder.is_dir() and not folder.is_symlink() and folder.name.startswith(("release-", "previous-"))


def not_ours(site_dir: Path) -> str | None:
    """Why `site_dir` is not a site this tool published (so a build must not replace it), or None."""
    if site_dir.is_symlink():
        target = Path(os.path.realpath(site_dir))
        # A dangling link into the releases counts too: its release may have been deleted by hand.
        if target.parent == Path(os.path.realpath(releases_dir(site_dir))) and not (
            target.exists() and not _is_release(target)
        ):
            return None
        return f"{site_dir} is a symbolic link to {target}, not a site published by build.py"
    if not site_dir.exists():
        return None
    if site_dir.is_dir() and not check_output(site_dir):
        return None  # a site from a plain `mkdocs build` of this project: kept as a release on the switch
    return f"{site_dir} already exists and is not a site built by build.py"


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM (what a CI cancel or `kill` sends) ends the build as Ctrl-C does: cleanly, previous site kept."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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


def _outdated(site_dir: Path, keep: int) -> list[Path]:
    """The releases beyond the `keep` newest, never the live one."""
    current = site_dir.resolve() if site_dir.is_symlink() else None
    releases = sorted((p for p in releases_dir(site_dir).iterdir() if _is_release(p)), key=lambda p: p.name)
    return [old for old in (releases[:-keep] if keep > 0 else releases) if old.resolve() != current]


def _prune(site_dir: Path, keep: int) -> None:
    for old in _outdated(site_dir, keep):
        shutil.rmtree(old, ignore_errors=True)


def _prune_meanwhile(site_dir: Path, keep: int) -> background.Job:
    """Remove, on the second core while the new release renders, the releases it will push out of `keep`.

    Deleting thousands of files takes seconds at the archive's larger sizes; done after the switch it made
    every build wait. The live release and the `keep - 1` newest are never touched, so a failed build still
    leaves the live site and one to roll back to.
    """
    outdated = _outdated(site_dir, keep - 1)  # listed now: the new release appears while they are removed
    if not outdated:
        return background.Job(lambda: None)

    def remove() -> None:
        for old in outdated:
            shutil.rmtree(old, ignore_errors=True)

    return background.start(remove)


def remove_stale(site_dir: Path) -> list[Path]:
    """Remove what interrupted builds left behind: half-built releases and temporary links. Returns them."""
    current = site_dir.resolve() if site_dir.is_symlink() else None
    stale = [
        p
        for p in releases_dir(site_dir).iterdir()
        if p.resolve() != current
        and (p.name.startswith("partial-") or (_is_release(p) and check_output(p)))  # incomplete: never a rollback
    ]
    for folder in stale:
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
        else:
            folder.unlink(missing_ok=True)
    for link in site_dir.parent.glob(f".{site_dir.name}.switch-*"):
        if link.is_symlink():
            link.unlink()
            stale.append(link)
    return stale


def publish(site_dir: Path, render: Callable[[Path], None], keep: int = KEEP_RELEASES) -> Path:
    """Render into a new release folder with `render(folder)`, check it, then switch `site_dir` to it.

    Any exception from `render` (or Ctrl-C) leaves `site_dir` exactly as it was; the half-built
    release is removed.
    """
    site_dir = site_dir.absolute()
    refused = not_ours(site_dir)
    if refused:
        raise PublishError(f"{refused}: choose another --site-dir (nothing was moved or deleted)")
    with build_lock(site_dir):
        refused = not_ours(site_dir)  # again, now that no other build can change it
        if refused:
            raise PublishError(f"{refused}: choose another --site-dir (nothing was moved or deleted)")
        base = releases_dir(site_dir)
        base.mkdir(parents=True, exist_ok=True)
        remove_stale(site_dir)
        # mkdtemp: a fresh, unique folder even for two builds in the same second, never the live release.
        # Microseconds in the name: releases sort by name in the order they were built, even within a second
        # (which ones pruning keeps depends on it).
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S%f")
        partial = Path(tempfile.mkdtemp(prefix=f"partial-{stamp}-", dir=base))
        partial.chmod(0o755)  # mkdtemp makes it private; a web server must read it
        release = base / partial.name.replace("partial-", "release-", 1)
        pruning = _prune_meanwhile(site_dir, keep)
        try:
            render(partial)
            missing = check_output(partial)
            if missing:
                raise PublishError("; ".join(missing))
            os.rename(partial, release)
            _switch(site_dir, release)
        except BaseException as error:
            if isinstance(error, Exception):  # a failed build still ends with the same releases as any other
                with contextlib.suppress(background.BackgroundError):
                    pruning.wait()
            else:  # Ctrl-C, a signal: stop at once
                pruning.cancel()
            shutil.rmtree(partial, ignore_errors=True)
            shutil.rmtree(release, ignore_errors=True)
            raise
        pruning.wait()
        _prune(site_dir, keep)  # what is left: only where the pruning could not fork (it then ran in wait)
        return release
