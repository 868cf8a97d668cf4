"""The Jinja environment for everything we generate: autoescaped, strict, with Markdown-safe filters.

>>> print(md_text("A *bold* [claim] & <b> 1/4 c/o 21st --> x-y"))
A &#42;bold&#42; &#91;claim&#93; &#38; &#60;b&#62; 1&#47;4 c&#47;o 21&#115;t &#45;&#45;&#62; x-y
>>> print(md_text("- 2002. A year: ~x"), md_text("2002. A year"))
&#45; 2002. A year: &#126;x 2002&#46; A year
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from timsite.content import periodical
from timsite.site.shown import printed_date, shown_title

# Characters that HTML, Markdown or an enabled extension (tables, attribute lists, footnotes,
# smartsymbols' c/o, 1/4, (c), +/-, =/=) could read as markup anywhere in a line; then "--" (arrows)
# and what starts a list or a definition at the start of the text.
_MD_SPECIAL = re.compile(
    r"[\\`*_{}\[\]()#+!|~/<>&]|-(?=-)|(?<=-)-|^[ \t]*[-:]|(?<=^\d)\.|(?<=^\d\d)\.|(?<=^\d{3})\.|(?<=^\d{4})\."
)
# smartsymbols turns 1st, 2nd, 3rd, 4th into superscripts.
_ORDINAL = re.compile(r"(?<=\d)([snrt])(?=[tdh]\b)")


def md_text(value: Any) -> Markup:
    """Plain text shown exactly as written inside Markdown, escaped once.

    Each markup character becomes a numeric character reference: Markdown passes references through
    untouched and the browser shows the character, so `~`, `c/o` or `1/4` are never altered (a backslash
    escape shows its backslash for characters Markdown does not escape).
    """
    text = str(value).replace("\n", " ")
    text = _MD_SPECIAL.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(0)), text)
    return Markup(_ORDINAL.sub(lambda m: f"&#{ord(m.group(1))};", text))


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
    env.filters["printed"] = printed_date
    env.filters["title"] = shown_title
    env.globals["periodical"] = periodical
    return env


_ENV: Environment | None = None


def render(template: str, **context: Any) -> str:
    global _ENV
    if _ENV is None:
        _ENV = environment()
    return _ENV.get_template(template).render(**context)
