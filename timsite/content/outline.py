"""The outline of a Markdown body: its `##` and `###` headings with their permanent anchors.

>>> [(h.level, h.title, h.anchor) for h in outline("## Meetings {#meetings}\\n### SAARC Convention {#saarc}\\n")]
[(2, 'Meetings', 'meetings'), (3, 'SAARC Convention', 'saarc')]
>>> outline("## Plain heading")[0].explicit
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.extensions.toc import slugify

_HEADING = re.compile(r"^(#{2,3})\s+(.+?)\s*(?:\{\s*#([A-Za-z0-9_-]+)[^}]*\})?\s*#*\s*$")
_FENCE = re.compile(r"^(```|~~~)")


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    anchor: str
    explicit: bool
    line: int


def outline(body: str) -> list[Heading]:
    headings: list[Heading] = []
    fenced = False
    for number, line in enumerate(body.splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        m = None if fenced else _HEADING.match(line)
        if m:
            title = re.sub(r"[*_`]", "", m.group(2)).strip()
            anchor = m.group(3) or slugify(title, "-")
            headings.append(Heading(len(m.group(1)), title, anchor, m.group(3) is not None, number))
    return headings
