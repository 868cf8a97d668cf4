"""The PDF writer: a forked child on the second core that typesets each edition as the build hands it over.

MkDocs renders and the sanitizer cleans each body once; the build then hands that body through a pipe
to this child, which makes the edition of it (`edition.py`, with the entry it knows from the fork), takes
the PDF from the cache or has Typst make it, and writes it into the release while MkDocs goes on
rendering. Typst starts threads, so it only
ever runs in the child (or, where no child can be forked, in the build's own process when waited for).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import queue
import struct
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from timsite.engine import background
from timsite.outputs.pdf.cache import Cache, key
from timsite.outputs.pdf.typeset import TypesetError, Typesetter, edition_json, fingerprint

_LENGTH = struct.Struct(">I")
STATS = "last-build.json"
"""Written into the cache folder after each build: how many PDFs, how many typeset, their bytes and CPU time."""


class PdfWriter:
    """Start it before any thread of the build (it forks), `add` editions, then `finish` once (or `cancel`)."""

    def __init__(self, site_dir: Path, cache: Cache | None, makers: dict[str, Callable[[str], dict[str, Any]]]) -> None:
        self.site_dir = site_dir
        self.cache = cache
        self.makers = makers
        """By path in the site: the edition made of a page's sanitized body (run where the typesetting runs, so
        parsing the bodies takes the second core too)."""
        self.paths: list[str] = []
        self._pending: list[tuple[str, str, bool]] = []
        self._pipe: BinaryIO | None = None
        self._results: BinaryIO | None = None
        self._sizes: dict[str, int] = {}
        self._job: background.Job | None = None
        self._broken = False
        self.made = 0
        """PDFs Typst made (not taken from the cache), counted where the work ran (this process only if not forked)."""

    def start(self) -> None:
        read_end, write_end = os.pipe()
        # The child tells each PDF's size as soon as it is written, so a page waits for its own PDF only.
        answers, answer_end = os.pipe()
        with contextlib.suppress(OSError, AttributeError):  # Linux: room for every answer of a large archive
            fcntl.fcntl(answer_end, fcntl.F_SETPIPE_SZ, 1 << 20)  # type: ignore[attr-defined]
        job = background.start(partial(self._child, read_end, answer_end), keep=(read_end, answer_end))
        os.close(read_end)
        os.close(answer_end)
        if job.forked:
            self._pipe = os.fdopen(write_end, "wb")
            self._results = os.fdopen(answers, "rb")
            self._job = job
        else:
            os.close(write_end)
            os.close(answers)
            self._job = background.Job(self._in_process)

    def add(self, path: str, body: str, cached: bool = True) -> None:
        """Have the PDF at `path` (in the site, one of `makers`) made of its page's sanitized `body`; `cached`:
        False for what a reader may not see yet (a draft previewed), which never enters the cache."""
        if path not in self.makers:
            raise KeyError(f"no edition is planned at {path}")
        self.paths.append(path)
        if self._broken:
            return
        if self._pipe is None:
            self._pending.append((path, body, cached))
            return
        data = json.dumps([path, body, cached]).encode()
        try:
            self._pipe.write(_LENGTH.pack(len(data)) + data)
        except BrokenPipeError:
            # The child has stopped (failed): `finish` reports its traceback.
            with contextlib.suppress(OSError):
                self._pipe.close()
            self._pipe = None
            self._broken = True

    def close_input(self) -> None:
        """Every edition has been added: the child ends once it has written them."""
        if self._pipe is not None:
            with contextlib.suppress(BrokenPipeError):  # a failed child: `finish` reports it
                self._pipe.close()
            self._pipe = None

    def size(self, path: str) -> int | None:
        """The size of the PDF at `path` once the writer has written it (waiting for that one only, when forked)."""
        while path not in self._sizes and self._results is not None:
            line = self._results.readline()
            if not line:
                break
            number, size = (int(v) for v in line.split())
            self._sizes[self.paths[number]] = size
        if path not in self._sizes:
            self.finish()  # not forked, or the child has ended: its failure, if any, is raised here
        return self._sizes.get(path)

    def finish(self) -> dict[str, int]:
        """Wait until every PDF is written; their sizes in bytes by path. BackgroundError if the child failed."""
        self.close_input()
        if self._results is not None:
            for line in self._results:
                number, size = (int(v) for v in line.split())
                self._sizes[self.paths[number]] = size
            self._results.close()
            self._results = None
        if self._job is not None:
            job, self._job = self._job, None
            job.wait()
            if not job.forked:
                self._sizes = {path: (self.site_dir / path).stat().st_size for path in self.paths}
        return dict(self._sizes)

    def cancel(self) -> None:
        if self._pipe is not None:
            with contextlib.suppress(OSError):  # the child is gone: nothing more to tell it
                self._pipe.close()
            self._pipe = None
        if self._results is not None:
            self._results.close()
            self._results = None
        if self._job is not None:
            self._job.cancel()
            self._job = None

    # --- where the work runs ---
    def _in_process(self) -> None:
        self._typeset(iter(self._pending))
        self._pending = []

    def _child(self, read_end: int, answer_end: int) -> None:  # pragma: no cover - runs in the forked child
        # Typst's thread pool would take the build's core too: this child is the second core's work.
        os.environ["RAYON_NUM_THREADS"] = "1"
        # A thread drains the pipe while Typst works (it lets go of the GIL), so the build never waits to write.
        inbox: queue.Queue[tuple[str, str, bool] | None] = queue.Queue()

        def read() -> None:
            with os.fdopen(read_end, "rb") as pipe:
                while head := pipe.read(_LENGTH.size):
                    path, text, cached = json.loads(pipe.read(_LENGTH.unpack(head)[0]))
                    inbox.put((path, text, cached))
            inbox.put(None)

        reader = threading.Thread(target=read, name="pdf-inbox", daemon=True)
        reader.start()

        def answer(number: int, size: int) -> None:
            view = memoryview(f"{number} {size}\n".encode())
            while view:
                view = view[os.write(answer_end, view) :]

        self._typeset(iter(inbox.get, None), answer)
        os.close(answer_end)

    def _typeset(
        self, editions: Iterator[tuple[str, str, bool]], answer: Callable[[int, int], None] | None = None
    ) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        typesetter = Typesetter()
        engine = fingerprint()
        count = written = 0
        for path, body, cached in editions:
            text = edition_json(self.makers[path](body))
            cache = self.cache if cached else None
            name = key(engine, text)
            pdf = cache.get(name) if cache is not None else None
            if pdf is None:
                try:
                    pdf = typesetter.pdf(json.loads(text))
                except TypesetError as error:
                    raise TypesetError(f"{path}: {error}") from error
                self.made += 1
                if cache is not None:
                    cache.put(name, pdf)
            target = self.site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(pdf)
            if answer is not None:
                answer(count, len(pdf))
            count, written = count + 1, written + len(pdf)
        if self.cache is not None:
            # For the benchmark: what the PDFs cost this build (process CPU time: Typst's threads included).
            stats = {
                "editions": count,
                "typeset": self.made,
                "bytes": written,
                "cpu_seconds": round(time.process_time() - cpu, 3),
                "seconds": round(time.perf_counter() - started, 3),
            }
            self.cache.folder.mkdir(parents=True, exist_ok=True)
            (self.cache.folder / STATS).write_text(json.dumps(stats, sort_keys=True) + "\n", encoding="utf-8")


__all__ = ["STATS", "PdfWriter"]
