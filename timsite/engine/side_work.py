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

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from timsite.engine import background
from timsite.engine.pdf_writer import PdfWriter
from timsite.outputs import search


class SideWorkError(Exception):
    """The side work was started in the wrong order, or a thread ran where a fork needs none."""


def _threads() -> set[threading.Thread]:
    return set(threading.enumerate())


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

    @property
    def forked(self) -> bool:
        """Whether the outputs' writer runs in a forked child."""
        return self._writer is not None and self._writer.forked

    @property
    def indexing(self) -> bool:
        return self._indexer is not None

    def start(self, write: Callable[[], None], bundle: Path, pdf: PdfWriter | None = None) -> None:
        """Fork the writer of `write` (or keep it for `finish` where forking is unsafe) and the PDF writer `pdf`
        (the caller feeds it, asks it for sizes and finishes it), then start the indexer that writes the search
        bundle into `bundle`. SideWorkError if a thread the build began is running (see the module's docstring)."""
        self.stop()  # `mkdocs serve` builds again with the same plugin
        started = sorted(t.name for t in _threads() - {threading.current_thread()} if t.is_alive())
        if self._alone and started:
            raise SideWorkError(
                f"threads started during the build before its side work: {', '.join(started)}. The outputs' "
                "writer must fork while the build runs no thread of its own (a fork copies only one thread): "
                "start threaded work, such as the search indexer or a PDF engine, after SideWork.start or in the "
                "forked writer"
            )
        self._writer = background.start(write)
        if pdf is not None:
            pdf.start()
            self._pdf = pdf
        self._indexer = search.Indexer(bundle)

    def add(self, url: str, html: str) -> None:
        """Hand one page's search document to the indexer."""
        self._require_indexer().add(url, html)

    def index(self) -> None:
        """Every page is added: the indexer builds and writes the bundle while MkDocs goes on."""
        self._require_indexer().write()

    def finish(self, write_rest: Callable[[], None]) -> None:
        """Wait for the writer (BackgroundError if it failed), run `write_rest` (the feeds), then wait for the
        bundle (SearchIndexError if indexing failed). Both are stopped whatever happens."""
        writer, indexer = self._writer, self._require_indexer()
        if writer is None:
            raise SideWorkError("the outputs' writer was never started")
        try:
            writer.wait()
            self._writer = None
            write_rest()
            indexer.finish()
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop the writer and the indexer if they still run. Once this returns, nothing writes into the site."""
        writer, self._writer = self._writer, None
        pdf, self._pdf = self._pdf, None
        indexer, self._indexer = self._indexer, None
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


__all__ = ["SideWork", "SideWorkError"]
