"""Field names in text meant for readers: `also_listed_as`, "online is true", "`url` is", "series_number:".

Editors' notes are shown to readers (in "About this record"), and a reader does not know the model's field
names. `check` warns about a note that names one, and a test reads every built page for them.
"""

from __future__ import annotations

import re
from functools import cache

from timsite.content.model import MODELS, front_matter_fields


@cache
def field_names() -> frozenset[str]:
    """Every field an editor may write, in any kind of file."""
    return frozenset(name for model in MODELS.values() for name in front_matter_fields(model))


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = sorted(field_names(), key=len, reverse=True)
    words = "|".join(map(re.escape, names))
    # A name that is no English word (it holds an underscore) is a field name wherever it appears.
    not_words = "|".join(re.escape(n) for n in names if "_" in n)
    anywhere = re.compile(rf"(?<![\w-])(?:{not_words})(?![\w-])")
    # An English word is a field name only used as one: `online`, "online is true", "series:" opening a sentence.
    as_field = re.compile(
        rf"`(?:{words})`|(?<![\w-])(?:{words}) (?:is|was|are|set to) (?:true|false|null|empty)\b|(?:^|[.;]\s+)(?:{words}):\s",
        re.IGNORECASE,
    )
    return anywhere, as_field


def field_name_mentions(text: str) -> list[str]:
    """The places where `text` names a field, as written.

    >>> field_name_mentions("recorded in also_listed_as, and online is true because of the asterisk")
    ['also_listed_as', 'online is true']
    >>> field_name_mentions("No topic tags: the title names no country. It is online from IOM.")
    []
    >>> field_name_mentions("series_number: 3. The `url` is missing")
    ['series_number', '`url`']
    """
    anywhere, as_field = _patterns()
    found = [(m.start(), m.group(0)) for m in anywhere.finditer(text)]
    found += [(m.start(), m.group(0).lstrip(".; ").strip()) for m in as_field.finditer(text)]
    seen: list[str] = []
    for _, mention in sorted(found):
        if mention not in seen and not any(mention in s or s in mention for s in seen):
            seen.append(mention)
    return seen
