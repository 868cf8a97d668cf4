"""The meetings calendar: one all-day event per meeting, exclusive end dates, stable UIDs, byte-identical builds."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar, Event

from timsite.content.archive import Archive
from timsite.content.checked import load_archive
from timsite.outputs import ical

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
SITE_URL = "https://fixture.example.org/tim/"


def load(content: Path) -> Archive:
    archive, problems = load_archive(content)
    assert not [p for p in problems if p.severity.name == "ERROR"], problems
    return archive.visible(date(2010, 1, 1))


def events(data: bytes) -> dict[str, Event]:
    parsed = Calendar.from_ical(data)
    return {str(e["uid"]): e for e in parsed.walk("VEVENT") if isinstance(e, Event)}


def span(event: Event) -> tuple[date, date]:
    return event.decoded("dtstart"), event.decoded("dtend")


@pytest.fixture(scope="module")
def archive() -> Archive:
    return load(HOSTILE / "content")


@pytest.fixture(scope="module")
def written(archive: Archive) -> bytes:
    return ical.calendar(archive, SITE_URL)


def test_calendar_parses_back_with_one_event_per_visible_meeting(written: bytes, archive: Archive) -> None:
    parsed = Calendar.from_ical(written)
    assert str(parsed["prodid"]) == ical.PRODID and str(parsed["version"]) == "2.0"
    found = events(written)
    assert set(found) == {f"meeting-{m.id}@trafficking-in-migrants.iom.int" for m in archive.meetings}
    assert len(found) == 3 and b"draft-meeting" not in written


def test_events_are_all_day_with_an_exclusive_end(written: bytes) -> None:
    found = events(written)
    uid = "meeting-{}@trafficking-in-migrants.iom.int".format
    for event in found.values():
        assert type(event.decoded("dtstart")) is date and type(event.decoded("dtend")) is date
    assert span(found[uid("range-meeting")]) == (date(2002, 2, 26), date(2002, 3, 1))
    assert span(found[uid("one-day-meeting")]) == (date(2002, 5, 10), date(2002, 5, 11))
    # Known only to the month: the whole of September.
    assert span(found[uid("month-meeting")]) == (date(2002, 9, 1), date(2002, 10, 1))
    assert "whole month" in str(found[uid("month-meeting")]["description"])


def test_event_text_round_trips_and_links_are_absolute(written: bytes) -> None:
    event = events(written)["meeting-range-meeting@trafficking-in-migrants.iom.int"]
    assert str(event["summary"]) == 'Meeting "A" & <B>, with a comma; and a semicolon'
    assert str(event["location"]) == "Bali, Indonesia"
    assert str(event["description"]) == "Three days & <three> nights."
    assert str(event["url"]) == SITE_URL + "meetings/range-meeting/"
    assert str(event["transp"]) == "TRANSPARENT"


def test_dtstamp_comes_from_content_not_the_clock(written: bytes) -> None:
    found = events(written)
    # Reported in issue 1 (winter 2002): stamped with that date.
    assert found["meeting-range-meeting@trafficking-in-migrants.iom.int"].decoded("dtstamp") == datetime(
        2002, 1, 1, tzinfo=UTC
    )
    assert found["meeting-month-meeting@trafficking-in-migrants.iom.int"].decoded("dtstamp") == datetime(
        2002, 9, 1, tzinfo=UTC
    )


def test_two_writes_are_byte_identical_and_renaming_files_changes_nothing(
    written: bytes, archive: Archive, tmp_path: Path
) -> None:
    assert ical.calendar(archive, SITE_URL) == written
    content = tmp_path / "content"
    shutil.copytree(HOSTILE / "content", content)
    for path in sorted(content.rglob("*.md")):
        path.rename(path.with_name("renamed-" + path.name))
    assert ical.calendar(load(content), SITE_URL) == written


def test_real_content_gives_one_event_per_meeting() -> None:
    archive = load(ROOT / "content")
    found = events(ical.calendar(archive, "https://trafficking-in-migrants.example.org/"))
    assert len(found) == len(archive.meetings) > 0
    for meeting in archive.meetings:
        start, end = span(found[ical.uid(meeting)])
        assert start == meeting.start.first_day() and end > (meeting.end or meeting.start).last_day()
