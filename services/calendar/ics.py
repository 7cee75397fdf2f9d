"""iCalendar text (RFC 5545/5546) built with ``icalendar``: a session's invitation (METHOD:REQUEST, or
METHOD:CANCEL once cancelled) and a person's feed. Times carry TZID=Europe/Paris with its VTIMEZONE, so a
calendar application places a session correctly on both sides of a daylight-saving change.

Nothing here reads the database: the callers (``invitations``, ``feeds``) decide what an entry says.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from services.i18n import TIMEZONE
from services.models.base import utcnow

PRODID = "-//BilanCompetence.AI//Seances de bilan//FR"
UID_DOMAIN = "bilancompetence.ai"


def session_uid(session_id: uuid.UUID | str) -> str:
    """A session's UID: the same in every invitation and feed, so each update replaces the same event."""
    return f"seance-{session_id}@{UID_DOMAIN}"


@dataclass(frozen=True)
class Entry:
    """One session as a calendar shows it: only what the brief allows (a neutral title, the place or the
    page where the video link appears), never the bilan's content."""

    session_id: uuid.UUID
    starts_at: datetime
    minutes: int
    summary: str
    location: str
    url: str = ""
    description: str = ""
    sequence: int = 0
    cancelled: bool = False


@dataclass(frozen=True)
class Party:
    """The organiser (the organisation, writing from the platform's address) or the attendee of an invitation."""

    name: str
    email: str


def _address(party: Party, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{party.email}")
    address.params["CN"] = vText(party.name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def _event(entry: Entry, stamp: datetime) -> Event:
    event = Event()
    start = entry.starts_at.astimezone(TIMEZONE)
    event.add("uid", session_uid(entry.session_id))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=entry.minutes))
    event.add("sequence", entry.sequence)
    event.add("summary", entry.summary)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    if entry.description:
        event.add("description", entry.description)
    return event


def _calendar(events: Iterable[Event], *, method: str = "", name: str = "") -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", str(TIMEZONE))
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()  # the VTIMEZONE of Europe/Paris, from the zoneinfo database
    return str(calendar.to_ical().decode())


def invitation(entry: Entry, organiser: Party, attendee: Party) -> str:
    """A session's invitation for one attendee: METHOD:REQUEST, or METHOD:CANCEL when cancelled (same UID,
    a SEQUENCE the sessions raise at each move or cancellation). Answers are not collected (RSVP=FALSE)."""
    event = _event(entry, utcnow())
    event.add("organizer", _address(organiser))
    event.add("attendee", _address(attendee, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="FALSE"))
    return _calendar([event], method="CANCEL" if entry.cancelled else "REQUEST")


def feed(entries: Iterable[Entry], name: str) -> str:
    """A subscribed calendar (no METHOD: a published feed, re-read by the application)."""
    stamp = utcnow()
    return _calendar((_event(entry, stamp) for entry in entries), name=name)
