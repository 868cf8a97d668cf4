"""The file names a build would write, judged before it starts: none may pass the file system's 255 bytes.

An `id` of about 250 characters passed `check`, then the build died writing `<id>.csl.json`. The names
are taken from the outputs the build plans (the manifest) and each entry's page, so a new format is
counted as soon as the manifest holds it.
"""

from __future__ import annotations

from timsite.content.archive import Archive
from timsite.content.model import Entry
from timsite.content.problems import Problem, display_path
from timsite.outputs.manifest import OutputClash, plan
from timsite.site.urls import entry_url

NAME_MAX = 255
"""Bytes in one file or folder name (ext4, XFS, APFS, NTFS's 255 UTF-16 units are at least as many)."""

_PLANNING_URL = "https://example.org/"
"""Only paths are judged: any site address plans the same files."""


def longest_names(archive: Archive) -> dict[str, str]:
    """For each entry's page (by URL), the longest file or folder name among the page and the outputs that
    belong to the entry (those its page lists, and those under its page's folder), in UTF-8 bytes."""
    longest: dict[str, str] = {}

    def claim(url: str, path: str) -> None:
        name = max(path.split("/"), key=lambda part: len(part.encode("utf-8")))
        if len(name.encode("utf-8")) > len(longest.get(url, "").encode("utf-8")):
            longest[url] = name

    for entry in archive.entries():
        claim(entry_url(entry), entry_url(entry) + "index.html")
    try:
        manifest = plan(archive, {}, _PLANNING_URL)
    except OutputClash:
        return longest  # the build names the clash itself
    for output in manifest:
        # An entry's outputs: those its page lists (citations, its PDF), and any other under its folder.
        parts = output.path.split("/")
        owner = output.page if output.page in longest else "/".join(parts[:2]) + "/"
        if owner in longest:
            claim(owner, output.path)
    return longest


def file_name_problems(archive: Archive) -> list[Problem]:
    """An error on the `id` (or `number`) of each entry one of whose file names would be too long."""
    problems = []
    entries: dict[str, Entry] = {entry_url(entry): entry for entry in archive.entries()}
    for url, name in longest_names(archive).items():
        entry = entries[url]
        size = len(name.encode("utf-8"))
        if size > NAME_MAX:
            field = entry.key_field
            problems.append(
                Problem(
                    display_path(entry.path),
                    entry.lines.get(field),
                    field,
                    f"too long: the site would write the file {name[:40]}...{name[-20:]} ({size} bytes), and "
                    f"a file name may have at most {NAME_MAX}: shorten the {field} by {size - NAME_MAX} "
                    "characters or more",
                )
            )
    return problems


__all__ = ["NAME_MAX", "file_name_problems", "longest_names"]
