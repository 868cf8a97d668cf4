"""The meetings calendar: `meetings.ics` at the site root, one all-day event per meeting (iCalendar, RFC 5545).

Events are all-day: DTSTART and DTEND are dates, and DTEND is exclusive (the day after
the last day), as RFC 5545 defines it. A meeting is entered with exactly the precision
its dates were printed with and no day is invented: a meeting known only to the month
("2002-09") spans that whole month, one known only to the year spans the whole year.

Everything in the file comes from the content, so two builds of the same content are
byte-identical: the UID is `meeting-<id>@trafficking-in-migrants.iom.int` (the permanent
id, never a file name), and DTSTAMP is 00:00 UTC of the day the meeting was first
published: the date of the issue that reported it, else the meeting's own first day.

>>> from timsite.content.dates import parse_partial_date as d
>>> event_span(d("2002-09"), None)
(datetime.date(2002, 9, 1), datetime.date(2002, 10, 1))
>>> event_span(d("2002-02-26"), d("2002-02-28"))
(datetime.date(2002, 2, 26), datetime.date(2002, 3, 1))
>>> event_span(d("2002-12-31"), None)
(datetime.date(2002, 12, 31), datetime.date(2003, 1, 1))
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event

from timsite.content import periodical
from timsite.content.archive import Archive
from timsite.content.dates import PartialDate
from timsite.content.model import Meeting
from timsite.site.urls import entry_url

PRODID = f"-//{periodical.PUBLISHER}//{periodical.NAME} meetings//EN"
UID_DOMAIN = periodical.DOMAIN
CALENDAR_NAME = f"{periodical.NAME}: meetings"
CALENDAR_DESCRIPTION = f"Meetings, conferences and signings reported by the bulletin {periodical.NAME}."
FILE_NAME = "meetings.ics"
MEDIA_TYPE = "text/calendar"


def event_span(start: PartialDate, end: PartialDate | None) -> tuple[date, date]:
    """First day and the exclusive end day of an all-day event covering `start` to `end` at their precision."""
    last = (end or start).last_day()
    return start.first_day(), last + timedelta(days=1)


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.id}@{UID_DOMAIN}"


def _stamp(meeting: Meeting, archive: Archive) -> datetime:
    reporter = archive.by_number.get(meeting.reported_in or 0)
    day = reporter.published if reporter else meeting.published
    return datetime.combine(day, time(0), tzinfo=UTC)


def _event(meeting: Meeting, archive: Archive, site_url: str) -> Event:
    first, after_last = event_span(meeting.start, meeting.end)
    event = Event()
    event.add("uid", uid(meeting))
    event.add("dtstamp", _stamp(meeting, archive))
    event.add("dtstart", first)
    event.add("dtend", after_last)
    event.add("summary", meeting.display_title)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("url", site_url + entry_url(meeting))
    description = meeting.summary or meeting.title
    if meeting.start.precision != "day":
        description += (
            f"\n\nOnly the {meeting.start.precision} is known: the event spans the whole {meeting.start.precision}."
        )
    event.add("description", description)
    if meeting.tags:
        event.add("categories", list(meeting.tags))
    # All-day entries for meetings others attend must not mark a subscriber as busy.
    event.add("transp", "TRANSPARENT")
    return event


def calendar(archive: Archive, site_url: str) -> bytes:
    """The whole calendar as iCalendar bytes, events in a fixed order (first day, then id)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", CALENDAR_NAME)
    cal.add("x-wr-calname", CALENDAR_NAME)
    cal.add("description", CALENDAR_DESCRIPTION)
    for meeting in sorted(archive.meetings, key=lambda m: (m.start.first_day(), m.id)):
        cal.add_component(_event(meeting, archive, site_url))
    return cal.to_ical()
