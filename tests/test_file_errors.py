"""File-system errors: `check` refuses a name the file system cannot hold; any OSError while a build writes is
one plain line naming the file, with the previous site byte-identical and no half-built release left."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from timsite.content.checked import load_archive
from timsite.outputs import file_names
from timsite.outputs import manifest as outputs

from .conftest import FIXTURES, ROOT
from .test_hostile_input import tree

PUB = "---\nid: {id}\ntitle: Long\ntype: report\nyear: 2001\n---\n\nText.\n"


def _run(*args: str, prelude: str = "", timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """build.py as a user runs it, after `prelude` (Python run first in the same process)."""
    code = (
        f"{prelude}\nimport sys\nfrom timsite.engine.cli import main\nsys.argv = ['build.py', *{list(args)!r}]\nmain()"
    )
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=timeout, env=environment
    )


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "site" / "content", folder)
    return folder


def test_check_refuses_an_id_whose_file_name_would_be_too_long(content: Path) -> None:
    # 246 characters: the page's folder (246) fits, the citation file <id>.csl.json (255) just fits.
    (content / "publications" / "fits.md").write_text(PUB.format(id="f" * 246), encoding="utf-8")
    (content / "publications" / "long.md").write_text(PUB.format(id="a" * 248), encoding="utf-8")
    result = _run("--content", str(content), "check")
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if ": id: too long" in line]
    assert len(lines) == 1 and lines[0].startswith(f"{content / 'publications' / 'long.md'}:2: id:")
    assert "257 bytes" in lines[0] and "Traceback" not in result.stderr


def test_the_longest_name_comes_from_the_outputs_the_build_plans(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A format added to the manifest is counted with no change here."""
    archive, _ = load_archive(content)
    before = file_names.longest_names(archive)
    planned = outputs.plan

    def with_new_format(*args: object, **kwargs: object) -> outputs.Manifest:
        manifest = planned(*args, **kwargs)  # type: ignore[arg-type]
        for output in list(manifest):
            if output.path.endswith(".ris"):
                manifest.add(replace(output, path=output.path.removesuffix(".ris") + ".mods-and-more.xml"))
        return manifest

    monkeypatch.setattr(file_names, "plan", with_new_format)
    after = file_names.longest_names(archive)
    grown = [url for url in before if len(after[url]) > len(before[url])]
    assert grown and all(after[url].endswith(".mods-and-more.xml") for url in grown)


FAIL_WRITES = """
import errno, os
from timsite.outputs import manifest
def failing(self, site_dir, folders=None):
    if self.path.endswith('{suffix}'):
        raise OSError(errno.{code}, os.strerror(errno.{code}), str(site_dir / self.path))
    return original(self, site_dir, folders)
original = manifest.Output.write
manifest.Output.write = failing
"""


@pytest.mark.parametrize(
    ("code", "suffix", "says"),
    [
        ("ENOSPC", ".atom.xml", "the disk is full"),  # the feeds: written once every page is rendered
        ("ENAMETOOLONG", ".csl.json", "a file name is too long"),  # citations: written by the forked writer
        ("EROFS", ".ics", "the disk is read-only"),
        ("EACCES", ".bib", "permission denied"),
    ],
)
def test_an_os_error_while_writing_is_one_line_and_keeps_the_site(
    content: Path, tmp_path: Path, code: str, suffix: str, says: str
) -> None:
    site = tmp_path / "site"
    first = _run("--content", str(content), "build", "--site-dir", str(site))
    assert first.returncode == 0, first.stderr
    before = tree(site)
    result = _run(
        "--content",
        str(content),
        "build",
        "--site-dir",
        str(site),
        prelude=FAIL_WRITES.format(code=code, suffix=suffix),
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Error" not in result.stderr.replace("ERROR:", ""), result.stderr
    said = [line for line in result.stderr.splitlines() if says in line]
    assert said and all(suffix in line and str(tmp_path) in line for line in said), result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2, result.stderr  # MkDocs' line and ours
    assert tree(site) == before
    releases = site.parent / f".{site.name}-releases"
    assert not [p for p in releases.iterdir() if p.name.startswith("partial-")]


def test_the_next_build_removes_a_release_left_half_built_by_kill_9(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert _run("--content", str(content), "build", "--site-dir", str(site)).returncode == 0
    left = site.parent / f".{site.name}-releases" / "partial-20260101T000000-killed"
    (left / "feeds").mkdir(parents=True)
    (left / "feeds" / "all.atom.xml").write_text("half", encoding="utf-8")
    assert _run("--content", str(content), "build", "--site-dir", str(site)).returncode == 0
    assert not left.exists()


def test_one_line_knows_every_error_it_names() -> None:
    from timsite.engine.file_errors import PLAIN, one_line

    for number, words in PLAIN.items():
        error = OSError(number, os.strerror(number), "/x/y")
        assert one_line(error) == f"{words} (/x/y)"
        wrapped = RuntimeError("outer")
        wrapped.__cause__ = error
        assert one_line(wrapped) == f"{words} (/x/y)"
    assert one_line(OSError(errno.EXDEV, "Invalid cross-device link", "/a")) == "invalid cross-device link (/a)"
