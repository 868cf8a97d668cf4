"""Titles as the archive writes them (title case, acronyms kept), and stable heading anchors.

>>> case = TitleCase({"IOM", "UN", "OSCE"})
>>> case("SHELTERS FOR RETURNING MIGRANTS: WHAT WORKS AND WHY?")
'Shelters for Returning Migrants: What Works and Why?'
>>> case("UN-OSCE EXPERT MEETING"), case("NEWS FROM THE REGIONS")
('UN-OSCE Expert Meeting', 'News from the Regions')
>>> anchor("Shelters for Returning Migrants: What Works and Why in the Region?", set())
'shelters-for-returning-migrants-what-works-and-why'
"""

from __future__ import annotations

import re

from markdown.extensions.toc import slugify

SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "but",
        "or",
        "nor",
        "for",
        "of",
        "in",
        "on",
        "at",
        "to",
        "by",
        "from",
        "into",
        "onto",
        "with",
        "as",
        "via",
        "per",
        "vs",
        "against",
        "through",
        "over",
    ]
)
"""Words the archive's titles write in lower case, unless they open the title or follow a colon."""
ANCHOR_WORDS = 8
"""Anchors keep at most this many words of the title: short, and stable when a subtitle is edited."""
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,9}\b")


def acronyms(text: str) -> set[str]:
    """Words printed in capitals inside running text (IOM, UN, OSCE): kept in capitals in titles."""
    return set(ACRONYM.findall(text))


class TitleCase:
    """Turns a title set in capitals into the archive's title case."""

    def __init__(self, known_acronyms: set[str]) -> None:
        self.acronyms = known_acronyms

    def _part(self, part: str) -> str:
        core = part.strip("[](){}\"'“”‘’,.:;?!")
        if core.isupper() and core in self.acronyms:
            return part
        return _capitalise(part.lower())

    def _word(self, word: str, first: bool) -> str:
        core = word.strip("[](){}\"'“”‘’,.:;?!")
        if not first and core.lower() in SMALL_WORDS and not (core.isupper() and core in self.acronyms):
            return word.lower()
        return "-".join(self._part(part) for part in word.split("-"))

    def __call__(self, text: str) -> str:
        words = text.split()
        out = []
        first = True
        for word in words:
            out.append(self._word(word, first))
            first = word.endswith((":", "?", "!", "–", "—")) or word in ("–", "—", "-")
        return " ".join(out)


def _capitalise(part: str) -> str:
    for i, ch in enumerate(part):
        if ch.isalpha():
            return part[:i] + ch.upper() + part[i + 1 :]
    return part


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters)


def anchor(title: str, taken: set[str]) -> str:
    """A short slug of the title, unique within the issue (`-2`, `-3` added when needed)."""
    words = slugify(title, "-").split("-")
    base = "-".join(w for w in words[:ANCHOR_WORDS] if w) or "section"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate
