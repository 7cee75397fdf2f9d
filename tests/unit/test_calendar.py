"""Calendars (services.calendar): each session's invitation (mail attachment and download), the private
feeds, and remote sessions' links. Every ICS is parsed back with ``icalendar``: TZID Europe/Paris with its
VTIMEZONE, and a session on each side of October's daylight-saving change keeps its Paris wall time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select
from starlette.testclient import TestClient

from bilan_app.api import api
from services import bilans
from services.calendar import feeds, invitations, visio
from services.crypto import decrypt_text
from services.db import session_scope
from services.display.bilans import beneficiary_session_rows, follower_session_rows
from services.errors import AccessDenied, FormError, NotFound
from services.i18n import TIMEZONE
from services.mail import deliver_message
from services.models import BilanSession, CalendarFeedToken, MailMessage, Organisation, User
from services.models.base import clock_at, utcnow
from tests.unit.test_bilans import accepted_bilan, session_form

pytestmark = pytest.mark.usefixtures("isolated_storage")


def _october_change() -> date:
    """The next last Sunday of October at least a week ahead (and so within the planning year)."""
    today = datetime.now(TIMEZONE).date()
    year = today.year if today < date(today.year, 10, 20) else today.year + 1
    last = date(year, 10, 31)
    return last - timedelta(days=(last.weekday() + 1) % 7)


CHANGE = _october_change()
BEFORE = datetime(CHANGE.year, 10, CHANGE.day - 3, 10, 0, tzinfo=TIMEZONE)  # summer time, UTC+2


def _after() -> datetime:
    day = CHANGE + timedelta(days=2)  # winter time, UTC+1
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=TIMEZONE)


def _parse(text: str) -> Calendar:
    calendar = Calendar.from_ical(text)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    return calendar


def _event(calendar: Calendar):
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    return event


def _email(actor) -> str:
    with session_scope() as session:
        return session.get(User, actor.user_id).email


def _calendar_mails(to: str) -> list[str]:
    with session_scope() as session:
        rows = session.exec(select(MailMessage).where(MailMessage.to_address == to)).all()
        return [decrypt_text(row.calendar_encrypted) for row in rows if row.calendar_encrypted]


def _use_jitsi(world, domain: str = "meet.jit.si") -> None:
    visio.save_video_settings(world.admin_a, {"video_provider": "jitsi", "jitsi_domain": domain, "jitsi_embedded": "1"})


# ---------------------------------------------------------------- invitations


def test_planned_moved_cancelled_mails_carry_one_invitation_with_a_rising_sequence(world):
    bilan_id = accepted_bilan(world)
    session_id = bilans.plan_session(
        world.consultant_a, bilan_id, session_form(starts_at=BEFORE, location="12 rue Haute")
    )
    her = _email(world.beneficiary_a)
    [planned] = _calendar_mails(her)
    calendar = _parse(planned)
    assert calendar["METHOD"] == "REQUEST"
    event = _event(calendar)
    assert event.decoded("DTSTART") == BEFORE and event.decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert event.decoded("DTEND") == BEFORE + timedelta(hours=1)
    assert (str(event["SUMMARY"]), str(event["LOCATION"]), int(event["SEQUENCE"])) == (
        "Séance de bilan",
        "12 rue Haute",
        0,
    )
    assert str(event["ATTENDEE"]) == f"mailto:{her}"
    uid = str(event["UID"])

    bilans.reschedule_session(world.consultant_a, session_id, {"starts_at": _after(), "duration_minutes": 60})
    moved = _event(_parse(_calendar_mails(her)[1]))
    # Across the change: the same 10:00 in Paris, one hour later in UTC.
    assert moved.decoded("DTSTART") == _after() and moved.decoded("DTSTART").utcoffset() == timedelta(hours=1)
    assert (str(moved["UID"]), int(moved["SEQUENCE"])) == (uid, 1)

    bilans.cancel_session(world.consultant_a, session_id)
    cancelled = _parse(_calendar_mails(her)[2])
    assert cancelled["METHOD"] == "CANCEL"
    event = _event(cancelled)
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (uid, 2, "CANCELLED")


def test_the_invitation_travels_as_a_text_calendar_part_through_smtp(world, smtp_sink):
    bilan_id = accepted_bilan(world)
    bilans.plan_session(world.consultant_a, bilan_id, session_form(starts_at=_after(), location="Salle 2"))
    with session_scope() as session:
        message = session.exec(select(MailMessage).where(MailMessage.calendar_encrypted != "")).one()
        message_id, to = message.id, message.to_address
    deliver_message(message_id)  # delivered after the commit already; a second delivery sends nothing more
    [(received, part)] = [
        (m, p)
        for m in smtp_sink.messages()
        if m["To"] == to
        for p in m.walk()
        if p.get_content_type() == "text/calendar"
    ]
    assert part.get_param("method") == "REQUEST" and part.get_filename() == "invitation.ics"
    event = _event(_parse(part.get_content()))
    assert event.decoded("DTSTART") == _after()
    assert received.get_body(("plain",)) is not None  # the text itself is still the mail's body


def test_only_the_participants_download_the_invitation(world):
    bilan_id = accepted_bilan(world)
    session_id = bilans.plan_session(world.consultant_a, bilan_id, session_form(starts_at=BEFORE, location="Ici"))
    for actor in (world.beneficiary_a, world.consultant_a):
        name, text = invitations.download_invitation(actor, session_id)
        assert name.endswith(".ics") and _event(_parse(text)).decoded("DTSTART") == BEFORE
    for actor in (world.admin_a, world.admin_b, world.consultant_b, world.beneficiary_b):
        with pytest.raises(NotFound):
            invitations.download_invitation(actor, session_id)
    cookie = world.login("beneficiary_a")[0]
    response = TestClient(api, cookies={"bc_session": cookie}).get(f"/api/seances/{session_id}/invitation.ics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    assert TestClient(api).get(f"/api/seances/{session_id}/invitation.ics").status_code == 404
    admin = TestClient(api, cookies={"bc_session": world.login("admin_a")[0]})
    assert admin.get(f"/api/seances/{session_id}/invitation.ics").status_code == 404


# ---------------------------------------------------------------- feeds


def test_a_feed_shows_the_persons_sessions_and_nothing_confidential(world):
    bilan_id = accepted_bilan(world)
    bilans.plan_session(world.consultant_a, bilan_id, session_form(starts_at=BEFORE, location="12 rue Haute"))
    bilans.plan_session(
        world.consultant_a,
        bilan_id,
        session_form(starts_at=_after(), mode="distanciel", video_link="https://zoom.example/j/1"),
    )
    url = feeds.create_feed(world.beneficiary_a)
    token = url.rsplit("/", 1)[1]
    with session_scope() as session:
        stored = session.exec(select(CalendarFeedToken)).one()
        assert stored.token_hash != token and token not in stored.token_hash  # kept hashed
    text = TestClient(api).get(f"/api/calendrier/{token}").text
    calendar = _parse(text)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    assert [e.decoded("DTSTART") for e in events] == [BEFORE, _after()]
    assert [e.decoded("DTSTART").utcoffset() for e in events] == [timedelta(hours=2), timedelta(hours=1)]
    assert {str(e["SUMMARY"]) for e in events} == {"Séance de bilan"}
    assert "zoom.example" not in text  # the link appears on her page, 15 minutes before
    for word in ("Bruno", "BenefA", "ConseilA", "preliminaire"):
        assert word not in text
    # The consultant's own feed holds the same sessions.
    consultant_token = feeds.create_feed(world.consultant_a).rsplit("/", 1)[1]
    assert len(_parse(feeds.read_feed(consultant_token)).walk("VEVENT")) == 2


def test_a_new_address_revokes_the_old_and_a_revoked_one_answers_404(world):
    accepted_bilan(world)
    first = feeds.create_feed(world.beneficiary_a).rsplit("/", 1)[1]
    second = feeds.create_feed(world.beneficiary_a).rsplit("/", 1)[1]
    client = TestClient(api)
    assert client.get(f"/api/calendrier/{first}").status_code == 404
    assert client.get(f"/api/calendrier/{second}").status_code == 200
    assert feeds.feed_status(world.beneficiary_a).active
    assert feeds.revoke_feed(world.beneficiary_a) is True
    assert client.get(f"/api/calendrier/{second}").status_code == 404
    assert not feeds.feed_status(world.beneficiary_a).active
    assert feeds.revoke_feed(world.beneficiary_a) is False
    assert client.get("/api/calendrier/not-a-token").status_code == 404


# ---------------------------------------------------------------- remote sessions


def test_the_jitsi_domain_is_a_bare_host_name(world):
    for domain in ("https://meet.jit.si/room", "meet", "meet.jit.si:443", "user@meet.jit.si"):
        with pytest.raises(FormError) as raised:
            _use_jitsi(world, domain)
        assert raised.value.fields == {"jitsi_domain": "visio.error.domain"}
    _use_jitsi(world, "Visio.Exemple.fr")
    assert visio.video_settings(world.consultant_a) == visio.VideoSettings("jitsi", "visio.exemple.fr", True)
    with pytest.raises(AccessDenied):  # the admin only
        visio.save_video_settings(world.consultant_a, {"video_provider": "link"})


def test_a_jitsi_room_is_given_to_the_participants_from_15_minutes_before(world):
    _use_jitsi(world)
    bilan_id = accepted_bilan(world)
    starts = utcnow().replace(microsecond=0) + timedelta(days=2)
    # With Jitsi the consultant pastes nothing: the room is made by the platform.
    session_id = bilans.plan_session(world.consultant_a, bilan_id, session_form(starts_at=starts, mode="distanciel"))
    early, opened = starts - timedelta(minutes=16), starts - timedelta(minutes=14)
    for actor in (world.beneficiary_a, world.consultant_a, world.admin_a):
        assert visio.join_link(actor, session_id, early) is None
    assert visio.join_link(world.admin_a, session_id, opened) is None  # a follower, not a participant
    hers = visio.join_link(world.beneficiary_a, session_id, opened)
    his = visio.join_link(world.consultant_a, session_id, opened)
    assert hers is not None and his is not None and hers.url == his.url
    assert hers.url == f"https://meet.jit.si/{hers.room}" and len(hers.room) >= 24 and hers.embedded
    with pytest.raises(NotFound):
        visio.join_link(world.beneficiary_b, session_id, opened)
    after_end = starts + timedelta(minutes=60) + visio.JOIN_CLOSES_AFTER_END + timedelta(minutes=1)
    assert visio.join_link(world.beneficiary_a, session_id, after_end) is None


def test_a_pasted_link_is_listed_only_to_participants_from_15_minutes_before(world):
    bilan_id = accepted_bilan(world)
    starts = utcnow().replace(microsecond=0) + timedelta(days=2)
    with pytest.raises(FormError):  # pasted links: a remote session needs one
        bilans.plan_session(world.consultant_a, bilan_id, session_form(starts_at=starts, mode="distanciel"))
    link = "https://teams.example/meet/42"
    bilans.plan_session(
        world.consultant_a, bilan_id, session_form(starts_at=starts, mode="distanciel", video_link=link)
    )

    def listed(actor) -> str:
        return bilans.list_sessions(actor, bilan_id)[0].video_link

    with clock_at(starts - timedelta(minutes=16)):
        assert {listed(a) for a in (world.beneficiary_a, world.consultant_a, world.admin_a)} == {""}
    with clock_at(starts - timedelta(minutes=14)):
        assert listed(world.beneficiary_a) == link and listed(world.consultant_a) == link
        assert listed(world.admin_a) == ""
        assert (
            visio.join_link(world.beneficiary_a, bilans.list_sessions(world.beneficiary_a, bilan_id)[0].id).url == link
        )
    with session_scope() as session:
        assert session.exec(select(BilanSession.video_room)).one() == ""  # no room made for a pasted link
        assert session.get(Organisation, world.org_a).video_provider == "link"


def test_the_session_cards_offer_the_invitation_and_the_room_to_participants_only(world):
    _use_jitsi(world)
    bilan_id = accepted_bilan(world)
    starts = utcnow().replace(microsecond=0) + timedelta(days=2)
    session_id = bilans.plan_session(world.consultant_a, bilan_id, session_form(starts_at=starts, mode="distanciel"))
    with clock_at(starts - timedelta(minutes=10)):
        rows = {
            key: follower_session_rows(
                bilans.list_sessions(world.actor(key), bilan_id),
                set(),
                "fr",
                visio.session_links(world.actor(key), bilan_id),
            )
            for key in ("consultant_a", "admin_a")
        }
        hers = beneficiary_session_rows(
            bilans.list_sessions(world.beneficiary_a, bilan_id),
            "fr",
            visio.session_links(world.beneficiary_a, bilan_id),
        )
    [consultant], [admin], [beneficiary] = rows["consultant_a"], rows["admin_a"], hers
    assert consultant["ics_path"] == f"/api/seances/{session_id}/invitation.ics" == beneficiary["ics_path"]
    assert consultant["join_url"] == beneficiary["join_url"] and consultant["join_url"].startswith(
        "https://meet.jit.si/"
    )
    assert beneficiary["join_embedded"] and beneficiary["join_frame"].startswith(beneficiary["join_url"] + "#config.")
    assert (admin["ics_path"], admin["join_url"], admin["join_frame"]) == ("", "", "")
    with clock_at(starts - timedelta(minutes=20)):
        [early] = beneficiary_session_rows(
            bilans.list_sessions(world.beneficiary_a, bilan_id),
            "fr",
            visio.session_links(world.beneficiary_a, bilan_id),
        )
    assert early["join_url"] == "" and early["ics_path"] != ""
