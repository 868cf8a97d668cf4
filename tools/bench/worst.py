"""Worst-case bodies, one family per construct Python-Markdown or an HTML parser reads in super-linear time.

Each generator writes a body of about `size` characters (1 MiB is the content file limit) made of one
construct repeated: on 20f2b1d each passed `check` or hung it, and the build took minutes to hours.
The hostile corpus (`tests/test_hostile_limits.py`) checks that `check` refuses each at 1 MiB before any
parser runs; the benchmark (`python -m tools.bench.worst`) times `check` and the build of each.
"""

from __future__ import annotations

from collections.abc import Callable

MIB = 1 << 20


def _repeat(unit: str, size: int, separator: str = "") -> str:
    count = max(1, (size - 1) // (len(unit) + len(separator)))
    return separator.join([unit] * count) + "\n"


def code_spans(size: int) -> str:
    """`` `d` `` spans in one paragraph: 240 KB took the build 76 s."""
    return _repeat("`d` ", size)


def emphasis(size: int) -> str:
    """Emphasis and strong emphasis, closed and unclosed, in one paragraph."""
    return _repeat("*a* **b** _c_ *d ", size)


def links(size: int) -> str:
    """Links and brackets never closed, in one paragraph: `[x](y ` over and over."""
    return _repeat("[x](y ", size)


def entities(size: int) -> str:
    """Character references, named, decimal and hexadecimal, in one paragraph."""
    return _repeat("&amp; &#169; &#x41; ", size)


def tag_like(size: int) -> str:
    """Text that looks like tags never closed: `"a<b " * 10000` (40 KB) took `check` 31 s."""
    return _repeat("a<b ", size)


def nested_lists(size: int) -> str:
    """Lists nested 15 levels deep (under the depth limit), over and over."""
    block = "".join("    " * level + f"- item {level}\n" for level in range(15))
    return _repeat(block, size, "\n")


def wide_tables(size: int) -> str:
    """Tables of 64 columns (the most a row may have), with as many rows as fit."""
    header = "|" + "|".join(f"h{i}" for i in range(63)) + "|\n"
    rule = "|" + "|".join("---" for _ in range(63)) + "|\n"
    row = "|" + "|".join("c" for _ in range(63)) + "|\n"
    return header + rule + row * max(1, (size - len(header) - len(rule)) // len(row))


def headings(size: int) -> str:
    """A heading on every other line: each is an entry of the page's table of contents (50,000: a 13 MB page)."""
    return _repeat("## h\n", size, "\n")


FAMILIES: dict[str, Callable[[int], str]] = {
    "code spans": code_spans,
    "emphasis": emphasis,
    "links": links,
    "entities": entities,
    "tag-like text": tag_like,
    "nested lists": nested_lists,
    "wide tables": wide_tables,
    "headings": headings,
}
"""Each family's generator, by name."""


def content_file(name: str, body: str) -> str:
    """A publication whose body is `body`, as an editor would commit it."""
    return (
        f'---\nid: worst-{name.replace(" ", "-")}\ntitle: "Worst case: {name}"\ntype: report\nyear: 2001\n---\n\n{body}'
    )
