"""Hostile input and careless commands: refused with the file and field named, or built with nothing leaked.

Each case is a content file, a layout or a command, as an attacker or a careless editor would try
it, run through `build.py` in a subprocess (a hang is a failure: every run has a timeout). A refused
case must exit 1, name the file and field in a `file:line: field: message` line, print no traceback
and leave the published site byte-identical. The cases that build run together in one build whose
every output file is searched for a random token that only hidden or outside files hold.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest

from timsite.engine.cli import EPOCH_RANGE, source_date_epoch

from .browser import skip_outside_ci
from .conftest import FIXTURES, ROOT

TOKEN = secrets.token_hex(12)
"""In files a build must never read (outside content/, hidden); it may appear in no output file."""

PUB = '---\nid: {id}\ntitle: "Hostile {id}"\ntype: report\nyear: 2001\n{extra}---\n\nText.\n'
MEETING = '---\nid: {id}\ntitle: "Hostile meeting"\nstart: {start}\n{extra}---\n\nText.\n'
BULLETIN = "---\nnumber: 9\nseason: winter\nyear: 2001\n{extra}---\n\nText.\n"
SECRET = f'---\nid: secret-{TOKEN}\ntitle: "Secret {TOKEN}"\ntype: report\nyear: 2001\n---\n\n{TOKEN}\n'
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`build.py` with `args`, as a user runs it; a hang fails the test through the timeout."""
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env={**environment, **(env or {})},
    )


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every file (bytes) and link (target) under `folder`, followed through the top link."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = os.readlink(path)
        elif path.is_file():
            found[key] = path.read_bytes()
    return found


def write(relative: str, text: str | bytes) -> Callable[[Path, Path], None]:
    def setup(content: Path, outside: Path) -> None:
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    return setup


def link(relative: str, target: Callable[[Path, Path], Path | str]) -> Callable[[Path, Path], None]:
    def setup(content: Path, outside: Path) -> None:
        (content / relative).symlink_to(target(content, outside))

    return setup


def both(*steps: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    def setup(content: Path, outside: Path) -> None:
        for step in steps:
            step(content, outside)

    return setup


def fifo(relative: str) -> Callable[[Path, Path], None]:
    return lambda content, outside: os.mkfifo(content / relative)


def sparse(relative: str, size: int) -> Callable[[Path, Path], None]:
    def setup(content: Path, outside: Path) -> None:
        with open(content / relative, "wb") as handle:
            handle.write(PDF)
            handle.truncate(size)

    return setup


def pdf_bulletin(setup: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    return both(write("bulletins/009-winter-2001.md", BULLETIN.format(extra="pdf: x.pdf\n")), setup)


NESTED_BLOCK = "tags:\n" + "".join("  " * i + "-\n" for i in range(60)) + "  " * 60 + "- deep\n"
NFD = unicodedata.normalize("NFD", "Côte d'Ivoire")


@dataclass(frozen=True)
class Case:
    """A hostile content change, refused by `build`: the message must name `file` and `field`."""

    name: str
    setup: Callable[[Path, Path], None]
    file: str
    field: str
    says: str = ""
    """Words the message must contain."""


CASES = [
    # Files that are not regular files, or lie outside content/.
    Case("fifo", fifo("publications/pipe.md"), "publications/pipe.md", "", "named pipe"),
    Case("folder-named-md", write("publications/folder.md/x.txt", "x"), "publications/folder.md", "", "folder"),
    Case(
        "link-to-dev-zero",
        link("publications/zero.md", lambda c, o: "/dev/zero"),
        "publications/zero.md",
        "",
        "outside the content folder",
    ),
    Case(
        "link-to-secret-outside",
        link("publications/secret.md", lambda c, o: o / "secret.md"),
        "publications/secret.md",
        "",
        "outside the content folder",
    ),
    Case(
        "link-to-etc-passwd",
        link("meetings/passwd.md", lambda c, o: "/etc/passwd"),
        "meetings/passwd.md",
        "",
        "outside the content folder",
    ),
    Case("link-loop", link("publications/loop.md", lambda c, o: c / "publications/loop.md"), "loop.md", "", "loops"),
    Case("dangling-link", link("publications/gone.md", lambda c, o: o / "gone.md"), "gone.md", "", "does not exist"),
    Case("too-large", write("publications/big.md", PUB.format(id="big", extra="") + "x" * 1_100_000), "big.md", ""),
    # A bulletin's PDF.
    Case(
        "pdf-link-to-etc-passwd",
        pdf_bulletin(link("bulletins/x.pdf", lambda c, o: "/etc/passwd")),
        "bulletins/009-winter-2001.md",
        "pdf",
        "outside the content folder",
    ),
    Case(
        "pdf-link-to-environ",
        pdf_bulletin(link("bulletins/x.pdf", lambda c, o: "/proc/self/environ")),
        "bulletins/009-winter-2001.md",
        "pdf",
        "outside the content folder",
    ),
    Case("pdf-fifo", pdf_bulletin(fifo("bulletins/x.pdf")), "bulletins/009-winter-2001.md", "pdf", "named pipe"),
    Case("pdf-folder", pdf_bulletin(write("bulletins/x.pdf/y", "y")), "bulletins/009-winter-2001.md", "pdf", "folder"),
    Case(
        "pdf-not-a-pdf",
        pdf_bulletin(write("bulletins/x.pdf", "<html>not a pdf</html>")),
        "bulletins/009-winter-2001.md",
        "pdf",
        "%PDF-",
    ),
    Case(
        "pdf-too-large",
        pdf_bulletin(sparse("bulletins/x.pdf", 101 * 1024 * 1024)),
        "bulletins/009-winter-2001.md",
        "pdf",
        "at most",
    ),
    # Values that YAML escapes smuggle past the check of the raw text.
    Case(
        "nul-escape",
        write("publications/nul.md", PUB.format(id="nul", extra='summary: "a\\0b"\n')),
        "nul.md",
        "summary",
    ),
    Case(
        "esc-escape", write("publications/esc.md", PUB.format(id="esc", extra='notes: "\\e[31m"\n')), "esc.md", "notes"
    ),
    Case(
        "c1-escape",
        write("meetings/c1.md", MEETING.format(id="c1", start="2001-01-01", extra='city: "a\\Nb"\n')),
        "c1.md",
        "city",
    ),
    Case(
        "surrogate-escape",
        write("publications/sur.md", PUB.format(id="sur", extra='publisher: "\\ud800"\n')),
        "sur.md",
        "",
        "not valid YAML",
    ),
    Case(
        "rtl-override-in-title",
        write("publications/rtl.md", PUB.format(id="rtl", extra='subtitle: "fdp.\\u202eexe"\n')),
        "rtl.md",
        "subtitle",
    ),
    Case(
        "control-in-nested-list",
        write("publications/deep-nul.md", PUB.format(id="deep-nul", extra='authors: ["A", "B\\x07"]\n')),
        "deep-nul.md",
        "authors",
    ),
    # Dates outside 1000-2999.
    Case(
        "meeting-ends-9999",
        write("meetings/end.md", MEETING.format(id="end", start="2001-01-01", extra="end: 9999-12-31\n")),
        "end.md",
        "end",
        "1000",
    ),
    Case(
        "meeting-starts-year-0",
        write("meetings/zero.md", MEETING.format(id="zero", start="0000-01-01", extra="")),
        "zero.md",
        "start",
    ),
    Case(
        "publication-date-999",
        write("publications/old.md", PUB.format(id="old", extra='date: "0999"\n').replace("year: 2001\n", "")),
        "old.md",
        "date",
    ),
    Case(
        "bulletin-date-3000",
        write("bulletins/009-winter-2001.md", BULLETIN.format(extra="date: 3000-01-01\n")),
        "009-winter-2001.md",
        "date",
    ),
    Case(
        "publication-year-0",
        write("publications/y0.md", PUB.format(id="y0", extra="").replace("2001", "0")),
        "y0.md",
        "year",
    ),
    # Nesting the YAML parser would recurse into (a segmentation fault in libyaml).
    Case(
        "nested-brackets",
        write("publications/br.md", PUB.format(id="br", extra="tags: " + "[" * 200_000 + "x" + "]" * 200_000 + "\n")),
        "br.md",
        "tags",
        "levels deep",
    ),
    Case(
        "nested-braces",
        write("publications/bc.md", PUB.format(id="bc", extra="tags: " + "{a: " * 500 + "\n")),
        "bc.md",
        "tags",
        "levels deep",
    ),
    Case(
        "nested-block-list",
        write("publications/bl.md", PUB.format(id="bl", extra=NESTED_BLOCK)),
        "bl.md",
        "tags",
        "levels deep",
    ),
    Case(
        "nested-dashes",
        write("publications/ds.md", PUB.format(id="ds", extra="tags:\n  " + "- " * 3000 + "x\n")),
        "ds.md",
        "tags",
        "levels deep",
    ),
    Case(
        "nesting-read-by-two-processes",  # 250 files are read in parallel: once a silent status -11
        both(
            *(write(f"publications/p{i}.md", PUB.format(id=f"p{i}", extra="")) for i in range(250)),
            write("publications/zz.md", PUB.format(id="zz", extra="summary: " + "[" * 5000 + "\n")),
        ),
        "zz.md",
        "summary",
        "levels deep",
    ),
    # Tags.
    Case(
        "five-thousand-tags",
        write(
            "publications/many.md",
            PUB.format(id="many", extra="tags: [" + ", ".join(f"t{i}" for i in range(5000)) + "]\n"),
        ),
        "many.md",
        "tags",
        "at most 50",
    ),
    Case(
        "bidi-mark-in-tag",
        write("publications/lrm.md", PUB.format(id="lrm", extra='tags: ["Europe\\u200f"]\n')),
        "lrm.md",
        "tags",
    ),
    Case(
        "nfc-twins-in-one-file",
        write("publications/twins.md", PUB.format(id="twins", extra=f'tags: ["Côte d\'Ivoire", "{NFD}"]\n')),
        "twins.md",
        "tags",
        "the same",
    ),
    Case(
        "nfc-twins-across-files",
        both(
            write("publications/nfc.md", PUB.format(id="nfc", extra='tags: ["Côte d\'Ivoire"]\n')),
            write("publications/nfd.md", PUB.format(id="nfd", extra=f'tags: ["{NFD}"]\n')),
        ),
        "publications/nf",
        "tags",
        "the same",
    ),
    Case(
        "huge-tag",
        write("publications/long.md", PUB.format(id="long", extra=f"tags: [{'x' * 500}]\n")),
        "long.md",
        "tags",
    ),
]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes | str]]:
    """The fixture site, published once; every refused case must leave it exactly as it is."""
    base = tmp_path_factory.mktemp("published")
    shutil.copytree(FIXTURES / "site" / "content", base / "content")
    site = base / "site"
    result = run("--content", str(base / "content"), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    return site, tree(site)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside content/ with a secret an attacker would like published."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(SECRET, encoding="utf-8")
    (folder / "secret.pdf").write_bytes(PDF + TOKEN.encode())
    return folder


def assert_refused(result: subprocess.CompletedProcess[str], where: str, field: str = "", says: str = "") -> str:
    out = result.stdout + result.stderr
    assert result.returncode == 1, out  # not 0, not a signal, not a usage error
    assert "Traceback" not in out and "Error:" not in out.replace("errors", ""), out
    pattern = re.escape(where) + r"[^\s:]*(?::\d+)?: " + (re.escape(field) + ": " if field else "")
    line = next((line for line in out.splitlines() if re.search(pattern, line)), None)
    assert line is not None, f"no line names {where} {field}:\n{out}"
    assert says in line, line
    assert TOKEN not in out
    return line


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_content_is_refused_and_the_site_kept(
    case: Case, published: tuple[Path, dict[str, bytes | str]], fixture_content: Path, outside: Path
) -> None:
    site, before = published
    case.setup(fixture_content, outside)
    result = run("--content", str(fixture_content), "build", "--site-dir", str(site), timeout=60)
    assert_refused(result, case.file, case.field, case.says)
    assert tree(site) == before


def everything(site: Path) -> bytes:
    chunks = []
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            chunks.append(gzip.decompress(data) if path.suffix == ".gz" else data)
    return b"\n".join(chunks)


def test_hidden_files_and_links_out_are_never_published(fixture_content: Path, outside: Path, tmp_path: Path) -> None:
    pubs = fixture_content / "publications"
    (pubs / ".hidden.md").write_text(SECRET, encoding="utf-8")
    (pubs / ".#fixture-report.md").symlink_to("root@host.4242:1700000000")  # Emacs' lock file: a dangling link
    (pubs / "._fixture-report.md").write_bytes(b"\x00\x05\x16\x07" + TOKEN.encode() + b"\xff" * 40)  # macOS
    (pubs / ".git").mkdir()
    (pubs / ".git" / "x.md").write_text(SECRET, encoding="utf-8")
    (pubs / "fixture-report.md~").write_text(SECRET, encoding="utf-8")
    (pubs / "linked-folder").symlink_to(outside, target_is_directory=True)
    (fixture_content / ".drafts").mkdir()
    (fixture_content / ".drafts" / "x.md").write_text(SECRET, encoding="utf-8")
    # A draft series: a published volume of it must not name it anywhere.
    (fixture_content / "series" / "draft.md").write_text(
        f'---\nid: series-{TOKEN}\ntitle: "Series {TOKEN}"\ndraft: true\n---\n', encoding="utf-8"
    )
    (pubs / "volume.md").write_text(
        PUB.format(id="volume", extra=f"series: series-{TOKEN}\nseries_number: 7\n"), encoding="utf-8"
    )
    # A link that stays inside content/ is fine, and so is a real PDF.
    (fixture_content / "bulletins" / "009-winter-2001.md").write_text(
        BULLETIN.format(extra="pdf: tim-9.pdf\n"), encoding="utf-8"
    )
    (fixture_content / "bulletins" / "real.pdf").write_bytes(PDF)
    (fixture_content / "bulletins" / "tim-9.pdf").symlink_to("real.pdf")
    site = tmp_path / "site"
    result = run("--content", str(fixture_content), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert TOKEN.encode() not in everything(site)
    assert (site / "bulletins/9/tim-9.pdf").read_bytes() == PDF
    catalogue = lxml.html.fromstring((site / "publications/index.html").read_bytes())
    row = catalogue.xpath("//tr[.//a[contains(., 'Hostile volume')]]")
    assert len(row) == 1 and row[0].get("data-series") == "none"


def test_the_epoch_comes_from_published_entries_within_gzip_and_the_clock(
    fixture_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An embargoed publication dated 2200 and a draft dated 2900 once set a time gzip cannot store.
    pubs = fixture_content / "publications"
    (pubs / "future.md").write_text(
        PUB.format(id="future", extra="").replace("year: 2001", 'date: "2200-01-01"'), encoding="utf-8"
    )
    draft = PUB.format(id="draft", extra="draft: true\n").replace("year: 2001", 'date: "2900-01-01"')
    (pubs / "draft.md").write_text(draft, encoding="utf-8")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    epoch = source_date_epoch(tmp_path, fixture_content)  # tmp_path is no git repository: the content decides
    # The newest published entry of the fixture is from 2001.
    assert EPOCH_RANGE[0] <= int(epoch) < 1009843200  # 2002-01-01
    # Judged as on 2300-01-01 the publication of 2200 is published, but the time is still clamped to the clock.
    later = source_date_epoch(tmp_path, fixture_content, "2300-01-01")
    assert int(epoch) < int(later) <= time.time()


@pytest.mark.parametrize("value", ["soon", "-5", "99999999999", "1e9", "12 34"])
def test_a_bad_source_date_epoch_is_one_line(
    value: str, published: tuple[Path, dict[str, bytes | str]], fixture_content: Path
) -> None:
    site, before = published
    result = run("--content", str(fixture_content), "build", "--site-dir", str(site), env={"SOURCE_DATE_EPOCH": value})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "SOURCE_DATE_EPOCH" in result.stderr and "nothing was built" in result.stderr
    assert tree(site) == before


def test_a_site_dir_that_is_not_a_published_site_is_never_touched(
    published: tuple[Path, dict[str, bytes | str]], fixture_content: Path, tmp_path: Path, outside: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Hand-written documentation\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.symlink_to(outside, target_is_directory=True)
    content_before, docs_before, outside_before = tree(fixture_content), tree(docs), tree(outside)
    for target in (fixture_content, docs, elsewhere, fixture_content / "publications" / "site", ROOT):
        for _ in range(4):  # the third build once deleted a folder it had moved aside
            result = run("--content", str(fixture_content), "build", "--site-dir", str(target))
            assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
            assert "choose another --site-dir" in result.stderr and str(target) in result.stderr
    assert (tree(fixture_content), tree(docs), tree(outside)) == (content_before, docs_before, outside_before)
    assert elsewhere.is_symlink() and not list(tmp_path.glob(".*-releases"))


@pytest.mark.parametrize("missing", ["bulletins", "meetings", "publications"])
def test_an_empty_collection_never_replaces_the_site(
    missing: str, published: tuple[Path, dict[str, bytes | str]], fixture_content: Path
) -> None:
    site, before = published
    for path in (fixture_content / missing).iterdir():
        path.unlink()
    if missing == "meetings":  # the issues name the meetings they report
        for path in (fixture_content / "bulletins").iterdir():
            path.write_text(re.sub(r"(?m)^meetings:.*\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    if missing == "publications":
        for path in [*(fixture_content / "bulletins").iterdir(), *(fixture_content / "meetings").iterdir()]:
            path.write_text(re.sub(r"(?m)^publications:.*\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    if missing == "bulletins":
        for path in [*(fixture_content / "meetings").iterdir(), *(fixture_content / "publications").iterdir()]:
            text = re.sub(r"(?m)^(reported_in|bulletins):.*\n", "", path.read_text(encoding="utf-8"))
            path.write_text(text, encoding="utf-8")
    result = run("--content", str(fixture_content), "build", "--site-dir", str(site))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stdout + result.stderr
    assert f"{fixture_content / missing} has nothing to publish" in result.stderr and "--allow-empty" in result.stderr
    assert tree(site) == before


def test_a_missing_content_folder_never_replaces_the_site(
    published: tuple[Path, dict[str, bytes | str]], tmp_path: Path
) -> None:
    site, before = published
    result = run("--content", str(tmp_path / "contnet"), "build", "--site-dir", str(site))
    assert_refused(result, str(tmp_path / "contnet"), "", "does not exist")
    assert tree(site) == before


def test_allow_empty_publishes_an_empty_collection(fixture_content: Path, tmp_path: Path) -> None:
    shutil.rmtree(fixture_content / "series")
    for path in (fixture_content / "meetings").iterdir():
        path.unlink()
    for path in (fixture_content / "bulletins").iterdir():
        path.write_text(re.sub(r"(?m)^meetings:.*\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    for path in (fixture_content / "publications").iterdir():
        path.write_text(re.sub(r"(?m)^series(_number)?:.*\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    site = tmp_path / "site"
    assert run("--content", str(fixture_content), "build", "--site-dir", str(site)).returncode == 1
    result = run("--content", str(fixture_content), "build", "--site-dir", str(site), "--allow-empty")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "meetings/index.html").is_file()


NEW = [
    ("id-climbs-out", ["meeting", "--title", "T", "--start", "2002-01", "--id", "../../../x"], "--id"),
    ("id-absolute", ["publication", "--title", "T", "--type", "report", "--id", "/tmp/x"], "--id"),
    ("id-with-spaces", ["publication", "--title", "T", "--type", "report", "--id", "Bad Id"], "--id"),
    ("id-reserved", ["publication", "--title", "T", "--type", "report", "--id", "feeds"], "reserved"),
    ("start-year-0", ["meeting", "--title", "T", "--start", "0000-01-01"], "1000"),
    (
        "end-not-a-date",
        ["meeting", "--title", "T", "--start", "2002-01-01", "--end", '2002-01-02"\ndraft: false'],
        "end",
    ),
    ("end-year-9999", ["meeting", "--title", "T", "--start", "2002-01-01", "--end", "9999-12-31"], "end"),
    ("title-escape", ["publication", "--title", "a\x1b[31mb", "--type", "report"], "title"),
    ("title-rtl", ["publication", "--title", "a\u202eb", "--type", "report"], "title"),
    ("title-blank", ["publication", "--title", "   ", "--type", "report"], "title"),
]


@pytest.mark.parametrize(("args", "says"), [(a, s) for _, a, s in NEW], ids=[n for n, _, _ in NEW])
def test_new_writes_nothing_when_an_option_is_wrong(
    args: list[str], says: str, fixture_content: Path, tmp_path: Path
) -> None:
    before = tree(tmp_path)
    result = run("--content", str(fixture_content), "new", *args)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr, result.stderr
    assert says in result.stderr, result.stderr
    assert tree(tmp_path) == before
    assert not Path("/tmp/x").exists() and not (ROOT / "x.md").exists()


def test_new_never_writes_through_a_link_out_of_content(fixture_content: Path, outside: Path) -> None:
    shutil.rmtree(fixture_content / "meetings")
    (fixture_content / "meetings").symlink_to(outside, target_is_directory=True)
    before = tree(outside)
    result = run("--content", str(fixture_content), "new", "meeting", "--title", "T", "--start", "2002-01")
    assert result.returncode == 1 and "link out of the content folder" in result.stderr, result.stderr
    assert tree(outside) == before


UNSHARE = ["unshare", "-m", "--propagation", "private"]
_DISK = """
import json, os, subprocess, sys
from pathlib import Path

mount, content, build = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], check=True)
site = mount / "site"


def tree():
    return {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def run():
    return subprocess.run([*build, "--content", content, "build", "--site-dir", str(site)], capture_output=True, text=True)


first = run()
assert first.returncode == 0, first.stderr
before = tree()
# Leave 300 KB: the next build fails midway, in whichever process writes when the space runs out.
free = os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize
with open(mount / "filler", "wb") as filler:
    filler.truncate(0)
    filler.write(b"x" * max(free - 300_000, 0))
full = run()
subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
read_only = run()
after = tree()
print(json.dumps([full.returncode, full.stderr, read_only.returncode, read_only.stderr, before == after]))
"""


def test_a_full_or_read_only_disk_is_one_line_and_keeps_the_site(fixture_content: Path, tmp_path: Path) -> None:
    """A real full and read-only disk: a tmpfs mounted in a mount namespace of its own (needs `unshare -m`)."""
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        # CI runs as root and must run this test; only a developer's machine without root may skip it.
        skip_outside_ci("cannot mount a small disk here: `unshare -m` is not permitted (run the tests as root)")
    mount = tmp_path / "disk"
    mount.mkdir()
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run(
        [
            *UNSHARE,
            sys.executable,
            "-c",
            _DISK,
            str(mount),
            str(fixture_content),
            sys.executable,
            str(ROOT / "build.py"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    full_code, full_err, ro_code, ro_err, unchanged = json.loads(done.stdout)
    for code, err, says in ((full_code, full_err, "the disk is full"), (ro_code, ro_err, "the disk is read-only")):
        assert code == 1 and "Traceback" not in err, err
        assert len([line for line in err.splitlines() if says in line]) == 1, err
    assert unchanged
