"""Skeletons for new content files (`build.py new ...`): correctly filled, validated, never overwriting.

>>> slug_for("Trafficking in Women to Italy: A Study (2nd ed.)")
'trafficking-in-women-to-italy-a-study-2nd-ed'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from markdown.extensions.toc import slugify
from markupsafe import Markup

from .archive import load_archive
from .dates import parse_partial_date
from .load import build_entry
from .model import KINDS, Season
from .render import render
from .source import read_source
from .urls import RESERVED_IDS


class ScaffoldError(Exception):
    """The skeleton cannot be written; the message says why and what to do."""


def slug_for(title: str, limit: int = 80) -> str:
    slug = slugify(title, "-")[:limit].strip("-")
    return slug or "untitled"


def _yaml_text(value: str) -> Markup:
    """A double-quoted YAML string, safe for any title an editor types (YAML-escaped, so not HTML-escaped)."""
    return Markup(json.dumps(value, ensure_ascii=False))


def new_file(root: Path, kind: str, **fields: Any) -> Path:
    """Write a skeleton for `kind` (bulletin, meeting, publication) under `root`; return its path."""
    archive, _ = load_archive(root)
    if kind == "bulletin":
        number, season, year = fields["number"], fields["season"], fields["year"]
        Season(season)
        if number in archive.by_number:
            raise ScaffoldError(f"issue N° {number} already exists: {archive.by_number[number].path}")
        path = root / "bulletins" / f"{number:03d}-{season}-{year}.md"
        context = {"number": number, "season": season, "year": year}
    else:
        title = fields["title"].strip()
        if not title:
            raise ScaffoldError("the title must not be empty")
        ident = fields.get("id") or slug_for(
            title + (f" {fields['year']}" if kind == "meeting" and fields.get("year") else "")
        )
        if ident in RESERVED_IDS:
            ident = f"{ident}-1"
        taken = archive.meeting_by_id if kind == "meeting" else archive.publication_by_id
        if ident in taken:
            raise ScaffoldError(f'the id "{ident}" is already used by {taken[ident].path}: pass --id with another one')
        folder = "meetings" if kind == "meeting" else "publications"
        path = root / folder / f"{ident}.md"
        context = {
            "id": ident,
            "title": _yaml_text(title),
            **{k: v for k, v in fields.items() if k not in ("id", "title")},
        }
        if kind == "meeting":
            parse_partial_date(fields["start"])
            context["start"] = _yaml_text(fields["start"])
        if fields.get("isbn"):
            context["isbn"] = _yaml_text(fields["isbn"])
    if path.exists():
        raise ScaffoldError(f"{path} already exists: it was not overwritten")
    text = render(f"files/new-{kind}.md.j2", **context)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    entry, problems = build_entry(KINDS[path.parent.name], read_source(path), str(path))
    if entry is None:
        path.unlink()
        raise ScaffoldError("the skeleton did not validate (a bug):\n" + "\n".join(map(str, problems)))
    return path
