"""The search's vocabulary (timsite/outputs/vocabulary.py): which words it holds, in which order, and its bounds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timsite.content.checked import load_archive
from timsite.content.problems import errors
from timsite.outputs import vocabulary

from .conftest import FIXTURES


def test_titles_tags_and_names_come_first_and_rare_body_words_stay_out(fixture_content: Path) -> None:
    page = fixture_content / "publications" / "vocabulary-probe.md"
    page.write_text(
        '---\nid: vocabulary-probe\ntitle: "Zqheading Study"\ntype: report\nyear: 2003\n'
        'authors: ["Zqauthor Person"]\ntags: ["zqtag"]\n---\n\n'
        "Zqtwice and zqtwice, zqonce, a [link](https://zqtarget.example.org/zqpath) and <span>zqmarkup</span> zqmarkup.\n",
        encoding="utf-8",
    )
    archive, problems = load_archive(fixture_content)
    assert not errors(problems), problems
    words = vocabulary.vocabulary(archive)
    assert {"zqheading", "zqauthor", "zqtag", "zqtwice", "zqmarkup"} <= set(words)
    # A word printed once in running text, and what a reader never sees (a link's target), are left out.
    assert not {"zqonce", "zqtarget", "zqpath", "https"} & set(words)
    assert words.index("zqtag") < words.index("zqtwice")
    assert len(words) == len(set(words)) and all(w == w.lower() and len(w) >= 3 for w in words)


def test_the_file_is_the_same_bytes_for_the_same_archive_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    archive, _ = load_archive(FIXTURES / "site" / "content")
    first = vocabulary.vocabulary_json(archive)
    assert first == vocabulary.vocabulary_json(archive)
    assert json.loads(first)["words"] == vocabulary.vocabulary(archive)
    monkeypatch.setattr(vocabulary, "MAX_WORDS", 5)
    assert len(vocabulary.vocabulary(archive)) == 5
