"""The safe build: nothing rendered on content errors, the last good site kept on any failure."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from timsite.engine.publish import REQUIRED_OUTPUT, PublishError, build_lock, publish

from .conftest import ROOT, ctrl_c_delivered, published_copy


def build(content: Path, site: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "--content",
            str(content),
            "--config",
            str(ROOT / "mkdocs.yml"),
            "build",
            "--site-dir",
            str(site),
            *extra,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_fixture_site_builds_strict_and_publishes_a_link(fixture_site: Path) -> None:
    site = fixture_site  # built by `build.py build --strict` (the build's exit code is asserted where it is built)
    assert site.is_symlink() and (site / "index.html").is_file()
    assert (site / "publications/fixture-report/index.html").is_file()


def test_content_error_renders_nothing_and_keeps_the_old_site(
    fixture_content: Path, tmp_path: Path, fixture_site: Path
) -> None:
    site = published_copy(fixture_site, tmp_path)  # the fixture site, published
    before = tree(site)
    (fixture_content / "publications/broken.md").write_text("---\nid: broken\ntitle: [oops\n---\n", encoding="utf-8")
    result = build(fixture_content, site)
    assert result.returncode == 1
    assert "publications/broken.md" in result.stdout and "nothing was built" in result.stderr
    assert tree(site) == before


def test_failure_during_render_keeps_the_old_site(tmp_path: Path) -> None:
    site = tmp_path / "site"

    def good(release: Path) -> None:
        for name in REQUIRED_OUTPUT:
            (release / name).parent.mkdir(parents=True, exist_ok=True)
            (release / name).write_text("v1")

    publish(site, good)
    before = tree(site)

    def bad(release: Path) -> None:
        good(release)
        (release / "index.html").write_text("half")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        publish(site, bad)
    assert tree(site) == before

    def incomplete(release: Path) -> None:
        (release / "index.html").write_text("v2")

    with pytest.raises(PublishError, match=r"did not produce 404\.html"):
        publish(site, incomplete)
    assert tree(site) == before


def test_old_releases_are_pruned_and_a_failed_build_keeps_one_to_roll_back_to(tmp_path: Path) -> None:
    site = tmp_path / "site"
    releases = site.parent / ".site-releases"

    def good(release: Path) -> None:
        for name in REQUIRED_OUTPUT:
            (release / name).parent.mkdir(parents=True, exist_ok=True)
            (release / name).write_text(release.name)

    published = [publish(site, good, keep=3) for _ in range(5)]
    assert sorted(releases.iterdir()) == sorted(published[-3:])  # the newest three, the live one last
    assert site.resolve() == published[-1]

    def bad(release: Path) -> None:
        good(release)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        publish(site, bad, keep=3)
    # the oldest went while the failed build rendered; the live release and the one before it stay
    assert sorted(releases.iterdir()) == sorted(published[-2:])
    assert site.resolve() == published[-1]
    assert (site / "index.html").read_text() == published[-1].name.replace("release-", "partial-", 1)


def _group(pgid: int) -> list[str]:
    """Processes still alive in the process group `pgid` (zombies are dead, waiting to be reaped)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(stat.parent.name)
    return alive


_SLOW_OUTPUTS = """
import pathlib, time
import timsite.outputs.manifest

real = timsite.outputs.manifest.Manifest.write


def slow(self, site_dir, *args, **kwargs):
    (pathlib.Path(site_dir) / "hook-started").write_text("")
    time.sleep(120)
    return real(self, site_dir, *args, **kwargs)


timsite.outputs.manifest.Manifest.write = slow
"""


_SLOW_PAGES = """
import pathlib, time


def on_post_page(output, page, config):
    (pathlib.Path(config.site_dir) / "hook-started").write_text("")
    time.sleep(120)
    return output
"""


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "SIGINT"])
@pytest.mark.parametrize("hook", [_SLOW_OUTPUTS, _SLOW_PAGES], ids=["writing-outputs", "writing-pages"])
def test_a_build_stopped_midway_leaves_nothing_behind(
    fixture_content: Path, tmp_path: Path, fixture_site: Path, how: str, hook: str
) -> None:
    site = published_copy(fixture_site, tmp_path)  # the fixture site, published
    before = tree(site)
    # A hook makes writing the outputs, or the pages (while the search indexer runs beside them), take two
    # minutes, so the build is stopped midway.
    project = _project(tmp_path)
    (project / "slow_hook.py").write_text(hook, encoding="utf-8")
    with open(project / "mkdocs.yml", "a", encoding="utf-8") as config:
        config.write("hooks:\n  - slow_hook.py\n")
    command = [sys.executable, str(ROOT / "build.py"), "--content", str(fixture_content)]
    proc = subprocess.Popen(
        [*command, "--config", str(project / "mkdocs.yml"), "build", "--site-dir", str(site)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: every process of the build is found by it below
        preexec_fn=ctrl_c_delivered,
    )
    releases = site.parent / ".site-releases"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if list(releases.glob("partial-*/hook-started")):
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the build ended before it could be stopped"
    assert _group(proc.pid), "the build should be running"
    os.kill(proc.pid, getattr(signal, how))  # the build process alone, not its process group
    _, err = proc.communicate(timeout=60)
    if how == "SIGKILL":
        assert proc.returncode == -signal.SIGKILL
    else:
        # Handled like Ctrl-C: one line, the half-built release removed at once.
        assert proc.returncode == 1 and "interrupted: the previous site is unchanged" in err, err
        assert "Traceback" not in err
        assert not list(releases.glob("partial-*"))
    # No process of the build outlives it (nothing it started keeps writing into the release).
    deadline = time.monotonic() + 5
    while _group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _group(proc.pid) == [], "a process of the stopped build is still running"
    assert tree(site) == before
    stale = list(releases.glob("partial-*"))
    assert bool(stale) == (how == "SIGKILL")
    with open(site.parent / ".site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if anything still holds the build lock
    result = build(fixture_content, site)
    assert result.returncode == 0, result.stderr
    assert not any(p.exists() for p in stale) and not list(releases.glob("partial-*"))
    assert all(p.name.startswith("release-") for p in releases.iterdir())
    assert len(list(releases.iterdir())) == 2


def test_the_bulk_of_a_killed_build_is_never_published(
    fixture_content: Path, tmp_path: Path, fixture_site: Path
) -> None:
    site = published_copy(fixture_site, tmp_path)  # the fixture site, published
    before = tree(site)
    # Many publications make the build last long enough to be killed while MkDocs writes pages.
    for i in range(400):
        (fixture_content / f"publications/bulk-{i}.md").write_text(
            f'---\nid: bulk-{i}\ntitle: "Bulk publication {i}"\ntype: report\nyear: 2001\n---\n\n' + "Text. " * 200,
            encoding="utf-8",
        )
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--content", str(fixture_content), "build", "--site-dir", str(site)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    releases = site.parent / ".site-releases"
    deadline = time.monotonic() + 120
    # Wait until the new release folder has pages being written, then kill without warning.
    while time.monotonic() < deadline:
        if any((p / "publications").exists() for p in releases.glob("partial-*")):
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert tree(site) == before
    assert build(fixture_content, site).returncode == 0


def test_two_builds_cannot_interleave(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with build_lock(site), pytest.raises(PublishError, match="another build"), build_lock(site):
        pass


def test_builds_are_byte_identical(fixture_content: Path, tmp_path: Path) -> None:
    # No SOURCE_DATE_EPOCH: build.py derives it from the last commit, never from the clock.
    assert "SOURCE_DATE_EPOCH" not in os.environ
    a, b = tmp_path / "a", tmp_path / "b"
    assert build(fixture_content, a).returncode == 0
    time.sleep(1.1)
    assert build(fixture_content, b).returncode == 0
    assert tree(a) == tree(b)


def _state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and folder under `folder`, with its bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else b"", p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


def test_a_build_leaves_its_content_folder_as_it_found_it(fixture_content: Path, tmp_path: Path) -> None:
    # Nothing is written, touched or removed beside the content files (no cache, no generated Markdown).
    before = _state(fixture_content)
    assert len(before) > 5
    result = build(fixture_content, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert _state(fixture_content) == before


def _project(tmp_path: Path) -> Path:
    """A copy of the project's configuration, theme and hand-written pages, to change for one test."""
    project = tmp_path / "project"
    for folder in ("pages", "theme"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def _build_project(content: Path, project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        str(ROOT / "build.py"),
        "--content",
        str(content),
        "--config",
        str(project / "mkdocs.yml"),
    ]
    return subprocess.run(
        [*command, "build", "--site-dir", str(site)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def _build_with_page(content: Path, tmp_path: Path, page: str, text: str) -> subprocess.CompletedProcess[str]:
    """Build `content` with a copy of the project whose hand-written pages include one more `page`."""
    project = _project(tmp_path)
    (project / "pages" / page).parent.mkdir(parents=True, exist_ok=True)
    (project / "pages" / page).write_text(text, encoding="utf-8")
    return _build_project(content, project, tmp_path / "site")


def test_a_failure_in_the_feed_writer_fails_the_build(
    fixture_content: Path, tmp_path: Path, fixture_site: Path
) -> None:
    site = published_copy(fixture_site, tmp_path)  # the fixture site, published
    before = tree(site)
    project = _project(tmp_path)
    # An MkDocs hook breaks the feed writer.
    (project / "break_feeds.py").write_text(
        "import timsite.outputs.feed_documents\n\n\ndef broken(*args, **kwargs):\n    raise RuntimeError('the feed writer broke')\n\n\n"
        "timsite.outputs.feed_documents.FeedSet.render = broken\n",
        encoding="utf-8",
    )
    with open(project / "mkdocs.yml", "a", encoding="utf-8") as config:
        config.write("hooks:\n  - break_feeds.py\n")
    result = _build_project(fixture_content, project, site)
    assert result.returncode == 1
    assert (
        "writing the feeds and citation files failed" in result.stderr
        and "RuntimeError: the feed writer broke" in result.stderr
    )
    assert tree(site) == before


def test_two_pages_claiming_one_url_fail_the_build(fixture_content: Path, tmp_path: Path) -> None:
    result = _build_with_page(fixture_content, tmp_path, "about/index.md", "# Another about page\n")
    assert result.returncode == 1
    assert "two files claim the URL /about/" in result.stderr
    assert not (tmp_path / "site").exists()


def test_generated_page_may_not_be_shadowed(fixture_content: Path, tmp_path: Path) -> None:
    result = _build_with_page(fixture_content, tmp_path, "identifiers.md", "# Hand-written\n")
    assert result.returncode == 1 and "two files claim the URL /identifiers/" in result.stderr


@pytest.mark.parametrize(
    ("page", "origin"),
    [
        ("meetings.ics", "the meetings calendar"),
        ("feeds/all.json", "the feed “Trafficking in Migrants” (JSON Feed)"),
        ("catalogue.bib", "the catalogue export catalogue.bib"),
    ],
)
def test_a_hand_written_file_may_not_shadow_a_generated_one(
    fixture_content: Path, tmp_path: Path, page: str, origin: str
) -> None:
    result = _build_with_page(fixture_content, tmp_path, page, "hand-written\n")
    assert result.returncode == 1
    assert f"two files claim the URL /{page}: pages/{page} (hand-written) and {origin} (generated)" in result.stderr
    assert not (tmp_path / "site").exists()
