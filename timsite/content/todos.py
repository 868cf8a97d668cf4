"""To-dos left in a body for an editor (`<!-- TODO field: what to do -->`), named by `check` as warnings.

The importer writes one for each field the source cannot give (a summary, tags); `check` lists them at
their line until the editor has done them and deleted the note, and `check --strict` fails on them.

>>> [str(p) for p in to_do_problems("Text\\n<!-- TODO summary: write one or two sentences -->\\n", 5, "x.md")]
['x.md:6: summary: warning: to do: write one or two sentences']
>>> to_do_problems("<!-- an editor's note -->", 5, "x.md")
[]
"""

from __future__ import annotations

import re

from timsite.content.problems import Problem, Severity

TO_DO = re.compile(r"<!--\s*TODO(?:\s+([A-Za-z_]+))?\s*:\s*(.*?)\s*-->", re.DOTALL)
"""A to-do note: `<!-- TODO field: what to do -->` (the field is optional)."""


def to_do_problems(body: str, body_line: int, show: str) -> list[Problem]:
    """One warning per to-do note in `body`, at its line in the file."""
    if "TODO" not in body:
        return []
    out = []
    for found in TO_DO.finditer(body):
        line = body_line + body.count("\n", 0, found.start())
        message = " ".join(found.group(2).split()) or "see the note in the text"
        out.append(Problem(show, line, found.group(1) or "", f"to do: {message}", Severity.WARNING))
    return out
