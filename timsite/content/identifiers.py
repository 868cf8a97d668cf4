"""ISBN and ISSN handling: parse as printed, validate and format through python-stdnum.

A printed identifier is kept exactly as printed. When its check digit fails it is
still kept (the catalogue shows what the document says) but it is never treated as
a valid identifier: it gets no canonical form and no identifier URL.

>>> i = parse_isbn("92-9068-113-6")
>>> i.valid, i.isbn13, i.isbn10
(True, '9789290681137', '9290681136')
>>> i.hyphenated13, i.hyphenated10
('978-92-9068-113-7', '92-9068-113-6')
>>> bad = parse_isbn("92-9068-060-X")
>>> bad.valid, bad.checksum_failed, bad.isbn13
(False, True, None)
>>> parse_isbn("12345").problem
'an ISBN has 10 or 13 digits, this one has 5'
>>> parse_issn("1607-338X").compact, parse_issn("1607-338X").formatted
('1607338X', '1607-338X')
>>> parse_issn("1607-3381").checksum_failed
True
>>> identifier_keys("978-92-9068-113-7")
['9789290681137', '9290681136']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from stdnum import isbn as _isbn
from stdnum import issn as _issn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError


@dataclass(frozen=True)
class Isbn:
    """An ISBN as printed, with its canonical forms when it is valid."""

    printed: str
    isbn13: str | None = None
    isbn10: str | None = None
    problem: str | None = None
    checksum_failed: bool = False

    @property
    def valid(self) -> bool:
        return self.isbn13 is not None

    @property
    def hyphenated13(self) -> str | None:
        return _hyphenate(self.isbn13) if self.isbn13 else None

    @property
    def hyphenated10(self) -> str | None:
        return _hyphenate(self.isbn10) if self.isbn10 else None

    @property
    def keys(self) -> list[str]:
        """Digit-only forms a reader may use to look this ISBN up (both lengths)."""
        return [k for k in (self.isbn13, self.isbn10) if k]


@dataclass(frozen=True)
class Issn:
    """An ISSN as printed, with its canonical forms when it is valid."""

    printed: str
    compact: str | None = None
    problem: str | None = None
    checksum_failed: bool = False

    @property
    def valid(self) -> bool:
        return self.compact is not None

    @property
    def formatted(self) -> str | None:
        return _issn.format(self.compact) if self.compact else None


@functools.lru_cache(maxsize=65536)
def _hyphenate(compact: str) -> str:
    """stdnum's hyphenation (a range-table lookup), cached: every page and export asks again."""
    return str(_isbn.format(compact))


def _explain(exc: ValidationError, kind: str, printed: str) -> str:
    digits = _isbn.compact(printed) if kind == "ISBN" else _issn.compact(printed)
    if isinstance(exc, InvalidChecksum):
        return "check digit is invalid"
    if isinstance(exc, InvalidLength):
        lengths = "10 or 13" if kind == "ISBN" else "8"
        return f"an {kind} has {lengths} digits, this one has {len(digits)}"
    if isinstance(exc, InvalidComponent):
        return f"not a valid {kind}: the 978/979 prefix is wrong"
    if isinstance(exc, InvalidFormat):
        return f"not a valid {kind}: only digits, hyphens and a final X are allowed"
    return f"not a valid {kind}: {exc}"


@functools.lru_cache(maxsize=65536)
def parse_isbn(printed: str) -> Isbn:
    """Parse an ISBN-10 or ISBN-13 as printed; never raises (cached: pages ask for the same ISBN often)."""
    try:
        compact13 = _isbn.validate(printed, convert=True)
    except ValidationError as exc:
        return Isbn(printed, problem=_explain(exc, "ISBN", printed), checksum_failed=isinstance(exc, InvalidChecksum))
    return Isbn(printed, isbn13=compact13, isbn10=_isbn.to_isbn10(compact13) if compact13.startswith("978") else None)


@functools.lru_cache(maxsize=65536)
def parse_issn(printed: str) -> Issn:
    """Parse an ISSN as printed; never raises (cached)."""
    try:
        compact = _issn.validate(printed)
    except ValidationError as exc:
        return Issn(printed, problem=_explain(exc, "ISSN", printed), checksum_failed=isinstance(exc, InvalidChecksum))
    return Issn(printed, compact=compact)


def identifier_keys(text: str) -> list[str]:
    """Every digit-only form of a valid ISBN or ISSN typed by a reader, or [] if it is neither."""
    isbn = parse_isbn(text)
    if isbn.valid:
        return isbn.keys
    issn = parse_issn(text)
    return [issn.compact] if issn.compact else []
