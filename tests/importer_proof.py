"""The importer's proof: sentences and headings of a reference issue found in an imported draft, and a printed issue made from Markdown."""

from __future__ import annotations

import html
import re
import textwrap

_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_HEADING = re.compile(r"^(#{2,3}) (.*?)(?: \{#[^}]*\})?$", re.MULTILINE)


def body_text(markdown: str) -> str:
    """A Markdown body as plain text: markup, anchors, comments and escapes removed, whitespace normalised."""
    text = _FRONT.sub("", markdown)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)
    text = _HEADING.sub(" ", text)
    text = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", " ", text, flags=re.MULTILINE)
    text = text.replace("<br>", " ").replace("**", "").replace("\\", "")
    text = re.sub(r"(?<!\w)\*|\*(?!\w)", "", text)
    return " ".join(html.unescape(text).split())


def sentences(markdown: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:;])\s+", body_text(markdown)) if len(s.split()) >= 2]


def headings(markdown: str) -> list[str]:
    return [m.group(2).replace("\\", "").casefold() for m in _HEADING.finditer(_FRONT.sub("", markdown))]


def kept(reference: str, draft: str) -> tuple[float, float, list[str], list[str]]:
    """Shares of the reference's sentences and headings in the draft, and what is missing."""
    plain = body_text(draft)
    ref_sentences = sentences(reference)
    missing = [s for s in ref_sentences if s not in plain]
    draft_headings = set(headings(draft))
    ref_headings = headings(reference)
    missing_h = [h for h in ref_headings if h not in draft_headings]
    return (
        1 - len(missing) / len(ref_sentences),
        1 - len(missing_h) / len(ref_headings),
        missing,
        missing_h,
    )


def rewrap(text: str, width: int, every: int, head: str) -> str:
    """The text rewrapped at `width`, with a running head and a page number every `every` lines, CRLF endings."""
    lines: list[str] = []
    for line in text.split("\n"):
        lines += textwrap.wrap(line, width) if len(line) > width else [line]
    out: list[str] = []
    for i, line in enumerate(lines):
        if i and i % every == 0:
            out += ["", head, "", str(i // every + 1), ""]
        out.append(line)
    return "\r\n".join(out)
