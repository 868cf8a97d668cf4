"""When each content file last changed: the date of its last commit, read from git once per build.

A record's datestamp (OAI-PMH, MARC 008/00-05, MODS recordChangeDate) must say when the record
changed, not when the work appeared, and be the same in every clone: the committer date of the
last commit touching the file is both. A file git does not know (not committed, or no git at all)
gets the build's date (SOURCE_DATE_EPOCH), so that builds stay reproducible; a shallow clone knows
only its own commits and so gives later dates than a full one.
"""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path


def build_date() -> date:
    """The build's date: SOURCE_DATE_EPOCH when set (every `build.py build`), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return datetime.now(UTC).date()


def last_commits(folder: Path) -> dict[Path, date]:
    """The date of the last commit of every file under `folder` that git knows, by resolved path.

    One `git log` over the folder, newest first, so the first date seen for a file is its last change.
    """
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
        log = subprocess.run(
            ["git", "log", "--format=@%cs", "--name-only", "--no-renames", "--", "."],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[Path, date] = {}
    day: date | None = None
    root = Path(top)
    for line in log.splitlines():
        if line.startswith("@"):
            day = date.fromisoformat(line[1:])
        elif line and day is not None:
            found.setdefault((root / line).resolve(), day)
    return found


class History:
    """The datestamp of each content file, looked up from one `git log` made when first asked."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._dates: dict[Path, date] | None = None
        self.fallback = build_date()

    def changed(self, path: Path) -> date:
        """When the file at `path` last changed: its last commit's date, else the build's date."""
        if self._dates is None:
            self._dates = last_commits(self.folder) if self.folder and self.folder.is_dir() else {}
        return self._dates.get(path.resolve(), self.fallback)
