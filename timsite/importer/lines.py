"""The neutral form every source is read into: lines of text with their page, font size and bold spans."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One printed line. An empty text is a paragraph break; `size` is the font size when the source has one.

    Bold text is marked `**...**` inside `text`, as the extracted text of a PDF marks it.
    """

    text: str
    page: int = 0
    size: float | None = None
    page_break: bool = False
    """The line ends a page or a column: the paragraph around it may continue on the next."""
