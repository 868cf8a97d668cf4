"""The importer's proof: sentences and headings of a reference issue found in an imported draft, and a printed issue made from Markdown."""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass

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


SEASON_NAMES = {"winter": "Winter", "spring": "Spring", "summer": "Summer", "autumn": "Autumn"}
DISCLAIMER = (
    "The views expressed in this synthetic bulletin are those of its generator and are printed here to "
    "stand in for the disclaimer a real issue carries on its cover, so that the importer meets one."
)


@dataclass
class Printed:
    """An issue as a printer set it: the cover, then the body, as blocks of (kind, text)."""

    number: int
    season: str
    year: int
    blocks: list[tuple[str, str]]


def printed_issue(markdown: str, number: int, season: str, year: int, lists: dict[str, list[str]]) -> Printed:
    """A synthetic issue's Markdown as printed: a cover with contents lists, headings in capitals, no anchors."""
    blocks: list[tuple[str, str]] = [
        ("title", "TRAFFICKING IN MIGRANTS"),
        ("title", "QUARTERLY BULLETIN"),
        ("masthead", f"N° {number} – {SEASON_NAMES[season]} {year}"),
    ]
    for label, titles in lists.items():
        blocks.append(("label", label.upper()))
        blocks += [("item", t) for t in titles]
    blocks.append(("para", DISCLAIMER))
    body = _FRONT.sub("", markdown)
    for chunk in body.split("\n\n"):
        chunk = chunk.strip()
        heading = re.match(r"^#{2,3} (.*?)(?: \{#[^}]*\})?$", chunk)
        if heading:
            blocks.append(("heading", heading.group(1)))
        elif chunk:
            blocks.append(("para", chunk))
    blocks += [
        ("heading", "Contact"),
        ("para", "Write to the editors with news, reports and corrections for the next issue of this bulletin."),
        ("lines", "Bulletin Editor\nInternational Organization for Migration\nE-mail: editor@example.org"),
    ]
    return Printed(number, season, year, blocks)


def hyphenated(text: str, width: int) -> list[str]:
    """Lines of at most `width`, long words broken with a hyphen as a typesetter does."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            room = width - len(line) - 2
            if word.isalpha() and len(word) >= 9 and 3 <= room <= len(word) - 3:
                lines.append(f"{line} {word[:room]}-")
                line = word[room:]
                continue
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def as_text(printed: Printed, width: int = 70, every: int = 55) -> str:
    """The printed issue as a PDF's extracted text: wrapped and hyphenated, headings in capitals, page furniture."""
    lines: list[str] = []
    for kind, text in printed.blocks:
        if kind in ("heading",):
            lines += [text.upper(), ""]
        elif kind == "item":
            lines += [*textwrap.wrap(text, 36), ""]
        elif kind == "lines":
            lines += [*text.split("\n"), ""]
        else:
            lines += [*hyphenated(text, width), ""]
    head = f"Trafficking in Migrants N° {printed.number} – {SEASON_NAMES[printed.season]} {printed.year}"
    out: list[str] = []
    for i, line in enumerate(lines):
        if i and i % every == 0:
            out += ["", head, "", str(i // every + 1), ""]
        out.append(line)
    return "\n".join(out)
