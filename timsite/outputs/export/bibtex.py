"""BibTeX: records as @book, @techreport, @misc... entries; titles braced so styles keep their capitals."""

from __future__ import annotations

from urllib.parse import quote

from timsite.outputs.export.record import Creator, Record

NAME = "bib"
"""The format's name, as `Citations.export` takes it."""
LABEL = "BibTeX"
"""How pages name it ("Cite this")."""
SUFFIX = ".bib"
"""The end of its files' names."""
MEDIA_TYPE = "application/x-bibtex"
"""BibTeX has no registered media type: this is the one reference managers and servers use."""
GROUP = "cite"
"""Where an entry's page lists its download: under "Cite this"."""


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_BABEL = {
    "en": "english", "fr": "french", "es": "spanish", "de": "german", "it": "italian", "pt": "portuguese",
    "ru": "russian", "nl": "dutch", "ar": "arabic", "el": "greek", "pl": "polish", "uk": "ukrainian",
}  # fmt: skip

_BIBTEX_SPECIAL = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
}


# BibTeX counts every brace, escaped or not, to find the end of a field: \{ \} are
# only safe when they balance; otherwise the brace-free commands are used.
_BIBTEX_BALANCED = str.maketrans({**_BIBTEX_SPECIAL, "{": r"\{", "}": r"\}"})
_BIBTEX_UNBALANCED = str.maketrans({**_BIBTEX_SPECIAL, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"})


def _braces_balance(text: str) -> bool:
    if "{" not in text and "}" not in text:
        return True
    depth = 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def bibtex_escape(text: str) -> str:
    """Text made literal inside a BibTeX field (and so in LaTeX); non-ASCII stays UTF-8.

    >>> print(bibtex_escape("R&D: 100% of $5 #1 a_b ~ ^ \\\\ é"))
    R\\&D: 100\\% of \\$5 \\#1 a\\_b \\textasciitilde{} \\textasciicircum{} \\textbackslash{} é
    >>> print(bibtex_escape("{EU} policy"), bibtex_escape("a { b"))
    \\{EU\\} policy a \\textbraceleft{} b
    """
    text = " ".join(text.split())
    return text.translate(_BIBTEX_BALANCED if _braces_balance(text) else _BIBTEX_UNBALANCED)


def _bibtex_url(url: str) -> str:
    # url is a verbatim field: LaTeX escapes would become part of the address.
    return quote(url, safe=":/?&=%#@!$'()*+,;~-._")


def _bibtex_name(c: Creator) -> str:
    if c.corporate or not c.given:
        # Braces keep an organisation (or a single name) whole: never split at "and" or a space.
        return "{" + bibtex_escape(c.name if c.corporate else c.family_full) + "}"
    parts = [c.family_full, *([c.suffix] if c.suffix else []), c.given]
    return ", ".join(bibtex_escape(part) for part in parts)


def _bibtex_fields(r: Record) -> list[tuple[str, str]]:
    """(field, already-encoded value) pairs; a value starting with '=' is a bare macro such as a month."""
    f: list[tuple[str, str]] = []

    def text(name: str, value: str | None) -> None:
        if value:
            f.append((name, bibtex_escape(value)))

    if r.creators:
        f.append(("author", " and ".join(_bibtex_name(c) for c in r.creators)))
    f.append(("title", "{" + bibtex_escape(r.title) + "}"))
    text("shorttitle", r.short_title)
    if r.journal:
        text("journal", r.journal)
        text("number", r.number)
        text("issue", r.season.capitalize() if r.season else None)
    if r.meeting:
        text("booktitle", r.meeting.title)
        text("eventtitle", r.meeting.title)
        text("venue", r.meeting.place)
        span = r.meeting.start.iso() + (f"/{r.meeting.end.iso()}" if r.meeting.end else "")
        f.append(("eventdate", span))
    if r.type.bibtex == "techreport":
        text("institution", r.institution)
        text("type", r.series or r.type.genre or "Report")
    elif r.type.bibtex == "manual":
        text("organization", r.publisher)
    else:
        text("publisher", r.publisher)
    text("address", r.place)
    text("howpublished", r.howpublished)
    if r.date:
        f.append(("year", str(r.date.year)))
        if r.date.month:
            f.append(("month", "=" + _MONTHS[r.date.month - 1]))
    if not r.journal:
        # `number` is the document's own symbol when it has one; the number in the series then
        # moves next to the series title, where styles print it anyway.
        both = bool(r.number and r.series and r.series_number)
        text("series", f"{r.series} {r.series_number}" if both else r.series)
        if r.number:
            text("number", r.number)
        elif r.series and r.series_number:
            f.append(("number", str(r.series_number)))
    if r.isbn:
        f.append(("isbn", r.isbn))
    if r.issn:
        f.append(("issn", r.issn))
    if r.language:
        babel = _BABEL.get(r.language.split("-")[0])
        f.append(("language", babel or bibtex_escape(r.language)))
        if babel:
            f.append(("langid", babel))
    if r.forthcoming:
        f.append(("pubstate", "forthcoming"))
    if r.url:
        f.append(("url", _bibtex_url(r.url)))
    text("abstract", r.abstract)
    text("keywords", ", ".join(r.keywords))
    text("note", "; ".join(r.notes))
    return f


def to_bibtex(records: list[Record]) -> str:
    blocks = []
    for r in records:
        lines = [f"@{r.type.bibtex}{{{r.key},"]
        for name, value in _bibtex_fields(r):
            lines.append(f"  {name} = {value[1:]}," if value.startswith("=") else f"  {name} = {{{value}}},")
        lines.append("}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def render(records: list[Record]) -> str:
    """The records as one file of this format."""
    return to_bibtex(records)
