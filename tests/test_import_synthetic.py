"""The importer is not fitted to N° 25: a synthetic issue, printed as text, passes the same proof."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.importer_proof import as_text, as_typst, kept, printed_issue, untagged_pdf
from timsite.content.checked import load_archive
from timsite.content.problems import errors
from timsite.importer.run import import_bulletin
from tools.bench.synthetic import Counts, generate, write_archive

NUMBER = 7


@pytest.fixture(scope="module")
def synthetic(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, str, dict[str, list[str]], tuple[set[str], set[str]]]:
    """The x1 synthetic archive without issue 7; issue 7's Markdown, its contents lists and what it prints."""
    root = tmp_path_factory.mktemp("synthetic") / "content"
    write_archive(generate(1, counts=Counts(10, 40, 60)), root)
    path = next((root / "bulletins").glob(f"{NUMBER:03d}-*.md"))
    markdown = path.read_text(encoding="utf-8")
    path.unlink()
    archive, _ = load_archive(root)
    meetings = re.findall(r"^### (.*?) \{#", markdown.split("## New publications")[0], re.MULTILINE)
    section = markdown.split("## New publications")[1].split("## News from the regions")[0]
    publications = re.findall(r"^### (.*?) \{#", section, re.MULTILINE)
    by_title = {m.title: m.id for m in archive.meetings if m.reported_in == NUMBER}
    pub_ids = {p.title: p.id for p in archive.publications}
    expected = ({by_title[t] for t in meetings}, {pub_ids[t] for t in publications})
    return root, markdown, {"Meetings": meetings, "New publications": publications}, expected


def test_a_synthetic_issue_printed_as_text_passes_the_same_proof(synthetic, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, markdown, lists, (meetings, publications) = synthetic
    head = re.search(r"season: \"?(\w+)\"?\nyear: (\d+)", markdown)
    assert head
    printed = printed_issue(markdown, NUMBER, head.group(1), int(head.group(2)), lists)
    source = tmp_path / "issue-7.txt"
    source.write_text(as_text(printed), encoding="utf-8")
    assert re.search(r"[a-z]-\n[a-z]", source.read_text(encoding="utf-8")), "the printed text has no hyphenation"
    report = import_bulletin(source, root)
    draft_path = Path(report.written[0])
    try:
        draft = draft_path.read_text(encoding="utf-8")
        sentences, headings, missing, missing_h = kept(markdown, draft)
        linked_m = set(re.findall(r"^  - (.*)$", draft.split("meetings:")[1].split("publications:")[0], re.MULTILINE))
        linked_p = set(re.findall(r"^  - (.*)$", draft.split("publications:")[1].split("tags:")[0], re.MULTILINE))
        figures = (
            f"synthetic N° {NUMBER} as text: sentences kept {sentences:.1%}, headings {headings:.1%}, "
            f"links {len(linked_m)}+{len(linked_p)} of {len(meetings)}+{len(publications)}"
        )
        print(figures)
        assert sentences >= 0.98, f"{figures}; missing: {missing[:3]}"
        assert headings >= 0.90, f"{figures}; missing: {missing_h}"
        assert linked_m == meetings and linked_p == publications, figures
        assert len(report.written) == 1, f"stubs written for what the archive has: {report.written[1:]}"
        _, problems = load_archive(root)
        assert not errors(problems), [str(p) for p in errors(problems)]
    finally:
        for written in report.written:
            Path(written).unlink()


def test_the_same_issue_as_an_untagged_two_column_pdf_passes_the_same_proof(synthetic, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    root, markdown, lists, (meetings, publications) = synthetic
    head = re.search(r"season: \"?(\w+)\"?\nyear: (\d+)", markdown)
    assert head
    printed = printed_issue(markdown, NUMBER, head.group(1), int(head.group(2)), lists)
    source = tmp_path / "issue-7.pdf"
    untagged_pdf(as_typst(printed), source)
    reader = PdfReader(source)
    assert "/StructTreeRoot" not in reader.root_object and not reader.outline, "the PDF is tagged or has an outline"
    xs = []
    reader.pages[1].extract_text(
        visitor_text=lambda t, cm, tm, f, s: xs.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4]) if t.strip() else None
    )
    assert min(xs) < 150 and max(xs) > 300, "the PDF is not set in two columns"
    report = import_bulletin(source, root)
    try:
        draft = Path(report.written[0]).read_text(encoding="utf-8")
        sentences, headings, missing, missing_h = kept(markdown, draft)
        linked_m = set(re.findall(r"^  - (.*)$", draft.split("meetings:")[1].split("publications:")[0], re.MULTILINE))
        linked_p = set(re.findall(r"^  - (.*)$", draft.split("publications:")[1].split("tags:")[0], re.MULTILINE))
        figures = (
            f"synthetic N° {NUMBER} as a PDF ({len(reader.pages)} pages): sentences kept {sentences:.1%}, "
            f"headings {headings:.1%}, links {len(linked_m)}+{len(linked_p)} of {len(meetings)}+{len(publications)}"
        )
        print(figures)
        assert sentences >= 0.98, f"{figures}; missing: {missing[:3]}"
        assert headings >= 0.90, f"{figures}; missing: {missing_h}"
        assert linked_m == meetings and linked_p == publications, figures
        assert any("hyphen" in line for line in report.lines()), "no line-break hyphen was met: the test proves less"
        _, problems = load_archive(root)
        assert not errors(problems), [str(p) for p in errors(problems)]
    finally:
        for written in report.written:
            Path(written).unlink()
