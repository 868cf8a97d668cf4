"""Run as a child process (`python -m timsite.importer.pdf_child FILE`): a PDF's text with positions, as JSON.

It runs under the limits `pdf_input` sets (seconds, memory) so that no PDF can hang or exhaust the
importer; what it finds, or why it stopped, crosses back as data on its standard output.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from timsite.importer.limits import MAX_PAGES


def fragments(path: str) -> dict[str, Any]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            return {"refused": "the PDF is encrypted: save an unencrypted copy first"}
        count = len(reader.pages)
        if count > MAX_PAGES:
            return {"refused": f"{count:,} pages; a bulletin issue has at most {MAX_PAGES} (one issue per file)"}
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            box = page.mediabox
            found: list[list[Any]] = []

            def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float, found=found) -> None:
                if not text or (not text.strip(" \n") and text != "\xad"):
                    return
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
                name = str((font or {}).get("/BaseFont", "")) if hasattr(font, "get") else ""
                bold = "bold" in name.lower() or "black" in name.lower()
                found.append([round(x, 1), round(y, 1), round(size * scale, 1), bold, text.replace("\n", " ")])

            page.extract_text(visitor_text=visit)
            pages.append({"number": number, "width": float(box.width), "height": float(box.height), "text": found})
        return {"pages": pages}
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError, OSError) as exc:
        return {"refused": f"the PDF cannot be read: {type(exc).__name__}: {str(exc)[:200]}"}


if __name__ == "__main__":
    json.dump(fragments(sys.argv[1]), sys.stdout)
