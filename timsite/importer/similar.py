"""How alike two titles are, from 0 to 1: the score the report shows for every match.

>>> round(similarity("Regional Forum", "REGIONAL FORUM"), 2)
1.0
>>> similarity("Expert Meeting", "Expert Meeting on Return and Reintegration") >= 0.85
True
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_NOT_WORD = re.compile(r"[^\w]+")


def normalise(title: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", title.replace("*", "").casefold()).split())


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """SequenceMatcher's ratio on normalised titles; a title that opens the other (two words or more) counts 0.85.

    Below `floor` the answer is only an upper bound (the cheap length bound decides): matching skips the
    full comparison for titles that cannot beat the best so far.
    """
    x, y = normalise(a), normalise(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    matcher = SequenceMatcher(None, x, y, autojunk=False)
    bound = matcher.real_quick_ratio()
    if bound < floor and bound < 0.85:
        return bound
    ratio = matcher.ratio()
    short, long_ = sorted((x, y), key=len)
    if len(short.split()) >= 2 and long_.startswith(short + " "):
        ratio = max(ratio, 0.85)
    return ratio
