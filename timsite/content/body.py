"""What a Markdown body may contain, checked on the text as written, before Markdown ever sees it.

Two kinds of problems, each a `file:line: body: message`:

- limits: nesting and constructs that Python-Markdown handles in super-linear time or by deep recursion
  (20,000 nested `[` took 78 s; a list nested a few hundred levels deep raised RecursionError; 60,000 code
  spans in one paragraph took 76 s), and what one paragraph and one body may hold. They are counted by a
  linear scan of the text, and refused before Python-Markdown or any HTML parser sees it, so a body can
  neither hang `check` nor the build, nor crash it.
- what the sanitizer (`timsite.content.sanitize`) would remove: raw HTML elements, attributes, classes, ids and
  addresses outside its allow-list, and attribute lists that set anything but `id` and `class`. The site would publish the
  body without them anyway; `check` says so, so that an editor never loses text silently.

The text is read as written: code spans are skipped, but markup shown in an indented code block is
reported as if it were live (write it as a code span instead).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from html.parser import HTMLParser

from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.toc import slugify

from timsite.content.problems import Problem
from timsite.content.sanitize import (
    ADMONITION_KINDS,
    ALLOWED_TAGS,
    EDITOR_CLASSES,
    URL_ATTRIBUTES,
    URL_SCHEMES,
    attribute_allowed,
    editor_id_problem,
    id_reserved,
    url_allowed,
)

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
MAX_HEADINGS = 1000
"""Headings in one body: each is an entry of the page's table of contents (50,000 made a 13 MB page)."""
MAX_BODY_TABLE_CELLS = 10_000
"""Table cells (`|`) in one body."""
MAX_UNCLOSED_TAGS = 50
"""Tag-like text never closed (`a<b ` with no `>` before the next `<`) in one body: Markdown's HTML parser
looks for the end of each one as far as the next `>`, so their cost grows with the length of the text."""

PARAGRAPH_LIMITS: dict[str, tuple[str, int]] = {
    "code span": ("`", 200),
    "emphasis": ("*_", 500),
    "link": ("[", 100),
    "character reference": ("&", 200),
    "HTML tag": ("<", 200),
}
"""What one paragraph may hold, by kind: the characters that open it, counted, and how many. Python-Markdown
copies the paragraph once for each inline element it finds, and looks for a link's end from each `[`, so
its time grows with their product. The real archive's fullest paragraph holds 54 `*` and `_`."""

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_BRACKETS = re.compile(r"\\.|[\[\]]")
_ANGLES = re.compile(r"\\.|[<>]")
# A line's container prefix, found only when long enough to exceed the limit (each level takes a character).
_DEEP_PREFIX = re.compile(rf"^[ \t>*+\-0-9.)]{{{MAX_CONTAINER_DEPTH + 1},}}", re.M)
_CONTAINER = re.compile(r"\t| {4}|>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])")
_MANY_PIPES = re.compile(rf"^(?:[^|\n]*\|){{{MAX_TABLE_CELLS + 1}}}", re.M)
_MANY_BRACES = re.compile(rf"^(?:[^{{\n]*\{{){{{MAX_BRACES_PER_LINE + 1}}}", re.M)
_HEADING = re.compile(r"^ {0,3}#{1,6}(?=[ \t]|$)", re.M)
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\n]+\](?!:)")
_BACKTICKS = re.compile(r"`+")
_HAS_TAG = re.compile(r"<[A-Za-z!/?]")
# A tag as one token: it ends at the first `>` outside quotes, and never reaches past the next `<`, so
# finding every tag in a text is linear in its length (Python's html.parser is quadratic on unclosed tags).
_TAG = re.compile(r"""<(?:[A-Za-z][^\s/>]*|/[A-Za-z][^\s/>]*|[!?])(?:"[^"<]*"|'[^'<]*'|[^<>"'])*>""")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\n]*(?:\n[^)\n]*)?)")
_REFERENCE_TARGET = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?(\S[^\n]*)", re.M)
# Markdown's own autolinks (<https://...>, <name@example.org>): links, not raw HTML.
_AUTOLINK = re.compile(r"<(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*>|<[^<> !]+@[^@<> ]+>")
_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()#+\-.!<>|:]")
_ADMONITION = re.compile(r"^[ \t]*!!! ?([\w\-]+(?: +[\w\-]+)*)", re.M)
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+([^\n]*)", re.M)
_SETEXT = re.compile(r"^ {0,3}(\S[^\n]*)\n {0,3}(?:=+|-+)[ \t]*$", re.M)
_VOID = frozenset({"br", "hr", "img", "wbr", "col", "input", "meta", "link", "area", "base", "source", "track"})


def body_problems(body: str, body_line: int, show: str) -> list[Problem]:
    """Every problem of one body: the limits first; what the sanitizer would remove only within them."""
    found = _Found(show, body_line, body)
    _limits(body, found)
    if not found.problems:
        text = _mask_code_spans(body)
        _raw_html(text, found)
        _attribute_lists(text, found)
        _link_targets(text, found)
        _admonitions(text, found)
        _heading_ids(text, found)
    return list(found.problems.values())


class _Found:
    """Problems by (line, message): one report per line and kind, however often it repeats there."""

    def __init__(self, show: str, body_line: int, text: str) -> None:
        self.show, self.body_line, self.text = show, body_line, text
        # Where each line starts: a line number is then a binary search, not a count from the top.
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.problems: dict[tuple[int, str], Problem] = {}

    def add(self, text: str, offset: int, message: str) -> None:
        """A problem at `offset` of `text` (the body, or the body masked: both keep every line break)."""
        self.at_line(bisect_right(self._starts, offset), message)

    def at_line(self, line_in_body: int, message: str) -> None:
        line = self.body_line + line_in_body - 1
        self.problems.setdefault((line, message), Problem(self.show, line, "body", message))


# --- limits ---
def _limits(body: str, found: _Found) -> None:
    # Each limit is looked at only when the whole body holds enough of its character to exceed it.
    paragraphs = _paragraphs(body)
    if body.count("[") > MAX_BRACKET_DEPTH or body.count("<") > MAX_ANGLE_DEPTH:
        for start, paragraph in paragraphs:
            _depth(paragraph, start, _BRACKETS, "[", "]", MAX_BRACKET_DEPTH, "square brackets [", body, found)
            _depth(paragraph, start, _ANGLES, "<", ">", MAX_ANGLE_DEPTH, "angle brackets <", body, found)
    for kind, (chars, limit) in PARAGRAPH_LIMITS.items():
        if sum(body.count(c) for c in chars) > limit:
            _paragraph_count(paragraphs, kind, chars, limit, body, found)
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
    if body.count("#") > MAX_HEADINGS:
        headings = sum(1 for _ in _HEADING.finditer(body))
        if headings > MAX_HEADINGS:
            found.at_line(
                1, f"the text has {headings} headings; at most {MAX_HEADINGS} are allowed in one file: split the text"
            )
    cells = body.count("|")
    if cells > MAX_TABLE_CELLS:
        for m in _MANY_PIPES.finditer(body):
            found.add(body, m.start(), f"a table row with more than {MAX_TABLE_CELLS} cells (|) is not allowed")
    if cells > MAX_BODY_TABLE_CELLS:
        found.at_line(
            1,
            f"the text has {cells} table cells (|); at most {MAX_BODY_TABLE_CELLS} are allowed in one file: "
            "split the table or the text",
        )
    if body.count("{") > MAX_BRACES_PER_LINE:
        for m in _MANY_BRACES.finditer(body):
            found.add(body, m.start(), f"more than {MAX_BRACES_PER_LINE} curly braces {{ on one line are not allowed")
    if body.count("<") > MAX_UNCLOSED_TAGS:
        _unclosed_tags(body, found)
    if not found.problems:
        _html_depth(body, found)


def _unclosed_tags(body: str, found: _Found) -> None:
    """Counted in one pass: the starts of tags (`<b`, `</b`, `<!`, `<?`) less the tags `_TAG` finds closed."""
    starts = sum(1 for _ in _HAS_TAG.finditer(body))
    if starts <= MAX_UNCLOSED_TAGS:
        return
    unclosed = starts - sum(1 for _ in _TAG.finditer(body))
    if unclosed > MAX_UNCLOSED_TAGS:
        found.at_line(
            1,
            f"the text has {unclosed} tag-like < never closed by > (such as a<b); at most {MAX_UNCLOSED_TAGS} are "
            "allowed in one file: Markdown would take very long to read it; write a < b with spaces, or \\<",
        )


def _paragraphs(body: str) -> list[tuple[int, str]]:
    """(offset, text) of each run of text between blank lines: Markdown parses inline markup within those."""
    parts, start = [], 0
    for m in _PARAGRAPH_BREAK.finditer(body):
        parts.append((start, body[start : m.start()]))
        start = m.end()
    parts.append((start, body[start:]))
    return parts


def _paragraph_count(
    paragraphs: list[tuple[int, str]], kind: str, chars: str, limit: int, body: str, found: _Found
) -> None:
    for start, paragraph in paragraphs:
        count = sum(paragraph.count(c) for c in chars)
        if count > limit:
            shown = " ".join(chars)
            found.add(
                body,
                start,
                f"this paragraph holds {count} {shown} ({kind} markup); at most {limit} are allowed in one "
                "paragraph: Markdown would take very long to read it; split it with blank lines",
            )


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


class _Tag(HTMLParser):
    """Reads one tag found by `_TAG` (a short string): its name and attributes, as a browser would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.start: tuple[str, list[tuple[str, str | None]]] | None = None
        self.end: str | None = None
        self.declaration: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.start = (tag, attrs)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self.end = tag

    def handle_decl(self, decl: str) -> None:
        self.declaration = f"<!{decl}>"

    def handle_pi(self, data: str) -> None:
        self.declaration = f"<?{data}>"

    def unknown_decl(self, data: str) -> None:
        self.declaration = f"<![{data}]>"


def _read_tag(token: str) -> _Tag:
    tag = _Tag()
    tag.feed(token)
    tag.close()
    return tag


def _tags(text: str) -> tuple[list[tuple[int, str]], int | None]:
    """Every tag of `text` as (offset, text), outside comments; and where a comment never closed starts.

    One pass: comments are found with str.find, tags with `_TAG`, each match bounded by the next `<`.
    """
    tags: list[tuple[int, str]] = []
    position = 0
    while True:
        comment = text.find("<!--", position)
        end = len(text) if comment < 0 else comment
        tags.extend((m.start(), m.group(0)) for m in _TAG.finditer(text, position, end))
        if comment < 0:
            return tags, None
        close = text.find("-->", comment + 4)
        if close < 0:
            return tags, comment
        position = close + 3


def _html_depth(body: str, found: _Found) -> None:
    if body.count("<") <= MAX_HTML_DEPTH or not _HAS_TAG.search(body):
        return
    stack: list[str] = []
    for offset, token in _tags(body)[0]:
        tag = _read_tag(token)
        if tag.start is not None and tag.start[0] not in _VOID and not token.endswith("/>"):
            stack.append(tag.start[0])
            if len(stack) > MAX_HTML_DEPTH:
                found.add(
                    body,
                    offset,
                    f"HTML elements are nested more than {MAX_HTML_DEPTH} levels deep here: flatten the structure",
                )
                return
        elif tag.end is not None and tag.end in stack:
            while stack.pop() != tag.end:
                pass


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


def _raw_html(text: str, found: _Found) -> None:
    """Raw HTML the sanitizer would remove, reported at the line its tag starts on."""
    if not _HAS_TAG.search(text):
        return
    tags, open_comment = _tags(text)
    for offset, token in tags:
        tag = _read_tag(token)
        if tag.declaration is not None:
            found.add(text, offset, f'"{tag.declaration[:60]}" is not allowed in the text')
        elif tag.start is not None:
            for message in _element_problems(*tag.start):
                found.add(text, offset, message)
    if open_comment is not None:
        # Its text would vanish with the page after it.
        found.add(
            text,
            open_comment,
            'a comment opened with "<!--" is never closed with "-->": everything after it would vanish',
        )


def _element_problems(tag: str, attrs: list[tuple[str, str | None]]) -> list[str]:
    if tag not in ALLOWED_TAGS:
        return [
            f"the HTML element <{tag}> is not allowed in the text and is removed from the site: scripts, "
            "frames, forms, embedded objects, styles and unknown elements could run code or change the "
            "page; see docs/content-model.md for the elements a body may use"
        ]
    problems = []
    for name, value in attrs:
        if name == "markdown":
            continue  # md_in_html reads it ("Markdown inside") and removes it
        if not attribute_allowed(tag, name):
            problems.append(
                f'the attribute "{name}" on <{tag}> is not allowed and is removed from the site: event '
                "handlers (on...), style and attributes outside the list in docs/content-model.md are "
                "never published"
            )
        elif name in URL_ATTRIBUTES and value is not None and not url_allowed(value):
            problems.append(_address_message(value))
        elif name == "class" and value:
            problems.extend(_class_problem(c) for c in value.split() if c not in EDITOR_CLASSES)
        elif name == "id" and value is not None:
            problem = editor_id_problem(value.strip())
            if problem:
                problems.append(problem)
    return problems


def _class_problem(name: str) -> str:
    allowed = ", ".join(sorted(EDITOR_CLASSES)) or "none"
    return (
        f'the class "{name[:60]}" is not allowed and is removed from the site: classes belong to the site\'s '
        f"and Material's styles and scripts (they can move, hide or cover the page); those a text may use "
        f"are listed in docs/content-model.md ({allowed})"
    )


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
            for key, value in attrs:
                if value is None and key in ("id", "class"):
                    # Markdown writes a bare `id=` as an empty attribute: say so rather than publish it.
                    found.at_line(
                        number,
                        f'the attribute list "{{{inside[:60]}}}" sets "{key}" to nothing: write #name for an id '
                        "and .name for a class, or write a literal brace as \\{",
                    )
                elif key not in (".", "id", "class"):
                    found.at_line(
                        number,
                        f'the attribute list "{{{inside[:60]}}}" sets "{key}": an attribute list may set only '
                        "an id (#name) and classes (.name); write a literal brace as \\{",
                    )
                elif key == "id":
                    problem = editor_id_problem(value)
                    if problem:
                        found.at_line(number, problem)
                else:
                    for name in value.split():
                        if name not in EDITOR_CLASSES:
                            found.at_line(number, _class_problem(name))
            position = line.find("{", position + 1)


def _admonitions(text: str, found: _Found) -> None:
    """`!!! kind "Title"`: every word before the title becomes a class of the box; only Material's kinds."""
    if "!!!" not in text:
        return
    for m in _ADMONITION.finditer(text):
        for word in m.group(1).lower().split():
            if word not in ADMONITION_KINDS:
                found.add(
                    text,
                    m.start(),
                    f'"{word[:40]}" is not a kind of admonition (a box opened with !!!): use one of '
                    f"{', '.join(sorted(ADMONITION_KINDS))}, then the title in quotes",
                )


def _heading_ids(text: str, found: _Found) -> None:
    """A heading without an explicit id gets one made from its text, which may be one the theme uses."""
    if "#" not in text and "\n=" not in text and "\n-" not in text:
        return
    for pattern in (_ATX, _SETEXT):
        for m in pattern.finditer(text):
            heading = m.group(1)
            if "{#" in heading or "{:" in heading:
                continue
            made = slugify(heading.strip().rstrip("#").strip(), "-")
            if id_reserved(made):
                found.add(
                    text,
                    m.start(),
                    f'the heading "{heading.strip()[:60]}" would get the id "{made[:60]}", which the site\'s '
                    "theme uses: give it an id of its own, e.g. {#a-name}",
                )


def _link_targets(text: str, found: _Found) -> None:
    patterns = [p for p, mark in ((_LINK_TARGET, "]("), (_REFERENCE_TARGET, "]:")) if mark in text]
    for pattern in patterns:
        for m in pattern.finditer(text):
            if not url_allowed(m.group(1)):
                found.add(text, m.start(), _address_message(m.group(1)))
