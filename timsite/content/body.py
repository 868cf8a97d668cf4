"""What a Markdown body may contain, checked on the text as written, before Markdown ever sees it.

Two kinds of problems, each a `file:line: body: message`:

- limits: nesting and constructs that Python-Markdown handles in super-linear time or by deep recursion
  (20,000 nested `[` took 78 s; a list nested a few hundred levels deep raised RecursionError). They are
  refused before rendering, so a body can neither hang nor crash the build.
- what the sanitizer (`timsite.content.sanitize`) would remove: raw HTML elements, attributes and addresses outside
  its allow-list, and attribute lists that set anything but `id` and `class`. The site would publish the
  body without them anyway; `check` says so, so that an editor never loses text silently.

The text is read as written: code spans are skipped, but markup shown in an indented code block is
reported as if it were live (write it as a code span instead).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown.extensions.attr_list import get_attrs_and_remainder

from timsite.content.problems import Problem
from timsite.content.sanitize import ALLOWED_TAGS, URL_ATTRIBUTES, URL_SCHEMES, attribute_allowed, url_allowed

MAX_BRACKET_DEPTH = 32
"""Open `[` (links, images, footnotes) not yet closed within one paragraph."""
MAX_ANGLE_DEPTH = 32
"""Open `<` not yet closed by `>` within one paragraph."""
MAX_CONTAINER_DEPTH = 16
"""Lists, block quotes, indented blocks and admonitions inside one another, counted on one line."""
MAX_HTML_DEPTH = 32
"""Raw HTML elements (such as `<div markdown>`) inside one another."""
MAX_FOOTNOTE_REFERENCES = 500
"""Footnote references (`[^1]`) in one body."""
MAX_TABLE_CELLS = 64
"""Table cells (`|`) on one line."""
MAX_BRACES_PER_LINE = 64
"""`{` on one line: each may open an attribute list."""

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_BRACKETS = re.compile(r"\\.|[\[\]]")
_ANGLES = re.compile(r"\\.|[<>]")
# A line's container prefix, found only when long enough to exceed the limit (each level takes a character).
_DEEP_PREFIX = re.compile(rf"^[ \t>*+\-0-9.)]{{{MAX_CONTAINER_DEPTH + 1},}}", re.M)
_CONTAINER = re.compile(r"\t| {4}|>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])")
_MANY_PIPES = re.compile(rf"^(?:[^|\n]*\|){{{MAX_TABLE_CELLS + 1}}}", re.M)
_MANY_BRACES = re.compile(rf"^(?:[^{{\n]*\{{){{{MAX_BRACES_PER_LINE + 1}}}", re.M)
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\n]+\](?!:)")
_BACKTICKS = re.compile(r"`+")
_HAS_TAG = re.compile(r"<[A-Za-z!/?]")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\n]*(?:\n[^)\n]*)?)")
_REFERENCE_TARGET = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?(\S[^\n]*)", re.M)
# Markdown's own autolinks (<https://...>, <name@example.org>): links, not raw HTML.
_AUTOLINK = re.compile(r"<(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*>|<[^<> !]+@[^@<> ]+>")
_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()#+\-.!<>|:]")
_VOID = frozenset({"br", "hr", "img", "wbr", "col", "input", "meta", "link", "area", "base", "source", "track"})


def body_problems(body: str, body_line: int, show: str) -> list[Problem]:
    """Every problem of one body: the limits first; what the sanitizer would remove only within them."""
    found = _Found(show, body_line)
    _limits(body, found)
    if not found.problems:
        text = _mask_code_spans(body)
        _raw_html(text, found)
        _attribute_lists(text, found)
        _link_targets(text, found)
    return list(found.problems.values())


class _Found:
    """Problems by (line, message): one report per line and kind, however often it repeats there."""

    def __init__(self, show: str, body_line: int) -> None:
        self.show, self.body_line = show, body_line
        self.problems: dict[tuple[int, str], Problem] = {}

    def add(self, text: str, offset: int, message: str) -> None:
        self.at_line(text.count("\n", 0, offset) + 1, message)

    def at_line(self, line_in_body: int, message: str) -> None:
        line = self.body_line + line_in_body - 1
        self.problems.setdefault((line, message), Problem(self.show, line, "body", message))


# --- limits ---
def _limits(body: str, found: _Found) -> None:
    # Each limit is looked at only when the whole body holds enough of its character to exceed it.
    if body.count("[") > MAX_BRACKET_DEPTH or body.count("<") > MAX_ANGLE_DEPTH:
        for start, paragraph in _paragraphs(body):
            _depth(paragraph, start, _BRACKETS, "[", "]", MAX_BRACKET_DEPTH, "square brackets [", body, found)
            _depth(paragraph, start, _ANGLES, "<", ">", MAX_ANGLE_DEPTH, "angle brackets <", body, found)
    for m in _DEEP_PREFIX.finditer(body):
        depth = len(_CONTAINER.findall(m.group(0) + " "))
        if depth > MAX_CONTAINER_DEPTH:
            found.add(
                body,
                m.start(),
                f"lists, quotes or indented blocks are nested {depth} levels deep here; at most "
                f"{MAX_CONTAINER_DEPTH} are allowed: flatten the structure",
            )
            break
    references = sum(1 for _ in _FOOTNOTE_REF.finditer(body)) if "[^" in body else 0
    if references > MAX_FOOTNOTE_REFERENCES:
        found.at_line(
            1,
            f"the text has {references} footnote references ([^...]); at most {MAX_FOOTNOTE_REFERENCES} are "
            "allowed in one file: split the text",
        )
    if body.count("|") > MAX_TABLE_CELLS:
        for m in _MANY_PIPES.finditer(body):
            found.add(body, m.start(), f"a table row with more than {MAX_TABLE_CELLS} cells (|) is not allowed")
    if body.count("{") > MAX_BRACES_PER_LINE:
        for m in _MANY_BRACES.finditer(body):
            found.add(body, m.start(), f"more than {MAX_BRACES_PER_LINE} curly braces {{ on one line are not allowed")
    _html_depth(body, found)


def _paragraphs(body: str) -> list[tuple[int, str]]:
    """(offset, text) of each run of text between blank lines: Markdown parses inline markup within those."""
    parts, start = [], 0
    for m in _PARAGRAPH_BREAK.finditer(body):
        parts.append((start, body[start : m.start()]))
        start = m.end()
    parts.append((start, body[start:]))
    return parts


def _depth(
    paragraph: str,
    start: int,
    pattern: re.Pattern[str],
    opening: str,
    closing: str,
    limit: int,
    what: str,
    body: str,
    found: _Found,
) -> None:
    if paragraph.count(opening) <= limit:
        return
    depth = 0
    for m in pattern.finditer(paragraph):
        token = m.group(0)
        if token == opening:
            depth += 1
            if depth > limit:
                found.add(
                    body,
                    start + m.start(),
                    f"more than {limit} {what} are open at once in this paragraph: Markdown would take very "
                    f"long to read it; close them or write them as \\{opening}",
                )
                return
        elif token == closing:
            depth = max(0, depth - 1)


class _Nesting(HTMLParser):
    """Tracks how deep raw HTML elements sit inside one another."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.too_deep: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        self.stack.append(tag)
        if len(self.stack) > MAX_HTML_DEPTH and self.too_deep is None:
            self.too_deep = self.getpos()[0]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass


def _html_depth(body: str, found: _Found) -> None:
    if body.count("<") <= MAX_HTML_DEPTH or not _HAS_TAG.search(body):
        return
    parser = _Nesting()
    parser.feed(body)
    parser.close()
    if parser.too_deep is not None:
        found.at_line(
            parser.too_deep,
            f"HTML elements are nested more than {MAX_HTML_DEPTH} levels deep here: flatten the structure",
        )


# --- what the sanitizer would remove ---
def _mask_code_spans(body: str) -> str:
    """The body with code spans, autolinks and backslash escapes blanked (newlines kept): `a < b`, \\< and
    \\{ there are text, not markup."""
    if "\\" in body:
        body = _ESCAPE.sub("  ", body)
    if "<" in body:
        body = _AUTOLINK.sub(lambda m: " " * len(m.group(0)), body)
    if "`" not in body:
        return body
    chars = list(body)
    opener: re.Match[str] | None = None
    for m in _BACKTICKS.finditer(body):
        if opener is None:
            opener = m
        elif len(m.group(0)) == len(opener.group(0)):
            for i in range(opener.end(), m.start()):
                if chars[i] != "\n":
                    chars[i] = " "
            opener = None
    return "".join(chars)


class _RawHtml(HTMLParser):
    """Reports raw HTML the sanitizer would remove, with the line it starts on."""

    def __init__(self, found: _Found) -> None:
        super().__init__(convert_charrefs=True)
        self.found = found
        self.comment_open: int | None = None

    def _report(self, message: str) -> None:
        self.found.at_line(self.getpos()[0], message)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self._report(
                f"the HTML element <{tag}> is not allowed in the text and is removed from the site: scripts, "
                "frames, forms, embedded objects, styles and unknown elements could run code or change the "
                "page; see docs/content-model.md for the elements a body may use"
            )
            return
        for name, value in attrs:
            if name == "markdown":
                continue  # md_in_html reads it ("Markdown inside") and removes it
            if not attribute_allowed(tag, name):
                self._report(
                    f'the attribute "{name}" on <{tag}> is not allowed and is removed from the site: event '
                    "handlers (on...), style and attributes outside the list in docs/content-model.md are "
                    "never published"
                )
            elif name in URL_ATTRIBUTES and value is not None and not url_allowed(value):
                self._report(_address_message(value))

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        """Comments are editors' notes: dropped from the site, never a problem."""

    def handle_decl(self, decl: str) -> None:
        self._report(f'"<!{decl}>" is not allowed in the text')

    def handle_pi(self, data: str) -> None:
        self._report(f'"<?{data}>" is not allowed in the text')

    def unknown_decl(self, data: str) -> None:
        self._report(f'"<![{data}]>" is not allowed in the text')


def _raw_html(text: str, found: _Found) -> None:
    if not _HAS_TAG.search(text):
        return
    parser = _RawHtml(found)
    parser.feed(text)
    # An unclosed comment is still pending in the parser's buffer: its text would vanish with the page after it.
    rest = parser.rawdata[parser.rawdata.find("<") :] if "<" in parser.rawdata else ""
    if rest.startswith("<!--"):
        found.add(
            text,
            len(text) - len(parser.rawdata) + parser.rawdata.find("<!--"),
            'a comment opened with "<!--" is never closed with "-->": everything after it would vanish',
        )
    parser.close()


def _address_message(url: str) -> str:
    shown = " ".join(url.split())[:60]
    return (
        f'the address "{shown}" is not allowed and its link is removed from the site: use an address '
        f"starting with {', '.join(s + ':' for s in sorted(URL_SCHEMES))} or a page of this site"
    )


def _attribute_lists(text: str, found: _Found) -> None:
    if "{" not in text:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        last = line.rfind("}")
        position = line.find("{")
        while 0 <= position < last:
            inside = line[position + 1 : last].lstrip(":").lstrip(" ")
            attrs, _ = get_attrs_and_remainder(inside)
            for key, _value in attrs:
                if key not in (".", "id", "class"):
                    found.at_line(
                        number,
                        f'the attribute list "{{{inside[:60]}}}" sets "{key}": an attribute list may set only '
                        "an id (#name) and classes (.name); write a literal brace as \\{",
                    )
            position = line.find("{", position + 1)


def _link_targets(text: str, found: _Found) -> None:
    patterns = [p for p, mark in ((_LINK_TARGET, "]("), (_REFERENCE_TARGET, "]:")) if mark in text]
    for pattern in patterns:
        for m in pattern.finditer(text):
            if not url_allowed(m.group(1)):
                found.add(text, m.start(), _address_message(m.group(1)))
