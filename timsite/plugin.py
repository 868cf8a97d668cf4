"""The MkDocs adapter: translates MkDocs events into calls to the core, so `mkdocs build` and `serve` work alone.

Everything the site shows is decided by the core (`catalogue`, `pages`, `citations`,
`feeds`); this module only hands it to MkDocs and collects what MkDocs renders.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any, cast

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage
from mkdocs.utils.templates import TemplateContext

from . import background, citations, feeds, metadata, redirects, search
from .catalogue import Archive, load_archive
from .pages import Page, all_pages, identifier_redirects
from .problems import Severity, errors, format_report
from .urls import cite_files

log = get_plugin_logger(__name__)
_EMPTY_FRONT_MATTER = "---\n{}\n---\n\n"


class TimsiteConfig(Config):
    """Plugin options in mkdocs.yml; build.py may override the first three through TIMSITE_* variables."""

    content_dir = c.Type(str, default="content")
    as_of = c.Optional(c.Type(str))
    drafts = c.Type(bool, default=False)
    feed_limit = c.Optional(c.Type(int))
    parallel = c.Type(bool, default=True)
    """Write the feeds, calendar, citation files and redirects in a forked process while pages render."""


def today() -> date:
    """Embargoes lift on their date, so they are judged against today's date (UTC) unless as_of says otherwise."""
    return datetime.now(UTC).date()


class _Deferred(File):
    """A generated file made only when written: the side job writes it (see on_env), MkDocs only claims its URL."""

    make: Callable[[], str]

    @classmethod
    def of(cls, config: MkDocsConfig, src: str, make: Callable[[], str]) -> _Deferred:
        file = cast(_Deferred, cls.generated(config, src, content=""))
        file.make = make
        return file

    @property  # type: ignore[misc]  # read-only: the text is made, never set
    def content_string(self) -> str:
        return self.make()

    @property  # type: ignore[misc]  # read-only: the text is made, never set
    def content_bytes(self) -> bytes:
        return self.make().encode("utf-8")

    def copy_file(self, dirty: bool = False) -> None:
        """Nothing to copy: `write` puts the file in place, in the side job."""

    def write(self) -> None:
        path = Path(self.abs_dest_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.content_bytes)


class TimsitePlugin(BasePlugin[TimsiteConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.archive: Archive | None = None
        self.pages: dict[str, Page] = {}
        self.feed_list: list[dict[str, str]] = []
        self.rendered: dict[str, str] = {}
        self._by_url: dict[str, File] = {}
        self._side: background.Job | None = None
        self._deferred: list[_Deferred] = []
        self._meta: dict[str, dict[str, Any]] = {}

    # --- configuration: load and check all content before anything is rendered ---
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("timsite: use_directory_urls must stay true: published URLs end in a slash")
        if not config.site_url:
            raise PluginError("timsite: site_url must be set in mkdocs.yml: feeds and citations need absolute URLs")
        base = Path(config.config_file_path or ".").parent
        # build.py passes --content through the environment, as `mkdocs serve` reloads the config itself.
        root = (base / os.environ.get("TIMSITE_CONTENT_DIR", self.config.content_dir)).resolve()
        archive, problems = load_archive(root)
        for problem in problems:
            if problem.severity is Severity.WARNING:
                (log.info if problem.acknowledged else log.warning)(str(problem))
        if errors(problems):
            raise PluginError("the content has errors; nothing was built:\n" + format_report(errors(problems)))
        as_of_text = self.config.as_of or os.environ.get("TIMSITE_AS_OF")
        as_of = date.fromisoformat(as_of_text) if as_of_text else today()
        drafts = self.config.drafts or os.environ.get("TIMSITE_DRAFTS") == "1"
        self.archive = archive.visible(as_of, drafts=drafts)
        self.feed_list = feeds.feed_directory(self.archive)
        self.pages = {p.src: p for p in all_pages(self.archive, self.feed_list, as_of)}
        config.watch.append(str(root))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.archive is not None
        self._by_url = {}
        self._meta = {}
        for file in files:
            # MkDocs would silently keep only one of, say, about.md and about/index.md.
            self._claim(file)
        for page in self.pages.values():
            meta = dict(page.meta)
            # MkDocs' and Material's templates print title and description unescaped.
            for key in ("title", "description"):
                if key in meta:
                    meta[key] = html.escape(str(meta[key]), quote=True)
            if "tags" in meta:
                meta["tags"] = [html.escape(str(tag), quote=True) for tag in meta["tags"]]
            # The metadata is handed over in on_page_markdown rather than written out as YAML for MkDocs
            # to parse back. The empty front matter stops MkDocs reading a first line such as
            # "Note: ..." as MultiMarkdown metadata.
            self._meta[page.src] = meta
            text = _EMPTY_FRONT_MATTER + page.markdown
            self._add(files, File.generated(config, page.src, content=text, inclusion=self._inclusion(page)))
        for bulletin in self.archive.bulletins:
            if bulletin.pdf:
                # Served beside the issue page (bulletins/<n>/<pdf>), copied from beside its Markdown file.
                pdf = File.generated(
                    config,
                    f"bulletins/{bulletin.number}/{bulletin.pdf}",
                    abs_src_path=str(bulletin.path.parent / bulletin.pdf),
                )
                self._add(files, pdf)
        site_url, archive = config.site_url or "", self.archive
        self._deferred = []
        for entry in [*archive.bulletins, *archive.publications]:
            for fmt, src in cite_files(entry).items():
                self._defer(files, config, src, partial(citations.export, fmt, [entry], site_url, archive=archive))
        for source, target in identifier_redirects(archive).items():
            self._defer(
                files, config, f"{source}index.html", partial(redirects.redirect_page, source, target, site_url)
            )
        everything = list(archive.publications)
        for fmt in ("bib", "ris", "json"):
            name = "catalogue.csl.json" if fmt == "json" else f"catalogue.{fmt}"
            self._defer(files, config, name, partial(citations.export, fmt, everything, site_url, archive=archive))
        return files

    def _defer(self, files: Files, config: MkDocsConfig, src: str, make: Callable[[], str]) -> None:
        file = _Deferred.of(config, src, make)
        self._add(files, file)
        self._deferred.append(file)

    @staticmethod
    def _inclusion(page: Page) -> InclusionLevel:
        return InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV

    def _claim(self, file: File) -> None:
        other = self._by_url.get(file.dest_uri)
        if other is not None:
            raise PluginError(
                f"two files claim the URL /{file.url}: {other.src_uri} and {file.src_uri}; rename or remove one"
            )
        self._by_url[file.dest_uri] = file

    def _add(self, files: Files, file: File) -> None:
        self._claim(file)
        files.append(file)

    # --- rendering: metadata for the theme, HTML for the feeds ---
    def on_page_context(
        self, context: TemplateContext, page: MkPage, config: MkDocsConfig, nav: Any
    ) -> TemplateContext:
        generated = self.pages.get(page.file.src_uri)
        entry = generated.entry if generated else None
        values = cast(dict[str, Any], context)  # TemplateContext is a closed TypedDict; the theme reads these
        values["tim"] = metadata.page_metadata(entry, self.archive, page.canonical_url or "", config.site_url or "")
        values["tim_feeds"] = feeds.alternates(entry, self.feed_list, config.site_url or "")
        values["tim_search"] = search.search_data(entry, self.archive, about=page.file.src_uri == "about.md")
        return context

    @event_priority(100)  # before any other plugin (Material's tags) reads page.meta
    def on_page_markdown(self, markdown: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        meta = self._meta.get(page.file.src_uri)
        if meta is not None:
            page.meta = dict(meta)
        return markdown

    def on_page_content(self, html_text: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        self.rendered[page.file.src_uri] = html_text
        return html_text

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        # Every page body is rendered by now; the feeds, the calendar, the citation files and the
        # redirects need nothing else, so they are written while MkDocs puts the pages into templates.
        assert self.archive is not None
        archive, pages, rendered = self.archive, self.pages, self.rendered
        site_dir, site_url, limit = Path(config.site_dir), config.site_url or "", self.config.feed_limit
        deferred = self._deferred

        def side_work() -> None:
            for file in deferred:
                file.write()
            feeds.write_all(site_dir, archive, pages, rendered, site_url, limit)

        # Lower priority: it has time to spare, and the pages are what the build waits for.
        self._side = background.start(side_work, fork=self.config.parallel, nice=5)
        return env

    def on_post_build(self, config: MkDocsConfig) -> None:
        side, self._side = self._side, None
        if side is None:
            raise PluginError("timsite: the feeds and citation files were never started (MkDocs skipped the env event)")
        # Every page is written by now: the search index is built while the side job may still be writing.
        site_dir = Path(config.site_dir)
        try:
            indexer = search.start_index(site_dir)
        except search.SearchIndexError as error:
            side.cancel()
            raise PluginError(f"timsite: {error}") from error
        try:
            side.wait()
        except background.BackgroundError as error:
            indexer.kill()
            indexer.wait()
            raise PluginError(f"timsite: writing the feeds and citation files failed:\n{error}") from error
        try:
            search.finish_index(indexer, site_dir)
        except search.SearchIndexError as error:
            raise PluginError(f"timsite: {error}") from error

    def on_build_error(self, *, error: Exception) -> None:
        side, self._side = self._side, None
        if side is not None:
            side.cancel()
