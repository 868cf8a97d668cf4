"""Make Pagefind's bundle reproducible: its filter files come out in hash-map order, different every run.

Pagefind 1.5.2 writes each filter (`filter/*.pf_filter`) and the list of filters in its metadata
(`pagefind.*.pf_meta`) in the iteration order of a randomly seeded hash map (not fixed upstream in that version), so two
builds of the same pages differ in those files and in the names that point to them. This puts their
entries in a fixed order and renames the files after their new content. The files are gzip-compressed
CBOR behind a `pagefind_dcd` signature; only the few CBOR types Pagefind writes (unsigned integers, text,
arrays) are handled, and anything else leaves the bundle exactly as Pagefind wrote it.

>>> decode(encode([1, "a", [500, 70000]])) == [1, "a", [500, 70000]]
True
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
Value = int | str | list["Value"]


class Unsupported(Exception):
    """A CBOR item this module does not rewrite, or a bundle not in the form it expects."""


def _list(value: Value, what: str, length: int = 0) -> list[Value]:
    """`value` if it is a list of at least `length` items: a check of Pagefind's format that `python -O` keeps."""
    if not isinstance(value, list) or len(value) < length:
        raise Unsupported(f"the search bundle is not in the expected form: {what}")
    return value


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise Unsupported(f"integer {n} too large")


def encode(value: Value) -> bytes:
    """CBOR with the shortest heads, as minicbor writes it."""
    if isinstance(value, bool):
        raise Unsupported("booleans")
    if isinstance(value, int):
        if value < 0:
            raise Unsupported("negative integers")
        return _head(0, value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    return _head(4, len(value)) + b"".join(encode(v) for v in value)


def _read(data: bytes, at: int) -> tuple[Value, int]:
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        n = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        n, at = int.from_bytes(data[at : at + size], "big"), at + size
    else:
        raise Unsupported(f"CBOR additional information {info}")
    if major == 0:
        return n, at
    if major == 3:
        return data[at : at + n].decode("utf-8"), at + n
    if major == 4:
        items = []
        for _ in range(n):
            item, at = _read(data, at)
            items.append(item)
        return items, at
    raise Unsupported(f"CBOR major type {major}")


def decode(data: bytes) -> Value:
    value, end = _read(data, 0)
    if end != len(data):
        raise Unsupported("trailing bytes")
    return value


def _load(path: Path) -> Value:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise Unsupported(f"{path.name} has no {SIGNATURE!r} signature")
    body = raw[len(SIGNATURE) :]
    value = decode(body)
    if encode(value) != body:  # our encoding must be Pagefind's, or the rewrite would change meaning
        raise Unsupported(f"{path.name} does not round-trip")
    return value


def _dump(value: Value) -> bytes:
    return gzip.compress(SIGNATURE + encode(value), compresslevel=9, mtime=0)


def _name(prefix: str, data: bytes, length: int) -> str:
    return f"{prefix}_{hashlib.sha256(data).hexdigest()[:length]}"


def page_urls(bundle: Path) -> list[str]:
    """The URL of every page of the bundle, in the order the index numbers them (the order they were added)."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    urls = []
    for info in entry["languages"].values():
        meta = _list(_load(bundle / f"pagefind.{info['hash']}.pf_meta"), "its metadata", 2)
        for page in _list(meta[1], "its metadata's pages"):
            page = _list(page, "a page", 1)
            fragment = gzip.decompress((bundle / "fragment" / f"{page[0]}.pf_fragment").read_bytes())
            urls.append(json.loads(fragment[len(SIGNATURE) :])["url"])
    return urls


def canonicalize(bundle: Path) -> bool:
    """Rewrite the bundle's filter files and metadata in a fixed order; False if left as written."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    plans = []
    try:
        for language, info in entry["languages"].items():
            meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
            meta = _list(_load(meta_path), "its metadata", 5)
            files = {}
            filters: list[Value] = []
            for pair in _list(meta[3], "its metadata's filters"):
                pair = _list(pair, "a filter's name and hash", 2)
                name, old_hash = str(pair[0]), str(pair[1])
                old = bundle / "filter" / f"{old_hash}.pf_filter"
                index = _list(_load(old), "a filter file", 2)
                index[1] = sorted(_list(index[1], "a filter's values"), key=lambda v: v[0])  # type: ignore[index]
                data = _dump(index)
                new_hash = _name(language, data, 7)
                files[old] = (bundle / "filter" / f"{new_hash}.pf_filter", data)
                filters.append([name, new_hash])
            meta[3] = sorted(filters, key=str)
            meta_data = _dump(meta)
            meta_hash = _name(language, meta_data, 10)
            plans.append((language, meta_path, bundle / f"pagefind.{meta_hash}.pf_meta", meta_data, meta_hash, files))
    except (Unsupported, ValueError, TypeError, OSError, EOFError, gzip.BadGzipFile):
        return False
    for language, old_meta, new_meta, meta_data, meta_hash, files in plans:
        for old, (new, data) in files.items():
            old.unlink()
            new.write_bytes(data)
        old_meta.unlink()
        new_meta.write_bytes(meta_data)
        entry["languages"][language]["hash"] = meta_hash
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True
