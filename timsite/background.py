"""Side work in a forked process: files written on the second core while the main process renders pages.

A build renders pages with one core busy; the feeds, which need nothing but the
rendered bodies, can be written at the same time by a child process that shares the
parent's memory (fork, copy-on-write). Where forking is not safe, the work simply
runs in the calling process when it is waited for: the result is the same either way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable


class BackgroundError(Exception):
    """The work failed in the child; the message carries the child's traceback."""


def can_fork() -> bool:
    """Forking copies only the calling thread: safe only where it is the only one (not under `mkdocs serve`)."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Job:
    """One piece of work, started by `start`; call `wait` exactly once, or `cancel`."""

    def __init__(self, work: Callable[[], None], pid: int | None = None, errors: int | None = None) -> None:
        self._work = work
        self._pid = pid
        self._errors = errors

    @property
    def forked(self) -> bool:
        return self._pid is not None

    def wait(self) -> None:
        """Finish the work (wait for the child, or do it here); raise BackgroundError if it failed."""
        if self._pid is None:
            self._work()
            return
        assert self._errors is not None
        chunks = []
        # Read before reaping: a child whose report fills the pipe would otherwise wait forever.
        while chunk := os.read(self._errors, 65536):
            chunks.append(chunk)
        os.close(self._errors)
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        code = os.waitstatus_to_exitcode(status)
        report = b"".join(chunks).decode("utf-8", errors="replace").strip()
        if code != 0 or report:
            raise BackgroundError(report or f"the background process ended with status {code}")

    def cancel(self) -> None:
        """Stop the child, if any, and reap it: the build it worked for has failed."""
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):  # it may have ended on its own
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        assert self._errors is not None
        os.close(self._errors)
        self._pid = None


def start(work: Callable[[], None], fork: bool = True) -> Job:
    """Start `work` in a forked child when `fork` is set and forking is safe; else it runs at `wait`."""
    if not (fork and can_fork()):
        return Job(work)
    # Unflushed output would be printed twice, once by each process.
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return Job(work, pid, read_end)
    _run_child(work, write_end)
    raise AssertionError("unreachable")  # pragma: no cover


def _run_child(work: Callable[[], None], report: int) -> None:  # pragma: no cover - runs in the child
    code = 1
    try:
        # Inherited descriptors would keep, for example, the parent's build lock held after it ends.
        os.closerange(3, report)
        os.closerange(report + 1, os.sysconf("SC_OPEN_MAX"))
        work()
        code = 0
    except BaseException:
        message = traceback.format_exc().encode("utf-8", errors="replace")
        while message:
            message = message[os.write(report, message) :]
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            # Leave without the parent's exit handlers, finalizers and buffers: they belong to the parent.
            os._exit(code)


__all__ = ["BackgroundError", "Job", "can_fork", "start"]
