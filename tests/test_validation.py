"""One bad file per validation rule, each checked through the loader and the cross-file checks."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

import pytest

from timsite.content import checks
from timsite.content.checked import load_archive
from timsite.content.problems import Severity, errors

from .conftest import FIXTURES

INVALID = FIXTURES / "invalid"

# (folder, fixture name) -> (field, fragment of the message, severity)
RULES: dict[tuple[str, str], tuple[str, str, Severity]] = {
    ("publications", "missing-title"): ("title", "this field is required", Severity.ERROR),
    ("publications", "unknown-field-typo"): ("publsher", 'did you mean "publisher"?', Severity.ERROR),
    ("publications", "year-not-a-number"): ("year", "expected a whole number", Severity.ERROR),
    ("publications", "isbn-unquoted-integer"): ("isbn", 'put it in quotes, isbn: "9290681136"', Severity.ERROR),
    ("publications", "isbn-octal-integer"): ("isbn", 'put it in quotes, isbn: "0306406152"', Severity.ERROR),
    ("publications", "isbn-wrong-length"): ("isbn", "an ISBN has 10 or 13 digits, this one has 8", Severity.ERROR),
    ("publications", "isbn-check-digit"): (
        "isbn",
        'check digit is invalid (printed "92-9068-128-2")',
        Severity.WARNING,
    ),
    ("publications", "isbn-duplicate"): ("isbn", "is also given by", Severity.ERROR),
    ("publications", "id-duplicate"): ("id", "is already used by", Severity.ERROR),
    ("publications", "id-invalid"): ("id", "is not a valid id", Severity.ERROR),
    ("publications", "id-reserved"): ("id", "reserved", Severity.ERROR),
    ("publications", "series-unknown"): ("series", 'no series has the id "no-such-series"', Severity.ERROR),
    ("publications", "series-number-duplicate"): (
        "series_number",
        "N° 1 of fixture-series is already",
        Severity.ERROR,
    ),
    ("publications", "series-number-missing"): ("series", "no number in the series fixture-series", Severity.WARNING),
    ("publications", "type-typo"): ("type", 'did you mean "report"?', Severity.ERROR),
    ("publications", "url-javascript"): ("url", "must start with http:// or https://", Severity.ERROR),
    ("publications", "date-impossible"): ("date", "February 2001 has 28 days", Severity.ERROR),
    ("publications", "issn-check-digit"): ("issn", "check digit is invalid", Severity.WARNING),
    ("publications", "known-misprint-but-valid"): ("known_misprints", "check digit is fine", Severity.ERROR),
    ("publications", "tags-not-a-list"): ("tags", "expected a list", Severity.ERROR),
    ("publications", "online-not-boolean"): ("online", "expected true or false", Severity.ERROR),
    ("publications", "notes-name-fields"): (
        "notes",
        'names a field ("also_listed_as", "online is true"): readers see the note, so say it in plain words',
        Severity.WARNING,
    ),
    ("bulletins", "number-duplicate"): ("number", "issue number 1 is already used by", Severity.ERROR),
    ("bulletins", "number-leading-zero"): ("number", "write it without the leading zero (25)", Severity.ERROR),
    ("bulletins", "season-typo"): ("season", 'did you mean "summer"?', Severity.ERROR),
    ("bulletins", "meeting-reference-unknown"): ("meetings", 'no meeting has the id "no-such-meeting"', Severity.ERROR),
    ("bulletins", "publication-reference-unknown"): (
        "publications",
        "no publication has the id or ISBN",
        Severity.ERROR,
    ),
    ("bulletins", "date-not-a-date"): ("date", "is not a date", Severity.ERROR),
    ("bulletins", "number-missing"): ("number", "this field is required", Severity.ERROR),
    ("bulletins", "pdf-escapes-the-folder"): ("pdf", "no folders", Severity.ERROR),
    ("bulletins", "pdf-named-as-the-edition"): ("pdf", "is taken by the PDF edition", Severity.ERROR),
    ("meetings", "end-before-start"): (
        "end",
        "the meeting ends (1 May 2001) before it starts (2 May 2001)",
        Severity.ERROR,
    ),
    ("meetings", "start-sexagesimal"): ("start", "base-60", Severity.ERROR),
    ("meetings", "country-read-as-boolean"): ("country", 'put it in quotes, country: "NO"', Severity.ERROR),
    ("meetings", "title-with-hash-comment"): ("title", "was dropped", Severity.WARNING),
    ("meetings", "reported-in-unknown"): ("reported_in", "there is no bulletin issue N° 99", Severity.ERROR),
    ("meetings", "empty-file"): ("", "the file is empty", Severity.ERROR),
    ("meetings", "no-front-matter"): ("", "must start with front matter", Severity.ERROR),
    ("meetings", "front-matter-not-closed"): ("", "never closed", Severity.ERROR),
    ("meetings", "front-matter-is-a-list"): ("", "not a list or a single value", Severity.ERROR),
    ("meetings", "front-matter-is-plain-value"): ("", "not a list or a single value", Severity.ERROR),
    ("meetings", "yaml-malformed"): ("", "is not valid YAML", Severity.ERROR),
    ("meetings", "yaml-python-tag"): ("", "YAML tags such as !!python/object are not allowed", Severity.ERROR),
    ("meetings", "yaml-duplicate-key"): ("title", '"title" is given twice (lines 3 and 4)', Severity.ERROR),
    ("meetings", "yaml-non-string-key"): ("", "field names must be words", Severity.ERROR),
    ("meetings", "yaml-alias-bomb"): ("", "aliases (*name) are not allowed", Severity.ERROR),
    ("meetings", "control-character"): ("", "control character U+0007", Severity.ERROR),
    ("meetings", "not-utf-8"): ("", "is not UTF-8", Severity.ERROR),
    ("meetings", "reserved-field-name"): ("body", "reserved", Severity.ERROR),
    ("meetings", "html-script-in-body"): ("body", "the HTML element <script> is not allowed", Severity.ERROR),
    ("meetings", "html-event-handler"): ("body", "event handlers", Severity.ERROR),
}


def _problems_for(content: Path, folder: str, name: str) -> list:
    shutil.copy(INVALID / folder / f"{name}.md", content / folder / f"{name}.md")
    _, problems = load_archive(content)
    return [p for p in problems if p.path.endswith(f"{folder}/{name}.md")]


def test_every_fixture_has_a_rule() -> None:
    on_disk = {(p.parent.name, p.stem) for p in INVALID.glob("*/*.md")} - {("meetings", "bom-and-crlf-accepted")}
    assert on_disk == set(RULES)


@pytest.mark.parametrize(("folder", "name"), sorted(RULES))
def test_rule(fixture_content: Path, folder: str, name: str) -> None:
    field, fragment, severity = RULES[(folder, name)]
    found = _problems_for(fixture_content, folder, name)
    matching = [p for p in found if p.field == field and fragment in p.message and p.severity is severity]
    assert matching, f"expected {field}: {fragment!r} ({severity.value}); got:\n" + "\n".join(map(str, found))
    # The message names the file, and the rest of the site is still checked and loaded.
    assert str(matching[0]).startswith(matching[0].path)


def test_problem_lines_point_at_the_field(fixture_content: Path) -> None:
    found = _problems_for(fixture_content, "publications", "isbn-unquoted-integer")
    assert [p.line for p in found if p.field == "isbn"] == [6]


def test_bom_and_crlf_are_accepted(fixture_content: Path) -> None:
    found = _problems_for(fixture_content, "meetings", "bom-and-crlf-accepted")
    assert found == []
    archive, _ = load_archive(fixture_content)
    meeting = archive.meeting_by_id["bom-and-crlf-accepted"]
    assert meeting.title == "Windows file"
    assert "\r" not in meeting.body


def test_oversized_file_is_refused(fixture_content: Path) -> None:
    big = fixture_content / "publications" / "huge.md"
    big.write_text('---\nid: huge\ntitle: "Huge"\ntype: report\n---\n' + "x" * (1024 * 1024 + 1), encoding="utf-8")
    _, problems = load_archive(fixture_content)
    assert any(p.path.endswith("huge.md") and "the limit is 1,048,576" in p.message for p in problems)


def test_all_bad_files_at_once_are_all_reported(fixture_content: Path) -> None:
    for folder, name in RULES:
        shutil.copy(INVALID / folder / f"{name}.md", fixture_content / folder / f"{name}.md")
    archive, problems = load_archive(fixture_content)
    reported = {Path(p.path).stem for p in problems}
    assert {name for _, name in RULES} <= reported
    # The good files still load despite fifty bad neighbours.
    assert "fixture-report" in archive.publication_by_id
    assert errors(problems)


def test_python_tag_never_executes(fixture_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "pwned"
    bad = fixture_content / "meetings" / "tag.md"
    bad.write_text(f'---\nid: tag\ntitle: !!python/object/apply:os.system ["touch {marker}"]\nstart: 2001-01-01\n---\n')
    _, problems = load_archive(fixture_content)
    assert not marker.exists()
    assert any(p.path.endswith("tag.md") for p in problems)


def test_valid_fixture_site_is_clean(fixture_content: Path) -> None:
    archive, problems = load_archive(fixture_content)
    assert errors(problems) == []
    assert [p.field for p in problems] == ["isbn"] and problems[0].acknowledged
    assert len(archive.publications) == 3 and len(archive.bulletins) == 2


def test_every_rule_in_checks_is_run() -> None:
    defined = {
        name
        for name, value in vars(checks).items()
        if inspect.isfunction(value) and value.__module__ == checks.__name__ and not name.startswith("_")
    }
    assert defined - {"check_archive"} == {rule.__name__ for rule in (*checks.ENTRY_RULES, *checks.ARCHIVE_RULES)}
