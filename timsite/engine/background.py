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
from collections.abc import Callable, Iterator
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


_STOPPING = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def stop_signals_held() -> Iterator[set[int | signal.Signals]]:
    """Hold Ctrl-C and SIGTERM back while a process is forked; yields the signal mask to restore in the child.

    Python runs its at-fork handlers (the logging module's among them) right after a fork, and an
    interruption raised inside one is printed and lost: the build would go on as if never stopped. Held
    back, the signal arrives when the block ends, and is raised there.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield set()
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        yield mask
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def child_setup(mask: set[int | signal.Signals]) -> Callable[[], None]:
    """What a forked child does first: take `mask` back (see `stop_signals_held`) and die with its parent."""
    dies_with_parent = death_signal()

    def setup() -> None:
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if dies_with_parent is not None:
            dies_with_parent()

    return setup


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


def start(work: Callable[[], None], keep: tuple[int, ...] = ()) -> Job:
    """Start `work` in a forked child when forking is safe; else it runs when the job is waited for.

    `keep`: descriptors the child's work reads (a pipe it is fed through); every other is closed in it.
    """
    if not can_fork():
        return Job(work)
    # Unflushed output would be printed twice, once by each process.
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    parent = os.getpid()
    job: Job | None = None
    try:
        with stop_signals_held() as mask:
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the rest runs in the child
                os.close(read_end)
                _run_child(work, write_end, parent, child_setup(mask), keep)
            os.close(write_end)
            job = Job(work, pid, read_end)
    except BaseException:
        # Stopped (Ctrl-C, SIGTERM) while forking: the child must not go on alone.
        if job is not None:
            job.cancel()
        raise
    return job


def _run_child(
    work: Callable[[], None], report: int, parent: int, setup: Callable[[], None], keep: tuple[int, ...] = ()
) -> NoReturn:  # pragma: no cover - in the child
    code = 1
    said = b""
    try:
        # The build's handlers would turn Ctrl-C or SIGTERM into its own clean-up: the child just stops.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        setup()
        if os.getppid() != parent:
            raise SystemExit("the build ended before this process could start its work")
        # Inherited descriptors would keep, for example, the parent's build lock held after it ends.
        low = 3
        for fd in sorted({*keep, report}):
            os.closerange(low, fd)
            low = fd + 1
        os.closerange(low, os.sysconf("SC_OPEN_MAX"))
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


__all__ = ["BackgroundError", "Job", "can_fork", "child_setup", "death_signal", "start", "stop_signals_held"]
