"""The Jinja environment for everything we generate: autoescaped, strict, with Markdown-safe filters.

>>> print(md_text("A *bold* [claim] & <b> it's"))
A \\*bold\\* \\[claim\\] &amp; &lt;b&gt; it's
"""

from __future__ import annotations

import html
import re
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import periodical

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def md_text(value: Any) -> Markup:
    """Plain text made safe inside Markdown: HTML-escaped, then Markdown punctuation backslash-escaped."""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")
    return Markup(html.escape(escaped, quote=False))


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("timsite", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Markdown anchors are written {#id}: Jinja's own comment marker must differ.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["md"] = md_text
    env.globals["periodical"] = periodical
    return env


_ENV: Environment | None = None


def render(template: str, **context: Any) -> str:
    global _ENV
    if _ENV is None:
        _ENV = environment()
    return _ENV.get_template(template).render(**context)
