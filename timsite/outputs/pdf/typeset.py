"""Typst, walled in: one template folder, the fonts bundled in the pinned `typst` wheel, the edition as data.

The compiler's root is `templates/` (the only files it may read: no path outside it, no `file://`,
no network), system fonts are ignored so the bytes are the same on every machine, and the editor's
text arrives in `sys.inputs` as JSON. Typst starts threads: call this only in a process that will
not fork afterwards (the PDF writer child, or a build that never forks).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import typst

from timsite.outputs.pdf.edition import creation_date

TEMPLATES = Path(__file__).parent / "templates"
MAIN = TEMPLATES / "edition.typ"
ENGINE = f"typst-py {typst.__version__ if hasattr(typst, '__version__') else 'unknown'}"
STANDARDS: list[Any] = ["ua-1"]
"""PDF/UA-1: Typst then refuses a document without a title, or whose headings skip a level."""


class TypesetError(Exception):
    """Typst refused the edition; the message is Typst's."""


@cache
def _fonts() -> typst.Fonts:
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[])


def fingerprint() -> str:
    """What, besides the edition, decides a PDF's bytes: the engine, the template files and the fonts."""
    digest = hashlib.sha256(ENGINE.encode())
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(TEMPLATES).as_posix().encode() + b"\0" + path.read_bytes())
    for font in _fonts().fonts():
        digest.update(f"{font.family}/{font.style}/{font.weight}/{font.stretch}".encode())
    digest.update(json.dumps(STANDARDS).encode())
    return digest.hexdigest()


def edition_json(edition: dict[str, Any]) -> str:
    return json.dumps(edition, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Typesetter:
    """Compiles editions to PDF; one compiler reused, so the fonts are read once."""

    def __init__(self) -> None:
        self._compiler: typst.Compiler | None = None

    def pdf(self, edition: dict[str, Any]) -> bytes:
        if self._compiler is None:
            self._compiler = typst.Compiler(
                MAIN, root=TEMPLATES, font_paths=_fonts(), ignore_system_fonts=True, sys_inputs={}
            )
        made = datetime.combine(creation_date(edition), time(), tzinfo=UTC)
        try:
            out = self._compiler.compile(
                format="pdf",
                sys_inputs={"edition": edition_json(edition)},
                pdf_standards=STANDARDS,
                timestamp=made,
            )
        except typst.TypstError as error:
            raise TypesetError(f"{error.message} {' '.join(error.hints)}".strip()) from error
        if not isinstance(out, bytes):  # one document, one PDF: a list would mean one image per page
            raise TypesetError(f"Typst returned {type(out).__name__}, not one PDF")
        return out


__all__ = ["ENGINE", "TEMPLATES", "TypesetError", "Typesetter", "edition_json", "fingerprint"]
