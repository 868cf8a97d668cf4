"""One import from start to end: read, clean, recognise, match, render, validate, then write everything or nothing."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from timsite.content import periodical
from timsite.content.archive import Archive
from timsite.content.checked import load_archive
from timsite.content.identifiers import parse_isbn, parse_issn
from timsite.content.problems import Severity
from timsite.importer.blocks import remove_furniture, to_blocks
from timsite.importer.draft import Draft, render, validate
from timsite.importer.language import guess_language
from timsite.importer.limits import ImportRefused
from timsite.importer.lines import Line
from timsite.importer.match import Match, match_meeting, match_publication, new_id
from timsite.importer.reflow import Lexicon, to_paras
from timsite.importer.report import Report
from timsite.importer.reported import bold_titles, byline, identifiers, meeting_dates, place
from timsite.importer.structure import Article, Issue, parse_issue
from timsite.importer.text_input import read_text


def read_source(path: Path) -> list[Line]:
    """The lines of a PDF's text layer or of a text file, chosen by the file's first bytes."""
    if not path.is_file():
        raise ImportRefused(f"{path}: not a file")
    with path.open("rb") as handle:
        head = handle.read(1024)
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head:
        from timsite.importer.pdf_input import read_pdf

        return read_pdf(path)
    return read_text(path)


def recognise(lines: list[Line], report: Report) -> Issue:
    lines = remove_furniture(lines, periodical.NAME, report)
    if not any(line.text for line in lines):
        raise ImportRefused(
            "the file has no text: a scanned PDF has no text layer; run OCRmyPDF on it first "
            "(ocrmypdf scan.pdf text.pdf) and import the result. Nothing was written"
        )
    lexicon = Lexicon(line.text for line in lines)
    paras = to_paras(to_blocks(lines), lexicon, report)
    return parse_issue(paras, periodical.NAME, report)


def import_bulletin(source: Path, content: Path) -> Report:
    """Import `source` into `content` as drafts; the report of what was done. Raises ImportRefused, writing nothing."""
    report = Report()
    issue = recognise(read_source(source), report)
    archive, _ = load_archive(content)
    if issue.number in archive.by_number:
        existing = archive.by_number[issue.number]
        raise ImportRefused(
            f"issue N° {issue.number} already exists: {existing.path} (from an earlier import or by hand); "
            "nothing was written"
        )
    bulletin_path = content / "bulletins" / f"{issue.number:03d}-{issue.season}-{issue.year}.md"
    ids = {m.id for m in archive.meetings} | {p.id for p in archive.publications}
    reported = _Reported(issue, archive, content, report, ids)
    meetings: list[str] = []
    publications: list[str] = []
    for article in issue.articles:
        if article.kind == "meeting":
            meetings.append(_meeting(article, reported))
        elif article.kind == "publication":
            publications.append(_publication(article, reported))
    issn, misprints = _issue_identifiers(issue, report)
    text = render(
        "files/import-bulletin.md.j2",
        number=issue.number,
        season=issue.season,
        year=issue.year,
        title=periodical.issue_title(issue.number, issue.season, issue.year),
        lead=issue.lead,
        language=guess_language(issue.running_text),
        issn=issn,
        misprints=misprints,
        meetings=meetings,
        publications=publications,
        body=issue.body,
        source=source.name,
    )
    drafts = [Draft("bulletin", bulletin_path, text), *reported.drafts]
    _write_all(drafts, report)
    return report


def _issue_identifiers(issue: Issue, report: Report) -> tuple[str | None, list[str]]:
    """The issue's own ISSN (on the cover, or in the text outside the reviews); ISBNs outside reviews reported."""
    issn: str | None = None
    misprints: list[str] = []
    reviewed = "\n".join(_plain(a) for a in issue.articles if a.kind == "publication")
    for kind, value in identifiers(issue.cover_text + "\n" + issue.running_text):
        if value in reviewed:
            continue  # a reviewed publication's own number, judged with it
        if kind == "isbn":
            info = parse_isbn(value)
            state = "valid" if info.valid else (info.problem or "invalid")
            report.add(0.45, f'ISBN "{value}" ({state}) printed outside a review: not linked, place it by hand', value)
        elif issn is None:
            found = parse_issn(value)
            if found.checksum_failed:
                issn = value
                misprints.append("issn")
                report.add(
                    0.4, f'ISSN "{value}": check digit is invalid; kept as printed, marked known_misprints', "issn:"
                )
            elif found.problem:
                report.add(0.3, f'ISSN "{value}": {found.problem}; not copied, correct it by hand', value)
            else:
                issn = value
                report.add(0.9, f'ISSN "{value}" of the issue: valid', "issn:")
    return issn, misprints


def _plain(article: Article) -> str:
    return "\n".join(item.text or " ".join(item.items) for item in article.items)


@dataclass
class _Reported:
    """What the meetings and publications an issue reports share while they are matched or drafted."""

    issue: Issue
    archive: Archive
    content: Path
    report: Report
    ids: set[str]
    """Every id in use: the archive's and the drafts' so far (a new draft's id is none of them)."""
    taken: set[str] = field(default_factory=set)
    """The entries already linked or drafted in this issue: never matched twice."""
    drafts: list[Draft] = field(default_factory=list)

    def linked(self, noun: str, entry_id: str, found: Match, needle: str) -> str:
        """The entry `entry_id` of the archive, `found` by matching, linked: its id."""
        self.taken.add(entry_id)
        self.report.add(found.score, f"{noun} linked to {entry_id} (score {found.score:.2f}: {found.how})", needle)
        return entry_id

    def drafted(self, folder: str, ident: str, template: str, **values: object) -> str:
        """A new draft `folder/ident.md` from `template`: its id."""
        self.taken.add(ident)
        path = self.content / folder / f"{ident}.md"
        self.drafts.append(Draft(str(path), path, render(template, id=ident, **values)))
        return ident


def _meeting(article: Article, reported: _Reported) -> str:
    issue, report = reported.issue, reported.report
    text = _plain(article)
    titles = [article.heading.title, *([article.cover_title] if article.cover_title else []), *bold_titles(text)]
    found = match_meeting(titles, reported.archive, reported.taken, issue.number)
    needle = f"{{#{article.heading.anchor}}}"
    if found.entry_id:
        return reported.linked("meeting", found.entry_id, found, needle)
    start, end = meeting_dates(text)
    city, country = place(text)
    bold = bold_titles(text)
    title = bold[0] if bold else article.heading.title
    ident = reported.drafted(
        "meetings",
        new_id(f"{title} {(start or str(issue.year))[:4]}", reported.ids),
        "files/import-meeting.md.j2",
        title=title,
        short_title=article.heading.title if article.heading.title != title else None,
        start=start or str(issue.year),
        end=end,
        dated=start is not None,
        city=city,
        country=country,
        number=issue.number,
        heading=article.heading.title,
        body=article.items,
    )
    report.add(
        found.score,
        f"meeting not in the archive (best title score {found.score:.2f}): new draft {ident}"
        + ("" if start else "; the text gives no date"),
        needle,
    )
    return ident


def _publication(article: Article, reported: _Reported) -> str:
    report = reported.report
    text = _plain(article)
    printed = [value for kind, value in identifiers(text) if kind == "isbn"]
    isbn = printed[0] if printed else None
    titles = [article.heading.title, *([article.cover_title] if article.cover_title else [])]
    found = match_publication(titles, isbn, reported.archive, reported.taken)
    needle = f"{{#{article.heading.anchor}}}"
    misprints = []
    if isbn:
        info = parse_isbn(isbn)
        if info.checksum_failed:
            misprints.append("isbn")
            report.add(0.4, f'ISBN "{isbn}": check digit is invalid; kept as printed, marked known_misprints', needle)
        elif info.problem:
            report.add(0.35, f'ISBN "{isbn}": {info.problem}; kept as printed in the text only', needle)
            isbn = None
    if found.entry_id:
        return reported.linked("publication", found.entry_id, found, needle)
    line = next((item.text for item in article.items[:1] if item.kind == "byline"), "")
    authors, publisher, year = byline(line) if line else ([], None, None)
    ident = reported.drafted(
        "publications",
        new_id(article.heading.title, reported.ids),
        "files/import-publication.md.j2",
        title=article.heading.title,
        authors=authors,
        publisher=publisher,
        year=year,
        isbn=isbn,
        misprints=misprints,
        number=reported.issue.number,
        heading=article.heading.title,
        byline=line,
    )
    report.add(
        found.score, f"publication not in the archive (best title score {found.score:.2f}): new draft {ident}", needle
    )
    return ident


def _write_all(drafts: list[Draft], report: Report) -> None:
    """Validate every draft, then write them all (never over a file), or remove what was written and stop."""
    problems = [p for d in drafts for p in validate(d)]
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise ImportRefused(
            "the drafts would not load, so nothing was written:\n" + "\n".join(str(p) for p in errors[:20])
        )
    for draft in drafts:
        if draft.path.exists() or draft.path.is_symlink():
            raise ImportRefused(f"{draft.path} already exists: nothing was written (an import never overwrites)")
    written: list[Path] = []
    try:
        for draft in drafts:
            draft.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(draft.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
            written.append(draft.path)
            with os.fdopen(fd, "wb") as handle:
                handle.write(draft.text.encode("utf-8"))
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise ImportRefused(
            f"{exc.filename}: {exc.strerror}: nothing was written (files already written were removed)"
        ) from None
    report.written = [str(d.path) for d in drafts]
    report.locate({d.key: str(d.path) for d in drafts}, {d.key: d.text for d in drafts})
    report.figures = {"to-dos": sum(1 for p in problems if p.message.startswith("to do:"))}
