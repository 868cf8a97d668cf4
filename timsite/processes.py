"""Child processes of a build: held stop signals across a fork, and children that die with the build.

Both the outputs' forked writer (`engine.background`) and Pagefind's indexing service
(`outputs.search`) start children this way; this module imports nothing of timsite.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import sys
from collections.abc import Callable, Iterator


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


__all__ = ["child_setup", "death_signal", "stop_signals_held"]
