"""Work on the second core: in the calling process, really forked, and a build's files the same either way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from timsite.engine import background

from .conftest import ROOT, ctrl_c_delivered


def test_without_fork_the_work_runs_at_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "can_fork", lambda: False)
    ran: list[int] = []
    job = background.start(lambda: ran.append(1))
    assert not job.forked and ran == []
    job.wait()
    assert ran == [1]
    job.wait()  # once only
    assert ran == [1]


def test_without_fork_errors_are_the_works_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "can_fork", lambda: False)
    job = background.start(lambda: [][0])
    with pytest.raises(IndexError):
        job.wait()


def test_a_process_with_threads_never_forks() -> None:

    blocker = threading.Event()
    thread = threading.Thread(target=blocker.wait)
    thread.start()
    try:
        assert not background.can_fork()
        assert not background.start(lambda: None).forked
    finally:
        blocker.set()
        thread.join()


# Run in a fresh interpreter: pytest-xdist workers have threads, and a process with threads never forks.
_FORKED = """
import errno, fcntl, os, time
from pathlib import Path
from timsite.engine import background

assert background.can_fork()
parent = os.getpid()

# The work runs in another process, and its files are there once wait() returns.
job = background.start(lambda: Path("child").write_text(str(os.getpid())))
assert job.forked
job.wait()
assert int(Path("child").read_text()) != parent

# A failure comes back as BackgroundError carrying what failed, as data, and the child's traceback.
job = background.start(lambda: 1 // 0)
try:
    job.wait()
    raise SystemExit("no error")
except background.BackgroundError as error:
    assert error.failure.exception == "ZeroDivisionError" and error.failure.errno is None, error.failure
    assert "ZeroDivisionError" in error.failure.traceback and "Traceback" in str(error), error

# An OSError keeps its number and file: the command line words a full or read-only disk from them.
Path("a-file").write_text("")
job = background.start(lambda: Path("a-file", "x.bib").write_text("x"))
try:
    job.wait()
    raise SystemExit("no error")
except background.BackgroundError as error:
    assert error.failure.errno == errno.ENOTDIR and error.failure.exception == "NotADirectoryError", error.failure
    assert error.failure.filename == "a-file/x.bib", error.failure

# Cancelling stops a child at once.
job = background.start(lambda: time.sleep(60))
start = time.monotonic()
job.cancel()
job.cancel()
assert time.monotonic() - start < 5

# The child does not keep the parent's locks: a lock taken before the fork is free once the parent lets go.
with open("lock", "w") as held:
    fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    job = background.start(lambda: (open("started", "w").close(), time.sleep(3)))
while not os.path.exists("started"):  # the child has let go of inherited descriptors before its work starts
    time.sleep(0.01)
fcntl.flock(open("lock", "w"), fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises BlockingIOError if the child held it
job.wait()
print("OK")
"""

# The parent is killed without warning while its child works: the child must not go on writing.
_ORPHAN = """
import os, signal, time
from pathlib import Path
from timsite.engine import background

def work():
    Path("child.pid").write_text(str(os.getpid()))
    time.sleep(60)
    Path("still-writing").write_text("")

background.start(work)
while not Path("child.pid").exists():
    time.sleep(0.01)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _run_script(script: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run `script` in a fresh single-threaded interpreter in `folder`."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=ctrl_c_delivered,
    )


def test_forked_jobs(tmp_path: Path) -> None:
    done = _run_script(_FORKED, tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == "OK", done.stdout + done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_child_dies_with_its_parent(tmp_path: Path) -> None:
    done = _run_script(_ORPHAN, tmp_path)
    assert done.returncode == -9, done.stderr
    pid = int((tmp_path / "child.pid").read_text())
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists(), "the child outlived its killed parent"
    assert not (tmp_path / "still-writing").exists()


# Ctrl-C arriving while the child is forked: Python runs its at-fork handlers then (here one that presses
# Ctrl-C itself), and an interruption raised inside one would be printed and lost.
_INTERRUPTED_FORK = """
import os, signal, time
from pathlib import Path
from timsite.engine import background

os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGINT))

def work():
    Path("child.pid").write_text(str(os.getpid()))
    time.sleep(60)

try:
    background.start(work)
    print("the interruption was lost")
except KeyboardInterrupt:
    print("OK")
"""


def test_ctrl_c_while_forking_stops_the_build_and_the_child(tmp_path: Path) -> None:
    done = _run_script(_INTERRUPTED_FORK, tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == "OK", done.stdout + done.stderr
    assert "Exception ignored" not in done.stderr, done.stderr
    pid_file = tmp_path / "child.pid"
    if pid_file.exists():  # the child may have been stopped before it began
        assert not Path(f"/proc/{int(pid_file.read_text())}").exists(), "the child outlived the interruption"


# Two builds of the real content in one fresh process: the first forks the outputs' writer and the PDF
# writer, the second runs both in the build's own process (a thread is running, so forking is refused), each
# with an empty PDF cache, so both typeset every PDF. Same files, byte for byte.
_BOTH_WAYS = """
import os, threading
from pathlib import Path
from timsite.engine import background
from timsite.engine.plugin import build_site

forked = []
real_start = background.start
def start(work, keep=()):
    job = real_start(work, keep)
    forked.append(job.forked)
    return job
background.start = start

os.environ["TIMSITE_PDF_CACHE"] = str(Path("cache-forked").resolve())
build_site(Path(os.environ["CONFIG"]), Path("forked").resolve(), strict=True)
os.environ["TIMSITE_PDF_CACHE"] = str(Path("cache-inline").resolve())
blocker = threading.Event()
thread = threading.Thread(target=blocker.wait)
thread.start()
try:
    build_site(Path(os.environ["CONFIG"]), Path("inline").resolve(), strict=True)
finally:
    blocker.set()
    thread.join()
assert forked == [True, True, False, False], forked

def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
a, b = tree(Path("forked")), tree(Path("inline"))
assert a.keys() == b.keys(), sorted(a.keys() ^ b.keys())[:5]
differ = [k for k in a if a[k] != b[k]]
assert not differ, differ[:5]
assert any(k.endswith(".bib") for k in a) and any(k.startswith("isbn/") for k in a)
assert "bulletins/25/trafficking-in-migrants-25.pdf" in a
assert len(list(Path("cache-inline").rglob("*.pdf"))) == len(list(Path("cache-forked").rglob("*.pdf"))) > 0
print("OK", len(a))
"""


def test_the_outputs_are_the_same_forked_or_not(tmp_path: Path) -> None:
    env = {"CONFIG": str(ROOT / "mkdocs.yml"), "NO_MKDOCS_2_WARNING": "1"}
    env |= {"TIMSITE_CONTENT_DIR": str(ROOT / "content"), "SOURCE_DATE_EPOCH": "1735689600"}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_BOTH_WAYS)],
        cwd=tmp_path,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0 and done.stdout.startswith("OK"), done.stdout + done.stderr[-3000:]


# `build.py build` in a fresh interpreter, counting the forks this process makes (Pagefind's service is
# started through subprocess, which does not call os.fork).
_COUNTED = """
import json, os, sys
forks = []
real_fork = os.fork
def fork():
    pid = real_fork()
    if pid:
        forks.append(pid)
    return pid
os.fork = fork
from timsite.engine.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as ended:
    code = ended.code
print(json.dumps({"code": code, "forks": len(forks)}))
"""


def test_a_normal_build_forks_the_outputs_writer(fixture_content: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-c", _COUNTED, "--content", str(fixture_content)]
    command += ["build", "--as-of", "2026-01-01", "--site-dir", str(tmp_path / "site")]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1764000000"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    said = json.loads(done.stdout.strip().splitlines()[-1])
    # The outputs' writer and the PDF writer.
    assert said == {"code": 0, "forks": 2}, done.stdout + done.stderr[-3000:]
    assert (tmp_path / "site" / "catalogue.bib").is_file()  # written by the forked child
    assert (tmp_path / "site" / "bulletins/1/trafficking-in-migrants-1.pdf").is_file()  # by the PDF writer


# SideWork in a fresh interpreter (pytest's workers run threads of their own).
_ORDER = """
import os, threading
from pathlib import Path
from timsite.engine.side_work import SideWork, SideWorkError

# A build that began alone: a thread it started before its side work is refused, by name.
work = SideWork()
blocker = threading.Event()
thread = threading.Thread(target=blocker.wait, name="a-pdf-engine")
thread.start()
try:
    work.start(lambda: None, Path("pagefind"))
    raise SystemExit("started with a thread running")
except SideWorkError as error:
    assert "threads started during the build before its side work: a-pdf-engine" in str(error), error
assert not work.forked and not work.indexing

# A thread that ran before the build (mkdocs serve's server): no error, and the writer stays in this process.
work = SideWork()
written = []
with work.running():
    work.start(lambda: written.append(os.getpid()), Path("pagefind"))
    assert not work.forked and work.indexing and written == []
assert not work.indexing  # stopped on leaving the block
blocker.set()
thread.join()

# Alone again: the writer forks, and the indexer starts after it.
work = SideWork()
with work.running():
    work.start(lambda: Path("written").write_text("x"), Path("pagefind"))
    assert work.forked and work.indexing
print("OK")
"""


def test_side_work_starts_in_the_one_safe_order(tmp_path: Path) -> None:
    done = _run_script(_ORDER, tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == "OK", done.stdout + done.stderr
