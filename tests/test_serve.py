"""`build.py serve` as an editor uses it: a live preview on localhost, drafts shown with a banner when asked."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from timsite.content.checked import load_archive
from timsite.engine.plugin import today

from .conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, deadline: float, until: str = "") -> str:
    """The page at `url` once it is served (and contains `until`), retrying while the server (re)builds."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text: str = response.read().decode("utf-8")
            if until in text or time.monotonic() > deadline:
                return text
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


@pytest.mark.parametrize("drafts", [True, False])
def test_serve_previews_drafts_only_when_asked(fixture_content: Path, drafts: bool) -> None:
    (fixture_content / "publications/preview.md").write_text(
        '---\nid: preview-draft\ntitle: "Preview Draft"\ntype: report\nyear: 2001\ndraft: true\n---\n', encoding="utf-8"
    )
    port = _free_port()
    args = [
        sys.executable,
        str(ROOT / "build.py"),
        "--content",
        str(fixture_content),
        "serve",
        "--dev-addr",
        f"127.0.0.1:{port}",
    ]
    proc = subprocess.Popen(
        [*args, *(["--drafts"] if drafts else [])], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 300  # the feeds and the search index follow the pages in the preview
        home = _get(f"http://127.0.0.1:{port}/", deadline)
        assert "Trafficking in Migrants" in home
        # Written by the side job, not by MkDocs' copying: served all the same.
        assert "<feed" in _get(f"http://127.0.0.1:{port}/feeds/all.atom.xml", deadline)
        assert "@" in _get(f"http://127.0.0.1:{port}/publications/fixture-report/fixture-report.bib", deadline)
        assert "publications/fixture-report/" in _get(
            f"http://127.0.0.1:{port}/isbn/9290681136/", deadline, until="publications/fixture-report/"
        )  # written after the pages, in the background: the preview may serve it half-written a moment
        # The preview has its own search index, of exactly what it shows: every entry page and the about page.
        shown = load_archive(fixture_content)[0].visible(today(), drafts=drafts)
        expected = len([*shown.bulletins, *shown.meetings, *shown.publications, *shown.series]) + 1
        entry = json.loads(_get(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json", deadline))
        assert entry["languages"]["en"]["page_count"] == expected
        if drafts:
            page = _get(f"http://127.0.0.1:{port}/publications/preview-draft/", deadline)
            assert "Draft: not on the public site" in page
        else:
            with pytest.raises(urllib.error.HTTPError) as missing:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/publications/preview-draft/", timeout=5)
            assert missing.value.code == 404
            # A rebuild after an edit (the server's threads now run, so the side job runs in-process).
            (fixture_content / "publications/added.md").write_text(
                '---\nid: added-later\ntitle: "Added Later"\ntype: report\nyear: 2001\n---\n', encoding="utf-8"
            )
            for path in ("publications/added-later/added-later.bib", "feeds/all.atom.xml"):
                assert "Added Later" in _get(f"http://127.0.0.1:{port}/{path}", deadline, until="Added Later")
            count = f'"page_count":{expected + 1}'
            assert count in _get(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json", deadline, until=count)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _bytes(url: str, deadline: float) -> bytes:
    """The file at `url` once served, retrying while the server (re)builds."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return bytes(response.read())
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def test_serve_typesets_pdfs_only_when_asked_and_never_caches_a_draft(fixture_content: Path, tmp_path: Path) -> None:
    (fixture_content / "bulletins/003-summer-2001.md").write_text(
        "---\nnumber: 3\nseason: summer\nyear: 2001\ndraft: true\n---\n\n## Draft lead {#lead}\n\nNot yet out.\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    for pdf in (False, True):
        port = _free_port()
        args = [sys.executable, str(ROOT / "build.py"), "--content", str(fixture_content), "serve", "--drafts"]
        args += ["--dev-addr", f"127.0.0.1:{port}", *(["--pdf"] if pdf else [])]
        env = {**os.environ, "TIMSITE_PDF_CACHE": str(cache)}
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        try:
            deadline = time.monotonic() + 90
            page = _get(f"http://127.0.0.1:{port}/bulletins/3/", deadline, until="Not yet out.")
            assert "Not yet out." in page
            if not pdf:
                # An edit previews in a moment: no PDF is typeset, and no page links one.
                assert "trafficking-in-migrants-3.pdf" not in page
                with pytest.raises(urllib.error.HTTPError) as missing:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/bulletins/2/trafficking-in-migrants-2.pdf")
                assert missing.value.code == 404
                continue
            # `--pdf`: the draft's PDF is there to preview, and linked from its page...
            assert "trafficking-in-migrants-3.pdf" in page
            draft = _bytes(f"http://127.0.0.1:{port}/bulletins/3/trafficking-in-migrants-3.pdf", deadline)
            assert draft.startswith(b"%PDF-")
            assert (
                _bytes(f"http://127.0.0.1:{port}/bulletins/2/trafficking-in-migrants-2.pdf", deadline)[:5] == b"%PDF-"
            )
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    # ... but only the published issues' PDFs are in the cache, never the draft's.
    cached = sorted(cache.rglob("*.pdf"))
    assert cached and draft not in [p.read_bytes() for p in cached]
