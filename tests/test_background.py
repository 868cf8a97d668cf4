"""Work on the other cores: forked jobs and the parallel map, in the calling process and really forked."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from timsite import background

from .conftest import ROOT


def test_without_fork_the_work_runs_at_wait() -> None:
    ran: list[int] = []
    job = background.start(lambda: ran.append(1) or 42, fork=False)
    assert not job.forked and ran == []
    assert job.wait() == 42 and ran == [1]


def test_without_fork_errors_are_the_works_own() -> None:
    job = background.start(lambda: 1 // 0, fork=False)
    with pytest.raises(ZeroDivisionError):
        job.wait()


_SMALL_MAP = """
import os
from timsite import background

assert background.can_fork()  # so staying in this process is the map's choice, not a refusal to fork
parent = os.getpid()
out = background.parallel_map(lambda n: (n * n, os.getpid()), list(range(10)))
assert out == [(n * n, parent) for n in range(10)], out
# The same map over `minimum` items does leave this process (when there are several cores).
out = background.parallel_map(lambda n: (n * n, os.getpid()), list(range(10)), minimum=5)
assert [v for v, _ in out] == [n * n for n in range(10)]
assert ({p for _, p in out} == {parent}) == (background.cores() < 2), out
print("OK")
"""


def test_a_small_map_stays_in_this_process(tmp_path: Path) -> None:
    _run_script(_SMALL_MAP, tmp_path)


# Run in a fresh interpreter: forking is refused in a process with threads, as pytest-xdist workers are.
_FORKED = """
import fcntl, os, signal, time
from timsite import background

assert background.can_fork()
parent = os.getpid()

# A result comes back from the child.
job = background.start(lambda: (os.getpid(), "résumé"))
assert job.forked
pid, text = job.wait()
assert pid != parent and text == "résumé"

# A failure comes back as BackgroundError carrying the child's traceback.
job = background.start(lambda: 1 // 0)
try:
    job.wait()
    raise SystemExit("no error")
except background.BackgroundError as error:
    assert "ZeroDivisionError" in str(error), error

# A map keeps the order and spreads over processes (when there are several cores).
out = background.parallel_map(lambda n: (n * n, os.getpid()), list(range(1000)), minimum=10)
assert [v for v, _ in out] == [n * n for n in range(1000)]
assert len({p for _, p in out}) == background.cores()

# Cancelling stops a child at once.
job = background.start(lambda: time.sleep(60))
start = time.monotonic()
job.cancel()
assert time.monotonic() - start < 5

# A wait interrupted (Ctrl-C, or SIGTERM turned into it by build.py) stops the child before it returns.
def interrupt(signum, frame):
    raise KeyboardInterrupt
signal.signal(signal.SIGALRM, interrupt)
job = background.start(lambda: time.sleep(60))
child = job._pid
signal.alarm(1)
try:
    job.wait()
    raise SystemExit("not interrupted")
except KeyboardInterrupt:
    pass
try:
    os.kill(child, 0)
    raise SystemExit("the child of an interrupted wait is still running")
except ProcessLookupError:
    pass

# A child dies with its parent, even one killed without warning (kill -9).
middle = os.fork()
if middle == 0:
    job = background.start(lambda: time.sleep(60))
    with open("grandchild", "w") as out:
        out.write(str(job._pid))
    time.sleep(60)
    os._exit(0)
while not os.path.exists("grandchild") or not open("grandchild").read():
    time.sleep(0.01)
grandchild = int(open("grandchild").read())
os.kill(middle, signal.SIGKILL)
os.waitpid(middle, 0)
def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead, waiting to be reaped
    except FileNotFoundError:
        return False
deadline = time.monotonic() + 5
while alive(grandchild) and time.monotonic() < deadline:
    time.sleep(0.05)
if alive(grandchild):
    raise SystemExit("the child outlived its parent")

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


def _run_script(script: str, folder: Path, *args: str) -> None:
    """Run `script` in a fresh single-threaded interpreter in `folder`; it prints OK when every check holds."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and done.stdout.strip() == "OK", done.stdout + done.stderr


def test_forked_jobs_and_map(tmp_path: Path) -> None:
    _run_script(_FORKED, tmp_path)


_LOAD = """
import sys
from pathlib import Path
from timsite import background
from timsite.load import load_content
from tools.bench.synthetic import generate, write_archive

forks = []
real_start = background.start
background.start = lambda work, **options: forks.append(work) or real_start(work, **options)
root = Path(sys.argv[1])
write_archive(generate(1), root)  # 410 files: enough to be read by two processes
(root / "publications" / "zz-broken.md").write_text("---\\nid: zz-broken\\ntitle: [oops\\n---\\n", encoding="utf-8")
(root / "meetings" / "zz-odd.md").write_text("---\\nid: zz-odd\\ntitle: Odd\\nstart: NO\\n---\\n", encoding="utf-8")
one = load_content(root, parallel=False)
assert not forks
two = load_content(root, parallel=True)
assert (len(forks) >= 1) == (background.cores() > 1), forks
assert len(one.publications) == 300 and len(one.problems) >= 2, one.problems
assert (one.bulletins, one.meetings, one.publications, one.series) == (two.bulletins, two.meetings, two.publications, two.series)
assert [str(p) for p in one.problems] == [str(p) for p in two.problems]
print("OK")
"""


def test_reading_in_two_processes_gives_what_one_gives(tmp_path: Path) -> None:
    _run_script(_LOAD, tmp_path, str(tmp_path / "content"))
