"""The PDF cache: a typeset edition kept by what decides its bytes, so an unchanged issue is never typeset again.

A PDF is stored under the SHA-256 of the engine's fingerprint (Typst's version, the template files,
the fonts, the PDF standard) and the edition's data (the body as shown, the cover, the metadata).
The folder lies outside the release (see `FOLDER`, git-ignored), and only
editions a reader may see are ever put in it: never a draft's or an embargoed item's.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

FOLDER = ".cache/pdf"
"""Beside the site folder (a plain `mkdocs build`); `build.py build` keeps it beside the releases,
`.site-cache/pdf`, and TIMSITE_PDF_CACHE overrides both (an empty folder gives a cold build)."""


def key(fingerprint: str, edition_json: str) -> str:
    return hashlib.sha256(f"{fingerprint}\0{edition_json}".encode()).hexdigest()


class Cache:
    """PDFs by key in one folder; a write is atomic, so a build stopped half-way never leaves a torn file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, key: str, pdf: bytes) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(pdf)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    def keys(self) -> set[str]:
        return {p.stem for p in self.folder.glob("*/*.pdf")}


__all__ = ["FOLDER", "Cache", "key"]
