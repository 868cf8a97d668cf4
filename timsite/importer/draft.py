"""The draft files of an import, from the issue's structure: rendered from templates, validated, never written here."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from timsite.content.load import build_entry
from timsite.content.model import MODELS
from timsite.content.problems import Problem, Severity, display_path
from timsite.content.source import SourceError, parse_source
from timsite.importer.escape import md_bold, md_escape
from timsite.importer.reflow import LIST_MARK
from timsite.site.render import environment


@dataclass
class Draft:
    """One file to write: where, what, and the key its decisions use in the report."""

    key: str
    path: Path
    text: str


_ENV: Environment | None = None


def _yaml(value: Any) -> Markup:
    """A double-quoted YAML string (JSON is valid YAML), for any printed text."""
    return Markup(json.dumps(str(value), ensure_ascii=False))


def _comment(value: Any) -> Markup:
    """Text inside an HTML comment, shown as printed but unable to end it ("--", "<", ">" replaced)."""
    text = str(value).replace("\n", " ")
    while "--" in text:
        text = text.replace("--", "- -")
    return Markup(text.replace("<", "‹").replace(">", "›"))


def env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = environment()
        _ENV.filters.update(
            yaml=_yaml,
            md_escape=md_escape,
            md_bold=md_bold,
            comment=_comment,
            list_text=lambda text: LIST_MARK.sub("", text, count=1),
        )
    return _ENV


def render(template: str, **context: Any) -> str:
    text = env().get_template(template).render(**context)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


def validate(draft: Draft) -> list[Problem]:
    """The problems `check` would find in this one file (errors stop the import; warnings are its to-dos)."""
    show = display_path(draft.path)
    try:
        source = parse_source(draft.path, draft.text.encode("utf-8"))
    except SourceError as exc:
        return [Problem(show, exc.line, exc.field, exc.message)]
    entry, problems = build_entry(MODELS[draft.path.parent.name], source, show)
    if entry is None and not any(p.severity is Severity.ERROR for p in problems):
        problems.append(Problem(show, None, "", "the draft does not load"))
    return problems
