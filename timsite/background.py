"""The side job on the second core: a forked process that shares the parent's memory and sends back its result.

A build is mostly one core rendering pages. The outputs (feeds, calendar, citation files,
redirects) need only the rendered page bodies, so a forked child writes them while MkDocs
puts the pages into templates: about 7 s of CPU at x10 that no longer adds to the wall time
(README, "Two cores"). Where forking is not safe the work runs in the calling process
instead: the result is the same either way.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

R = TypeVar("R")


class BackgroundError(Exception):
    """The work failed in a child process; the message carries the child's traceback."""


def can_fork() -> bool:
    """Forking copies only the calling thread: safe only where it is the only one (not under `mkdocs serve`)."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Job(Generic[R]):
    """One piece of work, started by `start`: call `wait` once for its result, or `cancel`."""

    def __init__(self, work: Callable[[], R], pid: int | None = None, channel: int | None = None) -> None:
        self._work = work
        self._pid = pid
        self._channel = channel

    @property
    def forked(self) -> bool:
        return self._pid is not None

    def wait(self) -> R:
        """The result of the work (waiting for the child, or doing it here); BackgroundError if the child failed."""
        if self._pid is None:
            return self._work()
        assert self._channel is not None
        chunks = []
        # Read before reaping: a child whose report fills the pipe waits until it is read.
        while chunk := os.read(self._channel, 1 << 20):
            chunks.append(chunk)
        os.close(self._channel)
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        code = os.waitstatus_to_exitcode(status)
        data = b"".join(chunks)
        if not data:
            raise BackgroundError(f"the background process ended with status {code} and no report")
        ok, payload = pickle.loads(data)
        if not ok or code != 0:
            raise BackgroundError(payload if not ok else f"the background process ended with status {code}")
        return payload  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child, if any, and reap it: the build it worked for has failed."""
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):  # it may have ended on its own
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        assert self._channel is not None
        os.close(self._channel)
        self._pid = None


def start(work: Callable[[], R], fork: bool = True, nice: int = 0) -> Job[R]:
    """Start `work` in a forked child when `fork` is set and forking is safe; else it runs at `wait`.

    The result must pickle. `nice` lowers the child's priority, for work that has time to spare.
    """
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
    os.close(read_end)
    _run_child(work, write_end, nice)
    raise AssertionError("unreachable")  # pragma: no cover


def _run_child(work: Callable[[], Any], channel: int, nice: int) -> None:  # pragma: no cover - runs in the child
    code = 1
    try:
        # Inherited descriptors would keep, for example, the parent's build lock held after it ends.
        os.closerange(3, channel)
        os.closerange(channel + 1, os.sysconf("SC_OPEN_MAX"))
        if nice:
            os.nice(nice)
        report = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    except BaseException:
        report = pickle.dumps((False, traceback.format_exc()))
    try:
        view = memoryview(report)
        while view:
            view = view[os.write(channel, view) :]
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            # Leave without the parent's exit handlers, finalizers and buffers: they belong to the parent.
            os._exit(code)


__all__ = ["BackgroundError", "Job", "can_fork", "start"]
