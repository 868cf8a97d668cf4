"""Texts a build keeps until its end, held compressed: the page bodies the feeds carry, the preview's search documents.

At x10 the entries' bodies are some 50 MiB as Python strings and the preview's search documents 56 MiB, held
while the search indexer runs beside them; compressed (zlib's fastest level) they take a fraction of that, and
each is read back once or twice per build. A text reads back exactly as it was stored.

>>> texts = PackedTexts()
>>> texts["a.md"] = "<p>Trafficking in Migrants, N° 25</p>"
>>> texts["a.md"], texts.get("b.md", ""), len(texts)
('<p>Trafficking in Migrants, N° 25</p>', '', 1)
>>> unpack(pack("é" * 3))
'ééé'
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, MutableMapping

LEVEL = 1
"""zlib's fastest level: the x10 search documents (29.5 MiB) take 10 MiB and 0.6 s of CPU; level 6 saves one more
MiB for 0.05 s more. Reading them all back takes 0.15 s."""


def pack(text: str) -> bytes:
    """`text`, compressed."""
    return zlib.compress(text.encode("utf-8"), LEVEL)


def unpack(data: bytes) -> str:
    """The text `pack` was given."""
    return zlib.decompress(data).decode("utf-8")


class PackedTexts(MutableMapping[str, str]):
    """A mapping of texts stored compressed: each is compressed when set and decompressed when read."""

    def __init__(self) -> None:
        self._packed: dict[str, bytes] = {}

    def __getitem__(self, key: str) -> str:
        return unpack(self._packed[key])

    def __setitem__(self, key: str, text: str) -> None:
        self._packed[key] = pack(text)

    def __delitem__(self, key: str) -> None:
        del self._packed[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def share(self, other: PackedTexts, key: str) -> None:
        """Hold `other`'s text for `key` as it is stored there (nothing compressed again)."""
        self._packed[key] = other._packed[key]
