"""`build.py import bulletin`: N° 25's extracted text against its transcription, robustness, refusals, hostile text."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.importer_proof import body_text, kept, rewrap
from timsite.content import periodical
from timsite.content.checked import load_archive
from timsite.content.problems import errors
from timsite.importer.limits import MAX_HEADINGS, MAX_TEXT_BYTES, ImportRefused
from timsite.importer.run import import_bulletin

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "import"
SEED = FIXTURES / "bulletin-25.txt"
REFERENCE = ROOT / "content" / "bulletins" / "025-spring-2002.md"
DRAFT = "bulletins/025-spring-2002.md"


def archive_without_25(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / DRAFT).unlink()
    return content


def front_list(text: str, name: str) -> list[str]:
    block = re.search(rf"^{name}:\n((?:  - .*\n)*)", text, re.MULTILINE)
    assert block, f"no {name}: list in the draft"
    return [line[4:] for line in block.group(1).splitlines()]


def test_real_issue_keeps_sentences_headings_and_links(tmp_path: Path) -> None:
    content = archive_without_25(tmp_path)
    report = import_bulletin(SEED, content)
    draft = (content / DRAFT).read_text(encoding="utf-8")
    reference = REFERENCE.read_text(encoding="utf-8")
    sentences, headings, missing, missing_h = kept(reference, draft)
    linked = (front_list(draft, "meetings"), front_list(draft, "publications"))
    expected = (front_list(reference, "meetings"), front_list(reference, "publications"))
    figures = f"N° 25: sentences kept {sentences:.1%}, headings {headings:.1%}, links {len(linked[0])}+{len(linked[1])}"
    print(figures)
    assert sentences >= 0.98, f"{figures}; missing: {missing[:5]}"
    assert headings >= 0.90, f"{figures}; missing headings: {missing_h}"
    assert sorted(linked[0]) == sorted(expected[0]) and sorted(linked[1]) == sorted(expected[1]), figures
    assert report.written == [str(content / DRAFT)], "a stub was written for something the archive has"
    assert "draft: true" in draft
    plain = body_text(draft)
    assert not re.search(r"[a-z]- [a-z]", plain.replace("- and", "")), "a line-break hyphen is left"
    assert "TRAFFICKING IN MIGRANTS" not in draft and not re.search(r"^\d{1,3}$", draft, re.MULTILINE)
    archive, problems = load_archive(content)
    assert not errors(problems), [str(p) for p in errors(problems)]
    to_dos = [p for p in problems if p.message.startswith("to do:") and p.path.endswith(DRAFT)]
    assert {p.field for p in to_dos} == {"summary", "tags"}, "check does not name the draft's to-dos"
    assert archive.by_number[25].draft


def test_second_run_says_the_issue_exists_and_changes_nothing(tmp_path: Path) -> None:
    content = archive_without_25(tmp_path)
    import_bulletin(SEED, content)
    before = {p: p.read_bytes() for p in content.rglob("*.md")}
    rewrapped = tmp_path / "other-name.txt"
    rewrapped.write_text(rewrap(SEED.read_text(encoding="utf-8"), 90, 60, "Trafficking in Migrants"), encoding="utf-8")
    for source in (SEED, rewrapped):
        with pytest.raises(ImportRefused, match="issue N° 25 already exists"):
            import_bulletin(source, content)
    assert {p: p.read_bytes() for p in content.rglob("*.md")} == before


def test_rewrapped_text_with_page_furniture_and_crlf_gives_the_same_draft(tmp_path: Path) -> None:
    first = archive_without_25(tmp_path / "a")
    import_bulletin(SEED, first)
    altered = tmp_path / "b" / SEED.name
    altered.parent.mkdir()
    altered.write_bytes(rewrap(SEED.read_text(encoding="utf-8"), 72, 60, "TRAFFICKING IN MIGRANTS").encode("utf-8"))
    assert b"\r\n" in altered.read_bytes() and b"\r\n5\r\n" in altered.read_bytes()
    second = archive_without_25(tmp_path / "c")
    import_bulletin(altered, second)
    assert (second / DRAFT).read_text(encoding="utf-8") == (first / DRAFT).read_text(encoding="utf-8")


def test_a_meeting_missing_from_the_archive_becomes_a_draft_stub(tmp_path: Path) -> None:
    content = archive_without_25(tmp_path)
    (content / "meetings" / "ukat-conference-london-2002.md").unlink()
    report = import_bulletin(SEED, content)
    stubs = [Path(p) for p in report.written if "/meetings/" in p]
    assert len(stubs) == 1
    stub = stubs[0].read_text(encoding="utf-8")
    assert 'title: "Combating Global Trafficking: Approaches, Strategies and Interventions"' in stub
    assert 'start: "2002-03-11"' in stub and 'city: "London"' in stub and "draft: true" in stub
    assert stubs[0].stem in front_list((content / DRAFT).read_text(encoding="utf-8"), "meetings")
    assert any("meeting not in the archive" in line for line in report.lines())
    _, problems = load_archive(content)
    assert not errors(problems), [str(p) for p in errors(problems)]


@pytest.mark.parametrize("name", ["council-document.txt", "conference-paper.txt", "slides.txt", "brochure.txt"])
def test_other_documents_are_refused_plainly(tmp_path: Path, name: str) -> None:
    content = archive_without_25(tmp_path)
    before = sorted(content.rglob("*"))
    with pytest.raises(ImportRefused, match="not a bulletin issue"):
        import_bulletin(FIXTURES / name, content)
    assert sorted(content.rglob("*")) == before


def test_the_command_reports_least_sure_first_and_refuses_a_second_run(tmp_path: Path) -> None:
    content = archive_without_25(tmp_path)
    run = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "import", "bulletin", str(SEED)]
    first = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert first.returncode == 0, first.stderr
    scores = [float(m.group(1)) for m in re.finditer(r"^  (\d\.\d\d)  .*:\d+: ", first.stdout, re.MULTILINE)]
    assert len(scores) > 20 and scores == sorted(scores), first.stdout
    second = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert second.returncode == 1 and "already exists" in second.stderr and "Traceback" not in second.stderr


def test_a_text_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB, sparse: refused by its size alone
    with pytest.raises(ImportRefused, match=f"at most {MAX_TEXT_BYTES:,} bytes"):
        import_bulletin(big, archive_without_25(tmp_path))


SMALL_ISSUE = """TRAFFICKING IN MIGRANTS

N° 31 – Autumn 2003

ISSN 1020-0009

NEW IOM PUBLICATIONS

The Road Home: Returns to Moldova

SHELTERS FOR RETURNING MIGRANTS

Governments and agencies opened shelters for returning migrants in several countries this year, and the
first evaluations show that most residents were trafficked abroad.1 The findings will shape next year's work.

1 IOM, Evaluation of Return Shelters, Geneva, 2003.

12

NEW IOM PUBLICATIONS

THE ROAD HOME: RETURNS TO MOLDOVA

By Anna Laczko and Marco Bruno for IOM, 2003

This study follows two hundred women who returned to Moldova after being trafficked, and asks what helped
them stay. ISBN 92-9068-114-5 is printed on its cover, and a summary is available from the mission.
"""


def test_footnotes_stay_footnotes_and_a_misprinted_isbn_is_kept_and_flagged(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    source = tmp_path / "issue-31.txt"
    source.write_text(SMALL_ISSUE, encoding="utf-8")
    report = import_bulletin(source, content)
    draft = (content / "bulletins" / "031-autumn-2003.md").read_text(encoding="utf-8")
    assert "trafficked abroad.[^1] The findings" in draft
    assert 'issn: "1020-0009"' in draft and "known_misprints: [issn]" in draft, "the cover's misprinted ISSN"
    assert "\n[^1]: IOM, Evaluation of Return Shelters, Geneva, 2003.\n" in draft
    stub = next(Path(p) for p in report.written if "/publications/" in p).read_text(encoding="utf-8")
    assert 'isbn: "92-9068-114-5"' in stub and "known_misprints: [isbn]" in stub
    assert '  - "Anna Laczko"\n  - "Marco Bruno"' in stub and 'publisher: "IOM"' in stub and "year: 2003" in stub
    flagged = [line for line in report.lines() if "92-9068-114-5" in line]
    assert flagged and "check digit is invalid" in flagged[0] and "/publications/" not in flagged[0]
    _, problems = load_archive(content)
    assert not errors(problems), [str(p) for p in errors(problems)]
    misprint = [p for p in problems if p.field == "isbn" and p.path.endswith(Path(report.written[1]).name)]
    assert misprint and misprint[0].acknowledged, "check does not see the misprint as recorded"


def test_a_text_with_too_many_headings_is_refused_before_titles_are_compared(tmp_path: Path) -> None:
    paragraph = " ".join(["word"] * 30) + "."
    body = "\n\n".join(f"HEADING NUMBER {n} OF MANY\n\n{paragraph}" for n in range(MAX_HEADINGS + 1))
    source = tmp_path / "many.txt"
    source.write_text(f"N° 40 – Winter 2005\n\n{body}\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match=f"{MAX_HEADINGS + 1} headings; one issue has at most {MAX_HEADINGS}"):
        import_bulletin(source, archive_without_25(tmp_path))


def test_nothing_of_issue_25_is_written_into_the_importer() -> None:
    """Its headings, cover lists and boilerplate lines appear nowhere in the importer's code or templates."""
    reference = REFERENCE.read_text(encoding="utf-8")
    seed = SEED.read_text(encoding="utf-8")
    # "About this bulletin" is the archive's own heading for the cover's boilerplate, not the issue's words.
    phrases = {h for h in re.findall(r"^#{2,3} (.*?) \{#", reference, re.MULTILINE) if h != "About this bulletin"}
    phrases |= {line for line in seed.splitlines() if 12 <= len(line) <= 120 and "N°" not in line}
    phrases = {p for p in phrases if p.casefold() != periodical.NAME.casefold()}  # the series' name, not the issue's
    code = [*(ROOT / "timsite" / "importer").glob("*.py"), *(ROOT / "timsite" / "templates" / "files").glob("import-*")]
    text = "\n".join(path.read_text(encoding="utf-8").casefold() for path in code)
    found = sorted(p for p in phrases if p.casefold() in text)
    assert len(phrases) > 40 and not found, found
