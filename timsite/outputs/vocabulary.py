"""The search's vocabulary: the words of the archive, from which the search box suggests "did you mean".

When a search finds nothing, the search box (pages/assets/javascripts/tim-search.js) fetches this one file
and offers the words nearest to what was typed (edit distance). It holds the words of titles, tags and
names (authors, other titles, places of meetings) and the frequent words of bodies, most frequent first,
and only of what readers may see: the build hands it the archive without drafts and embargoed items.

>>> words_of("The T-visa: women's rights, 2002 [see](https://example.org/x) {#lead}")
['the', 'visa', 'women', 'rights', 'see']
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable

from timsite import kinds
from timsite.content.archive import Archive

FILE_NAME = "search/vocabulary.json"
MEDIA_TYPE = "application/json"
MIN_LETTERS = 3
"""Shorter words are never suggested: one or two letters are too near to everything."""
BODY_MIN_COUNT = 2
"""A word of a body is kept when the archive's bodies hold it this often: a word printed once is as likely a
typo of the source as a word a reader will look for."""
MAX_WORDS = 20_000
"""A bound on the file however large the archive grows (the most frequent words are kept)."""
HEADING_WEIGHT = 1_000
"""Words of titles, tags and names come before any word of running text."""

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# What a reader never sees of Markdown: link targets, attribute lists, HTML tags, bare addresses.
_HIDDEN = re.compile(r"\]\([^)]*\)|\{[#.:][^}]*\}|<[^>]*>|https?://\S+")


def words_of(text: str) -> list[str]:
    """The words of `text` a reader sees, in lower case: letters only (numbers and link targets left out)."""
    visible = _HIDDEN.sub(" ", text).replace("\u2019", "'")
    return [w.lower() for w in _WORD.findall(visible) if len(w) >= MIN_LETTERS]


def _headings(archive: Archive) -> Iterable[str]:
    """Titles, and what each kind's search record names (authors, other titles, places, tags, series)."""
    for entry in archive.entries():
        yield entry.display_title
        # Every model has a title of its own (a bulletin's may be empty), shown in full on its page.
        title = getattr(entry, "title", None)
        if isinstance(title, str):
            yield title
        record = kinds.of(entry).search(entry, archive)
        yield from record.key_terms
        yield from (value for _, value in record.filters)


def vocabulary(archive: Archive) -> list[str]:
    """The words, most frequent first (ties in alphabetical order), at most MAX_WORDS."""
    counts: Counter[str] = Counter()
    for text in _headings(archive):
        for word in words_of(text):
            counts[word] += HEADING_WEIGHT
    body: Counter[str] = Counter()
    for entry in archive.entries():
        body.update(words_of(entry.body))
    for word, count in body.items():
        if count >= BODY_MIN_COUNT or word in counts:
            counts[word] += count
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, _ in ranked[:MAX_WORDS]]


def vocabulary_json(archive: Archive) -> bytes:
    """The file the search box fetches: {"words": [...]}, compact, the same bytes for the same archive."""
    return json.dumps({"words": vocabulary(archive)}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


__all__ = ["FILE_NAME", "MEDIA_TYPE", "vocabulary", "vocabulary_json", "words_of"]
