"""The benchmark's search figures: indexing time, and what a reader's first and following searches cost in Chromium.

The built site is served on loopback by a small server that gzips text files on the fly, as a static host
does, and counts every byte it sends. Headless Chromium (Debian's, through Playwright, both only needed
when the benchmark runs) opens the home page, then for each query, in a fresh browser profile (empty cache):
opens the search with `/`, types the query as a reader does, and records the bytes sent from the key press
that opened the search until the results are shown, and the time from the last key typed to the first
result shown. A second query typed in the same page gives the figures of a following search.

Two searches that find nothing are measured apart, each as a first search: a typo of a title word and an
ISSN that is on no item. Their figures are the bytes and the time until the search box says so, with its
suggestions (which fetch the search's vocabulary, `search/vocabulary.json`, whose size is reported too).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stdnum import issn

from timsite.content.checked import load_archive
from timsite.outputs import search, vocabulary

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
COMPRESSIBLE = {".html", ".js", ".css", ".json", ".svg", ".xml", ".txt"}
"""What a static host compresses; Pagefind's own files (.pf_*, wasm) are gzip-compressed already."""
QUIET_SECONDS = 0.5
TYPING_DELAY_MS = 150
"""A reader typing at about 80 words a minute: slower than the search's pause (tim-search.js), so the prefixes
typed on the way are searched too, and their index chunks and first fragments count in the bytes."""
TIMEOUT_MS = 60_000


@dataclass(frozen=True)
class SearchFigures:
    """Medians over the queries: bytes transferred and milliseconds to the first result, first and following."""

    index_seconds: float
    first_bytes: float
    following_bytes: float
    first_ms: float
    following_ms: float
    queries: int
    typo: str = ""
    typo_bytes: float = 0.0
    typo_ms: float = 0.0
    missing_issn: str = ""
    missing_issn_bytes: float = 0.0
    missing_issn_ms: float = 0.0
    vocabulary_bytes: int = 0
    vocabulary_gzip_bytes: int = 0
    vocabulary_words: int = 0


class SearchBenchError(Exception):
    """A search measured by the benchmark did not behave as a reader's would."""


class _Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent = 0
        self.last = time.monotonic()

    def add(self, n: int) -> None:
        with self.lock:
            self.sent += n
            self.last = time.monotonic()

    def take(self) -> int:
        with self.lock:
            sent, self.sent = self.sent, 0
            return sent


class _CountingFile:
    def __init__(self, raw: Any, counter: _Counter) -> None:
        self.raw, self.counter = raw, counter

    def write(self, data: bytes) -> int:
        self.counter.add(len(data))
        written: int = self.raw.write(data)
        return written

    def flush(self) -> None:
        self.raw.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, text gzip-compressed when the browser accepts it; every byte sent is counted."""

    counter: _Counter

    def setup(self) -> None:
        super().setup()
        self.wfile = _CountingFile(self.wfile, self.counter)  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (gzip_ok and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()  # as is: binary, missing, or a folder to redirect to its slash URL
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return _Body(body)


class _Body:
    """A response body already in memory, read by SimpleHTTPRequestHandler's copyfile."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n < 0 else self.at + n
        chunk, self.at = self.data[self.at : end], min(end, len(self.data))
        return chunk

    def close(self) -> None:
        pass


@contextlib.contextmanager
def gzip_server(site: Path) -> Iterator[tuple[str, _Counter]]:
    """Serve `site` on 127.0.0.1 with gzip; yield its base URL and the byte counter."""
    counter = _Counter()
    handler = type("Handler", (_GzipHandler,), {"counter": counter})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/", counter
    finally:
        server.shutdown()
        server.server_close()


def _search_document(page: Path) -> str:
    """A built page reduced to the part Pagefind reads, as the build hands it to the indexer."""
    import lxml.html

    root = lxml.html.fromstring(page.read_bytes())
    body = root.find(".//*[@data-pagefind-body]")
    inner = lxml.html.tostring(body, encoding="unicode") if body is not None else ""
    return f'<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>{inner}</body></html>'


def index_seconds(site: Path) -> float:
    """The indexer's wall time over a built site's indexed pages, each reduced to its search document as in a
    build, written into a folder beside the site (which stays as built)."""
    documents = [(url, _search_document(path)) for url, path in search.indexed_pages(site)]
    with tempfile.TemporaryDirectory(dir=site.parent) as scratch:
        start = time.perf_counter()
        search.index_documents(documents, Path(scratch) / search.BUNDLE)
        return time.perf_counter() - start


def queries(content: Path) -> list[str]:
    """What readers type, from the generated archive: an ISBN, a title, a place, words of running text."""
    archive, _ = load_archive(content)
    pubs = [p for p in archive.publications if p.isbn_info and p.isbn_info.valid]
    middle = pubs[len(pubs) // 2]
    late = archive.publications[-1]
    meeting = archive.meetings[len(archive.meetings) // 2]
    assert middle.isbn_info and middle.isbn_info.hyphenated13
    return [
        middle.isbn_info.hyphenated13,
        late.title.split(":")[0],
        meeting.city or meeting.title,
        "victims protection",
        archive.bulletins[-1].lead or "trafficking",
    ]


def misses(content: Path) -> tuple[str, str]:
    """Two searches that must find nothing: a title word with a letter dropped, and an ISSN on no item."""
    archive, _ = load_archive(content)
    titles = [p.title for p in archive.publications]
    known = {w.lower() for t in titles for w in t.replace(":", " ").split()}
    word = max((w for w in sorted(known) if w.isalpha()), key=len)
    typo = next(t for i in range(len(word) // 2, len(word)) if (t := word[:i] + word[i + 1 :]) not in known)
    used = {e.issn_info.compact for e in [*archive.bulletins, *archive.publications, *archive.series] if e.issn_info}
    for n in range(1020871, 9999999):
        number = f"{n:07d}" + issn.calc_check_digit(f"{n:07d}")
        if number not in used:
            return typo, f"ISSN {issn.format(number)}"
    raise SearchBenchError("no free ISSN")  # pragma: no cover - the archive holds far fewer


_ANSWERED_JS = """query => {
    const list = document.querySelector("[data-tim-search-results]");
    return list.dataset.query === query && !list.hasAttribute("aria-busy");
}"""


def _one_miss(page: Any, counter: _Counter, query: str) -> tuple[int, float]:
    """Open the search, type a query that finds nothing: bytes and ms until the answer (and suggestions) show."""
    page.evaluate(
        "() => { window.__timMiss = {}; document.addEventListener('keydown', "
        "() => { window.__timMiss.lastKey = performance.now(); }, true); }"
    )
    _wait_quiet(counter)
    counter.take()
    page.keyboard.press("/")
    page.locator("[data-tim-search] input[name=q]").press_sequentially(query, delay=TYPING_DELAY_MS)
    page.wait_for_function(_ANSWERED_JS, arg=query, timeout=TIMEOUT_MS, polling="raf")
    milliseconds = page.evaluate("() => performance.now() - window.__timMiss.lastKey")
    if page.locator("[data-tim-search-results] > li").count():
        raise SearchBenchError(f"the search for {query!r} found something: it was to find nothing")
    _wait_quiet(counter)
    return counter.take(), float(milliseconds)


def _wait_quiet(counter: _Counter) -> None:
    while time.monotonic() - counter.last < QUIET_SECONDS:
        time.sleep(0.05)


_WATCH_JS = """query => {
    const t = window.__timBench || (window.__timBench = {});
    if (!t.installed) {
        t.installed = true;
        document.addEventListener("keydown", () => { t.lastKey = performance.now(); }, true);
        const list = document.querySelector("[data-tim-search-results]");
        new MutationObserver(() => {
            if (t.shown === null && list.dataset.query === t.query) {
                t.shown = performance.now();
                t.count = list.children.length;
            }
        }).observe(list, { childList: true, attributes: true });
    }
    t.query = query; t.shown = null;
}"""


def _one_search(page: Any, counter: _Counter, query: str, open_first: bool) -> tuple[int, float]:
    page.evaluate(_WATCH_JS, query)
    _wait_quiet(counter)
    counter.take()
    box = page.locator("[data-tim-search] input[name=q]")
    if open_first:
        page.keyboard.press("/")
    else:
        box.fill("")
    box.press_sequentially(query, delay=TYPING_DELAY_MS)
    page.wait_for_function("() => window.__timBench.shown !== null", timeout=TIMEOUT_MS)
    milliseconds = page.evaluate("() => window.__timBench.shown - window.__timBench.lastKey")
    if not page.evaluate("() => window.__timBench.count"):
        raise SearchBenchError(f"the search for {query!r} found nothing: the figures would not be a reader's")
    _wait_quiet(counter)
    return counter.take(), float(milliseconds)


def measure_search(site: Path, content: Path, count: int | None = None) -> SearchFigures:
    """Index time and the medians of first and following searches for a few queries (the first `count`, or all),
    in headless Chromium."""
    from playwright.sync_api import sync_playwright

    seconds = index_seconds(site)
    asked = queries(content)[:count]
    first: list[tuple[int, float]] = []
    following: list[tuple[int, float]] = []
    typo, missing_issn = misses(content)
    missed: dict[str, tuple[int, float]] = {}
    with gzip_server(site) as (url, counter), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            for query in (typo, missing_issn):
                context = browser.new_context()
                try:
                    page = context.new_page()
                    page.goto(url, wait_until="load")
                    page.wait_for_load_state("networkidle")
                    missed[query] = _one_miss(page, counter, query)
                finally:
                    context.close()
            for i, query in enumerate([asked[-1], *asked]):
                context = browser.new_context()  # an empty cache: a reader's first visit
                try:
                    page = context.new_page()
                    page.goto(url, wait_until="load")
                    page.wait_for_load_state("networkidle")
                    measured = _one_search(page, counter, query, open_first=True)
                    again = _one_search(page, counter, asked[i % len(asked)], open_first=False)
                finally:
                    context.close()
                if i:  # the warm-up run only warms the server, the disk cache and Chromium itself
                    first.append(measured)
                    following.append(again)
        finally:
            browser.close()
    return SearchFigures(
        index_seconds=seconds,
        first_bytes=statistics.median(b for b, _ in first),
        following_bytes=statistics.median(b for b, _ in following),
        first_ms=statistics.median(ms for _, ms in first),
        following_ms=statistics.median(ms for _, ms in following),
        queries=len(first),
        typo=typo,
        typo_bytes=missed[typo][0],
        typo_ms=missed[typo][1],
        missing_issn=missing_issn,
        missing_issn_bytes=missed[missing_issn][0],
        missing_issn_ms=missed[missing_issn][1],
        **vocabulary_size(site),
    )


def vocabulary_size(site: Path) -> dict[str, int]:
    """The vocabulary's bytes as built and gzipped as served, and its number of words."""
    import json

    raw = (site / vocabulary.FILE_NAME).read_bytes()
    words = len(json.loads(raw)["words"])
    return {"vocabulary_bytes": len(raw), "vocabulary_gzip_bytes": len(gzip.compress(raw)), "vocabulary_words": words}


def available() -> str | None:
    """Why the browser figures cannot be measured here, or None when they can."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


__all__ = ["SearchFigures", "available", "gzip_server", "measure_search", "misses", "queries", "vocabulary_size"]
