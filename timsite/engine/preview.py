"""The editors' preview (`build.py serve`): pages whose inputs did not change are kept, side work follows later.

MkDocs' `serve` renders every page again after each save. Under a dirty serve, the plugin hands
this module each page's inputs (its generated Markdown and front matter, the data its template
reads, and one fingerprint for everything shared: navigation, theme, hand-written pages, config);
a page is rendered again only when its key changed. Pages that are no longer generated (an entry
deleted, renamed or retitled) are removed. The feeds, citation files and the search index,
which read every page, follow in a thread once the pages are written; the preview's banner
(`_preview/status.json`, read by `preview.js`) says what is still being updated, and shows the
content's problems when a save breaks a file while the last good pages stay in place.

The session lives in this module (MkDocs makes a new plugin for each rebuild) and writes only into
the preview's own folder: never `site/`, never the build lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import json
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from timsite.content.archive import Archive
from timsite.outputs import search
from timsite.outputs.packed import PackedTexts, unpack

log = logging.getLogger("mkdocs.plugins.timsite.preview")

FOLDER = "_preview"
"""The preview's own files in the served folder (never in a published site)."""
SCRIPT = Path(__file__).with_name("preview.js")


def fingerprint(*parts: Any) -> str:
    """A key of `parts` (anything JSON can write, other values by their repr)."""
    text = json.dumps(parts, sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tree_fingerprint(folders: Iterable[Path]) -> list[tuple[str, int, int]]:
    """Every file under `folders` by path, size and modification time: a change to any is a change to all pages."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return found


QUICK_LIMIT = 20
"""At most this many entries edited in one save are shown by a quick build; more go through the full one."""


@dataclass
class Carried:
    """What a full build leaves for the quick builds after it: enough to render edited entries' pages alone.

    A quick build is a first look: it renders only the pages of the entries a save changed, with
    this build's manifest and feed list (the save changed no entry's page address or tags), and
    asks for the full build at once, which renders whatever else changed and the side work.
    """

    inputs: str
    """Fingerprint of what is not content: hand-written pages, theme, config."""
    entries: dict[str, Any]
    """Entry page source path -> the entry shown (frozen models: compared by identity, then value)."""
    vocabulary: Any
    pages: list[tuple[str, bool]]
    """Every generated page: (source path, in the navigation)."""
    shared: str
    """The shared part of every page's key."""
    planned: Any = None
    outputs: Any = None
    """The manifest as planned, and with MkDocs' own files claimed."""
    claimed: list[Any] = field(default_factory=list)
    """The files MkDocs is handed to claim the outputs' URLs."""
    feed_list: list[Any] = field(default_factory=list)

    def edits(self, entries: dict[str, Any], inputs: str, vocabulary: Any) -> list[str] | None:
        """The entries a quick build can show (page sources), or None when the save needs the full build.

        Quick only when the same entries have pages (none added, removed or renamed), the edited ones
        keep their tags (tag pages and feeds stay), and nothing but content changed.
        """
        if inputs != self.inputs or vocabulary != self.vocabulary or entries.keys() != self.entries.keys():
            return None
        edited = [
            src for src, entry in entries.items() if entry is not self.entries[src] and entry != self.entries[src]
        ]
        if not edited or len(edited) > QUICK_LIMIT:
            return None
        if any(entries[src].tags != self.entries[src].tags for src in edited):
            return None
        return edited


@dataclass
class Session:
    """What one `serve` keeps between rebuilds: the keys of the pages written and what the side work reads."""

    active: bool = False
    keys: dict[str, str] = field(default_factory=dict)
    """Page source path -> key of the inputs it was last rendered from."""
    dests: dict[str, Path] = field(default_factory=dict)
    """Page source path -> the file it was written to."""
    documents: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    """Page source path -> (URL, search document) as last rendered, the document compressed (`packed.pack`)."""
    bodies: PackedTexts = field(default_factory=PackedTexts)
    """Entry page source path -> its sanitized body (the feeds carry them), held compressed."""
    render: set[str] = field(default_factory=set)
    """The pages this build renders."""
    changed: bool = False
    """Whether any page's inputs changed in this build."""
    deferred: set[str] = field(default_factory=set)
    """Pages changed but left to the next build: this one renders the edited entries' pages first."""
    entries: dict[str, str] = field(default_factory=dict)
    """Entry page source path -> key of the entry alone (what its file says)."""
    again: Path | None = None
    """A file in a folder the server watches: writing it asks for the next build (see `follow_up`)."""
    pending: dict[str, str] = field(default_factory=dict)
    """This build's new keys, kept once the build has written the pages."""
    rendered_count: int = 0
    good: Archive | None = None
    """The content of the last build without errors: shown while a save has errors."""
    problems: list[str] = field(default_factory=list)
    """The errors of the last save (`file:line: field: message`), for the banner."""
    carried: Carried | None = None
    """What the last full build left for quick builds (None: the next build is a full one)."""
    full_due: bool = False
    """A quick build showed the edited pages: the full build follows at once."""
    _followed: bool = False
    builds: int = 0
    _worker: threading.Thread | None = None
    _indexer: search.Indexer | None = None
    _cancelled: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- the keys ---
    def plan(self, keys: dict[str, str], entries: dict[str, str], listings: set[str]) -> set[str]:
        """Take this build's page keys (and the keys of the entries alone); return the pages to render.

        The pages of the entries edited come first: when other pages changed too (the lists, the home page,
        the pages linking to them), they are left to a build that follows at once (`follow_up`). The pages
        with a listing of Material's tags plugin are rendered in every build: the plugin links a page's tags
        only to the listings it has seen rendered in the same build.
        """
        self.pending = keys
        self.full_due = False
        changed = {src for src, key in keys.items() if self.keys.get(src) != key}
        edited = {src for src in changed if src in entries and self.entries.get(src) != entries[src]}
        first = bool(self.again and self.keys and edited and changed - edited)
        self.changed = bool(changed)
        self.render = (edited if first else changed) | (listings & set(keys))
        self.deferred = changed - self.render
        self.entries = entries
        self.rendered_count = 0
        for src in set(self.documents) - set(keys):
            del self.documents[src]
        for src in set(self.bodies) - set(keys):
            del self.bodies[src]
        return self.render

    def plan_quick(self, keys: dict[str, str], entries: dict[str, str]) -> set[str]:
        """A quick build: render the pages of the entries edited (`keys`, `entries`: theirs alone); the rest follows."""
        self.pending = {**self.keys, **keys}
        self.entries = {**self.entries, **entries}
        self.render, self.deferred = set(keys), set()
        self.changed = self.full_due = True
        self.rendered_count = 0
        return self.render

    def modified(self, src: str) -> bool:
        """MkDocs' question for a dirty build: render and write this page (its key changed)?"""
        return src in self.render

    def built(self, dests: dict[str, Path]) -> list[Path]:
        """The pages are written: keep the keys; remove (and return) the files of pages no longer generated."""
        gone = [self.dests[src] for src in set(self.dests) - set(dests) if self.dests[src] not in dests.values()]
        for path in gone:
            path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                path.parent.rmdir()  # the page's folder, when nothing else is in it
        self.keys = {src: key for src, key in self.pending.items() if src not in self.deferred}
        self.dests = dict(dests)
        self.builds += 1
        return gone

    def follow_up(self, site_dir: Path) -> bool:
        """Ask the server for the build of the pages deferred (True), or say there are none (False)."""
        if not (self.deferred or self.full_due) or self.again is None:
            return False
        pending = ["pages listing or linking the entry", "feeds and citations", "search index"]
        write_status(site_dir, "updating", pending=pending, rendered=self.rendered_count)
        self.again.write_text(str(self.builds), encoding="utf-8")
        return True

    def forget(self) -> None:
        """A build failed midway: render every page next time."""
        self.keys, self.entries, self.carried = {}, {}, None

    # --- the side work, after the pages ---
    def follow(self, site_dir: Path, steps: Sequence[tuple[str, Callable[[], None]]], order: list[str]) -> None:
        """Run `steps` (name, work) and then index every page's search document, in a thread; status as they go."""
        self.cancel()
        self._cancelled.clear()
        if not self.changed and self._followed:
            write_status(site_dir, "ready", rendered=0)  # nothing changed (a save with errors, say)
            return
        self._followed = False
        names = [name for name, _ in steps] + ["search index"]
        documents = [self.documents[src] for src in order if src in self.documents]
        write_status(site_dir, "updating", pending=names, rendered=self.rendered_count)

        def run() -> None:
            try:
                for number, (_name, work) in enumerate(steps):
                    if self._cancelled.is_set():
                        return
                    work()
                    write_status(site_dir, "updating", pending=names[number + 1 :], rendered=self.rendered_count)
                if self._cancelled.is_set():
                    return
                give_back_memory()  # before the indexer, the largest process of the session, starts
                self._index(site_dir, documents)
                if not self._cancelled.is_set():
                    self._followed = True
                    write_status(site_dir, "ready", rendered=self.rendered_count)
            except Exception as error:  # shown on the banner and in the log: the preview goes on
                if not self._cancelled.is_set():
                    log.error("timsite preview: updating the generated files failed: %s", error)
                    write_status(site_dir, "error", problems=[f"updating the generated files failed: {error}"])

        self._worker = threading.Thread(target=run, name="preview-side-work", daemon=True)
        self._worker.start()

    def _index(self, site_dir: Path, documents: list[tuple[str, bytes]]) -> None:
        bundle = site_dir / search.BUNDLE
        shutil.rmtree(bundle, ignore_errors=True)
        with self._lock:
            if self._cancelled.is_set():
                return
            self._indexer = search.Indexer(bundle)
        try:
            for url, document in documents:
                if self._cancelled.is_set():
                    return
                self._indexer.add(url, unpack(document))
            self._indexer.finish()
        finally:
            with self._lock:
                self._indexer.stop()
                self._indexer = None

    def cancel(self) -> None:
        """A new build starts: stop the previous side work (its index is stale) and wait until it has stopped."""
        self._cancelled.set()
        with self._lock:
            if self._indexer is not None:
                self._indexer.stop()
        if self._worker is not None:
            self._worker.join()
            self._worker = None

    def cancelled(self) -> bool:
        """Whether the side work running now is stale (a newer build has started): it stops at its next file."""
        return self._cancelled.is_set()

    def idle(self) -> bool:
        """No side work running (for tests)."""
        return self._worker is None or not self._worker.is_alive()


def give_back_memory() -> None:
    """Return the memory freed since the last build to the system.

    Writing the feeds and library records frees most of what it takes, but the C allocator keeps the
    freed pages (lxml's among them): at x10 the server held some 150 MiB more for the rest of the session.
    """
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # glibc only: elsewhere there is nothing to call
        ctypes.CDLL(None).malloc_trim(0)


class _Templates(jinja2.BytecodeCache):
    """Compiled templates kept in memory between rebuilds (MkDocs makes a new Jinja environment for each)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = _Templates()
"""Every template compiled once per preview session (a changed template has a new checksum: compiled again)."""

SESSION = Session()
"""The one preview of this process (`serve` runs one)."""


def write_status(
    site_dir: Path,
    state: str,
    *,
    pending: list[str] | None = None,
    problems: list[str] | None = None,
    rendered: int | None = None,
) -> None:
    """The banner's data: `state` (building, updating, ready, error), what is being updated, the problems.

    While the content has errors (the session's `problems`) the state is `error` once the pages are built.
    """
    if SESSION.problems and state != "building":
        state, problems = "error", SESSION.problems
    folder = site_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / SCRIPT.name).exists():
        shutil.copyfile(SCRIPT, folder / SCRIPT.name)
    data = {
        "state": state,
        "pending": pending or [],
        "problems": problems or [],
        "rendered": rendered,
        "build": SESSION.builds,
    }
    partial = folder / "status.json.partial"
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, folder / "status.json")  # the banner never reads half a file
