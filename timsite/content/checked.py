"""A content folder read, modelled and checked once: `load_archive`, and the cache that spares a second reading.

`build.py build` checks the content before MkDocs starts and the plugin needs it again: the result is kept
for as long as no file under the folder changes.
"""

from __future__ import annotations

from pathlib import Path

from timsite.content.archive import Archive
from timsite.content.checks import check_archive
from timsite.content.load import Loaded, load_content
from timsite.content.problems import Problem
from timsite.content.vocabulary import load_vocabulary, merge_tags

_LOADED: dict[Path, tuple[tuple[tuple[str, int, int], ...], Archive, list[Problem]]] = {}


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under `root` with its modification time and size: changes whenever the content does."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def load_archive(root: Path) -> tuple[Archive, list[Problem]]:
    """Load and check everything under `root`: the archive and every problem, file-level and cross-file.

    The result is kept for as long as no file under `root` changes, so `build.py build`, which checks
    the content before MkDocs starts, and the MkDocs plugin, which needs it again, read it only once.
    Entries are frozen models, so sharing them is safe.
    """
    root = root.resolve()
    fingerprint = _fingerprint(root) if root.is_dir() else ()
    cached = _LOADED.get(root)
    if cached is not None and cached[0] == fingerprint:
        return cached[1], list(cached[2])
    loaded: Loaded = load_content(root)
    vocabulary, problems = load_vocabulary(root)
    # Merged names are read as the tag they joined before anything indexes tags.
    bulletins, merged_b = merge_tags(loaded.bulletins, vocabulary)
    meetings, merged_m = merge_tags(loaded.meetings, vocabulary)
    publications, merged_p = merge_tags(loaded.publications, vocabulary)
    series, merged_s = merge_tags(loaded.series, vocabulary)
    archive = Archive(bulletins, meetings, publications, series, root, vocabulary)
    problems += loaded.problems + merged_b + merged_m + merged_p + merged_s + check_archive(archive)
    _LOADED[root] = (fingerprint, archive, problems)
    return archive, list(problems)
