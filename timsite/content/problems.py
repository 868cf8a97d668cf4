"""Problems found in the content, collected as values and reported together."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, phrased for an editor: `path:line: field: message`."""

    path: str
    line: int | None
    field: str
    message: str
    severity: Severity = Severity.ERROR
    acknowledged: bool = False
    """A warning the content itself records as known (e.g. an ISBN listed in `known_misprints`)."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        tag = ""
        if self.severity is Severity.WARNING:
            tag = "warning (known misprint, kept as printed): " if self.acknowledged else "warning: "
        return f"{where}:{field} {tag}{self.message}"


def display_path(path: Path) -> str:
    """A path as an editor types it: relative to the current folder when inside it."""
    try:
        # The folder resolved, not the file: a link is named as itself, never as what it points to.
        return (path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return path.as_posix()


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.WARNING]


def format_report(problems: Iterable[Problem]) -> str:
    """All problems grouped by file, errors before warnings, with a closing count."""
    problems = sorted(problems, key=lambda p: (p.path, p.severity is Severity.WARNING, p.line or 0, p.field))
    lines: list[str] = []
    current = None
    for problem in problems:
        if problem.path != current:
            if current is not None:
                lines.append("")
            current = problem.path
        lines.append(str(problem))
    # A misprint the content records as known is expected, not a warning to act on: counted apart.
    known = sum(1 for p in warnings(problems) if p.acknowledged)
    n_err, n_warn = len(errors(problems)), len(warnings(problems)) - known
    if lines:
        lines.append("")
    count = f"{n_err} error{'s' if n_err != 1 else ''}, {n_warn} warning{'s' if n_warn != 1 else ''}"
    if known:
        count += f"; {known} known misprint{'s' if known != 1 else ''}, kept as printed"
    lines.append(count)
    return "\n".join(lines)
