"""The cover: the masthead (number, season, year), the contents lists, and what is left (the boilerplate).

A contents list is a line in capitals followed by titles that the body prints as headings; a title may
run over several lines, and two titles may share a block, so the lines are split where the headings
match best.

>>> masthead("N° 31 – Autumn 2003")
(31, 'autumn', 2003)
>>> masthead("No. 3 - Fall 1999"), masthead("Number 25")
((3, 'autumn', 1999), None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from timsite.importer.reflow import Para, ends_sentence, word_count
from timsite.importer.similar import normalise, similarity
from timsite.importer.titles import is_caps

MASTHEAD = re.compile(
    r"\bN(?:°|º|o\.?|r\.?|umber)\s*(\d{1,3})\s*[,–—-]?\s*(winter|spring|summer|autumn|fall)\s*,?\s*((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
MATCH = 0.6
"""A cover title and a body heading this alike are the same article."""


def masthead(text: str) -> tuple[int, str, int] | None:
    found = MASTHEAD.search(text.replace("*", ""))
    if not found:
        return None
    season = found.group(2).lower()
    return int(found.group(1)), "autumn" if season == "fall" else season, int(found.group(3))


@dataclass
class ContentsList:
    label: str
    items: list[str]


@dataclass
class Cover:
    lists: list[ContentsList] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def best_heading(title: str, headings: list[str]) -> tuple[float, int]:
    scores = [(similarity(title, h), i) for i, h in enumerate(headings)]
    return max(scores, default=(0.0, -1))


def split_titles(lines: list[str], headings: list[str]) -> list[str]:
    """The lines of one block split into titles, each as alike as can be to a body heading."""

    @cache
    def best(start: int) -> tuple[float, tuple[str, ...]]:
        if start == len(lines):
            return 0.0, ()
        options = []
        for end in range(start + 1, len(lines) + 1):
            title = " ".join(lines[start:end])
            # Weighted by the lines it takes: one title over two lines beats two halves that each match a little.
            score = best_heading(title, headings)[0] * (end - start)
            rest_score, rest = best(end)
            options.append((score + rest_score, (title, *rest)))
        return max(options)

    return list(best(0)[1]) if len(lines) <= 8 else [" ".join(lines)]


def read_cover(paras: list[Para], headings: list[str], periodical: str) -> Cover:
    cover = Cover()
    name = normalise(periodical)
    i = 0
    while i < len(paras):
        para = paras[i]
        text = para.text
        if masthead(text) or normalise(text) == name:
            i += 1
            continue
        if is_caps(text) or (word_count(text) <= 4 and para.kind == "para" and not ends_sentence(text)):
            j = i + 1
            items: list[str] = []
            while j < len(paras) and _title_like(paras[j]) and not is_caps(paras[j].text):
                items += split_titles(paras[j].lines, headings)
                j += 1
            matched = [t for t in items if best_heading(t, headings)[0] >= MATCH]
            if items and len(matched) * 2 >= len(items):
                cover.lists.append(ContentsList(text, items))
                i = j
                continue
        if para.kind == "para" and word_count(text) >= 15:
            cover.paragraphs.append(text)
        else:
            cover.lines += para.lines if para.kind == "lines" else [text]
        i += 1
    return cover


def _title_like(para: Para) -> bool:
    return para.kind in ("para", "lines") and word_count(para.text) <= 30 and not masthead(para.text)
