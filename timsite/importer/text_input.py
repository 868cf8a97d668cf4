"""Reading plain text extracted from a PDF: bounded, decoded, with line endings and invisible characters settled.

>>> [line.text for line in read_text_bytes(b"\\xef\\xbb\\xbfA\\r\\nB\\x0cC", "x")]
['A', 'B', '', 'C']
"""

from __future__ import annotations

import re
from pathlib import Path

from timsite.importer.limits import MAX_LINES, MAX_TEXT_BYTES, ImportRefused
from timsite.importer.lines import Line

# C0 and C1 controls but tab, line feed and form feed; bidi embeddings, overrides and isolates.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def read_text(path: Path) -> list[Line]:
    """The lines of a text file, refused plainly if it is too large, binary or not UTF-8."""
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise ImportRefused(
            f"{path}: {size:,} bytes of text; at most {MAX_TEXT_BYTES:,} bytes (1 MiB) are imported: "
            "an issue's text is about 30 KB, and a content file may not be larger"
        )
    with path.open("rb") as handle:
        raw = handle.read(MAX_TEXT_BYTES + 1)
    if len(raw) > MAX_TEXT_BYTES:
        raise ImportRefused(f"{path}: more than {MAX_TEXT_BYTES:,} bytes of text (the file grew while read)")
    return read_text_bytes(raw, str(path))


def read_text_bytes(raw: bytes, name: str) -> list[Line]:
    if b"\x00" in raw:
        raise ImportRefused(f"{name}: the file holds NUL bytes: it is not text (give a .pdf file or plain text)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"{name}: byte {exc.start} is not UTF-8: save the extracted text as UTF-8 and import it again"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _INVISIBLE.sub("", text).replace("\t", " ")
    out: list[Line] = []
    page = 1
    for chunk in text.split("\n"):
        # A form feed is a page break, as pdftotext writes it.
        parts = chunk.split("\x0c")
        for i, part in enumerate(parts):
            if i:
                page += 1
                out.append(Line("", page, page_break=True))
            out.append(Line(" ".join(part.split()), page))
        if len(out) > MAX_LINES:
            raise ImportRefused(f"{name}: more than {MAX_LINES:,} lines: this is not one bulletin issue")
    return out
