"""Reading a born-digital PDF: its text layer, in reading order (columns), with font sizes, bold and breaks.

The bytes are scanned first (`pdf_scan`); the parser (pypdf) runs in a child process limited in seconds
and memory; its fragments become lines: columns read left then right, a wider gap than the usual
leading starts a paragraph, a soft hyphen at a line end becomes a hyphen the reflow judges.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from itertools import pairwise
from pathlib import Path
from statistics import median
from typing import Any

from timsite.importer.limits import MAX_MEMORY, MAX_PDF_BYTES, MAX_SECONDS, ImportRefused
from timsite.importer.lines import Line
from timsite.importer.pdf_scan import scan_pdf

OCR_HINT = (
    "a scanned PDF has no text layer: run OCRmyPDF on it first (ocrmypdf --language eng scan.pdf text.pdf) "
    "and import text.pdf"
)


def _limit() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MAX_MEMORY, MAX_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (MAX_SECONDS, MAX_SECONDS + 5))


def read_pdf(path: Path) -> list[Line]:
    size = path.stat().st_size
    if size > MAX_PDF_BYTES:
        raise ImportRefused(f"{path}: {size:,} bytes; a PDF may be at most {MAX_PDF_BYTES // 2**20} MiB")
    scan_pdf(path.read_bytes(), str(path))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "timsite.importer.pdf_child", str(path)],
            capture_output=True,
            timeout=MAX_SECONDS,
            preexec_fn=_limit,
            env=os.environ.copy(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ImportRefused(f"{path}: reading its text took more than {MAX_SECONDS} s: stopped") from None
    if done.returncode != 0:
        why = "memory" if b"MemoryError" in done.stderr else f"exit code {done.returncode}"
        raise ImportRefused(
            f"{path}: the PDF reader stopped ({why}, limits {MAX_MEMORY // 2**20} MiB, {MAX_SECONDS} s)"
        )
    result: dict[str, Any] = json.loads(done.stdout)
    if "refused" in result:
        raise ImportRefused(f"{path}: {result['refused']}")
    lines = to_lines(result["pages"])
    if not any(line.text for line in lines):
        raise ImportRefused(f"{path}: no text: {OCR_HINT}. Nothing was written")
    return lines


def to_lines(pages: list[dict[str, Any]]) -> list[Line]:
    """Fragments to lines: by column, top to bottom; blank lines at paragraph gaps and breaks."""
    out: list[Line] = []
    for page in pages:
        middle = page["width"] / 2
        columns: dict[int, dict[float, list[list[Any]]]] = {0: {}, 1: {}}
        for frag in page["text"]:
            x, y = frag[0], frag[1]
            column = 0 if x < middle else 1
            key = next((k for k in columns[column] if abs(k - y) < 2), y)
            columns[column].setdefault(key, []).append(frag)
        for column in (0, 1):
            rows = sorted(columns[column].items(), key=lambda kv: -kv[0])
            if not rows:
                continue
            gaps = [a[0] - b[0] for a, b in pairwise(rows)]
            leading = median(gaps) if gaps else 0
            previous_y, previous_size = None, None
            for y, frags in rows:
                text, size = _line(sorted(frags, key=lambda f: f[0]))
                if previous_y is not None and (
                    previous_y - y > 1.4 * leading or (previous_size and abs(size - previous_size) > 0.5)
                ):
                    out.append(Line("", page["number"]))
                out.append(Line(text, page["number"], size))
                previous_y, previous_size = y, size
            out.append(Line("", page["number"], page_break=True))
    return out


def _line(frags: list[list[Any]]) -> tuple[str, float]:
    """One line's text, bold runs marked `**`, and its largest font size."""
    parts: list[str] = []
    bold_open = False
    for _, _, _, bold, text in frags:
        if text == "\xad":
            text = "-"
        if bold and text.strip() and not bold_open:
            stripped = text.lstrip()
            parts.append(text[: len(text) - len(stripped)] + "**")
            text, bold_open = stripped, True
        elif not bold and bold_open and text.strip():
            parts[-1] = parts[-1].rstrip() + "**" + (" " if parts[-1].endswith(" ") else "")
            bold_open = False
        parts.append(text)
    line = "".join(parts)
    if bold_open:
        line = line.rstrip() + "**"
    return " ".join(line.split()), max(f[2] for f in frags)
