"""Work on the second core: a forked child that shares the build's memory and reports only success or its traceback.

MkDocs renders page bodies on one core for most of a build. The outputs that need no page body
(citation files, catalogue exports, identifier redirects, the calendar) are thousands of small
files, so a child forked before the bodies are rendered writes them meanwhile. Where forking is
not safe (other threads running, as under `mkdocs serve`, or no fork at all) the work runs in the
calling process when it is waited for: the files are the same either way.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from typing import NoReturn


class BackgroundError(Exception):
    """The work failed in the child; the message is the child's traceback."""


def death_signal() -> Callable[[], None] | None:
    """Linux: a function that has the calling process killed when its parent dies (even by kill -9)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: the child only calls it
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: never writing into an abandoned folder


def can_fork() -> bool:
    """A fork copies only the calling thread: safe only while it is the only one."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Job:
    """Work started by `start`: `wait` once for it to end (doing it then if it was not forked), or `cancel` it."""

    def __init__(self, work: Callable[[], None], pid: int | None = None, report: int | None = None) -> None:
        self._work: Callable[[], None] | None = work
        self._pid = pid
        self._report = report

    @property
    def forked(self) -> bool:
        return self._pid is not None

    def wait(self) -> None:
        """Return once the work is done; BackgroundError with the child's traceback if it failed."""
        work, self._work = self._work, None
        if self._pid is None:
            if work is not None:
                work()
            return
        assert self._report is not None
        chunks = []
        # Read before reaping: a child whose report fills the pipe waits until it is read.
        while chunk := os.read(self._report, 1 << 16):
            chunks.append(chunk)
        os.close(self._report)
        _, status = os.waitpid(self._pid, 0)
        self._pid = self._report = None
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            said = b"".join(chunks).decode("utf-8", "replace")
            raise BackgroundError(said or f"the background process ended with status {code} and no report")

    def cancel(self) -> None:
        """Stop the child, if any, and reap it: the build it worked for has failed. Idempotent."""
        self._work = None
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):  # it may have ended on its own
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        assert self._report is not None
        os.close(self._report)
        self._pid = self._report = None


def start(work: Callable[[], None]) -> Job:
    """Start `work` in a forked child when forking is safe; else it runs when the job is waited for."""
    if not can_fork():
        return Job(work)
    # Unflushed output would be printed twice, once by each process.
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return Job(work, pid, read_end)
    os.close(read_end)  # pragma: no cover - the rest runs in the child
    _run_child(work, write_end, parent)  # pragma: no cover


def _run_child(work: Callable[[], None], report: int, parent: int) -> NoReturn:  # pragma: no cover - in the child
    code = 1
    said = b""
    try:
        # The build's handlers would turn Ctrl-C or SIGTERM into its own clean-up: the child just stops.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        dies_with_parent = death_signal()
        if dies_with_parent is not None:
            dies_with_parent()
        if os.getppid() != parent:
            raise SystemExit("the build ended before this process could start its work")
        # Inherited descriptors would keep, for example, the parent's build lock held after it ends.
        os.closerange(3, report)
        os.closerange(report + 1, os.sysconf("SC_OPEN_MAX"))
        work()
        code = 0
    except BaseException:
        said = traceback.format_exc().encode("utf-8", "replace")
    try:
        view = memoryview(said)
        while view:
            view = view[os.write(report, view) :]
    finally:
        # Leave without the parent's exit handlers, finalizers and buffers: they belong to the parent.
        os._exit(code)


__all__ = ["BackgroundError", "Job", "can_fork", "death_signal", "start"]
