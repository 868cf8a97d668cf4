"""The one HTML allow-list: what a rendered body may contain once it leaves Markdown (pages, feeds, search).

Bodies are Markdown written by editors and rendered as written; this module then removes whatever could
run script or restyle the page around it. The allow-list covers what Markdown, the extensions enabled in
mkdocs.yml, our own page templates and the raw HTML documented in docs/content-model.md produce.
`check` reports, at the file and line, what this sanitizer would remove (see `timsite.content.body`).

>>> clean('<p class="x" style="color:red" onclick="go()">Hi <a href="javascript:go()">a</a><!-- note --></p>')
'<p class="x">Hi <a>a</a></p>'
>>> clean('<table><tr><td align="right">1 &lt; 2 &amp; 3</td></tr></table>')
'<table><tbody><tr><td align="right">1 &lt; 2 &amp; 3</td></tr></tbody></table>'
"""

from __future__ import annotations

import html
import re

import nh3

GLOBAL_ATTRIBUTES = frozenset({"id", "class"})
"""What an attribute list (`{: ...}`, `{#id ...}`) may set, and what any element may carry."""

ALLOWED_TAGS = frozenset(
    {
        # text and structure that Markdown, tables, def_list, footnotes, admonition and toc produce
        *("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code"),
        *("em", "strong", "a", "img", "ul", "ol", "li", "dl", "dt", "dd", "div", "sup"),
        *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"),
        # our page templates
        *("nav", "span"),
        # the raw HTML a body may use for what Markdown cannot say (docs/content-model.md)
        *("abbr", "b", "i", "u", "s", "sub", "small", "mark", "del", "ins", "q", "cite", "dfn"),
        *("kbd", "samp", "var", "wbr", "figure", "figcaption", "details", "summary"),
    }
)

TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "download", "hreflang", "type"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "th": frozenset({"align", "colspan", "rowspan", "scope"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "abbr": frozenset({"title"}),
    "dfn": frozenset({"title"}),
    "span": frozenset({"title"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    "del": frozenset({"cite"}),
    "ins": frozenset({"cite"}),
    "details": frozenset({"open"}),
}
"""Attributes allowed on one element besides `GLOBAL_ATTRIBUTES`. No `style`, no `on*`, ever."""

URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""Addresses are relative (same site) or use one of these schemes: never javascript:, data: or vbscript:."""

DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math", "textarea", "select"}
)
"""Elements removed together with everything inside them (other unknown elements keep their text)."""

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={"*": set(GLOBAL_ATTRIBUTES), **{tag: set(names) for tag, names in TAG_ATTRIBUTES.items()}},
    url_schemes=set(URL_SCHEMES),
    strip_comments=True,
    link_rel=None,
)

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_URL_TABS = re.compile(r"[\t\n\r]+")


def clean(fragment: str) -> str:
    """The HTML fragment with everything outside the allow-list removed; comments dropped."""
    return _CLEANER.clean(fragment)


def attribute_allowed(tag: str, name: str) -> bool:
    """Whether the sanitizer keeps attribute `name` on element `tag` (names are case-insensitive in HTML)."""
    name = name.lower()
    return name in GLOBAL_ATTRIBUTES or name in TAG_ATTRIBUTES.get(tag.lower(), frozenset())


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in `url`, else None: entities decoded, tabs and newlines dropped anywhere,
    spaces and control characters at either end (as the URL standard does).

    >>> url_scheme(" jav&#x61;script&colon;alert(1)"), url_scheme("java\\tscript:x"), url_scheme("see note: x")
    ('javascript', 'javascript', None)
    """
    match = _SCHEME.match(_URL_TABS.sub("", html.unescape(url)).strip("".join(map(chr, range(33)))))
    return match.group(1).lower() if match else None


def url_allowed(url: str) -> bool:
    """Whether an address may stay: relative, or one of `URL_SCHEMES`."""
    scheme = url_scheme(url)
    return scheme is None or scheme in URL_SCHEMES
