"""The build's work beside MkDocs, in one place: the forked writer of the outputs that need no page body, the
forked PDF writer (`engine/pdf_writer.py`: Typst starts threads, so it only runs in that child) and Pagefind's
indexing service, started in the one safe order, fed, waited for and stopped together.

A fork copies only the thread that calls it, so the writer must be forked while the build has started no
thread: the indexing service runs two, and a library the build uses may run its own (a PDF engine, say).
`SideWork.start` forks first and, in a build that began as the only thread of its process (`build.py build`),
refuses with `SideWorkError` to start while any other thread runs: the build started it, and the fork would
silently not happen. In a process that had threads before the build (`mkdocs serve`'s server, which also
starts one per request) the threads cannot be told apart, and the writer simply stays in this process, where
it runs when waited for; the files are the same either way.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from timsite.engine import background
from timsite.engine.pdf_writer import PdfWriter
from timsite.outputs import search


class SideWorkError(Exception):
    """The side work was started in the wrong order, or a thread ran where a fork needs none."""


def _threads() -> set[threading.Thread]:
    return set(threading.enumerate())


_LENGTH = struct.Struct(">I")


class Bodies:
    """The page bodies and PDF sizes the feeds carry, as the build hands them to the writer's child.

    The child writes the outputs that need no page body first, while a thread of its own drains the pipe
    into its copies of `rendered` and `sizes` (the dicts the planned feeds read), so the build never waits
    to send; once the pipe is closed it writes the feeds, on the second core, while MkDocs puts the pages
    into templates.
    """

    def __init__(self, rendered: dict[str, str], sizes: dict[str, tuple[str, int]]) -> None:
        self.rendered = rendered
        self.sizes = sizes
        self._pipe: BinaryIO | None = None

    def open(self, write_end: int) -> None:
        """Send into the pipe whose writing end is `write_end` (the child reads the other)."""
        self._pipe = os.fdopen(write_end, "wb")

    def send(self, kind: str, key: str, value: object) -> None:
        if self._pipe is None:
            return
        data = json.dumps([kind, key, value]).encode()
        try:
            self._pipe.write(_LENGTH.pack(len(data)) + data)
        except BrokenPipeError:  # the child failed: waiting for it reports why
            self.close()

    def close(self) -> None:
        pipe, self._pipe = self._pipe, None
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()

    def receive(self, read_end: int) -> threading.Thread:  # pragma: no cover - runs in the forked child
        def read() -> None:
            with os.fdopen(read_end, "rb") as pipe:
                while head := pipe.read(_LENGTH.size):
                    kind, key, value = json.loads(pipe.read(_LENGTH.unpack(head)[0]))
                    if kind == "body":
                        self.rendered[key] = value
                    else:
                        self.sizes[key] = (value[0], value[1])

        thread = threading.Thread(target=read, name="feed-bodies", daemon=True)
        thread.start()
        return thread


class SideWork:
    """The outputs' writer (forked when it can be) and the search indexer of one build.

    Make it when the build begins (before anything of the build may start a thread), `start` it once the
    outputs are planned, `add` each page's search document, `index` once every body is rendered, then
    `finish`; `stop` (or leaving `running()`) ends both, whatever happened.
    """

    def __init__(self) -> None:
        self._alone = _threads() == {threading.current_thread()}
        """The build began as the only thread of its process: any other thread at the fork is the build's."""
        self._writer: background.Job | None = None
        self._pdf: PdfWriter | None = None
        self._indexer: search.Indexer | None = None
        self._bodies: Bodies | None = None

    @property
    def forked(self) -> bool:
        """Whether the outputs' writer runs in a forked child."""
        return self._writer is not None and self._writer.forked

    @property
    def indexing(self) -> bool:
        return self._indexer is not None

    def start(
        self,
        write: Callable[[], None],
        bundle: Path,
        pdf: PdfWriter | None = None,
        rest: Callable[[], None] | None = None,
        bodies: Bodies | None = None,
    ) -> None:
        """Fork the writer of `write` then `rest` (or keep both for `finish` where forking is unsafe) and the PDF
        writer `pdf` (the caller feeds it, asks it for sizes and finishes it), then start the indexer that writes
        the search bundle into `bundle`. `rest` needs the page bodies: `add_body` hands them over, into `bodies`'
        dicts in the child. SideWorkError if a thread the build began is running (see the module's docstring)."""
        self.stop()  # `mkdocs serve` builds again with the same plugin
        started = sorted(t.name for t in _threads() - {threading.current_thread()} if t.is_alive())
        if self._alone and started:
            raise SideWorkError(
                f"threads started during the build before its side work: {', '.join(started)}. The outputs' "
                "writer must fork while the build runs no thread of its own (a fork copies only one thread): "
                "start threaded work, such as the search indexer or a PDF engine, after SideWork.start or in the "
                "forked writer"
            )
        self._writer = self._start_writer(write, rest, bodies)
        if pdf is not None:
            pdf.start()
            self._pdf = pdf
        self._indexer = search.Indexer(bundle)

    def _start_writer(
        self, write: Callable[[], None], rest: Callable[[], None] | None, bodies: Bodies | None
    ) -> background.Job:
        if rest is None or bodies is None:
            return background.start(write)
        read_end, write_end = os.pipe()
        with contextlib.suppress(OSError, AttributeError):  # Linux: room for a few bodies while the child starts
            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 1 << 20)  # type: ignore[attr-defined]
        parent = os.getpid()

        def work() -> None:
            if os.getpid() == parent:  # not forked: the bodies are this process's own already
                write()
                rest()
                return
            receiving = bodies.receive(read_end)  # pragma: no cover - the rest runs in the forked child
            write()
            receiving.join()
            rest()

        job = background.start(work, keep=(read_end,))
        os.close(read_end)
        if job.forked:
            bodies.open(write_end)
            self._bodies = bodies
        else:
            os.close(write_end)
        return job

    def add_body(self, src: str, html: str) -> None:
        """Hand one entry page's sanitized body to the writer of the feeds (in the child, if forked)."""
        if self._bodies is not None:
            self._bodies.send("body", src, html)

    def bodies_done(self, sizes: dict[str, tuple[str, int]]) -> None:
        """Every body is handed over; `sizes` are the PDF editions' (the feeds' enclosures): the feeds follow."""
        if self._bodies is not None:
            for src, (path, size) in sizes.items():
                self._bodies.send("size", src, [path, size])
            self._bodies.close()
            self._bodies = None

    def add(self, url: str, html: str) -> None:
        """Hand one page's search document to the indexer."""
        self._require_indexer().add(url, html)

    def index(self) -> None:
        """Every page is added: the indexer builds and writes the bundle while MkDocs goes on."""
        self._require_indexer().write()

    def finish(self, write_rest: Callable[[], None] | None = None) -> None:
        """Wait for the writer (BackgroundError if it failed), run `write_rest` if given (the feeds, when they were
        not given to `start`), then wait for the bundle (SearchIndexError if indexing failed). Both are stopped
        whatever happens."""
        writer, indexer = self._writer, self._require_indexer()
        if writer is None:
            raise SideWorkError("the outputs' writer was never started")
        try:
            if self._bodies is not None:
                raise SideWorkError("the feeds' bodies were never all handed over (bodies_done)")
            writer.wait()
            self._writer = None
            if write_rest is not None:
                write_rest()
            indexer.finish()
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop the writer and the indexer if they still run. Once this returns, nothing writes into the site."""
        writer, self._writer = self._writer, None
        pdf, self._pdf = self._pdf, None
        indexer, self._indexer = self._indexer, None
        bodies, self._bodies = self._bodies, None
        if bodies is not None:
            bodies.close()
        if writer is not None:
            writer.cancel()
        if pdf is not None:
            pdf.cancel()
        if indexer is not None:
            indexer.stop()

    @contextmanager
    def running(self) -> Iterator[SideWork]:
        """This side work, stopped when the block ends, however it ends (Ctrl-C, SIGTERM, an error)."""
        try:
            yield self
        finally:
            self.stop()

    def _require_indexer(self) -> search.Indexer:
        if self._indexer is None:
            raise SideWorkError("the search indexer was never started (MkDocs skipped the files event)")
        return self._indexer


__all__ = ["Bodies", "SideWork", "SideWorkError"]
