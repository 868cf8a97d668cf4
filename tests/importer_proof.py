"""The importer's proof: sentences and headings of a reference issue found in an imported draft, and a printed issue made from Markdown."""

from __future__ import annotations

import html
import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

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


def _typst_text(text: str) -> str:
    """Text as Typst markup: string literals, bold runs as strong(), so nothing in it is read as Typst."""
    parts = []
    for i, run in enumerate(re.split(r"\*\*(.+?)\*\*", text)):
        if run:
            literal = json.dumps(run, ensure_ascii=False)
            parts.append(f"#strong({literal})" if i % 2 else f"#{literal}")
    return "".join(parts)


def as_typst(printed: Printed) -> str:
    """The printed issue as a Typst document: A4 in two columns, hyphenated and justified, running head and
    page numbers; headings in a larger bold font (never Typst headings, so the PDF has no outline)."""
    head = f"Trafficking in Migrants N° {printed.number} – {SEASON_NAMES[printed.season]} {printed.year}"
    out = [
        f'#set page(paper: "a4", columns: 2, margin: 2cm, header: align(right, text(size: 8pt, {json.dumps(head, ensure_ascii=False)})),',
        "  footer: context align(center, text(size: 8pt, counter(page).display())))",
        '#set text(size: 10pt, hyphenate: true, lang: "en")',
        "#set par(justify: true, spacing: 2em)",
    ]
    for kind, text in printed.blocks:
        if kind in ("title", "heading"):
            size = "16pt" if kind == "title" else "13pt"
            out.append(
                f'#block(above: 2em, below: 1.5em, text(size: {size}, weight: "bold", {json.dumps(text, ensure_ascii=False)}))'
            )
        elif kind == "label":
            out.append(f'#block(above: 2em, text(size: 11pt, weight: "bold", {json.dumps(text, ensure_ascii=False)}))')
        elif kind == "lines":
            out.append("#par(justify: false)[" + "#linebreak()".join(_typst_text(x) for x in text.split("\n")) + "]")
        elif kind in ("item", "masthead"):
            out.append(f"#par(justify: false, text(hyphenate: false)[{_typst_text(text)}])")
        else:
            out.append(f"#par[{_typst_text(text)}]")
    return "\n".join(out) + "\n"


def untagged_pdf(typst_source: str, target: Path) -> None:
    """Compile with Typst, then drop the structure tree and marks: an untagged PDF with no outline."""
    import io

    import typst
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    source = target.with_suffix(".typ")
    source.write_text(typst_source, encoding="utf-8")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(typst.compile(str(source)))))
    for key in ("/StructTreeRoot", "/MarkInfo", "/Outlines"):
        if NameObject(key) in writer._root_object:
            del writer._root_object[NameObject(key)]
    with target.open("wb") as handle:
        writer.write(handle)
