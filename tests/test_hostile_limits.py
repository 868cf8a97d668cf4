"""Bounded work for every body: the worst cases of each family, at the 1 MiB file limit, are refused by a linear
scan before Python-Markdown or any HTML parser reads them; what stays under the limits is read in linear work;
the real archive, the x40 benchmark archive and a bulletin's imported text are never refused.

Work is counted, never timed: how many tags reach the HTML parser, how many characters, whether Markdown runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import markdown
import pytest

from timsite.content import body as body_module
from timsite.content.body import PARAGRAPH_LIMITS, body_problems
from timsite.content.load import build_entry
from timsite.content.model import MODELS
from timsite.content.problems import Severity
from timsite.content.source import read_source
from timsite.importer.run import import_bulletin
from tools.bench import synthetic, worst

from .conftest import ROOT

REFUSED_AT_1MIB = {
    "code spans": "code span markup",
    "emphasis": "emphasis markup",
    "links": "link markup",
    "entities": "character reference markup",
    "tag-like text": "angle brackets <",
    "wide tables": "table cells",
    "headings": "headings",
}
"""The family, and the limit that refuses its 1 MiB case."""


class Counter:
    """What reached the parsers during one check."""

    def __init__(self) -> None:
        self.tags = 0
        self.characters = 0


@contextmanager
def counting(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter]:
    """Counts the tags (and their characters) handed to the HTML parser; Markdown may not run at all."""
    counter = Counter()
    read = body_module._read_tag

    def counted(token: str) -> body_module._Tag:
        counter.tags += 1
        counter.characters += len(token)
        return read(token)

    def no_markdown(*args: object, **kwargs: object) -> str:
        raise AssertionError("check ran Markdown")

    monkeypatch.setattr(body_module, "_read_tag", counted)
    monkeypatch.setattr(markdown.Markdown, "convert", no_markdown)
    yield counter


@pytest.mark.parametrize("family", sorted(worst.FAMILIES))
def test_each_worst_case_at_1_mib_is_refused_before_any_parser(family: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = worst.FAMILIES[family](worst.MIB)
    assert worst.MIB * 0.95 <= len(text) <= worst.MIB
    with counting(monkeypatch) as counter:
        problems = body_problems(text, 7, "x.md")
    if family not in REFUSED_AT_1MIB:
        # Nested lists under the depth limit are linear for Markdown: read, and none of it is HTML.
        assert problems == [] and counter.tags == 0
        return
    assert problems and all(p.line is not None and p.line >= 7 for p in problems)
    assert any(REFUSED_AT_1MIB[family] in p.message for p in problems), problems[:3]
    assert counter.tags == 0  # the limit fired first: no tag reached the HTML parser


@pytest.mark.parametrize("family", sorted(REFUSED_AT_1MIB))
def test_check_names_the_file_and_line_of_a_worst_case(family: str, tmp_path: Path) -> None:
    path = tmp_path / "publications" / "worst.md"
    path.parent.mkdir()
    path.write_text(worst.content_file(family, worst.FAMILIES[family](worst.MIB - 200)), encoding="utf-8")
    entry, problems = build_entry(MODELS["publications"], read_source(path), "publications/worst.md")
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert entry is None and errors
    assert all(p.path == "publications/worst.md" and p.field == "body" and p.line and p.line >= 7 for p in errors)


def test_unclosed_tag_like_text_spread_over_paragraphs_is_refused_before_any_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`"a<b " * 10000` took `check` 31 s (html.parser is quadratic on it), and spread over paragraphs each under
    the limits Markdown's own HTML parser still was (16,000 of them in 64 KiB: 14 s): the count over the whole
    body refuses it, and no tag is parsed."""
    paragraph = "a<b " * 30
    text = "\n\n".join([paragraph] * (worst.MIB // (len(paragraph) + 2)))
    with counting(monkeypatch) as counter:
        problems = body_problems(text, 1, "x.md")
    assert [p.message for p in problems if "never closed by >" in p.message]
    assert counter.tags == 0
    few = "\n\n".join(["a<b " * 25, "Text.", "x<y " * 25])
    assert body_problems(few, 1, "x.md") == []  # up to the limit, tag-like text is text


def test_many_tags_reach_the_parser_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real tags under the limits: the parser reads each tag alone (once for nesting, once for what it holds),
    never the text around them."""
    paragraph = "<b>bold</b> text " * 50
    text = "\n\n".join([paragraph] * (worst.MIB // (len(paragraph) + 2)))
    with counting(monkeypatch) as counter:
        assert body_problems(text, 1, "x.md") == []
    assert counter.tags == 2 * text.count("<")
    assert counter.characters == 2 * 7 * text.count("<b>")


def _bodies(files: dict[str, str]) -> Iterator[tuple[str, str]]:
    for name, text in files.items():
        yield name, text.split("\n---", 1)[1] if text.startswith("---") else text


def _limit_problems(name: str, text: str) -> list[str]:
    """Every problem `check` finds in a body: none may be a false refusal of real text."""
    return [str(p) for p in body_problems(text, 1, name)]


def test_the_real_archive_stays_under_the_limits() -> None:
    files = {str(p): p.read_text(encoding="utf-8") for p in (ROOT / "content").rglob("*.md")}
    assert len(files) > 30
    assert [problem for name, text in _bodies(files) for problem in _limit_problems(name, text)] == []


def test_the_x40_benchmark_archive_stays_under_the_limits() -> None:
    files = synthetic.generate(40).files
    assert len(files) > 10_000
    assert [problem for name, text in _bodies(files) for problem in _limit_problems(name, text)] == []


def test_an_imported_bulletin_stays_under_the_limits(tmp_path: Path) -> None:
    """N° 25 imported from its extracted text (`build.py import bulletin`): every draft it writes passes."""
    content = tmp_path / "content"
    for folder in MODELS:
        (content / folder).mkdir(parents=True)
    import_bulletin(ROOT / "tests" / "fixtures" / "import" / "bulletin-25.txt", content)
    files = {str(p): p.read_text(encoding="utf-8") for p in content.rglob("*.md")}
    assert len(files) > 5 and any("bulletins" in name for name in files)
    assert sum(len(text) for text in files.values()) > 20_000
    assert [problem for name, text in _bodies(files) for problem in _limit_problems(name, text)] == []


def test_the_limits_are_documented_for_editors() -> None:
    doc = (ROOT / "docs" / "content-model.md").read_text(encoding="utf-8")
    for _kind, (chars, limit) in PARAGRAPH_LIMITS.items():
        assert f"| {limit} |" in doc and all(f"`{c}`" in doc or f"`` {c} ``" in doc for c in chars)
    for name in ("MAX_HEADINGS", "MAX_BODY_TABLE_CELLS", "MAX_UNCLOSED_TAGS"):
        assert f"{getattr(body_module, name):,}" in doc or str(getattr(body_module, name)) in doc
