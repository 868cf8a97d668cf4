"""A linear scan of a PDF's bytes before any parser sees them: objects, pages and every stream's inflated size.

A zip bomb (a small stream that inflates to gigabytes) is refused here, by inflating each stream in
bounded steps and counting, never by holding what it inflates to.
"""

from __future__ import annotations

import re
import zlib

from timsite.importer.limits import MAX_DECODED_BYTES, MAX_OBJECTS, MAX_PAGES, MAX_STREAM_BYTES, ImportRefused

_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_STREAM = re.compile(rb"stream\r?\n")
_STEP = 1 << 20


def scan_pdf(data: bytes, name: str) -> None:
    """Refuse, in plain words, a PDF over the limits on objects, pages or inflated bytes."""
    objects = sum(1 for _ in _OBJ.finditer(data))
    if objects > MAX_OBJECTS:
        raise ImportRefused(f"{name}: {objects:,} PDF objects; at most {MAX_OBJECTS:,} are read")
    pages = sum(1 for _ in _PAGE.finditer(data))
    if pages > MAX_PAGES:
        raise ImportRefused(f"{name}: {pages:,} pages; a bulletin issue has at most {MAX_PAGES} (one issue per file)")
    total = 0
    for found in _STREAM.finditer(data):
        start = found.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        if b"/FlateDecode" not in data[max(0, found.start() - 1024) : found.start()]:
            continue
        total += _inflated_size(data[start:end], name)
        if total > MAX_DECODED_BYTES:
            raise ImportRefused(
                f"{name}: its streams inflate to more than {MAX_DECODED_BYTES // 2**20} MiB: refused before parsing"
            )


def _inflated_size(raw: bytes, name: str) -> int:
    inflater = zlib.decompressobj()
    size = 0
    pending = raw
    try:
        while pending:
            size += len(inflater.decompress(pending, _STEP))
            if size > MAX_STREAM_BYTES:
                raise ImportRefused(
                    f"{name}: a stream of {len(raw):,} bytes inflates to more than {MAX_STREAM_BYTES // 2**20} MiB "
                    "(a zip bomb): refused before parsing"
                )
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass  # a damaged stream: the parser skips it
    return size
