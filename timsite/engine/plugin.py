"""The MkDocs adapter: translates MkDocs events into calls to the core, so `mkdocs build` and `serve` work alone.

Everything the site shows is decided by the core (`archive`, `checks`, `pages`, `export`,
`feeds`); this module only hands it to MkDocs and collects what MkDocs renders.
"""

from __future__ import annotations

import atexit
import html
import logging
import os
import shutil
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any, cast

# First: it chooses the engine (ProperDocs, unless MkDocs runs us) that the `mkdocs.*` imports below load.
import timsite.engine.choose  # noqa: F401 # isort: skip
from jinja2 import Environment, Template
from markupsafe import Markup
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage
from mkdocs.utils.templates import TemplateContext
from mkdocs.utils.yaml import get_yaml_loader

from timsite import kinds
from timsite.content import sanitize
from timsite.content.archive import Archive
from timsite.content.checked import load_archive
from timsite.content.model import Entry, web_address_problem
from timsite.content.problems import Severity, errors, format_report
from timsite.engine import background, file_errors, preview
from timsite.engine.pdf_writer import PdfWriter
from timsite.engine.side_work import SideWork, SideWorkError
from timsite.outputs import feeds, search, websub
from timsite.outputs import manifest as outputs
from timsite.outputs.export import library
from timsite.outputs.export.citations import Citations
from timsite.outputs.export.head import page_metadata
from timsite.outputs.export.styles import page_citations
from timsite.outputs.packed import PackedTexts, pack
from timsite.outputs.pdf.cache import FOLDER, Cache
from timsite.outputs.pdf.edition import size_text
from timsite.site.compact import compact
from timsite.site.page import Page
from timsite.site.pages import all_pages, entries_pages, entry_sources
from timsite.site.tags import tag_slug, tag_src
from timsite.site.urls import entry_src, entry_url, pdf_href, relative

log = get_plugin_logger(__name__)
_EMPTY_FRONT_MATTER = "---\n{}\n---\n\n"
_LISTING = "<!-- material/tags"
"""Where Material's tags plugin puts a listing of tagged pages (tags.md)."""


class _Checked(c.OptionallyRequired[Any]):
    """An option read by a function that returns its value or raises ValueError with a plain message."""

    def __init__(self, read: Callable[[Any], Any], default: Any = None) -> None:
        super().__init__(default=default)
        self.read = read

    def run_validation(self, value: object) -> Any:
        try:
            return self.read(value)
        except ValueError as error:
            raise c.ValidationError(str(error)) from None


def _hub(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected the web address of a WebSub hub, but received {value!r}")
    problem = websub.hub_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _feed_limit(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000:
        raise ValueError(f"expected a whole number of items from 1 to 10000, but received {value!r}")
    return value


def _as_of(value: object) -> str:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"expected a date written YYYY-MM-DD, e.g. 2002-04-01, but received {value!r}") from None
    return str(value)


class TimsiteConfig(Config):
    """Plugin options in mkdocs.yml; build.py may override the first three through TIMSITE_* variables.

    Each is checked when mkdocs.yml is read: the configuration is edited in the same pull requests as content.
    """

    content_dir = c.Type(str, default="content")
    as_of = c.Optional(_Checked(_as_of))
    drafts = c.Type(bool, default=False)
    feed_limit = _Checked(_feed_limit, default=feeds.FEED_LIMIT)
    """Items in each subscription feed (the newest); older items are in the archive documents."""
    websub_hub = c.Optional(_Checked(_hub))
    """A WebSub hub's URL: every subscription feed then names it (`rel="hub"`), and `build.py websub-ping` tells it."""


SITE_TEXT = ("site_name", "site_description", "site_author", "copyright")
"""The configuration's texts that Material prints into pages without escaping them."""


def site_settings_problems(config: MkDocsConfig) -> list[str]:
    """What is wrong with the site's own settings in mkdocs.yml, in plain words (empty: nothing)."""
    problems = []
    problem = web_address_problem(config.site_url or "")
    if problem:
        problems.append(f"site_url: {problem}")
    if not (config.site_name or "").strip():
        problems.append("site_name: the site needs a name")
    for key in SITE_TEXT:
        value = config.get(key)
        if isinstance(value, str) and any(ord(ch) < 32 and ch not in "\t\n" for ch in value):
            problems.append(f"{key}: control characters are not allowed")
    return problems


def _make_edition(make: Callable[[Any, str, str], dict[str, Any]], entry: Entry, url: str, body: str) -> dict[str, Any]:
    return make(entry, body, url)


class BuildError(Exception):
    """MkDocs (or this plugin inside it) could not build the site; the message says why, `failure` what failed."""

    def __init__(self, message: str, failure: background.Failure | None = None) -> None:
        super().__init__(message)
        self.failure = failure


def build_site(config_file: Path, site_dir: Path, strict: bool) -> None:
    """`mkdocs build` in this process, for build.py: the one place the rest of timsite starts MkDocs.

    The build's side work (the outputs' forked writer, the search indexer) is stopped when it ends,
    however it ends (failed, interrupted by Ctrl-C or SIGTERM): nothing outlives the build.
    """
    config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
    plugin = config.plugins.get("timsite")
    if not isinstance(plugin, TimsitePlugin):
        raise BuildError(f"{config_file}: the timsite plugin is not among its plugins")
    # MkDocs keeps one plugin per process once it has `on_startup` (the preview's): the threads are judged
    # at this build's start, not at the first build's.
    plugin.side_work = SideWork()
    with plugin.side_work.running():
        try:
            mkdocs_build(config)
        except MkDocsException as exc:
            raise BuildError(str(exc), background.Failure.of(exc)) from exc


def serve_site(config_file: Path, dev_addr: str) -> None:
    """`mkdocs serve` with live reload, for build.py."""
    from mkdocs.commands.serve import serve  # only a preview needs the web server

    # Dirty: the preview keeps the pages whose inputs did not change (see timsite.engine.preview). With PDFs
    # (`serve --pdf`) every save rebuilds everything, as before: the preview does not typeset PDFs yet.
    pdfs = os.environ.get("TIMSITE_PDF") == "1"
    serve(str(config_file), dev_addr=dev_addr, livereload=True, build_type=None if pdfs else "dirty")


def websub_settings(config_file: Path) -> tuple[str, str | None]:
    """The site's address and the timsite plugin's `websub_hub` (None when unset), from mkdocs.yml.

    Raises BuildError when mkdocs.yml cannot be read (the engine's own error stays behind this module).
    """
    try:
        config = load_config(str(config_file))
    except MkDocsException as error:
        raise BuildError(str(error)) from error
    plugin = config.plugins.get("timsite")
    hub = plugin.config.get("websub_hub") if plugin is not None else None
    return config.site_url or "", hub


def config_loader() -> type:
    """The YAML loader MkDocs reads mkdocs.yml with (it knows the `!ENV` and `!!python/name` tags)."""
    return get_yaml_loader()  # type: ignore[no-any-return]


def today() -> date:
    """Embargoes lift on their date, so they are judged against today's date (UTC) unless as_of says otherwise."""
    return datetime.now(UTC).date()


class _Claimed(File):
    """A generated file in MkDocs' list only to claim its URL (clashes, link checks): `outputs` writes it."""

    @classmethod
    def of(cls, config: MkDocsConfig, output: outputs.Output) -> _Claimed:
        return cast(_Claimed, cls.generated(config, output.path, content=""))

    def copy_file(self, dirty: bool = False) -> None:
        """Nothing to copy: the outputs manifest writes the file (see on_post_build)."""


def _prior(file: File, docs: str, docs_dir: Path) -> outputs.Output:
    """A file of MkDocs' own as a prior claim in the manifest: a hand-written one, or a generated page."""
    if file.generated_by:
        return outputs.Output(file.dest_uri, f"the page {file.src_uri}", by_mkdocs=True)
    if file.abs_src_path and not Path(file.abs_src_path).resolve().is_relative_to(docs_dir):
        return outputs.Output(file.dest_uri, f"the theme's {file.src_uri}", by_mkdocs=True)
    return outputs.Output(file.dest_uri, f"{docs}/{file.src_uri}", by_mkdocs=True, hand_written=True)


@dataclass(frozen=True)
class _Body:
    """What the search document's template reads of a page, before MkDocs has stored the page's HTML."""

    title: str | None
    content: str


class TimsitePlugin(BasePlugin[TimsiteConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.archive: Archive | None = None
        self.pages: dict[str, Page] = {}
        self.feed_list: list[feeds.Feed] = []
        self._feeds_by_key: dict[str, feeds.Feed] = {}
        self.rendered = PackedTexts()
        self._planned: outputs.Manifest | None = None
        """The outputs of the build, planned with the pages."""
        self._outputs: outputs.Manifest | None = None
        """The same with MkDocs' own files claimed first (once MkDocs has listed them)."""
        self._meta: dict[str, dict[str, Any]] = {}
        self.citations: Citations | None = None
        self._search: dict[str, search.SearchData | None] = {}
        self.side_work = SideWork()
        """The forked writer and the search indexer: made with the plugin, before the build starts any thread."""
        self._document: Template | None = None
        self._editions: dict[str, tuple[Entry, bool]] = {}
        """Entries typeset as PDF, by page source: (entry, whether a reader may see it, so it may be cached)."""
        self._pdf: PdfWriter | None = None
        self.edition_sizes: dict[str, tuple[str, int]] = {}
        """The PDFs' paths and sizes by their entry's source, once the PDF writer has finished (the feeds read it)."""
        self._dests: dict[str, Path] = {}
        self._quick = False
        """A quick preview build: only the edited entries' pages (see `preview.Carried`)."""
        self._inputs = ""
        self._entries_now: dict[str, Entry] = {}
        self._carry: preview.Carried | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # A dirty serve is the editors' preview; MkDocs makes a new plugin for each rebuild, the session stays.
        preview.SESSION.active = command == "serve" and dirty
        if preview.SESSION.active:
            # Its warning that a dirty build gives inaccurate navigation is not true of the preview's.
            logging.getLogger(mkdocs_build.__module__).addFilter(lambda record: "'dirty' build" not in str(record.msg))

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Callable[..., Any]) -> Any:
        if preview.SESSION.active:
            # A folder of the preview's own, watched: writing its file asks the server for the next build.
            folder = Path(tempfile.mkdtemp(prefix="timsite-preview-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            server.watch(str(folder))
            preview.SESSION.again = folder / "again"
        return server

    # --- configuration: load and check all content before anything is rendered ---
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("timsite: use_directory_urls must stay true: published URLs end in a slash")
        if not config.site_url:
            raise PluginError("timsite: site_url must be set in mkdocs.yml: feeds and citations need absolute URLs")
        problems_found = site_settings_problems(config)
        if problems_found:
            raise PluginError("timsite: mkdocs.yml: " + "; ".join(problems_found))
        # Shown as text, as front matter is: Material prints these into pages as they are.
        for key in SITE_TEXT:
            value = config.get(key)
            if isinstance(value, str) and not isinstance(value, Markup):
                config[key] = Markup(html.escape(value, quote=True))
        # A plugin with on_startup is kept from one build to the next in a process: this build's state starts here.
        self._quick, self._carry = False, None
        base = Path(config.config_file_path or ".").parent
        # build.py passes --content through the environment, as `mkdocs serve` reloads the config itself.
        root = (base / os.environ.get("TIMSITE_CONTENT_DIR", self.config.content_dir)).resolve()
        if preview.SESSION.active:
            preview.SESSION.cancel()  # the side work of the previous save is stale now
            preview.write_status(Path(config.site_dir), "building")
        archive, problems = load_archive(root)
        for problem in problems:
            if problem.severity is Severity.WARNING:
                (log.info if problem.acknowledged else log.warning)(str(problem))
        if errors(problems) and preview.SESSION.good is not None:
            # The preview goes on with the last good content (MkDocs' server would hold every request until a
            # build succeeds): its pages stay, and the banner on them shows what is wrong.
            preview.SESSION.problems = [line for line in format_report(errors(problems)).splitlines() if line]
            log.error(
                "the content has errors; the preview shows the last good content:\n" + format_report(errors(problems))
            )
            archive = preview.SESSION.good
        elif errors(problems):
            raise PluginError("the content has errors; nothing was built:\n" + format_report(errors(problems)))
        elif preview.SESSION.active:
            preview.SESSION.problems, preview.SESSION.good = [], archive
        as_of_text = self.config.as_of or os.environ.get("TIMSITE_AS_OF")
        try:
            as_of = date.fromisoformat(as_of_text) if as_of_text else today()
        except ValueError:
            raise PluginError(f'timsite: as_of "{as_of_text}" is not a date: write YYYY-MM-DD') from None
        drafts = self.config.drafts or os.environ.get("TIMSITE_DRAFTS") == "1"
        self.archive = archive.visible(as_of, drafts=drafts)
        site_url = config.site_url or ""
        self.feed_list = feeds.feed_directory(self.archive, site_url, self.config.feed_limit)
        self._feeds_by_key = feeds.by_key(self.feed_list)
        # Each record once: the downloads and the page heads share them.
        self.citations = Citations(self.archive, site_url).build_all()
        self.rendered = PackedTexts()  # until the feeds are written: compressed, beside the search indexer
        # TIMSITE_PDF: "0" typesets no PDF (`build.py serve` without --pdf: a preview rebuilt at every edit; a
        # build measured without them); "1", set by `serve --pdf`, also previews drafts' PDFs, never cached.
        # (Not MkDocs' on_startup: a plugin that has it is kept from one build to the next in a process.)
        self._editions = {}
        wanted = os.environ.get("TIMSITE_PDF", "1")
        if wanted == "1":
            drafts_too = drafts and os.environ.get("TIMSITE_PDF") == "1"
            for entry in kinds.with_edition(self.archive, as_of, preview=drafts_too):
                # A preview (`serve --drafts --pdf`) typesets drafts too, and never caches them.
                self._editions[entry_src(entry)] = (entry, kinds.typeset(entry, as_of))
        self.edition_sizes = {}
        config.watch.append(str(root))
        if preview.SESSION.active:
            self._inputs = self._static_inputs(config)
            self._entries_now = entry_sources(self.archive)
            carried = preview.SESSION.carried
            edited = carried.edits(self._entries_now, self._inputs, self.archive.vocabulary) if carried else None
            if carried is not None and edited is not None and preview.SESSION.again is not None:
                return self._quick_config(
                    config, self.archive, carried, [self._entries_now[src] for src in edited], as_of
                )
            preview.SESSION.carried = None  # planned again below: its manifest is not kept twice
        planned = outputs.plan(
            self.archive,
            self.rendered,
            site_url,
            self.citations,
            hub=self.config.websub_hub,
            directory=self.feed_list,
            editions=[entry for entry, _ in self._editions.values()],
            edition_sizes=self.edition_sizes,
        )
        # Pages print their links to generated files (citation downloads, OPML, calendar) from the manifest.
        self._planned = self._outputs = planned
        self.pages = {p.src: p for p in all_pages(self.archive, self.feed_list, as_of, planned, site_url)}
        return config

    def _quick_config(
        self, config: MkDocsConfig, archive: Archive, carried: preview.Carried, edited: list[Entry], as_of: date
    ) -> MkDocsConfig:
        """A quick preview build: the pages of the entries edited, with the last full build's manifest and feeds."""
        site_url = config.site_url or ""
        self._quick = True
        self.feed_list = carried.feed_list
        self._feeds_by_key = feeds.by_key(self.feed_list)
        self._planned, self._outputs = carried.planned, carried.outputs
        self.pages = {p.src: p for p in entries_pages(archive, edited, as_of, carried.planned, site_url)}
        return config

    @staticmethod
    def _static_inputs(config: MkDocsConfig) -> str:
        """What every page shows that is not content: navigation, site address, theme, hand-written pages, config."""
        base = Path(config.config_file_path or ".")
        folders = [Path(config.docs_dir), *(Path(d) for d in config.theme.dirs if "site-packages" not in d)]
        return preview.fingerprint(
            repr(config.nav),
            config.site_url,
            preview.tree_fingerprint(folders),
            base.stat().st_mtime_ns if base.is_file() else 0,
        )

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.archive is None or self._planned is None:
            raise PluginError("timsite: the content was never loaded (MkDocs skipped the config event)")
        self._meta = {}
        if self._quick:
            return self._quick_files(files, config)
        docs = os.path.relpath(config.docs_dir, Path(config.config_file_path or ".").parent)
        generated: list[File] = []
        keys: dict[str, str] = {}
        entries: dict[str, str] = {}
        listings: set[str] = set()
        shared = self._shared_key(config, files) if preview.SESSION.active else ""
        listed = [(p.src, p.meta.get("title"), p.meta.get("tags")) for p in self.pages.values()]
        for page in self.pages.values():
            meta = self._meta[page.src] = self._handed_meta(page)
            if preview.SESSION.active:
                keys[page.src] = self._page_key(shared, page, meta, config, listed)
                if page.entry is not None:
                    entries[page.src] = preview.fingerprint(page.entry.model_dump(mode="json"))
                if _LISTING in page.markdown:
                    listings.add(page.src)
            generated.append(self._generated_file(config, page))
        # MkDocs' own files (hand-written pages and assets, the theme's) and the generated pages claim their
        # URLs first, then every output: one clash check, in the manifest (MkDocs would silently keep only
        # one of, say, about.md and about/index.md).
        docs_dir = Path(config.docs_dir).resolve()
        prior = [_prior(file, docs, docs_dir) for file in [*files, *generated]]
        try:
            self._outputs = self._planned.with_prior(prior)
        except outputs.OutputClash as clash:
            raise PluginError(f"timsite: {clash}") from clash
        for file in generated:
            files.append(file)
        claimed = [_Claimed.of(config, output) for output in self._outputs.generated()]
        for file in claimed:
            files.append(file)
        if preview.SESSION.active:
            self._plan_preview(files, keys, entries, shared, listings)
            if not listings:  # a quick build would not render the listings of Material's tags plugin
                self._carry = preview.Carried(
                    self._inputs,
                    self._entries_now,
                    self.archive.vocabulary,
                    [(page.src, page.in_nav) for page in self.pages.values()],
                    shared,
                    self._planned,
                    self._outputs,
                    claimed,
                    self.feed_list,
                )
            self._search = {}
            environment = config.theme.get_env()
            environment.bytecode_cache = preview.TEMPLATES
            self._document = environment.get_template("tim-search-document.html")
            return files  # the side work follows the pages (on_post_build)
        # Outputs that need no page body are written by a child process on the other core while MkDocs
        # renders the bodies; each page's search document goes to the indexer as its body is rendered
        # (on_page_content). SideWork starts both in the one safe order.
        self._search = {}
        self._document = config.theme.get_env().get_template("tim-search-document.html")
        # The PDF writer too: it typesets each edition as its body is rendered (on_page_content).
        self._pdf = (
            PdfWriter(Path(config.site_dir), Cache(self._pdf_cache(config)), self._edition_makers(config))
            if self._editions
            else None
        )
        try:
            self.side_work.start(
                partial(self._outputs.write, Path(config.site_dir), False),
                Path(config.site_dir) / search.BUNDLE,
                self._pdf,
            )
        except (search.SearchIndexError, SideWorkError) as error:
            raise PluginError(f"timsite: {error}") from error
        return files

    @staticmethod
    def _handed_meta(page: Page) -> dict[str, Any]:
        """A generated page's front matter as MkDocs is handed it (in on_page_markdown), escaped."""
        meta = dict(page.meta)
        # MkDocs' and Material's templates print title and description unescaped.
        for key in ("title", "description"):
            if key in meta:
                meta[key] = html.escape(str(meta[key]), quote=True)
        if "tags" in meta:
            meta["tags"] = [html.escape(str(tag), quote=True) for tag in meta["tags"]]
        return meta

    def _generated_file(self, config: MkDocsConfig, page: Page) -> File:
        """A generated page as MkDocs' file. The metadata is handed over in on_page_markdown rather than written
        out as YAML for MkDocs to parse back. The empty front matter stops MkDocs reading a first line such
        as "Note: ..." as MultiMarkdown metadata."""
        file = File.generated(
            config, page.src, content=_EMPTY_FRONT_MATTER + page.markdown, inclusion=self._inclusion(page)
        )
        # The File now holds the page's Markdown: a second copy of every page's would stay for the whole build.
        page.markdown = ""
        return file

    def _quick_files(self, files: Files, config: MkDocsConfig) -> Files:
        """A quick preview build: the edited entries' pages with their Markdown, every other page by its address."""
        carried = preview.SESSION.carried
        if carried is None:
            raise PluginError("timsite: the preview's quick build lost the last full build's plan")
        keys: dict[str, str] = {}
        entries: dict[str, str] = {}
        for page in self.pages.values():
            meta = self._meta[page.src] = self._handed_meta(page)
            keys[page.src] = self._page_key(carried.shared, page, meta, config, [])
            if page.entry is not None:
                entries[page.src] = preview.fingerprint(page.entry.model_dump(mode="json"))
                carried.entries[page.src] = page.entry
            files.append(self._generated_file(config, page))
        # Not rendered in this build (MkDocs asks `is_modified`), so not read: their address is all that matters.
        for src, in_nav in carried.pages:
            if src not in self.pages:
                inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, src, content=_EMPTY_FRONT_MATTER, inclusion=inclusion))
        for file in carried.claimed:
            files.append(file)
        rendered = preview.SESSION.plan_quick(keys, entries)
        log.info(f"preview: {len(rendered)} edited page(s) shown first; the full build follows")
        for file in files.documentation_pages():
            setattr(file, "is_modified", partial(preview.SESSION.modified, file.src_uri))  # noqa: B010
        self._search = {}
        environment = config.theme.get_env()
        environment.bytecode_cache = preview.TEMPLATES
        self._document = environment.get_template("tim-search-document.html")
        return files

    def _plan_preview(
        self, files: Files, keys: dict[str, str], entries: dict[str, str], shared: str, listings: set[str]
    ) -> None:
        """The preview: which pages to render (MkDocs asks `is_modified`); the feeds get the bodies kept."""
        for file in files.documentation_pages():
            keys.setdefault(file.src_uri, shared)  # hand-written pages: in the shared key
        rerender = preview.SESSION.plan(keys, entries, listings)
        log.info(f"preview: {len(rerender)} of {len(keys)} pages to render")
        for file in files.documentation_pages():
            setattr(file, "is_modified", partial(preview.SESSION.modified, file.src_uri))  # noqa: B010
        for src in preview.SESSION.bodies:
            if src not in rerender:
                self.rendered.share(preview.SESSION.bodies, src)

    def _shared_key(self, config: MkDocsConfig, files: Files) -> str:
        """What every page shows: what is not content (`_static_inputs`), every page's URL, the feeds."""
        return preview.fingerprint(
            self._inputs,
            sorted(self.pages),
            sorted(f.src_uri for f in files),
            [(f.key, f.scope, f.title, f.description, f.home, f.pages) for f in self.feed_list],  # items: pages' keys
        )

    def _page_key(self, shared: str, page: Page, meta: dict[str, Any], config: MkDocsConfig, listed: list[Any]) -> str:
        """The inputs of one generated page's HTML: its Markdown and front matter, and what its template reads."""
        if _LISTING in page.markdown:  # Material's tags plugin lists every page's title and tags
            return preview.fingerprint(shared, page.src, page.markdown, meta, listed)
        entry = page.entry
        canonical = (config.site_url or "") + page.url
        return preview.fingerprint(
            shared,
            page.src,
            page.markdown,
            meta,
            page.extra,
            page.in_nav,
            entry.model_dump(mode="json") if entry is not None else None,
            page_metadata(entry, self.archive, canonical, config.site_url or "", self.citations),
            search.search_data(entry, self.archive, about=page.src == "about.md"),
        )

    @staticmethod
    def _pdf_cache(config: MkDocsConfig) -> Path:
        """TIMSITE_PDF_CACHE (build.py: beside the releases), else `.cache/pdf` beside the site folder."""
        chosen = os.environ.get("TIMSITE_PDF_CACHE")
        return Path(chosen) if chosen else Path(config.site_dir).absolute().parent / FOLDER

    def _edition_makers(self, config: MkDocsConfig) -> dict[str, Callable[[str], dict[str, Any]]]:
        """By PDF path: the edition of that entry made of its page's body (for the PDF writer's child)."""
        makers: dict[str, Callable[[str], dict[str, Any]]] = {}
        for entry, _ in self._editions.values():
            edition = kinds.of(entry).edition
            if edition is not None:
                makers[kinds.edition_path(entry)] = partial(
                    _make_edition, edition.make, entry, (config.site_url or "") + entry_url(entry)
                )
        return makers

    def _finish_pdfs(self) -> dict[str, tuple[str, int]]:
        """Wait for the PDF writer (once); the PDFs' paths and sizes by their entry's source."""
        if self._pdf is not None:
            writer, self._pdf = self._pdf, None
            try:
                sizes = writer.finish()
            except background.BackgroundError as error:
                self.side_work.stop()
                raise PluginError(f"timsite: typesetting the PDF editions failed:\n{error}") from error
            for src, (entry, _) in self._editions.items():
                path = kinds.edition_path(entry)
                if path in sizes:
                    self.edition_sizes[src] = (path, sizes[path])
        return self.edition_sizes

    def _pdf_size(self, entry: Entry) -> int | None:
        """The size of an entry's PDF edition, waiting for the PDF writer to have written that one."""
        src = entry_src(entry)
        if src not in self.edition_sizes and self._pdf is not None and src in self._editions:
            try:
                size = self._pdf.size(kinds.edition_path(entry))
            except background.BackgroundError as error:
                self.side_work.stop()
                raise PluginError(f"timsite: typesetting the PDF editions failed:\n{error}") from error
            if size is not None:
                self.edition_sizes[src] = (kinds.edition_path(entry), size)
        found = self.edition_sizes.get(src)
        return found[1] if found else None

    def _pdf_links(self, page: MkPage, entry: Entry | None) -> dict[str, Any]:
        """What the theme shows of the PDFs on `page`: the entry's edition (or, on the home page, the latest
        issue's) with its size, and the printed edition (an issue's `pdf`) beside it."""
        if entry is None and page.file.src_uri == "index.md" and self.archive and self.archive.bulletins:
            entry = self.archive.bulletins[-1]
        if entry is None or entry_src(entry) not in self._editions:
            return {}
        edition = kinds.of(entry).edition
        size = self._pdf_size(entry)
        if size is None or edition is None:
            return {}
        path = kinds.edition_path(entry)
        out: dict[str, Any] = {"href": relative(page.url, path), "size": size_text(size), "noun": edition.noun}
        printed = entry.path.parent / entry.attached_pdf if entry.attached_pdf else None
        if printed is not None and printed.is_file():
            out["printed"] = {"href": relative(page.url, pdf_href(entry)), "size": size_text(printed.stat().st_size)}
        return out

    @staticmethod
    def _inclusion(page: Page) -> InclusionLevel:
        return InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV

    # --- rendering: metadata for the theme, HTML for the feeds ---
    def on_page_context(
        self, context: TemplateContext, page: MkPage, config: MkDocsConfig, nav: Any
    ) -> TemplateContext:
        generated = self.pages.get(page.file.src_uri)
        entry = generated.entry if generated else None
        values = cast(dict[str, Any], context)  # TemplateContext is a closed TypedDict; the theme reads these
        values["tim_pdf"] = self._pdf_links(page, entry)
        own = self.edition_sizes.get(entry_src(entry)) if entry is not None else None
        values["tim"] = page_metadata(
            entry,
            self.archive,
            page.canonical_url or "",
            config.site_url or "",
            self.citations,
            own[1] if own else None,
        )
        feed_key = generated.extra.get("feed") if generated else None
        manifest = self._outputs if self._outputs is not None else outputs.Manifest()
        values["tim_feeds"] = feeds.alternates(entry, self._feeds_by_key, config.site_url or "", manifest, feed_key)
        values["tim_records"] = library.alternates(entry, manifest)
        values["tim_page"] = generated.extra if generated else {}
        values["tim_search"] = self._search_data(page)
        values["tim_cite"] = page_citations(entry, self.citations) if entry and self.citations else None
        values["tim_tags"] = [
            {"name": t, "path": tag_src(tag_slug(t)).removesuffix("index.md")} for t in (entry.tags if entry else [])
        ]
        values["tim_preview"] = preview.SESSION.active
        return context

    def _search_data(self, page: MkPage) -> search.SearchData | None:
        src = page.file.src_uri
        if src not in self._search:
            generated = self.pages.get(src)
            entry = generated.entry if generated else None
            self._search[src] = search.search_data(entry, self.archive, about=src == "about.md")
        return self._search[src]

    @event_priority(100)  # before any other plugin reads page.meta
    def on_page_markdown(self, markdown: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        meta = self._meta.get(page.file.src_uri)
        if meta is not None:
            page.meta = dict(meta)
            # MkDocs has read the generated file into page.markdown, and would keep both until the build ends.
            page.file.content_string = ""
        if preview.SESSION.active and page.file.src_uri not in preview.SESSION.render:
            return ""  # kept from an earlier build: only its front matter matters (the tags plugin reads it)
        return markdown

    def on_page_content(self, html_text: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        # What MkDocs returns here is the page body for the theme, the search index and (through
        # `rendered`) the feeds. Pages of entries carry an editor's body, hand-written pages are an
        # editor's; the list pages hold only escaped front-matter text and our own markup (the catalogue's
        # filter form), so they are left as rendered.
        src = page.file.src_uri
        if preview.SESSION.active and src not in preview.SESSION.render:
            page.markdown = ""
            return html_text  # not written: the page of an earlier build stays
        generated = self.pages.get(page.file.src_uri)
        if generated is None or generated.entry is not None:
            html_text = sanitize.clean(html_text)
        if generated is not None and generated.entry is not None:
            self.rendered[page.file.src_uri] = html_text  # the feeds carry entries' bodies only
            if preview.SESSION.active:
                preview.SESSION.bodies.share(self.rendered, src)
        edition = self._editions.get(page.file.src_uri)
        if edition is not None and self._pdf is not None:
            # The body just rendered and cleaned, handed to the PDF writer on the other core.
            entry, public = edition
            self._pdf.add(kinds.edition_path(entry), html_text, cached=public)
        data = self._search_data(page)
        if preview.SESSION.active:
            preview.SESSION.rendered_count += 1
            if data is not None and self._document is not None:
                url = "/" + page.file.dest_uri.removesuffix("index.html")
                document = self._document.render(page=_Body(page.title, html_text), config=config, tim_search=data)
                preview.SESSION.documents[src] = (url, pack(document))
            page.markdown = ""
            return html_text
        if data is not None and self.side_work.indexing and self._document is not None:
            # The page's indexed part as the theme will print it (partials/tim-search-body.html).
            body = _Body(page.title, html_text)
            url = "/" + page.file.dest_uri.removesuffix("index.html")
            self.side_work.add(url, self._document.render(page=body, config=config, tim_search=data))
        # Rendered: MkDocs would keep every page's Markdown beside its HTML until the build ends. Not None:
        # MkDocs then takes the page for unread and its title for missing.
        page.markdown = ""
        return html_text

    @event_priority(-100)  # after any other plugin has seen the page
    def on_post_page(self, output: str, page: MkPage, config: MkDocsConfig) -> str:
        # The page is in `output` now, but MkDocs would keep its body until the build ends, beside the
        # search indexer at its largest. Entries' bodies stay in `rendered` for the feeds.
        page.content = None
        return compact(output)

    def _follow(self, config: MkDocsConfig) -> None:
        """The preview's pages are written: remove those gone, then write the outputs and index in the background."""
        manifest = self._outputs
        if manifest is None:
            raise PluginError("timsite: the generated files were never planned (MkDocs skipped the files event)")
        site_dir = Path(config.site_dir)
        for path in preview.SESSION.built(self._dests):
            log.info(f"preview: removed {path.relative_to(site_dir)}")
        if not self._quick:
            preview.SESSION.carried = self._carry  # what the quick builds of the next saves start from
        if preview.SESSION.follow_up(site_dir):
            return  # the pages listing the entries edited are built next; the side work follows them
        steps = [("feeds and citations", partial(manifest.write, site_dir, stop=preview.SESSION.cancelled))]
        preview.SESSION.follow(site_dir, steps, list(self._dests))

    def _read_kept_pages(self, config: MkDocsConfig, files: Files) -> None:
        """The pages kept from an earlier build were not read: read them (not render) for the plugins that list
        every page (Material's tags), as MkDocs would have."""
        for file in files.documentation_pages():
            page = file.page
            if page is None or file.src_uri in preview.SESSION.render:
                continue
            if file.src_uri in self._meta:
                page.markdown = ""  # a generated page: its front matter is handed over in on_page_markdown
            else:
                page.read_source(config)  # a hand-written page: its front matter is in its file
            page.markdown = config.plugins.on_page_markdown(page.markdown or "", page=page, config=config, files=files)

    @event_priority(150)  # in the preview, before Material's tags plugin lists the pages (priority 100)
    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        if preview.SESSION.active:
            env.bytecode_cache = preview.TEMPLATES  # MkDocs makes a new environment for each rebuild
            self._read_kept_pages(config, files)
            self._dests = {f.src_uri: Path(f.abs_dest_path) for f in files.documentation_pages()}
            return env
        # Every page body is rendered now, and MkDocs is about to put them into templates: the indexer (a
        # process of its own, on the other core) builds and writes the search bundle meanwhile.
        if self._pdf is not None:
            self._pdf.close_input()  # every edition is handed over: the writer ends once it has typeset them
        try:
            self.side_work.index()
        except SideWorkError as error:
            raise PluginError(f"timsite: {error}") from error
        return env

    def on_build_error(self, error: Exception) -> None:
        self.side_work.stop()
        if preview.SESSION.active:
            preview.SESSION.forget()

    def on_post_build(self, config: MkDocsConfig) -> None:
        if preview.SESSION.active:
            self._follow(config)
            return
        # Every page is written by now; the indexer may still run while this process writes the feeds.
        manifest = self._outputs
        if manifest is None:
            raise PluginError("timsite: the generated files were never planned (MkDocs skipped the files event)")
        # The feeds are written here, not in the writer's child: at the end of a build the other core is busy
        # with the search index, and a child kept until then holds its own copy of the build's memory.
        self._finish_pdfs()  # the feeds' enclosures need the PDFs' sizes
        try:
            self.side_work.finish(partial(manifest.write, Path(config.site_dir), needs_pages=True))
        except (search.SearchIndexError, SideWorkError) as error:
            raise PluginError(f"timsite: {error}") from error
        except Exception as error:
            # A file-system error is one line naming the file; anything else is a fault of ours, told in full.
            failure = background.Failure.of(error)
            plain = file_errors.describe(failure.errno, failure.filename) if failure.errno is not None else None
            if plain is not None:
                raise PluginError(f"timsite: writing the feeds and citation files failed: {plain}") from error
            said = error.failure.traceback if isinstance(error, background.BackgroundError) else traceback.format_exc()
            raise PluginError(f"timsite: writing the feeds and citation files failed:\n{said}") from error
