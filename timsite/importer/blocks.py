"""Lines to blocks: page furniture (page numbers, running heads) removed, the rest grouped by blank lines.

>>> lines = [Line(t) for t in ["Head", "", "Body text", "", "12", "", "Head", "", "more", "", "Head", "3"]]
>>> [(b.lines, b.after_break) for b in to_blocks(remove_furniture(lines, "x", Report()))]
[(['Body text'], True), (['more'], True)]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from timsite.importer.lines import Line
from timsite.importer.report import Report

PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
"""A line that is only a page number: `12`, `- 12 -`, `Page 12`, `12 / 16`."""
RUNNING_HEAD_MIN = 3
"""A short line printed this many times, next to page numbers, is a running head."""


@dataclass
class Block:
    """Lines printed together (no blank line between them)."""

    lines: list[str]
    page: int = 0
    size: float | None = None
    after_break: bool = False
    """A page number, a running head or a page or column break came just before it."""
    sizes: list[float] = field(default_factory=list)


def _key(text: str) -> str:
    # Case kept: a running head is printed the same way each time, and the same words set otherwise are text.
    return " ".join(text.replace("*", "").split())


def remove_furniture(lines: list[Line], periodical: str, report: Report) -> list[Line]:
    """The lines with page numbers and running heads replaced by page breaks."""
    numbers = [bool(line.text) and bool(PAGE_NUMBER.match(line.text)) for line in lines]
    counts = Counter(_key(line.text) for line in lines if 0 < len(line.text) <= 100)
    near_number: Counter[str] = Counter()
    nonblank = [i for i, line in enumerate(lines) if line.text]
    for pos, i in enumerate(nonblank):
        neighbours = nonblank[max(0, pos - 2) : pos] + nonblank[pos + 1 : pos + 3]
        if any(numbers[j] for j in neighbours):
            near_number[_key(lines[i].text)] += 1
    name = _key(periodical).casefold()
    heads = {
        key
        for key, n in counts.items()
        if n >= RUNNING_HEAD_MIN and (near_number[key] >= 2 or (name and name in key.casefold()))
    }
    out: list[Line] = []
    removed_numbers = removed_heads = 0
    for line, is_number in zip(lines, numbers, strict=True):
        if is_number:
            removed_numbers += 1
        elif line.text and _key(line.text) in heads:
            removed_heads += 1
        else:
            out.append(line)
            continue
        out.append(Line("", line.page, page_break=True))
    if removed_numbers:
        report.add(0.9, f"{removed_numbers} page number line(s) removed")
    if removed_heads:
        shown = "; ".join(f'"{h}"' for h in sorted(heads))[:200]
        report.add(0.85, f"{removed_heads} running head line(s) removed: {shown}")
    return out


def to_blocks(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    pending_break = False
    for line in lines:
        if not line.text:
            pending_break = pending_break or line.page_break
            current = None
            continue
        if current is None:
            current = Block([], line.page, after_break=pending_break)
            blocks.append(current)
            pending_break = False
        current.lines.append(line.text)
        if line.size is not None:
            current.sizes.append(line.size)
            current.size = max(current.size or 0.0, line.size)
    return blocks
