"""The command line as an editor uses it: exit codes, reports, skeletons, documentation."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from timsite.content.checked import load_archive
from timsite.content.problems import errors
from timsite.engine.cli import main

from .conftest import FIXTURES, ROOT


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_check_real_archive_is_clean() -> None:
    code, out = run("--content", str(ROOT / "content"), "check", "--strict")
    assert code == 0, out
    # The two misprints the content records are expected: counted apart, not as warnings to act on.
    assert "0 errors, 0 warnings; 2 known misprints, kept as printed" in out.splitlines()


def test_check_reports_errors_with_file_field_and_exit_1(fixture_content: Path) -> None:
    shutil.copy(FIXTURES / "invalid/publications/isbn-unquoted-integer.md", fixture_content / "publications")
    shutil.copy(FIXTURES / "invalid/meetings/country-read-as-boolean.md", fixture_content / "meetings")
    code, out = run("--content", str(fixture_content), "check")
    assert code == 1
    assert re.search(r"publications/isbn-unquoted-integer\.md:6: isbn: expected text.*quotes", out)
    assert re.search(r"meetings/country-read-as-boolean\.md:\d+: country: .*\"NO\"", out)
    assert "2 errors" in out


def test_strict_fails_on_unacknowledged_warning(fixture_content: Path) -> None:
    shutil.copy(FIXTURES / "invalid/publications/isbn-check-digit.md", fixture_content / "publications")
    assert run("--content", str(fixture_content), "check")[0] == 0
    code, out = run("--content", str(fixture_content), "check", "--strict")
    assert code == 1 and "warnings count as errors" in out


def test_usage_error_exits_2() -> None:
    assert run("check", "--no-such-option")[0] == 2
    assert run("build", "--as-of", "tomorrow")[0] == 2


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        names.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix}{name} ")
    return names


@pytest.mark.parametrize("command", _commands(main))
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    code, out = run(*command.split(), "--help")
    assert code == 0 and "Usage:" in out
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # The whole command as one types it (`build.py new meeting`), not just a word that is everywhere.
    assert f"build.py {command}" in readme, f"README does not show `build.py {command}`"


def test_new_writes_valid_skeletons_and_never_overwrites(fixture_content: Path) -> None:
    code, out = run(
        "--content", str(fixture_content), "new", "bulletin", "--number", "26", "--season", "summer", "--year", "2002"
    )
    assert code == 0, out
    assert (fixture_content / "bulletins/026-summer-2002.md").is_file()
    code, out = run(
        "--content",
        str(fixture_content),
        "new",
        "publication",
        "--title",
        'Smuggling & "Trafficking": A Study',
        "--type",
        "report",
        "--isbn",
        "92-9068-097-0",
        "--year",
        "2000",
    )
    assert code == 0, out
    path = fixture_content / "publications/smuggling-trafficking-a-study.md"
    assert path.is_file()
    code, out = run(
        "--content", str(fixture_content), "new", "meeting", "--title", "Regional Meeting", "--start", "2002-09"
    )
    assert code == 0, out
    archive, problems = load_archive(fixture_content)
    assert errors(problems) == []
    new = archive.publication_by_id["smuggling-trafficking-a-study"]
    assert new.title == 'Smuggling & "Trafficking": A Study' and new.draft and new.isbn == "92-9068-097-0"
    assert archive.by_number[26].draft and archive.meeting_by_id["regional-meeting-2002"].start.month == 9
    before = path.read_bytes()
    code, out = run(
        "--content",
        str(fixture_content),
        "new",
        "publication",
        "--title",
        'Smuggling & "Trafficking": A Study',
        "--type",
        "report",
    )
    assert code == 1 and "already used" in out
    assert path.read_bytes() == before
    code, out = run(
        "--content", str(fixture_content), "new", "bulletin", "--number", "26", "--season", "autumn", "--year", "2002"
    )
    assert code == 1 and "already exists" in out
