"""The one HTML allow-list: what a rendered body may contain once it leaves Markdown (pages, feeds, search).

Bodies are Markdown written by editors and rendered as written; this module then removes whatever could
run script or restyle the page around it. The allow-list covers what Markdown, the extensions enabled in
mkdocs.yml, our own page templates and the raw HTML documented in docs/content-model.md produce.
`check` reports, at the file and line, what this sanitizer would remove (see `timsite.content.body`).

>>> clean('<p class="x" style="color:red" onclick="go()">Hi <a href="javascript:go()">a</a><!-- note --></p>')
'<p>Hi <a>a</a></p>'
>>> clean('<table><tr><td align="right">1 &lt; 2 &amp; 3</td></tr></table>')
'<table><tbody><tr><td align="right">1 &lt; 2 &amp; 3</td></tr></tbody></table>'

Classes and ids go by allow-list too: the site's and Material's stylesheets and scripts give meaning to
classes (`tim-search-layer` covers the window) and ids (`__config` holds Material's settings), so a body
keeps only the classes listed here, and no id the theme uses.

>>> clean('<p class="admonition-title md-button tim-search-layer" id="__config">T</p><p id="md-x">x</p>')
'<p class="admonition-title">T</p><p>x</p>'
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

ADMONITION_KINDS = frozenset(
    {
        *("note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success"),
        *("check", "done", "question", "help", "faq", "warning", "caution", "attention", "failure", "fail"),
        *("missing", "danger", "error", "bug", "example", "quote", "cite"),
    }
)
"""The kinds an admonition may have (`!!! note "Title"`): those Material styles."""

EDITOR_CLASSES: frozenset[str] = frozenset()
"""Classes an editor may write (`{: .name}`, `class="..."`): none so far. A class is a hook for the site's
and Material's stylesheets and scripts; one is added here, with its style and a line in
docs/content-model.md, when bodies need it."""

MADE_CLASSES: dict[str, frozenset[str]] = {
    # what the Markdown extensions make: admonitions, footnotes, the [TOC] marker, headings' permalinks
    "div": frozenset({"admonition", "footnote", "toc", *ADMONITION_KINDS, "tim-meta", "tim-cite"}),
    "p": frozenset({"admonition-title"}),
    "a": frozenset({"headerlink", "footnote-ref", "footnote-backref"}),
    # what our page templates put around a body (timsite/templates/pages)
    "span": frozenset({"tim-id", "tim-misprint", "Z3988"}),  # Z3988: COinS, read by reference managers
    "nav": frozenset({"tim-issue-nav"}),
    "h2": frozenset({"tim-contents"}),
}
"""Classes that the Markdown extensions and our page templates put on one element; `check` refuses them
where an editor writes them (they would borrow the site's styles), the sanitizer keeps them."""

_CODE_LANGUAGE = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
"""A fenced code block's language (```` ```python ````): no stylesheet of the site gives it a style."""

RESERVED_ID_PREFIXES = ("__", "md-", "tim-")
"""Ids Material (`__config`, `__search`, `__drawer`...) and our theme (`tim-search-title`...) use."""

MADE_ID_PREFIXES = ("fn:", "fnref:")
"""Ids the footnotes extension makes: an editor's would clash with them."""

TEMPLATE_IDS = frozenset(
    {
        # headings our entry pages' templates put around a body (timsite/templates/pages)
        *("contents", "reported-meetings", "reviewed-publications", "notes", "papers", "full-text"),
        *("issn", "volumes"),
    }
)
"""Ids the pages already carry around a body: a second element with one would be a duplicate anchor."""


def class_allowed(tag: str, name: str) -> bool:
    """Whether the sanitizer keeps class `name` on element `tag` (an editor's, or one the extensions make)."""
    if name in EDITOR_CLASSES or name in MADE_CLASSES.get(tag, frozenset()):
        return True
    return tag == "code" and _CODE_LANGUAGE.fullmatch(name) is not None


def id_reserved(value: str) -> bool:
    """Whether an id is one the theme uses (`__config`, `md-*`, `tim-*`): never published from a body."""
    return value.lower().startswith(RESERVED_ID_PREFIXES)


def editor_id_problem(value: str) -> str | None:
    """Why an editor may not give an element (or heading) this id, or None when it may."""
    if id_reserved(value):
        return (
            f'the id "{value[:60]}" is reserved: ids starting with {", ".join(RESERVED_ID_PREFIXES)} belong to '
            "the site's theme (Material's search and settings); choose another"
        )
    if value.lower().startswith(MADE_ID_PREFIXES) or value in TEMPLATE_IDS:
        return (
            f'the id "{value[:60]}" is already used by the page around the text (footnotes, headings): choose another'
        )
    return None


def _attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's filter: classes outside the allow-list and reserved ids are removed, other attributes kept."""
    if name == "class":
        kept = [c for c in value.split() if class_allowed(tag, c)]
        return " ".join(kept) if kept else None
    if name == "id" and id_reserved(value.strip()):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={"*": set(GLOBAL_ATTRIBUTES), **{tag: set(names) for tag, names in TAG_ATTRIBUTES.items()}},
    url_schemes=set(URL_SCHEMES),
    attribute_filter=_attribute,
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
