"""What the importer accepts: bounds on bytes, pages, objects and seconds, and the one error it raises."""

from __future__ import annotations

MAX_TEXT_BYTES = 1024 * 1024
"""A text file may be at most 1 MiB: a content file may not be larger, and an issue's text is about 30 KB."""
MAX_PDF_BYTES = 100 * 1024 * 1024
"""A PDF may be at most 100 MiB, as a bulletin's `pdf:` may."""
MAX_PAGES = 200
"""A bulletin issue has 4 to 16 pages; a PDF with more pages than this is not one issue."""
MAX_OBJECTS = 200_000
"""PDF objects (`n 0 obj`) in the file; an issue of a few pages has a few thousand."""
MAX_STREAM_BYTES = 64 * 1024 * 1024
"""One PDF stream, decompressed: a larger one is refused before any parser inflates it (a zip bomb)."""
MAX_DECODED_BYTES = 256 * 1024 * 1024
"""Every PDF stream of the file, decompressed, together."""
MAX_SECONDS = 60
"""Reading a PDF's text runs in a child process that is stopped after this many seconds of wall time."""
MAX_MEMORY = 1024 * 1024 * 1024
"""The child process that reads a PDF may use this much address space (1 GiB)."""
MAX_HEADINGS = 300
"""Headings in one issue (an issue has about 30): title matching compares headings with each other."""
MAX_COVER = 400
"""Paragraphs before the lead article (the cover; about 40)."""
MAX_LINES = 100_000
"""Lines of text after extraction; an issue has about 1,500."""


class ImportRefused(Exception):
    """The file cannot be imported; the message says why in plain words. Nothing was written."""
