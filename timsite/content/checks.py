"""The checks `check` runs on the whole archive after each file has loaded: one named function per rule.

Each rule takes the `Archive` and returns its problems (`file:line: field: message`, worded for an
editor). `ENTRY_RULES` judge one file at a time but need its parsed identifiers or its neighbours' files;
`ARCHIVE_RULES` compare files with each other.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from markdown.extensions.toc import slugify

from timsite.content import periodical
from timsite.content.archive import Archive
from timsite.content.field_names import field_name_mentions
from timsite.content.identifiers import parse_isbn
from timsite.content.model import Entry, Publication
from timsite.content.problems import Problem, Severity, display_path
from timsite.content.source import pdf_problem
from timsite.content.vocabulary import unknown_tag_message

Rule = Callable[["Archive"], list[Problem]]


def _problem(entry: Entry, name: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
    acknowledged = severity is Severity.WARNING and name in entry.known_misprints
    return Problem(display_path(entry.path), entry.lines.get(name), name, message, severity, acknowledged)


def _warning(entry: Entry, name: str, message: str) -> Problem:
    return _problem(entry, name, message, Severity.WARNING)


def _did_you_mean(value: str, known: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _others(group: Iterable[Entry], entry: Entry) -> str:
    return ", ".join(display_path(o.path) for o in group if o is not entry)


# --- rules about one file ---


def notes_speak_plainly(archive: Archive) -> list[Problem]:
    """Notes are shown to readers ("About this record"), who do not know the field names."""
    out = []
    for entry in archive.entries():
        notes = getattr(entry, "notes", None)
        mentions = field_name_mentions(notes) if notes else []
        if mentions:
            named = ", ".join(f'"{m}"' for m in mentions)
            message = f"names a field ({named}): readers see the note, so say it in plain words"
            out.append(_warning(entry, "notes", message))
    return out


def known_misprints_are_misprints(archive: Archive) -> list[Problem]:
    """An identifier listed in known_misprints must really fail its check digit."""
    out = []
    for entry in archive.entries():
        for name in entry.known_misprints:
            info = getattr(entry, f"{name}_info", None)
            if info is None or not info.checksum_failed:
                out.append(
                    _problem(
                        entry,
                        "known_misprints",
                        f"{name} is listed as a known misprint but its check digit is fine (or it is missing): "
                        f"remove {name} from known_misprints",
                    )
                )
    return out


def isbns_are_valid(archive: Archive) -> list[Problem]:
    """An ISBN is valid; a wrong check digit is kept as printed, with a warning."""
    out = []
    for pub in archive.publications:
        info = pub.isbn_info
        if info is None or info.valid:
            continue
        if info.checksum_failed:
            kept = "kept as printed and shown with a note, never used as an identifier"
            out.append(_warning(pub, "isbn", f'check digit is invalid (printed "{info.printed}"): {kept}'))
        else:
            out.append(_problem(pub, "isbn", f'"{info.printed}" is not an ISBN: {info.problem}'))
    return out


def dates_agree_with_years(archive: Archive) -> list[Problem]:
    """A publication's date lies in its year; an issue's date in the year on its cover."""
    out = []
    for pub in archive.publications:
        if pub.date and pub.year and pub.date.year != pub.year:
            out.append(_problem(pub, "date", f"date {pub.date.iso()} is not in the year {pub.year}"))
    for bulletin in archive.bulletins:
        if bulletin.date and bulletin.date.year != bulletin.year:
            message = f"date {bulletin.date} is not in the year {bulletin.year} printed on the cover"
            out.append(_warning(bulletin, "date", message))
    return out


def pdfs_are_next_to_their_issue(archive: Archive) -> list[Problem]:
    """A regular PDF file inside the content folder (links followed), never a pipe, a device or a secret."""
    out = []
    for bulletin in archive.bulletins:
        wrong = pdf_problem(bulletin.path.parent / bulletin.pdf, archive.root) if bulletin.pdf else None
        if wrong == "does not exist":
            out.append(_problem(bulletin, "pdf", f'the file "{bulletin.pdf}" is not next to {bulletin.path.name}'))
        elif wrong:
            out.append(_problem(bulletin, "pdf", f'the file "{bulletin.pdf}" {wrong}'))
    return out


def pdfs_are_not_named_as_the_edition(archive: Archive) -> list[Problem]:
    """The typeset edition is served as trafficking-in-migrants-<n>.pdf beside the issue: an editor's
    printed PDF (`pdf:`) of that name would take its place."""
    return [
        _problem(
            bulletin,
            "pdf",
            f'the name "{bulletin.pdf}" is taken by the PDF edition the site typesets for this issue; '
            f'rename the printed edition, for example to "{bulletin.pdf.removesuffix(".pdf")}-print.pdf"',
        )
        for bulletin in archive.bulletins
        if bulletin.pdf and bulletin.pdf.lower() == periodical.edition_file(bulletin.number)
    ]


def meetings_end_after_they_start(archive: Archive) -> list[Problem]:
    return [
        _problem(meeting, "end", f"the meeting ends ({meeting.end}) before it starts ({meeting.start})")
        for meeting in archive.meetings
        if meeting.end and meeting.end.first_day() < meeting.start.first_day()
    ]


# --- rules across files ---


def numbers_and_ids_are_unique(archive: Archive) -> list[Problem]:
    out = []

    def duplicates(entries: Iterable[Entry], key: str, what: str) -> None:
        groups: dict[object, list[Entry]] = defaultdict(list)
        for entry in entries:
            groups[getattr(entry, key)].append(entry)
        for value, group in groups.items():
            if len(group) > 1:
                for entry in group:
                    message = f"{what} {value} is already used by {_others(group, entry)}: each must be unique"
                    out.append(_problem(entry, key, message))

    duplicates(archive.bulletins, "number", "issue number")
    duplicates(archive.meetings, "id", "id")
    duplicates(archive.publications, "id", "id")
    duplicates(archive.series, "id", "id")
    return out


def isbns_are_unique(archive: Archive) -> list[Problem]:
    """One work, one file: two publications may not give the same ISBN."""
    groups: dict[str, list[Publication]] = defaultdict(list)
    for pub in archive.publications:
        info = pub.isbn_info
        if info is not None and info.valid:
            groups[info.isbn13 or ""].append(pub)
    out = []
    for group in groups.values():
        for pub in group if len(group) > 1 else []:
            printed = pub.isbn_info.hyphenated13 if pub.isbn_info else pub.isbn
            out.append(
                _problem(
                    pub,
                    "isbn",
                    f"ISBN {printed} is also given by {_others(group, pub)}: "
                    "the same work listed twice is one publication (record the other title under also_listed_as)",
                )
            )
    return out


def issns_are_valid_and_unique(archive: Archive) -> list[Problem]:
    """An ISSN is valid and names one series or publication (issues may repeat their periodical's)."""
    out = []
    owners: dict[str, Entry] = {}
    # Every issue prints its periodical's ISSN: issues come last and may repeat one.
    groups: list[tuple[list[Entry], bool]] = [(list(archive.series), True), (list(archive.publications), True)]
    groups.append((list(archive.bulletins), False))
    for group, unique in groups:
        for owner in group:
            issn = owner.issn_info
            if issn is None:
                continue
            if issn.checksum_failed:
                kept = "kept as printed and shown with a note"
                out.append(_warning(owner, "issn", f'check digit is invalid (printed "{issn.printed}"): {kept}'))
            elif not issn.valid:
                out.append(_problem(owner, "issn", f'"{issn.printed}" is not an ISSN: {issn.problem}'))
            elif issn.compact in owners and unique:
                first = display_path(owners[issn.compact or ""].path)
                out.append(_problem(owner, "issn", f"ISSN {issn.formatted} is also given by {first}"))
            else:
                owners.setdefault(issn.compact or "", owner)
    return out


def publication_references_resolve(archive: Archive) -> list[Problem]:
    """A publication's series, meeting and related issues exist."""
    out = []
    for pub in archive.publications:
        if pub.series and pub.series not in archive.series_by_id:
            hint = _did_you_mean(pub.series, archive.series_by_id)
            out.append(_problem(pub, "series", f'no series has the id "{pub.series}"{hint}'))
        if pub.meeting and pub.meeting not in archive.meeting_by_id:
            hint = _did_you_mean(pub.meeting, archive.meeting_by_id)
            out.append(_problem(pub, "meeting", f'no meeting has the id "{pub.meeting}"{hint}'))
        for number in pub.bulletins:
            if number not in archive.by_number:
                out.append(_problem(pub, "bulletins", f"there is no bulletin issue N° {number}"))
    return out


def issue_references_resolve(archive: Archive) -> list[Problem]:
    """The meetings an issue reports and the publications it reviews exist."""
    out = []
    for bulletin in archive.bulletins:
        for ref in bulletin.meetings:
            if ref not in archive.meeting_by_id:
                hint = _did_you_mean(ref, archive.meeting_by_id)
                out.append(_problem(bulletin, "meetings", f'no meeting has the id "{ref}"{hint}'))
        for ref in bulletin.publications:
            if archive.find_publication(ref) is None:
                why = (
                    " (an ISBN with an invalid check digit cannot be used as a reference: use the id)"
                    if parse_isbn(ref).checksum_failed
                    else ""
                )
                hint = _did_you_mean(ref, archive.publication_by_id)
                out.append(_problem(bulletin, "publications", f'no publication has the id or ISBN "{ref}"{why}{hint}'))
    return out


def reports_are_listed_both_ways(archive: Archive) -> list[Problem]:
    """A meeting's reported_in issue exists, and that issue lists the meeting."""
    out = []
    for meeting in archive.meetings:
        if meeting.reported_in is None:
            continue
        reporter = archive.by_number.get(meeting.reported_in)
        if reporter is None:
            out.append(_problem(meeting, "reported_in", f"there is no bulletin issue N° {meeting.reported_in}"))
        elif meeting.id not in reporter.meetings:
            message = f"issue N° {reporter.number} does not list this meeting: add {meeting.id} to its meetings"
            out.append(_warning(meeting, "reported_in", message))
    return out


def series_are_numbered(archive: Archive) -> list[Problem]:
    """Every volume of a series has its number, no number is used twice, and no number goes without a series."""
    out = []
    taken: dict[tuple[str, int], Publication] = {}
    for pub in archive.publications:
        if pub.series_number and not pub.series:
            message = "a number in a series needs the series too: add series: <series id>"
            out.append(_problem(pub, "series_number", message))
        if pub.series in archive.series_by_id and not pub.series_number:
            # A series lists its volumes in number order; an unnumbered one would sort last, out of place.
            message = f"no number in the series {pub.series}: add series_number with the number printed on it"
            out.append(_warning(pub, "series", message))
        if pub.series and pub.series_number:
            key = (pub.series, pub.series_number)
            if key in taken:
                first = display_path(taken[key].path)
                message = f"N° {pub.series_number} of {pub.series} is already {first}"
                out.append(_problem(pub, "series_number", message))
            taken.setdefault(key, pub)
    return out


def tags_are_spelled_one_way(archive: Archive) -> list[Problem]:
    """Two spellings of one tag would make two tag pages with one anchor and one feed file name: those that
    look the same (é composed, or e + accent), and those that differ only in capitals, spaces or punctuation."""
    out = []
    spellings: dict[str, tuple[str, Entry]] = {}
    anchors: dict[str, tuple[str, Entry]] = {}
    for entry in archive.entries():
        for tag in entry.tags:
            normal = unicodedata.normalize("NFC", tag)
            first = spellings.setdefault(normal, (tag, entry))
            if first[0] != tag:
                out.append(
                    _problem(
                        entry,
                        "tags",
                        f'the tag "{tag}" looks the same as "{first[0]}" in {display_path(first[1].path)} but is '
                        "encoded differently (Unicode normalisation): retype it so both are the same",
                    )
                )
                continue
            anchor = slugify(normal, "-")
            other = anchors.setdefault(anchor, (normal, entry)) if anchor else (normal, entry)
            if other[0] != normal:
                out.append(
                    _problem(
                        entry,
                        "tags",
                        f'the tag "{tag}" differs from "{other[0]}" in {display_path(other[1].path)} only in '
                        "capitals, spaces or punctuation: both would be one tag page; write them the same way",
                    )
                )
    return out


def tags_are_in_the_vocabulary(archive: Archive) -> list[Problem]:
    """With a tag vocabulary, a tag it does not list is a warning: each tag gets a page, a feed and a group."""
    vocabulary = archive.vocabulary
    if not vocabulary.known:
        return []
    return [
        _warning(entry, "tags", unknown_tag_message(tag, vocabulary))
        for entry in archive.entries()
        for tag in entry.tags
        if tag not in vocabulary.tags
    ]


_BODY_LINK = re.compile(
    r"\]\(\s*<?([^)\s>]+)|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S+?)>?(?:\s|$)|\bhref=[\"']?([^\"'\s>]+)", re.M
)


def bodies_link_to_no_draft(archive: Archive) -> list[Problem]:
    """A published body linking to a draft would show the draft's id (and lead nowhere on the public site)."""
    drafts = {(entry.folder, str(entry.key)): entry for entry in archive.entries() if entry.draft}
    if not drafts:
        return []
    out = []
    for entry in archive.entries():
        if entry.draft or ("](" not in entry.body and "href" not in entry.body and "]:" not in entry.body):
            continue
        for m in _BODY_LINK.finditer(entry.body):
            target = next(g for g in m.groups() if g)
            if ":" in target.split("/")[0]:
                continue  # an address elsewhere (https:, mailto:)
            parts = [part for part in target.split("#")[0].split("/") if part not in ("", ".")]
            for before, key in zip([entry.folder, *parts], parts, strict=False):
                # `../id/` from a page goes to a sibling in the same folder; `/folder/id/` names it
                draft = drafts.get((entry.folder if before == ".." else before, key))
                if draft is not None:
                    out.append(
                        Problem(
                            display_path(entry.path),
                            _line_of(entry, target),
                            "body",
                            f'the link "{target[:60]}" leads to {display_path(draft.path)}, a draft: the public site '
                            "would show its address; link to it once it is published",
                        )
                    )
                    break
    return out


def _line_of(entry: Entry, text: str) -> int | None:
    """The line of the file where `text` first appears (the body's offset in the file is not kept)."""
    try:
        whole = entry.path.read_text(encoding="utf-8")
    except OSError:
        return None
    found = whole.find(text)
    return whole.count("\n", 0, found) + 1 if found >= 0 else None


def series_have_volumes(archive: Archive) -> list[Problem]:
    return [
        _warning(series, "id", "no publication belongs to this series yet")
        for series in archive.series
        if series.issn_info and series.issn_info.valid and not archive.volumes(series)
    ]


ENTRY_RULES: tuple[Rule, ...] = (
    notes_speak_plainly,
    known_misprints_are_misprints,
    isbns_are_valid,
    dates_agree_with_years,
    pdfs_are_next_to_their_issue,
    pdfs_are_not_named_as_the_edition,
    meetings_end_after_they_start,
)
ARCHIVE_RULES: tuple[Rule, ...] = (
    numbers_and_ids_are_unique,
    isbns_are_unique,
    issns_are_valid_and_unique,
    publication_references_resolve,
    issue_references_resolve,
    reports_are_listed_both_ways,
    series_are_numbered,
    series_have_volumes,
    tags_are_spelled_one_way,
    tags_are_in_the_vocabulary,
    bodies_link_to_no_draft,
)


def check_archive(archive: Archive) -> list[Problem]:
    """Every rule's problems, one rule after the other (`format_report` sorts them by file and line)."""
    return [problem for rule in (*ENTRY_RULES, *ARCHIVE_RULES) for problem in rule(archive)]


__all__ = ["ARCHIVE_RULES", "ENTRY_RULES", "check_archive"]
