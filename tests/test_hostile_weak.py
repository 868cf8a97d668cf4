"""The weak cases of the third trust review, each named by `check` with the file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from timsite.content.checked import load_archive
from timsite.content.problems import Problem, Severity

from .conftest import FIXTURES

PUB = '---\nid: {id}\ntitle: "{title}"\ntype: report\nyear: 2001\n{extra}---\n\n{body}\n'


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "site" / "content", folder)
    return folder


def _write(content: Path, name: str, *, title: str = "A title", extra: str = "", body: str = "Text.") -> Path:
    path = content / "publications" / f"{name}.md"
    path.write_text(PUB.format(id=name, title=title, extra=extra, body=body), encoding="utf-8")
    return path


def _problems(content: Path, severity: Severity = Severity.ERROR) -> list[Problem]:
    return [p for p in load_archive(content)[1] if p.severity is severity]


@pytest.mark.parametrize("other", ["far isles", "FAR ISLES", "Far Isles.", "Far-Isles!", " Far isles ,"])
def test_tags_differing_only_in_capitals_or_punctuation_are_one_tag(content: Path, other: str) -> None:
    _write(content, "first", extra="tags: [Far isles]\n")
    _write(content, "second", extra=f"tags: [{other!r}]\n")
    found = [p for p in _problems(content) if p.field == "tags"]
    assert len(found) == 1 and found[0].path.endswith("second.md") and found[0].line == 6
    assert "only in capitals, spaces or punctuation" in found[0].message and "first.md" in found[0].message


@pytest.mark.parametrize("title", ["\u200b", "\u200b\u200c\u200d", "\ufeff \u2060", "\u00ad\u200b"])
def test_a_title_of_only_invisible_characters_is_refused(content: Path, title: str) -> None:
    _write(content, "invisible", title=title)
    found = [p for p in _problems(content) if p.field == "title"]
    assert len(found) == 1 and "invisible characters" in found[0].message and found[0].line == 3


@pytest.mark.parametrize("name", ["misplaced.md", "Upper.MD", "publications/shouting.MD", "meetings/long.markdown"])
def test_a_markdown_file_that_is_never_read_is_named(content: Path, name: str) -> None:
    path = content / name
    path.write_text(PUB.format(id="x", title="X", extra="", body="Text."), encoding="utf-8")
    found = [p for p in _problems(content, Severity.WARNING) if "this file is not read" in p.message]
    assert len(found) == 1 and found[0].path.endswith(Path(name).name)


@pytest.mark.parametrize(
    "link",
    [
        "[see](../draft-one/)",
        "[see](/publications/draft-one/)",
        "[see](../../publications/draft-one/#notes)",
        "[x]: ../draft-one/",
        '<a href="../draft-one/">see</a>',
    ],
)
def test_a_published_body_linking_to_a_draft_is_refused(content: Path, link: str) -> None:
    _write(content, "draft-one", extra="draft: true\n")
    _write(content, "public", body=f"Intro.\n\n{link}\n")
    found = [p for p in _problems(content) if "a draft" in p.message]
    assert len(found) == 1 and found[0].path.endswith("public.md") and found[0].line == 10
    assert "draft-one.md" in found[0].message


def test_a_draft_may_link_to_a_draft_and_a_body_to_a_published_entry(content: Path) -> None:
    _write(content, "draft-one", extra="draft: true\n", body="[other](../draft-two/)")
    _write(content, "draft-two", extra="draft: true\n")
    _write(content, "public", body="[see](../draft-onesie/) and [x](https://example.org/draft-one/)")
    assert not [p for p in _problems(content) if "a draft" in p.message]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://", "names no host after https://"),
        ("https://.example.org/", "names no host after https://"),
        ("HTTP:///x", "names no host after http://"),
        ("www.iom.int", "must start with http:// or https://"),
    ],
)
def test_a_url_is_told_what_is_wrong_with_it(content: Path, url: str, says: str) -> None:
    _write(content, "linked", extra=f'url: "{url}"\n')
    found = [p for p in _problems(content) if p.field == "url"]
    assert len(found) == 1 and says in found[0].message
