"""The side job: in the calling process and really forked."""

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


# Run in a fresh interpreter: forking is refused in a process with threads, as pytest-xdist workers are.
_FORKED = """
import fcntl, os, time
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

# Cancelling stops a child at once.
job = background.start(lambda: time.sleep(60))
start = time.monotonic()
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


def test_forked_jobs(tmp_path: Path) -> None:
    _run_script(_FORKED, tmp_path)
