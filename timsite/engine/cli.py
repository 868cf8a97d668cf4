"""The command line (`python build.py ...`): check, build, serve and new, for editors and CI."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import click
import yaml

from timsite.content.checked import load_archive
from timsite.content.model import PublicationType, Season
from timsite.content.problems import Severity, errors, format_report
from timsite.engine.background import Failure
from timsite.engine.scaffold import ScaffoldError, new_file
from timsite.engine.site_address import configured_site_url, is_placeholder, placeholder_warning


def _fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(1)


def _validate(content: Path, strict: bool) -> bool:
    """Check all content and print the report; True when the build may go on."""
    from timsite.outputs.file_names import file_name_problems

    archive, problems = load_archive(content)
    problems = problems + file_name_problems(archive)
    report = format_report(problems)
    blocking = errors(problems)
    if strict:
        blocking += [p for p in problems if p.severity is Severity.WARNING and not p.acknowledged]
    click.echo(report)
    if strict and not errors(problems) and blocking:
        click.secho("--strict: warnings count as errors", fg="red", err=True)
    counts = (len(archive.bulletins), len(archive.meetings), len(archive.publications), len(archive.series))
    click.echo(f"checked {counts[0]} issues, {counts[1]} meetings, {counts[2]} publications, {counts[3]} series")
    return not blocking


EPOCH_RANGE = (315532800, 2**32 - 1)
"""SOURCE_DATE_EPOCH must lie from 1980-01-01 (the earliest time a zip or gzip tool can store) to
2106-02-07 (the latest that fits in gzip's 32-bit time field, used by sitemap.xml.gz)."""


class EpochError(Exception):
    """SOURCE_DATE_EPOCH is set to something that is not a usable time."""


def _clamp_epoch(seconds: int) -> int:
    now = int(datetime.now(UTC).timestamp())
    return max(EPOCH_RANGE[0], min(seconds, EPOCH_RANGE[1], now))


def source_date_epoch(config_dir: Path, content: Path, as_of: str | None = None) -> str:
    """SOURCE_DATE_EPOCH for reproducible output: the last commit's time, else the newest published content date.

    Only entries a reader sees count (no drafts, nothing embargoed), and the time is clamped to
    EPOCH_RANGE and the clock. A value given in the environment is used as it is, or refused.
    """
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given:
        low, high = EPOCH_RANGE
        if not given.isascii() or not given.isdigit() or not low <= int(given) <= high:
            raise EpochError(
                f'SOURCE_DATE_EPOCH is "{given[:40]}": it must be a whole number of seconds since 1970 '
                f"from {low} (1980) to {high} (2106), or unset"
            )
        return given
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=config_dir, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        if (
            out
            and not subprocess.run(
                ["git", "status", "--porcelain", "--", str(content)],
                cwd=config_dir,
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
        ):
            return str(_clamp_epoch(int(out)))
    except (OSError, ValueError, subprocess.SubprocessError):
        pass
    archive, _ = load_archive(content)
    when = date.fromisoformat(as_of) if as_of else datetime.now(UTC).date()
    newest = max((e.published for e in archive.visible(when).entries()), default=date(2000, 1, 1))
    return str(_clamp_epoch(int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp())))


def _environment(config: Path, content: Path, as_of: str | None, drafts: bool) -> None:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(config.parent, content, as_of)
    os.environ["TIMSITE_CONTENT_DIR"] = str(content.absolute())
    if as_of:
        os.environ["TIMSITE_AS_OF"] = as_of
    if drafts:
        os.environ["TIMSITE_DRAFTS"] = "1"


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" is not a date: write YYYY-MM-DD, e.g. 2002-04-01') from None
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--content",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("content"),
    show_default=True,
    help="The content folder.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The MkDocs configuration.",
)
@click.pass_context
def main(ctx: click.Context, content: Path, config_file: Path) -> None:
    """Build and check the Trafficking in Migrants site.

    Exit codes: 0 success, 1 content errors or a failed build, 2 wrong usage.
    """
    ctx.obj = {"content": content, "config": config_file}


@main.command()
@click.option(
    "--strict", is_flag=True, help="Treat warnings as errors (known misprints recorded in known_misprints excepted)."
)
@click.pass_context
def check(ctx: click.Context, strict: bool) -> None:
    """Check every content file and report all problems as `file:line: field: message`.

    Exits 0 when the content is clean (warnings allowed), 1 when there are errors.
    """
    ok = _validate(ctx.obj["content"], strict)
    _site_address(ctx.obj["config"], publish=False)
    if not ok:
        sys.exit(1)


def _site_address(config: Path, publish: bool) -> None:
    """Say in one line that site_url is a placeholder; when publishing, refuse to go on."""
    if not config.is_file():
        return
    from timsite.engine.plugin import config_loader

    try:
        site_url = configured_site_url(config, config_loader())
    except (OSError, yaml.YAMLError):
        return  # MkDocs reports an unreadable configuration itself
    if not is_placeholder(site_url):
        return
    # On stdout, with the content report: stderr is kept for the one line that says why nothing was built.
    click.secho(placeholder_warning(site_url, config), fg="yellow")
    if publish:
        _fail("nothing was built: --publish needs the site's real address in site_url (the previous site is unchanged)")


@main.command()
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Where the site is published (a link to the newest release).",
)
@click.option("--strict", is_flag=True, help="Treat warnings (content and MkDocs) as errors.")
@click.option(
    "--as-of", callback=_as_of, help="Judge drafts and embargoes as on this date (YYYY-MM-DD) instead of today."
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Publish even when a collection (issues, meetings, publications) has nothing to show.",
)
@click.option(
    "--publish",
    "for_readers",
    is_flag=True,
    help="This build goes to readers: fail while site_url in mkdocs.yml is a placeholder (the deploy job uses it).",
)
@click.pass_context
def build(
    ctx: click.Context, site_dir: Path, strict: bool, as_of: str | None, allow_empty: bool, for_readers: bool
) -> None:
    """Check the content, build the site into a new release and publish it atomically to --site-dir.

    With errors nothing is built; a failed or interrupted build (Ctrl-C, SIGTERM) leaves the previous
    site untouched. --site-dir must be a site published by this command, or not exist yet.
    """
    from timsite.engine.publish import PublishError, interruptible, not_ours, publish

    content: Path = ctx.obj["content"]
    config: Path = ctx.obj["config"]
    refused = not_ours(site_dir.absolute()) or _overlaps(site_dir, content, config)
    if refused:
        _fail(f"nothing was built: {refused}: choose another --site-dir (nothing was moved or deleted)")
    _site_address(config, for_readers)
    if not _validate(content, strict):
        _fail("nothing was built: fix the errors above (the previous site is unchanged)")
    if not allow_empty:
        _refuse_empty(content, as_of)
    try:
        _environment(config, content, as_of, drafts=False)
    except EpochError as exc:
        _fail(f"nothing was built: {exc}")
    # Typeset PDFs are kept beside the releases (never in one), so an unchanged issue is not typeset again.
    os.environ.setdefault("TIMSITE_PDF_CACHE", str(site_dir.absolute().parent / f".{site_dir.name}-cache" / "pdf"))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    # Imported only now: a refused build answers without loading MkDocs.
    from timsite.engine.plugin import BuildError, build_site

    def render(release: Path) -> None:
        build_site(config, release, strict)

    try:
        with interruptible():
            release = publish(site_dir, render)
    except (BuildError, PublishError, OSError) as exc:
        _fail(_build_failure(exc))
    except KeyboardInterrupt:
        _fail("interrupted: the previous site is unchanged")
    click.echo(f"published {site_dir} -> {release}")


def _build_failure(exc: Exception) -> str:
    """One line for a failed build: a file-system error names the file; MkDocs has logged its own reason."""
    from timsite.engine.file_errors import describe, one_line

    failure = getattr(exc, "failure", None) or Failure.of(exc)
    plain = describe(failure.errno, failure.filename) if failure.errno is not None else one_line(str(exc))
    if plain is not None:
        return f"the build failed: {plain}; the previous site is unchanged"
    said = str(exc)
    if said.startswith("Aborted with"):  # MkDocs' own words once it has logged the error above
        return "the build failed (the error is above); the previous site is unchanged"
    return f"the build failed, the previous site is unchanged: {said}"


def _overlaps(site_dir: Path, content: Path, config: Path) -> str | None:
    """Why `site_dir` must not be used: inside the content folder, or holding it or the project."""
    site = site_dir.absolute().resolve()
    folder, project = content.absolute().resolve(), config.absolute().parent.resolve()
    if site == folder or folder in site.parents:
        return f"{site_dir} is inside the content folder {folder}"
    if site in folder.parents or site == project or site in project.parents:
        return f"{site_dir} holds the content or the project ({folder})"
    return None


def _refuse_empty(content: Path, as_of: str | None) -> None:
    """An empty collection would publish an empty site over the good one: an error unless --allow-empty."""
    archive, _ = load_archive(content)
    seen = archive.visible(date.fromisoformat(as_of) if as_of else datetime.now(UTC).date())
    empty = [name for name in ("bulletins", "meetings", "publications") if not getattr(seen, name)]
    if empty:
        _fail(
            f"nothing was built: {', '.join(str(content / n) for n in empty)} "
            f"{'has' if len(empty) == 1 else 'have'} nothing to publish, and the site would lose "
            f"{'it' if len(empty) == 1 else 'them'}: check --content, or pass --allow-empty if this is intended"
        )


def _hub(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from timsite.outputs.websub import hub_problem

    problem = hub_problem(value) if value is not None else None
    if problem:
        raise click.BadParameter(problem)
    return value


@main.command("websub-ping")
@click.option(
    "--hub", callback=_hub, help="The hub's address (default: websub_hub of the timsite plugin in mkdocs.yml)."
)
@click.option(
    "--deadline",
    type=click.FloatRange(min=1, max=3600),
    default=60,
    show_default=True,
    help="Seconds for the whole ping: feeds not announced by then are reported, and the command ends.",
)
@click.pass_context
def websub_ping_command(ctx: click.Context, hub: str | None, deadline: float) -> None:
    """Tell the WebSub hub that the feeds changed: run after each deploy.

    Every subscription feed of the content, in every format, is announced, a few at a time, each
    connection and read waiting at most 10 s and the whole ping at most --deadline. Without a hub,
    configured or given, there is nothing to do.
    """
    from timsite.engine.plugin import BuildError, websub_settings
    from timsite.outputs import feeds, websub

    try:
        site_url, configured = websub_settings(ctx.obj["config"])
    except (BuildError, OSError) as error:
        _fail(f"{ctx.obj['config']} could not be read: {error}")
    hub = hub or configured
    if not hub:
        click.echo("no websub_hub in mkdocs.yml and no --hub: nothing to ping")
        return
    archive, problems = load_archive(ctx.obj["content"])
    if errors(problems):
        _fail("the content has errors; run `build.py check`")
    urls = feeds.subscription_urls(archive.visible(datetime.now(UTC).date()), site_url)
    failures = websub.ping(hub, urls, deadline=deadline)
    for failure in failures:
        click.secho(failure, fg="red", err=True)
    if failures:
        _fail(f"not every feed was announced to {hub} ({len(urls)} feeds)")
    click.echo(f"announced {len(urls)} feeds to {hub}")


@main.command()
@click.option("--drafts", is_flag=True, help="Show drafts and embargoed items, marked with a banner.")
@click.option("--as-of", callback=_as_of, help="Judge embargoes as on this date (YYYY-MM-DD).")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option(
    "--pdf",
    is_flag=True,
    help="Also typeset the PDF editions at every rebuild (with --drafts, drafts' too; those are never cached).",
)
@click.pass_context
def serve(ctx: click.Context, drafts: bool, as_of: str | None, dev_addr: str, pdf: bool) -> None:
    """Preview the site with live reload while you edit content/."""
    from timsite.engine.plugin import serve_site

    content: Path = ctx.obj["content"]
    _validate(content, strict=False)
    try:
        _environment(ctx.obj["config"], content, as_of, drafts)
    except EpochError as exc:
        _fail(str(exc))
    # A preview rebuilds at every edit: the PDF editions only when asked for.
    os.environ["TIMSITE_PDF"] = "1" if pdf else "0"
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    serve_site(ctx.obj["config"], dev_addr)


@main.group()
def new() -> None:
    """Write a skeleton for a new bulletin issue, meeting or publication (never overwrites)."""


def _write(ctx: click.Context, kind: str, **fields: object) -> None:
    try:
        path = new_file(ctx.obj["content"], kind, **fields)
    except (ScaffoldError, ValueError) as exc:
        _fail(str(exc))
    click.echo(f"wrote {path} (a draft: remove `draft: true` to publish)")


@new.command("bulletin")
@click.option("--number", type=click.IntRange(min=1), required=True, help="Issue number.")
@click.option("--season", type=click.Choice([s.value for s in Season]), required=True)
@click.option("--year", type=click.IntRange(1900, 2100), required=True)
@click.pass_context
def new_bulletin(ctx: click.Context, number: int, season: str, year: int) -> None:
    """A new issue: content/bulletins/NNN-season-year.md."""
    _write(ctx, "bulletin", number=number, season=season, year=year)


@new.command("meeting")
@click.option("--title", required=True, help="Full official title.")
@click.option("--start", required=True, help="First day YYYY-MM-DD, or YYYY-MM when no day is known.")
@click.option("--end", help="Last day YYYY-MM-DD.")
@click.option("--id", "ident", help="Permanent id (default: from the title and year).")
@click.pass_context
def new_meeting(ctx: click.Context, title: str, start: str, end: str | None, ident: str | None) -> None:
    """A new meeting: content/meetings/<id>.md."""
    _write(ctx, "meeting", title=title, start=start, end=end, id=ident, year=start[:4])


@new.command("publication")
@click.option("--title", required=True, help="Full title as printed.")
@click.option("--type", "kind", type=click.Choice([t.value for t in PublicationType]), required=True)
@click.option("--isbn", help="ISBN exactly as printed.")
@click.option("--year", type=click.IntRange(1900, 2100))
@click.option("--id", "ident", help="Permanent id (default: from the title).")
@click.pass_context
def new_publication(
    ctx: click.Context, title: str, kind: str, isbn: str | None, year: int | None, ident: str | None
) -> None:
    """A new publication: content/publications/<id>.md."""
    _write(ctx, "publication", title=title, type=kind, isbn=isbn, year=year, id=ident)


@main.group("import")
def import_() -> None:
    """Bring back-catalogue material into the archive as drafts for an editor to review."""


@import_.command("bulletin")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def import_bulletin_command(ctx: click.Context, source: Path) -> None:
    """Import an issue from its born-digital PDF or its extracted text (SOURCE) as draft files.

    Writes content/bulletins/NNN-season-year.md (draft: true) and draft stubs for the meetings and
    publications it reports that the archive does not have, then prints the decisions, least sure
    first, each with its line. Never overwrites a file; an issue number that exists is refused.
    A scanned PDF without a text layer needs OCRmyPDF first.
    """
    from timsite.importer.limits import ImportRefused
    from timsite.importer.run import import_bulletin

    try:
        report = import_bulletin(source, ctx.obj["content"])
    except ImportRefused as exc:
        message = str(exc).removeprefix(f"{source}: ")
        _fail(f"{source}: not imported: {message}")
    except OSError as exc:
        _fail(f"{source}: not imported: {exc.strerror}")
    for path in report.written:
        click.echo(f"wrote {path} (a draft)")
    click.echo("decisions, least sure first (review from the top):")
    for line in report.lines():
        click.echo(line)
    click.echo(f"next: review the drafts, do their {report.figures.get('to-dos', 0)} to-dos, run `build.py check`")
