"""Blocks to paragraphs: lines joined, line-break hyphens removed, paragraphs broken by a page rejoined.

A hyphen at the end of a line is judged against the document's own words: kept when the compound is
printed whole elsewhere ("counter-trafficking") or its second part starts with a capital ("Asia-Pacific"),
removed when the joined word is printed elsewhere ("However"), and otherwise removed unless both parts
are words of the text. Every judgement goes into the report.

>>> lex = Lexicon(["However, counter-trafficking is the aim.", "ever since"])
>>> lex.join("How", "ever")[0], lex.join("counter", "trafficking")[0], lex.join("or", "ganizing")[0]
('However', 'counter-trafficking', 'organizing')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from timsite.importer.blocks import Block
from timsite.importer.report import Report

LIST_MARK = re.compile(r"^(?:([-•·▪●◦‣∙*])|(\d{1,2})[.)]|([a-z])\)|\(([a-z0-9]{1,3})\))\s+(?=\S)")
"""The start of a list item: a bullet, `1.`, `1)`, `a)` or `(a)`."""
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+", re.UNICODE)
_TRAILING_FRAGMENT = re.compile(r"([^\W\d_]+)-$")
_TERMINAL = ".!?:;…"
_CLOSERS = "\"'”’»)]*"


def ends_sentence(text: str) -> bool:
    """Whether the text ends with sentence punctuation (before any closing quote, bracket or bold mark)."""
    stripped = text.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


def word_count(text: str) -> int:
    return len(text.split())


class Lexicon:
    """The document's own words and hyphenated compounds, from everything not broken at a line end."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.words: set[str] = set()
        self.compounds: set[str] = set()
        after_hyphen = False
        for line in lines:
            if not line:
                continue
            text = line
            if after_hyphen:
                text = re.sub(r"^\W*[^\W\d_]+", "", text)
            after_hyphen = bool(_TRAILING_FRAGMENT.search(text))
            if after_hyphen:
                text = _TRAILING_FRAGMENT.sub("", text)
            lowered = text.casefold()
            self.words.update(_WORD.findall(lowered))
            self.compounds.update(_COMPOUND.findall(lowered))

    def join(self, left: str, right: str) -> tuple[str, float, str]:
        """The word `left-` + `right` makes, how sure, and why."""
        compound, joined = f"{left}-{right}", left + right
        if compound.casefold() in self.compounds:
            return compound, 0.9, "kept: printed with its hyphen elsewhere"
        if joined.casefold() in self.words:
            return joined, 0.95, "joined: printed whole elsewhere"
        if right[:1].isupper():
            return compound, 0.8, "kept: the second part starts with a capital"
        if left.casefold() in self.words and right.casefold() in self.words and min(len(left), len(right)) >= 3:
            return compound, 0.6, "kept: both parts are words of the text"
        heads = {c.split("-")[0] for c in self.compounds}
        tails = {c.rsplit("-", 1)[-1] for c in self.compounds}
        if left.casefold() in heads or right.casefold() in tails:
            return compound, 0.6, "kept: the text hyphenates compounds with this part elsewhere"
        return joined, 0.7, "joined: a word broken at the line end"


@dataclass
class Para:
    """A paragraph, heading, list or block of lines, before it is placed in the issue's structure."""

    text: str
    lines: list[str]
    kind: str = "para"
    """`para`, `list` (items in `items`) or `lines` (an address: line breaks kept)."""
    items: list[str] = field(default_factory=list)
    ordered: bool = False
    size: float | None = None
    after_break: bool = False
    page: int = 0
    continuation: bool = False
    """A list whose first item is the rest of a paragraph or item cut by a break (its first line has no mark)."""


def _join(parts: list[str], lexicon: Lexicon, report: Report) -> str:
    text = ""
    for part in parts:
        if text.endswith("**") and part.startswith("**"):
            # One bold run set over two lines: "**Mekong Re-**" + "**gion**".
            text, part = text[:-2], part[2:]
        fragment = _TRAILING_FRAGMENT.search(text)
        first = re.match(r"[^\W\d_]+", part)
        if fragment and first and part[first.end() : first.end() + 1] == "-":
            # "hundreds-" + "of-thousands": a break inside a compound of several parts keeps its hyphen.
            word, confidence, why = f"{fragment.group(1)}-{first.group(0)}", 0.8, "kept: inside a hyphenated compound"
            report.add(confidence, f'line-break hyphen "{fragment.group(1)}-" + "{first.group(0)}": {why}', word)
            text = text[: fragment.start()] + word + part[first.end() :]
        elif fragment and first:
            word, confidence, why = lexicon.join(fragment.group(1), first.group(0))
            report.add(confidence, f'line-break hyphen "{fragment.group(1)}-" + "{first.group(0)}": {why}', word)
            text = text[: fragment.start()] + word + part[first.end() :]
        else:
            text = f"{text} {part}" if text else part
    return text


def _is_list_start(line: str) -> bool:
    # "**bold**" opens a paragraph; a lone "*" followed by a space is a bullet.
    return bool(LIST_MARK.match(line)) and not line.startswith("**")


def wrap_width(blocks: list[Block]) -> int | None:
    """The width lines were wrapped at, or None when each paragraph is one line (as a PDF extraction gives)."""
    lengths = sorted(len(line) for b in blocks for line in b.lines[:-1] if len(b.lines) > 1)
    if len(lengths) < 10:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    return width if width < 200 else None


def to_paras(blocks: list[Block], lexicon: Lexicon, report: Report) -> list[Para]:
    """Each block as a paragraph, list or line block; blocks split by a page or column break rejoined."""
    width = wrap_width(blocks)
    body = body_size(blocks)
    out: list[Para] = []
    for block in blocks:
        para = _para(block, width, body, lexicon, report)
        previous = out[-1] if out else None
        if para.continuation:
            rest = para.items.pop(0)
            para.text = " ".join(para.items)
            head = Para(rest, [rest], "para", size=para.size, after_break=para.after_break, page=para.page)
            if previous is not None and _continues(previous, head, block, width):
                _merge(previous, head, lexicon, report)
            else:
                out.append(head)
                previous = head
        if previous is not None and previous.kind == para.kind == "list" and previous.ordered == para.ordered:
            previous.items += para.items
            previous.lines = previous.lines + para.lines
            continue
        if (
            previous is not None
            and not is_larger(para, body)
            and not is_larger(previous, body)
            and _continues(previous, para, block, width)
        ):
            _merge(previous, para, lexicon, report)
            continue
        out.append(para)
    return out


def _para(block: Block, width: int | None, body: float | None, lexicon: Lexicon, report: Report) -> Para:
    lines = block.lines
    size = block.size
    marked = next((line for line in lines if _is_list_start(line)), None)
    if marked is not None:
        items: list[list[str]] = []
        for line in lines:
            if _is_list_start(line) or not items:
                items.append([line])
            else:
                items[-1].append(line)
        joined = [_join(item, lexicon, report) for item in items]
        found = LIST_MARK.match(marked)
        ordered = bool(found and found.group(2))
        para = Para(" ".join(joined), lines, "list", joined, ordered, size, block.after_break, block.page)
        para.continuation = not _is_list_start(lines[0])
        return para
    limit = 0.7 * width if width else 60
    short_lines = len(lines) >= 2 and all(len(line) <= limit for line in lines)
    # A heading set over two lines (capitals, or a larger font) is one title, not a block of lines.
    heading = all(c.isupper() for c in " ".join(lines) if c.isalpha()) or bool(body and size and size >= 1.12 * body)
    if short_lines and not heading and not any(ends_sentence(x) for x in lines[:-1]) and (width or len(lines) >= 3):
        return Para(" ".join(lines), lines, "lines", [], False, size, block.after_break, block.page)
    return Para(_join(lines, lexicon, report), lines, "para", [], False, size, block.after_break, block.page)


def _continues(previous: Para, para: Para, block: Block, width: int | None) -> bool:
    """Whether `para` is the rest of `previous`, cut by a page or column break."""
    if previous.kind == "lines" or para.kind == "lines" or (para.kind == "list" and previous.kind != "list"):
        return False
    if para.kind == "list":
        return False
    last = previous.items[-1] if previous.kind == "list" else previous.text
    first = para.text
    if is_heading_like(para) or is_heading_like(previous):
        return False
    if _TRAILING_FRAGMENT.search(last) and first[:1].isalpha():
        return True
    if ends_sentence(last):
        # A page break at a sentence end: the paragraph goes on when its last line was a full one.
        full = bool(width) and len(previous.lines[-1]) >= 0.85 * (width or 0)
        return block.after_break and full and previous.kind != "list"
    if first[:1].islower() or first[:1] in "“\"'‘(":
        return True
    # A paragraph cut by a page ends in a full line of text (not a title's short line).
    full_line = max(len(line) for line in previous.lines) >= (0.6 * width if width else 50)
    return word_count(last) >= 10 and full_line and not first.startswith("**")


def body_size(blocks: list[Block]) -> float | None:
    """The font size of the running text: the size most characters are set in."""
    weight: dict[float, int] = {}
    for block in blocks:
        for line, size in zip(block.lines, block.sizes, strict=False):
            weight[size] = weight.get(size, 0) + len(line)
    return max(weight, key=lambda s: weight[s]) if weight else None


def is_larger(para: Para, body: float | None) -> bool:
    """Set in a font clearly larger than the running text (a heading in a PDF)."""
    return bool(body and para.size and para.size >= 1.12 * body and word_count(para.text) <= 25)


def is_heading_like(para: Para) -> bool:
    """Set in capitals, a line or two long: a heading whatever follows."""
    letters = [c for c in para.text if c.isalpha()]
    return (
        para.kind == "para" and len(letters) >= 6 and all(c.isupper() for c in letters) and word_count(para.text) <= 25
    )


def _merge(previous: Para, para: Para, lexicon: Lexicon, report: Report) -> None:
    if previous.kind == "list":
        previous.items[-1] = _join([previous.items[-1], para.text], lexicon, report)
    else:
        previous.text = _join([previous.text, para.text], lexicon, report)
    previous.lines = previous.lines + para.lines
    report.add(0.75, "paragraph rejoined across a page or column break", para.text[:40])
