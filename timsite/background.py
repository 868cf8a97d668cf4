"""Work on the other cores: forked processes that share the parent's memory and send back their results.

A build is mostly one core rendering pages. Two kinds of work can use the others: the
side job (feeds and other output that needs only the rendered page bodies, written
while MkDocs puts pages into templates) and reading the content files, which are
independent of each other. Where forking is not safe the work runs in the calling
process instead: the result is the same either way.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class BackgroundError(Exception):
    """The work failed in a child process; the message carries the child's traceback."""


def can_fork() -> bool:
    """Forking copies only the calling thread: safe only where it is the only one (not under `mkdocs serve`)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def cores() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


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
        try:
            # Read before reaping: a child whose report fills the pipe waits until it is read.
            while chunk := os.read(self._channel, 1 << 20):
                chunks.append(chunk)
        except BaseException:  # Ctrl-C or SIGTERM while waiting: the work is abandoned with its build
            self.cancel()
            raise
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
    parent = os.getpid()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return Job(work, pid, read_end)
    os.close(read_end)
    _die_with(parent)
    _run_child(work, write_end, nice)
    raise AssertionError("unreachable")  # pragma: no cover


def parallel_map(func: Callable[[T], R], items: Sequence[T], minimum: int = 200) -> list[R]:
    """`[func(i) for i in items]`, split across forked processes when there are several cores and at least
    `minimum` items (fewer are not worth a fork). The results must pickle; `func` need not."""
    n = min(cores(), len(items) // max(minimum // 2, 1))
    if n < 2 or not can_fork():
        return [func(i) for i in items]
    size = -(-len(items) // n)
    chunks = [items[k : k + size] for k in range(0, len(items), size)]
    jobs = [start(_mapper(func, chunk)) for chunk in chunks[1:]]
    try:
        results = [func(i) for i in chunks[0]]
        for job in jobs:
            results += job.wait()
    finally:
        for job in jobs:
            job.cancel()
    return results


def _mapper(func: Callable[[T], R], chunk: Sequence[T]) -> Callable[[], list[R]]:
    return lambda: [func(i) for i in chunk]


def _die_with(parent: int) -> None:  # pragma: no cover - runs in the child
    """Let the kernel kill this child when its parent dies, even by kill -9: its work is for that build only."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)


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


__all__ = ["BackgroundError", "Job", "can_fork", "cores", "parallel_map", "start"]
