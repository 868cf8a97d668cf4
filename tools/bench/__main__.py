"""`python -m tools.bench`: build synthetic archives at several multiples of today's size and print a table."""

from __future__ import annotations

from pathlib import Path

import click

from . import worst as worst_cases
from .bench import BenchError
from .bench import main as run_bench


def _scales(ctx: click.Context, param: click.Parameter, value: str) -> list[float]:
    try:
        scales = [float(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter(f'"{value}" is not a list of numbers: write e.g. 1,10,40') from None
    if not scales or any(s <= 0 for s in scales):
        raise click.BadParameter("give one or more positive multiples, e.g. 1,10,40")
    return scales


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--scales",
    default="1,10,40",
    show_default=True,
    callback=_scales,
    help="Multiples of today's size (x1 = 10 issues, 100 meetings, 300 publications), comma-separated.",
)
@click.option(
    "--bare/--no-bare",
    default=True,
    show_default=True,
    help="Also time a plain `mkdocs build` of the same pages without timsite, for the overhead ratio.",
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the generated archives here (default: a temporary folder).",
)
@click.option(
    "--repeat",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Build each scale this many times (full and bare taking turns) and report the median run.",
)
@click.option(
    "--worst/--no-worst",
    default=True,
    show_default=True,
    help="Also time `check` and `build` of each worst-case body at 1 MiB (tools/bench/worst.py).",
)
@click.option(
    "--preview-edits",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Title edits timed in `build.py serve` with Chromium on the page (0: no preview figures).",
)
@click.option(
    "--search-queries",
    type=click.IntRange(min=2),
    default=None,
    help="Time only the first N of the reader's searches typed in Chromium (default: all five; at least two, as "
    "each following search is another one's words).",
)
def bench(
    scales: list[float],
    bare: bool,
    workdir: Path | None,
    repeat: int,
    worst: bool,
    preview_edits: int,
    search_queries: int | None,
) -> None:
    """Run the scale benchmark: build synthetic archives at several multiples of today's size and print a table."""
    try:
        run_bench(
            scales,
            bare=bare,
            workdir=workdir,
            out=click.echo,
            say=lambda s: click.echo(s, err=True),
            repeat=repeat,
            preview_edits=preview_edits,
            search_queries=search_queries,
        )
    except BenchError as exc:
        click.secho(f"the benchmark failed: {exc}", fg="red", err=True)
        raise SystemExit(1) from None
    if worst:
        click.echo("\nWorst-case bodies (the fixture site with one 1 MiB body added):\n")
        click.echo(worst_cases.table(say=lambda s: click.echo(s, err=True)))


if __name__ == "__main__":
    bench()
