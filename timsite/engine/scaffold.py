"""Skeletons for new content files (`build.py new ...`): correctly filled, validated, never overwriting.

>>> slug_for("Trafficking in Women to Italy: A Study (2nd ed.)")
'trafficking-in-women-to-italy-a-study-2nd-ed'
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from markupsafe import Markup

from timsite.content.checked import load_archive
from timsite.content.dates import parse_partial_date
from timsite.content.load import build_entry
from timsite.content.model import MODELS, Season, slug_for
from timsite.content.model import _slug as validate_slug
from timsite.content.problems import Problem, display_path
from timsite.content.source import SourceError, parse_source
from timsite.site.render import render
from timsite.site.urls import RESERVED_IDS


class ScaffoldError(Exception):
    """The skeleton cannot be written; the message says why and what to do."""


def _yaml_text(value: str) -> Markup:
    """A double-quoted YAML string, safe for any title an editor types (YAML-escaped, so not HTML-escaped)."""
    return Markup(json.dumps(value, ensure_ascii=False))


def _target(root: Path, folder: str, name: str) -> Path:
    """`root/folder/name`, refused unless it stays inside the content folder (no links leading out)."""
    base, directory = root.resolve(), root / folder
    if directory.is_symlink() or (directory.exists() and base not in directory.resolve().parents):
        raise ScaffoldError(f"{directory} is a link out of the content folder: nothing was written")
    path = directory / name
    if path.resolve().parent != directory.resolve():
        raise ScaffoldError(f"{name} is not a plain file name: nothing was written")
    return path


def new_file(root: Path, kind: str, **fields: Any) -> Path:
    """Write a skeleton for `kind` (bulletin, meeting, publication) under `root`; return its path.

    Every option is checked, and the skeleton validated, before anything is written; nothing is
    ever written outside `root` or over an existing file.
    """
    archive, _ = load_archive(root)
    if kind == "bulletin":
        number, season, year = fields["number"], fields["season"], fields["year"]
        Season(season)
        if number in archive.by_number:
            raise ScaffoldError(f"issue N° {number} already exists: {archive.by_number[number].path}")
        path = _target(root, "bulletins", f"{number:03d}-{season}-{year}.md")
        context = {"number": number, "season": season, "year": year}
    else:
        title = fields["title"].strip()
        if not title:
            raise ScaffoldError("the title must not be empty")
        given = fields.get("id")
        ident = given or slug_for(title + (f" {fields['year']}" if kind == "meeting" and fields.get("year") else ""))
        if given is not None:
            try:
                validate_slug(given)
            except ValueError as exc:
                raise ScaffoldError(f"--id: {exc}") from None
        elif ident in RESERVED_IDS:
            ident = f"{ident}-1"
        taken = archive.meeting_by_id if kind == "meeting" else archive.publication_by_id
        if ident in taken:
            raise ScaffoldError(f'the id "{ident}" is already used by {taken[ident].path}: pass --id with another one')
        folder = "meetings" if kind == "meeting" else "publications"
        path = _target(root, folder, f"{ident}.md")
        context = {
            "id": ident,
            "title": _yaml_text(title),
            **{k: v for k, v in fields.items() if k not in ("id", "title")},
        }
        if kind == "meeting":
            parse_partial_date(fields["start"])
            context["start"] = _yaml_text(fields["start"])
            if fields.get("end"):
                context["end"] = _yaml_text(fields["end"])
        if fields.get("isbn"):
            context["isbn"] = _yaml_text(fields["isbn"])
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{path} already exists: it was not overwritten")
    data = render(f"files/new-{kind}.md.j2", **context).encode("utf-8")
    try:
        entry, problems = build_entry(MODELS[path.parent.name], parse_source(path, data), display_path(path))
    except SourceError as exc:
        entry, problems = None, [Problem(display_path(path), exc.line, exc.field, exc.message)]
    if entry is None:
        raise ScaffoldError("nothing was written: the options give an invalid file:\n" + "\n".join(map(str, problems)))
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: never over a file (or a link) that appeared meanwhile.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path
