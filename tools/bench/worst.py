"""Worst-case bodies, one family per construct Python-Markdown or an HTML parser reads in super-linear time.

Each generator writes a body of about `size` characters (1 MiB is the content file limit) made of one
construct repeated: on 20f2b1d each passed `check` or hung it, and the build took minutes to hours.
The hostile corpus (`tests/test_hostile_limits.py`) checks that `check` refuses each at 1 MiB before any
parser runs; the benchmark (`python -m tools.bench.worst`) times `check` and the build of each.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MIB = 1 << 20
ROOT = Path(__file__).resolve().parents[2]


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


UNITS: dict[str, str] = {
    "code spans": "`d` ",
    "emphasis": "*a* **b** _c_ *d ",
    "links": "[x](y ",
    "entities": "&amp; &#169; &#x41; ",
    "tag-like text": "a<b>c</b> ",
}
"""The repeated construct of each inline family, for `spread` (tag-like text closed: at most 50 tags in a body
may be left unclosed)."""


def spread(family: str, size: int) -> str:
    """The family's construct filling `size` characters in paragraphs each holding as much as `check` allows:
    the most work an accepted body of that family can ask for."""
    from timsite.content.body import PARAGRAPH_LIMITS

    unit = UNITS[family]
    counts = [(sum(unit.count(c) for c in chars), limit) for chars, limit in PARAGRAPH_LIMITS.values()]
    per = min(limit // count for count, limit in counts if count)
    paragraph = unit * max(1, per)
    return "\n\n".join([paragraph] * max(1, (size - 1) // (len(paragraph) + 2))) + "\n"


def content_file(name: str, body: str) -> str:
    """A publication whose body is `body`, as an editor would commit it."""
    return (
        f'---\nid: worst-{name.replace(" ", "-")}\ntitle: "Worst case: {name}"\ntype: report\nyear: 2001\n---\n\n{body}'
    )


def _run(command: list[str], log: Path) -> tuple[int, float, float]:
    """Exit code, wall seconds and CPU seconds (user + system) of one command run as a child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1764000000", "NO_MKDOCS_2_WARNING": "1"}
    with log.open("wb") as out:
        code = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=environment).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return code, wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def table(say: Callable[[str], None] = lambda s: None) -> str:
    """Time `check` and `build` of the fixture site with each family's 1 MiB case added (refused), and of the
    same construct spread over paragraphs under the limits (built): a Markdown table, each row also `say`d
    as it is measured. Exit 1 is a refusal by `check`, 0 a build."""
    fixture = ROOT / "tests" / "fixtures" / "site" / "content"
    work = Path(tempfile.mkdtemp(prefix="tim-worst-"))
    build = [sys.executable, str(ROOT / "build.py")]
    rows = [
        "| family | case | bytes | check: exit, CPU s (wall s) | build: exit, CPU s (wall s) |",
        "|---|---|---|---|---|",
    ]
    try:
        for family, generate in FAMILIES.items():
            cases = [("worst", generate(MIB - 200))]
            if family in UNITS:
                cases.append(("spread under the limits", spread(family, MIB - 200)))
            for label, body in cases:
                content = work / "content"
                shutil.rmtree(content, ignore_errors=True)
                shutil.copytree(fixture, content)
                text = content_file(family, body)
                (content / "publications" / "worst.md").write_text(text, encoding="utf-8")
                site = work / "site"
                shutil.rmtree(site, ignore_errors=True)
                shutil.rmtree(work / ".site-releases", ignore_errors=True)
                check = _run([*build, "--content", str(content), "check"], work / "check.log")
                built = _run([*build, "--content", str(content), "build", "--site-dir", str(site)], work / "build.log")
                cells = [f"{code}, {cpu:.2f} ({wall:.2f})" for code, wall, cpu in (check, built)]
                rows.append(f"| {family} | {label} | {len(text.encode()):,} | {cells[0]} | {cells[1]} |")
                say(rows[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return "\n".join(rows)


if __name__ == "__main__":
    print(table(say=lambda s: print(s, file=sys.stderr, flush=True)))
