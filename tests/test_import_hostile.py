"""Hostile text in an imported issue stays text: the draft's Markdown, rendered as the site renders it, runs nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
from lxml import html as lxml_html

from tests.importer_proof import _FRONT
from timsite.content.checked import load_archive
from timsite.content.problems import errors
from timsite.importer.run import import_bulletin

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "import" / "bulletin-25.txt"

HOSTILE = [
    "---",
    "title: injected",
    "draft: false",
    "---",
    "<script>alert(1)</script> and <img src=x onerror=alert(2)> in one line.",
    "A paragraph with an attribute list {: onclick=alert(3) } and [a link](javascript:alert(4)).",
    "# Not a heading, [^1] not a footnote, <!-- not a comment, {#id .class} not an anchor.",
    "> not a quote | not | a | table |",
    '!!! note "not an admonition"',
    "<div markdown=1 style=color:red>**bold** stays bold</div> (c) c/o 1/4 21st --> *not italic*",
]
EXTENSIONS = [
    "attr_list",
    "md_in_html",
    "tables",
    "def_list",
    "footnotes",
    "admonition",
    "toc",
    "pymdownx.smartsymbols",
]


def test_markup_in_the_source_is_kept_as_inert_text(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "bulletins" / "025-spring-2002.md").unlink()
    text = SEED.read_text(encoding="utf-8")
    lead = text.index("The main points of discussions")  # inside the lead article, after its first paragraph
    hostile = "\n\n".join(HOSTILE) + "\n\n"
    source = tmp_path / "hostile.txt"
    source.write_text(hostile + text[:lead] + hostile + text[lead:], encoding="utf-8")
    import_bulletin(source, content)
    draft = (content / "bulletins" / "025-spring-2002.md").read_text(encoding="utf-8")
    archive, problems = load_archive(content)
    assert not errors(problems), [str(p) for p in errors(problems)]
    assert archive.by_number[25].draft, "the source's front matter leaked into the draft's"
    assert archive.by_number[25].lead == "Temporary Resident Permits: A New Way to Protect Trafficking Victims?"
    body = _FRONT.sub("", draft)
    page = lxml_html.fromstring(f"<div>{markdown.markdown(body, extensions=EXTENSIONS)}</div>")
    assert not page.xpath("//script | //img | //iframe | //blockquote | //table | //h1 | //hr")
    assert not page.xpath("//div[contains(@class, 'admonition')] | //*[@style] | //*[@onclick] | //*[@onerror]")
    assert not page.xpath("//a[starts-with(normalize-space(@href), 'javascript')] | //sup[@id]")
    shown = page.text_content()
    for line in HOSTILE[4:]:
        core = line.replace("**", "").replace("<div markdown=1 style=color:red>", "").replace("</div>", "")
        assert core.split(" (c)")[0] in shown, f"not shown as printed: {line}"
    assert "(c) c/o 1/4 21st -->" in shown and "*not italic*" in shown
    assert page.xpath("//strong[text()='bold']"), "the source's bold was lost"


def test_markup_in_a_pdf_is_kept_as_inert_text(tmp_path: Path) -> None:
    from tests.importer_proof import Printed, as_typst, untagged_pdf

    lead = " ".join(["Governments opened shelters for returning migrants and evaluated them carefully."] * 4)
    printed = Printed(
        41,
        "spring",
        2006,
        [
            ("masthead", "N° 41 – Spring 2006"),
            ("heading", "Shelters for Returning Migrants"),
            ("para", lead),
            *[("para", line) for line in HOSTILE[4:]],
            ("para", lead),
        ],
    )
    source = tmp_path / "hostile.pdf"
    untagged_pdf(as_typst(printed), source)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    import_bulletin(source, content)
    draft = next((content / "bulletins").glob("041-*.md")).read_text(encoding="utf-8")
    _, problems = load_archive(content)
    assert not errors(problems), [str(p) for p in errors(problems)]
    page = lxml_html.fromstring(f"<div>{markdown.markdown(_FRONT.sub('', draft), extensions=EXTENSIONS)}</div>")
    assert not page.xpath("//script | //img | //table | //blockquote | //*[@onclick] | //*[@onerror] | //*[@style]")
    assert not page.xpath("//a[starts-with(normalize-space(@href), 'javascript')]")
    assert "<script>alert(1)</script>" in page.text_content()
