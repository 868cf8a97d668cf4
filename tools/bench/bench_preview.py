"""The benchmark's preview figures: from saving a changed title to the page being edited showing it, in Chromium.

`build.py serve` previews a copy of the scale's content. Headless Chromium (Debian's, through
Playwright) opens the page of one publication and stays on it, as an editor does; MkDocs' live reload
reloads it after each rebuild. Each edit writes a new title into the publication's file and times
until the page's heading shows it (edit to visible), then until the preview's banner data says the
feeds, citations and search index are up to date (edit to ready). The memory of the server and its
children (PSS, summed) is sampled through the whole session.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timsite.content.checked import load_archive
from timsite.site.urls import entry_url

from .bench_search import CHROMIUM, CHROMIUM_ARGS

TARGET_X1_SECONDS = 1.0
TARGET_X10_SECONDS = 2.0
TARGET_SESSION_MIB = 1024.0
FIRST_BUILD_TIMEOUT = 1800.0
EDIT_TIMEOUT = 300.0
POLL = 0.02


@dataclass(frozen=True)
class PreviewFigures:
    """Medians over the edits (seconds), the first build's time, and the session's peak memory."""

    first_seconds: float
    visible_seconds: float
    ready_seconds: float
    edits: int
    peak_pss_mib: float
    visible_all: tuple[float, ...]
    visible_cpu_seconds: float = 0.0
    """The server's CPU time (all its threads) from the save to the title shown: the rebuild's own cost, which
    a loaded machine does not inflate as it does wall time."""


class PreviewBenchError(Exception):
    """The preview did not show an edit, or stopped."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree_pss_kib(root: int) -> int:
    pids = [root]
    for pid in pids:
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{pid}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, StopIteration):
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
            total += int(next(line for line in lines if line.startswith("Pss:")).split()[1])
    return total


class _Sampler:
    """The peak PSS of a process and its children, sampled four times a second in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            self.peak = max(self.peak, _tree_pss_kib(self.pid))

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _cpu_seconds(pid: int) -> float:
    """User and system time of process `pid`, all its threads (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _status(base: str) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(base + "_preview/status.json", timeout=30) as response:
            data: dict[str, Any] = json.loads(response.read())
            return data
    except (urllib.error.URLError, ConnectionError, json.JSONDecodeError, TimeoutError):
        return {}


def _wait_ready(base: str, build: int, timeout: float, proc: subprocess.Popen[bytes]) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise PreviewBenchError(f"the preview stopped (exit code {proc.returncode})")
        status = _status(base)
        if status.get("build", 0) >= build and status.get("state") in ("ready", "error"):
            if status["state"] == "error":
                raise PreviewBenchError(f"the preview reports problems: {status['problems'][:3]}")
            return status
        time.sleep(0.05)
    raise PreviewBenchError(f"the preview was not ready after {timeout:.0f} s")


@contextlib.contextmanager
def _serve(content: Path, project: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    command = [sys.executable, str(project / "build.py"), "--content", str(content)]
    command += ["--config", str(project / "mkdocs.yml"), "serve", "--dev-addr", f"127.0.0.1:{port}"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=project, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}/", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _heading(page: Any) -> str:
    with contextlib.suppress(Exception):  # the page may be reloading: ask again
        return str(page.evaluate("() => (document.querySelector('article h1') || {}).textContent || ''"))
    return ""


def measure_preview(content: Path, project: Path, workdir: Path, edits: int = 5) -> PreviewFigures:
    """Preview a copy of `content`, edit one publication's title `edits` times; the medians and the peak memory."""
    from playwright.sync_api import sync_playwright

    copy = workdir / "preview-content"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(content, copy)
    archive, _ = load_archive(copy)
    publication = sorted(archive.publications, key=lambda p: p.path)[0]
    path = publication.path
    url_path = entry_url(publication)
    original = path.read_text(encoding="utf-8")
    visible: list[float] = []
    ready: list[float] = []
    cpu: list[float] = []
    with _serve(copy, project, workdir / "preview.log") as (base, proc):
        sampler = _Sampler(proc.pid)
        started = time.perf_counter()
        status = _wait_ready(base, 1, FIRST_BUILD_TIMEOUT, proc)
        first = time.perf_counter() - started
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(base + url_path, wait_until="load")
                for number in range(edits):
                    title = f"Preview Edit {number} {time.time_ns()}"
                    text = re.sub(r"^title: .*$", f"title: {json.dumps(title)}", original, count=1, flags=re.M)
                    start, spent = time.perf_counter(), _cpu_seconds(proc.pid)
                    path.write_text(text, encoding="utf-8")
                    while title not in _heading(page):
                        if time.perf_counter() - start > EDIT_TIMEOUT:
                            raise PreviewBenchError(f"the edited title was not shown after {EDIT_TIMEOUT:.0f} s")
                        time.sleep(POLL)
                    visible.append(time.perf_counter() - start)
                    cpu.append(_cpu_seconds(proc.pid) - spent)
                    status = _wait_ready(base, status["build"] + 1, EDIT_TIMEOUT, proc)
                    ready.append(time.perf_counter() - start)
                    time.sleep(0.5)  # an editor reads the page before saving again
            finally:
                browser.close()
        peak = sampler.stop()
    return PreviewFigures(
        first_seconds=first,
        visible_seconds=statistics.median(visible),
        ready_seconds=statistics.median(ready),
        edits=edits,
        peak_pss_mib=peak / 1024,
        visible_all=tuple(visible),
        visible_cpu_seconds=statistics.median(cpu),
    )


__all__ = ["PreviewBenchError", "PreviewFigures", "measure_preview"]
