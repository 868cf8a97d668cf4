"""Pages as served: the indentation between tags taken out, the same in a build and in the preview."""

from __future__ import annotations

import re

_KEPT = re.compile(r"(<(pre|code|kbd|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
"""Elements whose whitespace may show or matter (Material sets `pre-wrap` on code, kbd and pre)."""
_BETWEEN = re.compile(r">[ \t\r\n\f]*\n[ \t\r\n\f]*<")
"""Whitespace alone between two tags, over a line break: a browser shows it as one space at most."""


def compact(html: str) -> str:
    """`html` with every run of whitespace between two tags that spans lines made one line break.

    Material's templates indent every line: at the benchmark's x10 size a tenth of the pages' bytes was that
    indentation. A browser collapses such a run to one space whatever it holds, so what a reader sees, and
    what any parser builds, is unchanged; inside the elements of `_KEPT` nothing is touched. Text is never
    touched either: only runs with no character but whitespace between `>` and `<`.

    >>> compact("<ul>\\n    <li>a</li>\\n    <li>b</li>\\n</ul>")
    '<ul>\\n<li>a</li>\\n<li>b</li>\\n</ul>'
    >>> compact("<pre>\\n  <b>x</b>\\n</pre><p> <a>y</a>\\n</p>")
    '<pre>\\n  <b>x</b>\\n</pre><p> <a>y</a>\\n</p>'
    """
    parts = _KEPT.split(html)
    # split() with two groups: text, whole kept element, its name, text, ...
    return "".join(_BETWEEN.sub(">\n<", part) if n % 3 == 0 else part for n, part in enumerate(parts) if n % 3 != 2)


__all__ = ["compact"]
