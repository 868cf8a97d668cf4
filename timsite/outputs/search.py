"""Site search with Pagefind: what each page tells the indexer, and the indexer run over the built site.

The theme (`theme/partials/tim-search-data.html`) prints `search_data()` as `data-pagefind-*` attributes;
the indexer is the Pagefind binary from the `pagefind-bin` wheel, so nothing is downloaded.
Only entry pages (issues, meetings, publications, series) and the about page are indexed: list pages
(home, catalogue, archives, tags, identifiers) would only compete with the pages they list.

Pagefind reads only a page's `data-pagefind-body` element (`theme/partials/tim-search-body.html`). A build
hands that element alone, the page's search document, to Pagefind's indexing service (`Indexer`) as soon as
MkDocs has rendered the page body, so the indexing overlaps the rest of the build and no document is ever
written to disk. The bundle is byte for byte the one the finished pages give (the tests compare both).
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import queue
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from timsite import kinds
from timsite.content.archive import Archive
from timsite.content.model import Entry
from timsite.outputs import search_bundle
from timsite.outputs.search_records import SearchData
from timsite.processes import child_setup, stop_signals_held

INDEXED_TOP = {"about": 2, "bulletins": 3, "meetings": 3, "publications": 3, "series": 3}
"""The pages that can be entry pages, by their first folder and depth (about/index.html, bulletins/25/index.html):
list pages stay out by the data-pagefind-body marker too, this only spares reading thousands of redirects."""
BUNDLE = "pagefind"
# Material's permalink marks would be indexed as a word on every heading.
EXCLUDE = ".headerlink, .md-source-file, .md-tags"
ALLOCATOR = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}
"""The Linux binary allocates with jemalloc, which by default keeps freed memory for ten seconds (and then
lazily): while the index is built, pages freed by one stage stayed resident under the next, and the
indexer's peak at x10 was 820-840 MiB. Returning it at once gives 620-630 MiB for 0.3-0.6 s more
(docs/benchmark.md). A value the user set is kept; an allocator without the variable ignores it."""


def search_data(entry: Entry | None, archive: Archive | None, about: bool = False) -> SearchData | None:
    """What the theme marks up for Pagefind on this page (its kind's search record), or None when the page
    stays out of the index."""
    if entry is None:
        return SearchData(kind="Page") if about else None
    return kinds.of(entry).search(entry, archive)


class SearchIndexError(Exception):
    """The indexer failed: the message says why, in words an editor can pass on."""


def service_command() -> list[str]:
    """Pagefind's indexing service: the binary of the `pagefind-bin` wheel, reading requests on its standard input."""
    import pagefind_bin  # the binary's locator; imported late, so the core loads without it

    return [str(pagefind_bin.get_executable()), "--service"]


class Indexer:
    """Pagefind's indexing service in a process of its own, fed each page's search document as it is rendered.

    The service parses every document as it arrives, on the other core, while this process goes on
    rendering; nothing is written to disk until `write` asks for the bundle. Requests and answers are
    base64-encoded JSON, each followed by a comma (the protocol of Pagefind's own Python and Node
    clients). Threads send and read, so the build never waits for the pipe. Pages are numbered in the
    order they are added, so the same pages in the same order always give the same bundle.
    """

    START_TIMEOUT = 60.0
    """Seconds to wait for the service to open an index (it answers at once when it works)."""
    WRITE_TIMEOUT = 1800.0
    """Seconds to wait for the bundle: Pagefind retries a file it cannot create for ever."""

    def __init__(self, bundle: Path, command: list[str] | None = None) -> None:
        self.bundle = bundle
        self._errors: list[str] = []
        self._answered = threading.Condition()
        self._answers: dict[int, dict[str, Any]] = {}
        self._next_id = 0
        self._write_id: int | None = None
        self._ending = False
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - the indexer's messages, kept until stop()
        started: subprocess.Popen[bytes] | None = None
        try:
            with stop_signals_held() as mask:
                started = subprocess.Popen(
                    command or service_command(),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=self._log,
                    env={**ALLOCATOR, **os.environ},
                    preexec_fn=child_setup(mask),
                )
        except BaseException as error:
            # Stopped (Ctrl-C, SIGTERM) while starting it: the service must not go on alone.
            if started is not None:
                started.kill()
                started.wait()
            self._log.close()
            if isinstance(error, (OSError, ImportError)):
                raise SearchIndexError(f"the search indexer (Pagefind) could not start: {error}") from error
            raise
        self._process = started
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._reader = threading.Thread(target=self._read_answers, name="search-answers", daemon=True)
        self._sender = threading.Thread(target=self._send_requests, name="search-requests", daemon=True)
        self._reader.start()
        self._sender.start()
        config = {"exclude_selectors": [s.strip() for s in EXCLUDE.split(",")], "force_language": "en"}
        answer = self._wait(self._request({"type": "NewIndex", "config": config}), self.START_TIMEOUT)
        if answer.get("type") != "NewIndex":
            reason = self._failure(answer)
            self.stop()
            raise SearchIndexError(f"the search indexer (Pagefind) refused to start an index: {reason}")
        self._index_id = answer["index_id"]

    # --- the pipe ---
    def _request(self, payload: dict[str, object]) -> int:
        self._next_id += 1
        message = json.dumps({"message_id": self._next_id, "payload": payload}, ensure_ascii=False)
        self._outbox.put(base64.b64encode(message.encode("utf-8")) + b",")
        return self._next_id

    def _send_requests(self) -> None:
        stdin = self._process.stdin
        if stdin is None:  # started with stdin=PIPE: never, but not to be waved through under python -O
            self._errors.append("the indexer has no input pipe")
            return
        while (message := self._outbox.get()) is not None:
            try:
                stdin.write(message)
                stdin.flush()
            except (BrokenPipeError, ValueError):
                return  # the service has gone: the reader sees its end and reports it

    def _read_answers(self) -> None:
        stdout = cast(io.BufferedReader, self._process.stdout)
        pending = b""
        ended = "the indexer stopped before it had answered"
        try:
            while chunk := stdout.read1(1 << 16):
                pending += chunk
                *messages, pending = pending.split(b",")
                for message in messages:
                    answer = json.loads(base64.b64decode(message))
                    if isinstance(answer, dict):  # Pagefind's clients skip anything else too
                        self._take(answer)
        except (ValueError, OSError) as error:
            ended = f"the indexer's answer could not be read ({error})"
        with self._answered:
            self._answers[0] = {"type": "Error", "message": ended}
            self._answered.notify_all()

    def _take(self, answer: dict[str, Any]) -> None:
        payload = answer.get("payload") or {}
        if payload.get("type") == "IndexedFile":
            return  # one page done: only failures and the answers waited for matter
        if payload.get("type") == "Error" and not (self._ending and answer.get("message_id") is None):
            self._errors.append(str(payload.get("message")))
        with self._answered:
            self._answers[answer.get("message_id") or -1] = payload
            self._answered.notify_all()

    def _wait(self, message_id: int, timeout: float | None = None) -> dict[str, Any]:
        with self._answered:
            if not self._answered.wait_for(lambda: message_id in self._answers or 0 in self._answers, timeout):
                return {"type": "Error", "message": f"no answer after {timeout:.0f} s"}
            return self._answers.get(message_id) or self._answers[0]

    # --- what a build does ---
    def add(self, url: str, html: str) -> None:
        """Index `html` as the page at `url` (site-relative, such as /publications/x/)."""
        self._request({"type": "AddFile", "index_id": self._index_id, "url": url, "file_contents": html})

    def write(self) -> None:
        """Every page is added: build the index and write the bundle, in the background (see `finish`)."""
        if self._write_id is None:
            self._write_id = self._request(
                {"type": "WriteFiles", "index_id": self._index_id, "output_path": str(self.bundle)}
            )

    def finish(self) -> None:
        """Wait for the bundle; raise SearchIndexError unless every page was indexed and the bundle is whole."""
        self.write()
        if self._write_id is None:
            raise SearchIndexError("the search indexer (Pagefind) was never asked to write its bundle")
        answer = self._wait(self._write_id, self.WRITE_TIMEOUT)
        failed = bool(self._errors) or answer.get("type") != "WriteFiles"
        if not failed:
            failed = not self._end()
            answer = {"type": "Error", "message": "it did not end once the bundle was written"} if failed else answer
        reason = self._failure(answer) if failed else ""
        self.stop()
        if failed:
            raise SearchIndexError(f"the search indexer (Pagefind) failed: {reason}")
        if not (self.bundle / "pagefind.js").is_file() or not any((self.bundle / "fragment").glob("*")):
            raise SearchIndexError(f"the search indexer (Pagefind) wrote no index into {self.bundle}")
        if not search_bundle.canonicalize(self.bundle):
            raise SearchIndexError(
                f"the search index in {self.bundle} is not in the form this version of timsite expects "
                "(was the pagefind-bin package upgraded?): rebuilding it reproducibly failed"
            )

    def _end(self) -> bool:
        """Let the service end on its own, which waits for its last file writes (True if it did so cleanly).

        Pagefind answers WriteFiles while its last writes may still be under way, and at the end of its
        input it exits at once. A request it cannot decode, though, ends its reading thread, and then the
        service returns from its main loop, and its runtime waits for the writes before the process exits.
        """
        self._ending = True
        self._outbox.put(b"!,")
        try:
            return self._process.wait(timeout=60) == 0
        except subprocess.TimeoutExpired:
            return False

    def _failure(self, answer: dict[str, Any]) -> str:
        said = [*self._errors, str(answer.get("message") or "")] if answer.get("type") == "Error" else self._errors
        self._log.seek(0)
        log = self._log.read().decode("utf-8", "replace").strip()
        code = self._process.poll()
        if code is None and 0 in self._answers:  # its output has ended: it is exiting, or has exited
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = self._process.wait(timeout=5)
        lines = list(dict.fromkeys(s for s in said if s))[:5]
        if code is not None:
            lines.append(f"it exited with code {code}")
        if log:
            lines.append(log[-2000:])
        return "\n".join(lines) or "no reason given"

    def stop(self) -> None:
        """End the service (killing it if it still works: the build it served has failed). Idempotent."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._outbox.put(None)
        self._sender.join()
        self._reader.join()
        for stream in (self._process.stdin, self._process.stdout, self._log):
            if stream is not None:
                with contextlib.suppress(OSError):  # what was still buffered for a dead service
                    stream.close()


def indexed_pages(site_dir: Path) -> list[tuple[str, Path]]:
    """The built pages the index covers (those INDEXED_GLOB names), as (URL, file), in URL order."""
    found = []
    for path in site_dir.glob("*/**/index.html"):
        parts = path.relative_to(site_dir).parts
        if parts[0] in INDEXED_TOP and len(parts) == INDEXED_TOP[parts[0]]:
            found.append(("/" + "/".join(parts[:-1]) + "/", path))
    return sorted(found)


def index_documents(documents: Iterable[tuple[str, str]], bundle: Path) -> None:
    """Index (URL, HTML) pairs, in the order given, into `bundle`: what a build does, without the build."""
    indexer = Indexer(bundle)
    try:
        for url, html in documents:
            indexer.add(url, html)
        indexer.finish()
    finally:
        indexer.stop()


def index_site(site_dir: Path, pages: list[tuple[str, Path]] | None = None, bundle: Path | None = None) -> None:
    """Index built pages (all of `indexed_pages` by default, or `pages` in the order given) into `bundle`
    (by default the site's own, which it replaces)."""
    chosen = pages if pages is not None else indexed_pages(site_dir)
    index_documents(((url, path.read_text(encoding="utf-8")) for url, path in chosen), bundle or site_dir / BUNDLE)


def bundle_files(site_dir: Path) -> Iterable[Path]:
    """Every file of the search bundle."""
    return sorted(p for p in (site_dir / BUNDLE).rglob("*") if p.is_file())
