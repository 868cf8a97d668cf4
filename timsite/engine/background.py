"""Work on the second core: a forked child that shares the build's memory and reports success or its failure, as data.

MkDocs renders page bodies on one core for most of a build. The outputs that need no page body
(citation files, catalogue exports, identifier redirects, the calendar) are thousands of small
files, so a child forked before the bodies are rendered writes them meanwhile. Where forking is
not safe (other threads running, as under `mkdocs serve`, or no fork at all) the work runs in the
calling process when it is waited for: the files are the same either way.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from timsite.processes import child_setup, stop_signals_held


@dataclass(frozen=True)
class Failure:
    """Why work failed, as data: what the exception was, the system error number and file of an OSError
    (a full or read-only disk, say), and the traceback for a developer."""

    exception: str
    """The exception's class name (`OSError`, `ZeroDivisionError`)."""
    message: str
    errno: int | None = None
    filename: str | None = None
    traceback: str = ""

    @classmethod
    def of(cls, error: BaseException) -> Failure:
        """The failure an exception describes, or the nearest OSError among its causes (an OSError wrapped by
        MkDocs or by this plugin still says which disk error it was)."""
        found: BaseException | None = error
        seen = set()
        while found is not None and id(found) not in seen:
            if isinstance(found, BackgroundError):
                return found.failure  # the child's own
            if isinstance(found, OSError) and found.errno is not None:
                break
            seen.add(id(found))
            found = found.__cause__ or found.__context__
        origin = found if found is not None else error
        filename = getattr(origin, "filename", None)
        return cls(
            type(origin).__name__,
            str(origin),
            getattr(origin, "errno", None),
            str(filename) if filename is not None else None,
            "".join(traceback.format_exception(error)),
        )

    def to_json(self) -> bytes:
        return json.dumps(dataclasses.asdict(self)).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Failure:
        fields = json.loads(data.decode("utf-8", "replace"))
        return cls(**{f.name: fields.get(f.name) for f in dataclasses.fields(cls) if f.name in fields})


class BackgroundError(Exception):
    """The work failed in the child; `failure` says how (and carries the child's traceback)."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.traceback or f"{failure.exception}: {failure.message}")
        self.failure = failure


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
        if self._report is None:
            raise RuntimeError("the background process has no report pipe: wait() called after cancel()")
        chunks = []
        # Read before reaping: a child whose report fills the pipe waits until it is read.
        while chunk := os.read(self._report, 1 << 16):
            chunks.append(chunk)
        os.close(self._report)
        _, status = os.waitpid(self._pid, 0)
        self._pid = self._report = None
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            said = b"".join(chunks)
            try:
                failure = Failure.from_json(said)
            except (ValueError, TypeError):
                # Killed (a signal, the out-of-memory killer) before it could report.
                failure = Failure("ProcessEnded", f"the background process ended with status {code} and no report")
            raise BackgroundError(failure)

    def cancel(self) -> None:
        """Stop the child, if any, and reap it: the build it worked for has failed. Idempotent."""
        self._work = None
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):  # it may have ended on its own
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        if self._report is not None:
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
    except BaseException as error:
        said = Failure.of(error).to_json()
    try:
        view = memoryview(said)
        while view:
            view = view[os.write(report, view) :]
    finally:
        # Leave without the parent's exit handlers, finalizers and buffers: they belong to the parent.
        os._exit(code)


__all__ = ["BackgroundError", "Failure", "Job", "can_fork", "start"]
