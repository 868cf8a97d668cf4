"""The tag vocabulary (`content/tags.yml`): reading it, its mistakes, merged names, unknown tags, near-duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from timsite.content.checked import load_archive
from timsite.content.problems import Severity
from timsite.content.vocabulary import Group, load_vocabulary, near_duplicate

from .conftest import ROOT


def _write(content: Path, text: str) -> Path:
    path = content / "tags.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_real_vocabulary_lists_every_tag_of_the_content() -> None:
    archive, problems = load_archive(ROOT / "content")
    vocabulary = archive.vocabulary
    assert vocabulary.known
    used = {t for e in archive.entries() for t in e.tags}
    assert used <= set(vocabulary.tags)
    # The near-duplicates the issue names are merged, and nothing is said about tags.
    assert vocabulary.canonical("policies") == vocabulary.canonical("policy responses") == "policy"
    assert vocabulary.canonical("UN Trafficking Protocol") == "Palermo Protocol"
    assert vocabulary.group("Ukraine") is Group.country
    assert vocabulary.group("Europe") is Group.region
    assert vocabulary.group("T visa") is Group.topic
    assert [p for p in problems if p.field == "tags" or p.path.endswith("tags.yml")] == []


def test_no_vocabulary_accepts_every_tag(fixture_content: Path) -> None:
    archive, problems = load_archive(fixture_content)
    assert not archive.vocabulary.known
    assert not [p for p in problems if p.field == "tags"]


def test_merged_name_is_read_as_its_tag_with_a_warning(fixture_content: Path) -> None:
    _write(fixture_content, "topic:\n  fixtures:\nregion:\n  Europe: [Europa, europe]\n  Asia:\n")
    report = fixture_content / "publications" / "fixture-report.md"
    report.write_text(report.read_text().replace("tags: [Europe]", "tags: [Europa, Europe]"))
    archive, problems = load_archive(fixture_content)
    publication = archive.publication_by_id["fixture-report"]
    assert publication.tags == ["Europe"]
    assert publication in archive.tags()["Europe"]
    assert "Europa" not in archive.tags()
    merged = [p for p in problems if p.path.endswith("fixture-report.md") and p.field == "tags"]
    assert [(p.severity, p.message) for p in merged] == [
        (Severity.WARNING, '"Europa" is merged into "Europe" (tags.yml): write that tag')
    ]
    assert merged[0].line is not None


def test_unknown_tag_is_a_warning_naming_a_close_listed_tag(fixture_content: Path) -> None:
    _write(fixture_content, "topic:\n  fixture:\nregion:\n  Europe:\n")
    _, problems = load_archive(fixture_content)
    unknown = {(Path(p.path).name, p.message) for p in problems if p.field == "tags"}
    assert (
        "002-spring-2001.md",
        '"Asia" is not in tags.yml: add it under topic, region or country, or use a listed tag',
    ) in unknown
    assert any('"fixtures" is not in tags.yml (did you mean "fixture"?)' in m for _, m in unknown)
    assert all(p.severity is Severity.WARNING for p in problems if p.field == "tags")


@pytest.mark.parametrize(
    ("text", "line", "field", "fragment", "severity"),
    [
        ("topics:\n  a:\n", 1, "topics", "unknown group: the groups are topic, region, country", Severity.ERROR),
        ("topic:\n  a:\nregion:\n  a:\n", 4, "a", "is listed twice (line 2, as a topic)", Severity.ERROR),
        ("topic:\n  a:\n  a:\n", 3, "a", '"a" is given twice', Severity.ERROR),
        ("topic:\n  a: [b]\n  b:\n", 2, "a", '"b" is merged into it but is also a tag of its own', Severity.ERROR),
        ("topic:\n  a: [c]\n  b: [c]\n", 3, "b", '"c" is already merged into "a"', Severity.ERROR),
        ("topic:\n  a: yes\n", 2, "a", "write nothing or the list of names merged into it", Severity.ERROR),
        ("topic:\n  1999:\n", 2, "", "field names must be words, not int 1999", Severity.ERROR),
        ('topic:\n  "":\n', 2, "topic", "a tag must be text", Severity.ERROR),
        ("topic: [a, b]\n", 1, "topic", "list the tags as `name:` lines", Severity.ERROR),
        ("- a\n", 1, "", "write the groups topic:, region: and country:", Severity.ERROR),
        ("topic: &x\n  a:\nregion: *x\n", 1, "", "aliases (*name) are not allowed", Severity.ERROR),
        ("topic: !!python/object:os.system\n", 1, "", "YAML tags such as !!python/object", Severity.ERROR),
        ("topic:\n  policy:\n  Policies:\n", 3, "Policies", 'near-duplicate of "policy" (line 2)', Severity.WARNING),
        (
            "topic:\n  research:\n  research and data collection:\n",
            3,
            "research and data collection",
            'near-duplicate of "research"',
            Severity.WARNING,
        ),
    ],
)
def test_vocabulary_mistakes_are_named_with_their_line(
    tmp_path: Path, text: str, line: int, field: str, fragment: str, severity: Severity
) -> None:
    _write(tmp_path, text)
    _, problems = load_vocabulary(tmp_path)
    found = [p for p in problems if fragment in p.message]
    assert found, "\n".join(map(str, problems))
    assert (found[0].line, found[0].field, found[0].severity) == (line, field, severity)
    assert found[0].path.endswith("tags.yml")


def test_places_may_nest_but_topics_may_not() -> None:
    assert not near_duplicate("Asia", "East Asia", Group.region)
    assert not near_duplicate("Europe", "Europe and Eurasia", Group.region)
    assert near_duplicate("migrant trafficking", "trafficking in migrants", Group.topic)
    assert near_duplicate("organized crime", "transnational organized crime", Group.topic)
    assert not near_duplicate("victim protection", "victim assistance", Group.topic)


def test_vocabulary_errors_stop_the_check(fixture_content: Path) -> None:
    _write(fixture_content, "topic:\n  a: [b]\n  b:\n")
    _, problems = load_archive(fixture_content)
    assert any(p.path.endswith("tags.yml") and p.severity is Severity.ERROR for p in problems)
