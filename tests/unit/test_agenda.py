"""The agenda (issue 14 §1): availability in Paris time across the daylight-saving changes, public
holidays and days away, the beneficiary's booking from the free slots (moved or cancelled up to the
organisation's notice), the 24 h ceiling, and the consultant's calendar across bilans.

The race of two bookings for one slot is proved on PostgreSQL (tests/integration/test_agenda_pg.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select

from services import agenda, bilans, members
from services.agenda import Opening
from services.db import session_scope
from services.display.agenda import day_rows, period, period_label, slot_rows
from services.display.members import organisation_profile_row
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.i18n import TIMEZONE, format_number
from services.models import BilanSession, DeliveryMode, Notification, Role, SessionStatus
from services.models.base import utcnow
from tests.unit.test_bilans import (
    accepted_bilan,
    add_person,
    insert_bilan,
    raised,
    session_form,
    update_organisation,
)

pytestmark = pytest.mark.usefixtures("isolated_storage")

TUESDAY_MORNING = Opening(1, time(9), time(12), 60, DeliveryMode.PRESENTIEL, "12 rue de la Paix")


def slots(openings=(TUESDAY_MORNING,), away=(), busy=(), first=date(2027, 10, 25), last=date(2027, 11, 7), **kw):
    kw.setdefault("earliest", datetime(2000, 1, 1, tzinfo=UTC))
    return agenda.free_slots(list(openings), list(away), list(busy), first, last, **kw)


def paris(moment: datetime) -> str:
    return moment.astimezone(TIMEZONE).strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------- the rules (no database)


def test_an_opening_keeps_its_paris_hours_across_the_october_change():
    found = slots()
    # 2027-10-31 is the change: Tuesday 26 is summer time (UTC+2), Tuesday 2 November winter time (UTC+1).
    assert [paris(s.starts_at) for s in found] == [
        "2027-10-26 09:00",
        "2027-10-26 10:00",
        "2027-10-26 11:00",
        "2027-11-02 09:00",
        "2027-11-02 10:00",
        "2027-11-02 11:00",
    ]
    assert found[0].starts_at.hour == 7 and found[3].starts_at.hour == 8  # UTC
    assert all(s.minutes == 60 and s.location == "12 rue de la Paix" for s in found)


def test_and_across_the_march_change():
    sunday_night = Opening(6, time(1), time(4), 60, DeliveryMode.DISTANCIEL, video_link="https://visio.example/r")
    found = slots([TUESDAY_MORNING, sunday_night], first=date(2027, 3, 22), last=date(2027, 3, 31))
    assert [paris(s.starts_at) for s in found if s.starts_at.astimezone(TIMEZONE).weekday() == 1] == [
        "2027-03-23 09:00",
        "2027-03-23 10:00",
        "2027-03-23 11:00",
        "2027-03-30 09:00",
        "2027-03-30 10:00",
        "2027-03-30 11:00",
    ]
    assert found[0].starts_at.hour == 8 and found[-1].starts_at.hour == 9  # UTC+1, then UTC+2


def test_public_holidays_and_days_away_have_no_slot():
    monday = Opening(0, time(9), time(10), 60, DeliveryMode.PRESENTIEL, "Lyon")
    # Easter Monday 2027 is 29 March; the consultant is away on 5 April; 12 April is an ordinary Monday.
    found = slots(
        [monday], away=[(date(2027, 4, 5), date(2027, 4, 5))], first=date(2027, 3, 29), last=date(2027, 4, 12)
    )
    assert [paris(s.starts_at) for s in found] == ["2027-04-12 09:00"]
    assert agenda.public_holidays(date(2027, 7, 14), date(2027, 7, 14)) == {date(2027, 7, 14): "Fête nationale"}


def test_a_slot_overlapping_a_session_is_busy_back_to_back_is_free():
    ten = datetime(2027, 10, 26, 10, 30, tzinfo=TIMEZONE)
    found = slots(busy=[(ten, ten + timedelta(minutes=30))], last=date(2027, 10, 26))
    assert [paris(s.starts_at) for s in found] == ["2027-10-26 09:00", "2027-10-26 11:00"]
    long_one = datetime(2027, 10, 26, 7, 0, tzinfo=TIMEZONE)  # started before, runs into 09:00–10:00
    found = slots(busy=[(long_one, long_one + timedelta(hours=2, minutes=30))], last=date(2027, 10, 26))
    assert [paris(s.starts_at) for s in found] == ["2027-10-26 10:00", "2027-10-26 11:00"]


def test_slots_before_the_notice_or_longer_than_what_remains_are_left_out():
    earliest = datetime(2027, 10, 26, 10, 0, tzinfo=TIMEZONE)
    assert [paris(s.starts_at) for s in slots(earliest=earliest, last=date(2027, 10, 26))] == [
        "2027-10-26 10:00",
        "2027-10-26 11:00",
    ]
    assert slots(max_minutes=45) == []


# ---------------------------------------------------------------- the consultant's availability


def every_day(world, actor=None, **extra) -> None:
    """consultant_a is available every day 08:00–20:00, in slots of an hour, at the office."""
    for weekday in range(7):
        raw = {"weekday": weekday, "starts": "08:00", "ends": "20:00", "slot_minutes": 60, "mode": "presentiel"}
        agenda.add_availability(actor or world.consultant_a, {**raw, "location": "Bureau 3", **extra})


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ({"starts": "12:00", "ends": "09:00"}, {"ends": "agenda.error.ends_before_starts"}),
        ({"slot_minutes": 240}, {"slot_minutes": "agenda.error.slot_longer_than_opening"}),
        ({"mode": "distanciel", "location": ""}, {"video_link": "error.required"}),
        ({"location": ""}, {"location": "error.required"}),
        ({"weekday": 7}, {"weekday": "error.less_than_equal"}),
    ],
)
def test_a_bad_availability_is_refused_next_to_its_field(world, raw, error):
    base = {"weekday": 1, "starts": "09:00", "ends": "12:00", "slot_minutes": 60, "mode": "presentiel"}
    caught = raised(lambda: agenda.add_availability(world.consultant_a, {**base, "location": "Ici", **raw}))
    assert isinstance(caught, FormError)
    assert set(caught.fields) == set(error)
    assert agenda.my_settings(world.consultant_a).openings == []


def test_only_the_consultant_manages_their_own_availability(world):
    raw = {"weekday": 1, "starts": "09:00", "ends": "12:00", "mode": "presentiel", "location": "Ici"}
    for actor in (world.beneficiary_a, world.admin_a):
        assert isinstance(raised(lambda actor=actor: agenda.add_availability(actor, raw)), AccessDenied)
    opening = agenda.add_availability(world.consultant_a, raw)
    # Overlapping the same weekday is refused; back to back, or another day, is fine.
    for starts, ends in (("11:00", "13:00"), ("08:00", "09:30"), ("09:30", "10:30")):
        error = raised(
            lambda s=starts, e=ends: agenda.add_availability(world.consultant_a, {**raw, "starts": s, "ends": e})
        )
        assert isinstance(error, FormError) and error.fields == {"starts": "agenda.error.opening_overlap"}
    afternoon = agenda.add_availability(world.consultant_a, {**raw, "starts": "12:00", "ends": "14:00"})
    other_day = agenda.add_availability(world.consultant_a, {**raw, "weekday": 2})
    agenda.remove_availability(world.consultant_a, afternoon)
    agenda.remove_availability(world.consultant_a, other_day)
    colleague = add_person(world, "a", Role.CONSULTANT, "Hugo", "Collegue")
    assert isinstance(raised(lambda: agenda.remove_availability(colleague, opening)), NotFound)
    assert isinstance(raised(lambda: agenda.remove_availability(world.consultant_b, opening)), NotFound)
    away = agenda.add_away(world.consultant_a, {"first_day": "2030-08-01", "last_day": "2030-08-15", "label": "Congés"})
    error = raised(lambda: agenda.add_away(world.consultant_a, {"first_day": "2030-08-15", "last_day": "2030-08-01"}))
    assert isinstance(error, FormError) and error.fields == {"last_day": "agenda.error.last_before_first"}
    settings = agenda.my_settings(world.consultant_a)
    assert [o.id for o in settings.openings] == [opening] and [a.id for a in settings.away] == [away]
    assert settings.holidays  # a year ahead always holds some
    agenda.remove_away(world.consultant_a, away)
    agenda.remove_availability(world.consultant_a, opening)
    assert agenda.my_settings(world.consultant_a).openings == []


# ---------------------------------------------------------------- booking


def kinds(user_id) -> list[str]:
    with session_scope() as session:
        return [n.kind for n in session.exec(select(Notification).where(Notification.user_id == user_id)).all()]


def load(session_id) -> BilanSession:
    with session_scope() as session:
        row = session.get(BilanSession, session_id)
        session.expunge(row)
        return row


def test_she_books_a_free_slot_in_the_current_phase_and_her_consultant_is_told(world):
    bilan_id = accepted_bilan(world)
    every_day(world)
    offered = agenda.bookable_slots(world.beneficiary_a, bilan_id)
    assert offered and offered[0].starts_at >= utcnow() + timedelta(hours=24)  # the default notice
    session_id = agenda.book(world.beneficiary_a, bilan_id, {"starts_at": offered[0].starts_at.isoformat()})
    row = load(session_id)
    assert (row.status, row.phase, row.location, row.duration_minutes) == ("planned", "preliminaire", "Bureau 3", 60)
    assert "session_planned" in " ".join(kinds(world.consultant_a.user_id))
    assert offered[0] not in agenda.bookable_slots(world.beneficiary_a, bilan_id)
    # The same slot again, or a time that is no slot: refused, nothing added.
    for start in (offered[0].starts_at, offered[0].starts_at + timedelta(minutes=30)):
        error = raised(lambda start=start: agenda.book(world.beneficiary_a, bilan_id, {"starts_at": start.isoformat()}))
        assert isinstance(error, FormError) and error.fields == {"starts_at": "agenda.error.slot_unavailable"}
    # She may choose the phase.
    second = agenda.book(
        world.beneficiary_a, bilan_id, {"starts_at": offered[1].starts_at.isoformat(), "phase": "investigation"}
    )
    assert load(second).phase == "investigation"
    assert len(bilans.list_sessions(world.consultant_a, bilan_id)) == 2


def test_a_session_the_consultant_planned_elsewhere_takes_the_slot(world):
    bilan_id = accepted_bilan(world)
    every_day(world)
    other = insert_bilan(world, beneficiary=add_person(world, "a", Role.BENEFICIARY, "Ines", "Autre").user_id)
    first = agenda.bookable_slots(world.beneficiary_a, bilan_id)[0]
    local = first.starts_at.astimezone(TIMEZONE).strftime("%Y-%m-%dT%H:%M")
    bilans.plan_session(world.consultant_a, other, session_form(90, starts_at=local))
    assert first not in agenda.bookable_slots(world.beneficiary_a, bilan_id)
    error = raised(lambda: agenda.book(world.beneficiary_a, bilan_id, {"starts_at": first.starts_at.isoformat()}))
    assert isinstance(error, FormError) and error.fields == {"starts_at": "agenda.error.slot_unavailable"}


def test_no_slot_takes_the_bilan_past_24_hours(world):
    bilan_id = accepted_bilan(world)
    every_day(world)
    for _ in range(5):
        bilans.plan_session(world.consultant_a, bilan_id, session_form(276))  # 23 h planned
    assert agenda.bookable_slots(world.beneficiary_a, bilan_id)  # 60 min still fit
    bilans.plan_session(world.consultant_a, bilan_id, session_form(30))  # 23.5 h
    assert agenda.bookable_slots(world.beneficiary_a, bilan_id) == []


def test_she_moves_then_cancels_up_to_the_notice(world):
    bilan_id = accepted_bilan(world)
    every_day(world)
    offered = agenda.bookable_slots(world.beneficiary_a, bilan_id)
    session_id = agenda.book(world.beneficiary_a, bilan_id, {"starts_at": offered[-1].starts_at.isoformat()})
    agenda.move_booking(world.beneficiary_a, session_id, {"starts_at": offered[-2].starts_at.isoformat()})
    assert load(session_id).starts_at == offered[-2].starts_at
    assert any(k.endswith("session_moved") for k in kinds(world.consultant_a.user_id))
    # Back to the slot next to its current time: its own time does not count as busy.
    agenda.move_booking(world.beneficiary_a, session_id, {"starts_at": offered[-1].starts_at.isoformat()})
    # The organisation asks for 60 days of notice (past the 8 weeks offered): too late now, her changes
    # go through the consultant.
    update_organisation(world.org_a, booking_notice_hours=24 * 60)
    for call in (
        lambda: agenda.move_booking(world.beneficiary_a, session_id, {"starts_at": offered[-2].starts_at.isoformat()}),
        lambda: agenda.cancel_booking(world.beneficiary_a, session_id),
    ):
        error = raised(call)
        assert error.code == "agenda.error.notice_passed" and error.params["hours"] == format_number(1440)
    assert load(session_id).status == SessionStatus.PLANNED
    update_organisation(world.org_a, booking_notice_hours=24)
    agenda.cancel_booking(world.beneficiary_a, session_id)
    assert load(session_id).status == SessionStatus.CANCELLED
    assert any(k.endswith("session_cancelled") for k in kinds(world.consultant_a.user_id))
    assert isinstance(raised(lambda: agenda.cancel_booking(world.beneficiary_a, session_id)), ServiceError)


def test_only_her_own_bilan_and_sessions(world):
    bilan_id = accepted_bilan(world)
    every_day(world)
    slot = agenda.bookable_slots(world.beneficiary_a, bilan_id)[0]
    raw = {"starts_at": slot.starts_at.isoformat()}
    other = add_person(world, "a", Role.BENEFICIARY, "Ines", "Autre")
    assert isinstance(raised(lambda: agenda.book(other, bilan_id, raw)), (AccessDenied, NotFound))
    assert isinstance(raised(lambda: agenda.book(world.beneficiary_b, bilan_id, raw)), NotFound)
    assert isinstance(raised(lambda: agenda.book(world.consultant_a, bilan_id, raw)), AccessDenied)
    session_id = agenda.book(world.beneficiary_a, bilan_id, raw)
    assert isinstance(raised(lambda: agenda.cancel_booking(other, session_id)), (AccessDenied, NotFound))
    assert isinstance(raised(lambda: agenda.cancel_booking(world.beneficiary_b, session_id)), NotFound)
    # Her consultant cancels through the bilan's sessions, at any time.
    bilans.cancel_session(world.consultant_a, session_id)


# ---------------------------------------------------------------- the calendar


def test_the_calendar_spans_the_consultant_bilans_and_the_admin_reads_it_per_consultant(world):
    first = accepted_bilan(world)
    other = insert_bilan(world, beneficiary=add_person(world, "a", Role.BENEFICIARY, "Ines", "Autre").user_id)
    day = utcnow().astimezone(TIMEZONE).date() + timedelta(days=3)
    for bilan_id, hour in ((first, 9), (other, 14)):
        start = datetime.combine(day, time(hour), tzinfo=TIMEZONE).strftime("%Y-%m-%dT%H:%M")
        bilans.plan_session(world.consultant_a, bilan_id, session_form(60, starts_at=start))
    cancelled = bilans.plan_session(world.consultant_a, other, session_form(60, starts_at=f"{day.isoformat()}T17:00"))
    bilans.cancel_session(world.consultant_a, cancelled)
    entries = agenda.calendar(world.consultant_a, day, day)
    assert [(e.beneficiary, e.starts_at.astimezone(TIMEZONE).hour) for e in entries] == [
        (entries[0].beneficiary, 9),
        ("Ines Autre", 14),
    ]
    assert agenda.calendar(world.consultant_a, day + timedelta(days=1), day + timedelta(days=7)) == []
    assert agenda.calendar(world.admin_a, day, day, world.consultant_a.user_id) == entries
    colleague = add_person(world, "a", Role.CONSULTANT, "Hugo", "Collegue")
    assert isinstance(raised(lambda: agenda.calendar(colleague, day, day, world.consultant_a.user_id)), AccessDenied)
    assert isinstance(raised(lambda: agenda.calendar(world.beneficiary_a, day, day)), AccessDenied)
    assert isinstance(raised(lambda: agenda.calendar(world.admin_b, day, day, world.consultant_a.user_id)), NotFound)
    assert isinstance(raised(lambda: agenda.calendar(world.admin_a, day, day)), AccessDenied)


def test_the_notice_is_an_organisation_setting_of_its_profile(world):
    profile = members.get_organisation_profile(world.admin_a)
    assert profile["booking_notice_hours"] == 24
    raw = {name: profile[name] for name in members.PROFILE_FIELDS}
    raw["modes"] = str(profile["modes"]).split(",")
    for bad in (-1, 721, "douze"):
        error = raised(
            lambda bad=bad: members.update_organisation_profile(world.admin_a, {**raw, "booking_notice_hours": bad})
        )
        assert isinstance(error, FormError) and set(error.fields) == {"booking_notice_hours"}
    members.update_organisation_profile(world.admin_a, {**raw, "booking_notice_hours": "48"})
    assert members.get_organisation_profile(world.admin_a)["booking_notice_hours"] == 48
    assert organisation_profile_row(members.get_organisation_profile(world.admin_a))["booking_notice_hours"] == "48"
    bilan_id = accepted_bilan(world)
    assert agenda.booking_notice_hours(world.beneficiary_a, bilan_id) == 48


# ---------------------------------------------------------------- the rows of the pages


def test_the_week_and_month_grids_are_whole_weeks_in_paris_days():
    # October 2027: the 1st is a Friday, the 31st (the change to winter time) a Sunday.
    assert period(date(2027, 10, 27), "week") == (
        date(2027, 10, 25),
        date(2027, 10, 31),
        date(2027, 10, 25),
        date(2027, 10, 31),
    )
    first, last, grid_first, grid_last = period(date(2027, 10, 13), "month")
    assert (first, last, grid_first, grid_last) == (
        date(2027, 10, 1),
        date(2027, 10, 31),
        date(2027, 9, 27),
        date(2027, 10, 31),
    )
    late = agenda.AgendaEntry(
        session_id="s",
        bilan_id="b",
        beneficiary="Ines Autre",
        starts_at=datetime(2027, 10, 31, 22, 30, tzinfo=UTC),  # 23:30 in Paris, still Sunday
        minutes=60,
        phase="investigation",
        status="planned",
        mode="presentiel",
        place="Bureau 3",
    )
    days = day_rows([late], date(2027, 10, 27), "week", date(2027, 10, 29), "fr")
    assert days[0]["key"] == "2027-10-25" and len(days) == 7
    assert [d["is_today"] for d in days].index(True) == 4
    sunday = days[-1]
    assert sunday["entries"] == [
        {
            "id": "s",
            "time": "23:30–00:30",
            "beneficiary": "Ines Autre",
            "phase": "Investigation",
            "status": "Planifié",
            "place": "Bureau 3",
            "href": "/bilans/b",
        }
    ]
    month = day_rows([late], date(2027, 10, 13), "month", date(2027, 10, 29), "fr")
    assert len(month) == 35 and [d["in_period"] for d in month[:4]] == [False, False, False, False]
    assert period_label(date(2027, 10, 13), "month", "fr") == "octobre 2027"


def test_slot_rows_say_the_paris_time_and_the_place():
    rows = slot_rows(slots(last=date(2027, 10, 26)), "fr")
    assert rows[0]["value"] == "2027-10-26T07:00:00+00:00"
    assert rows[0]["label"] == "mardi 26 octobre 2027 · 09:00–10:00 · En présentiel (12 rue de la Paix)"
