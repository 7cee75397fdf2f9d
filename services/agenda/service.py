"""The consultant's availability, the beneficiary's booking from its free slots, and the consultant's
calendar across bilans.

Booking goes through ``services.bilans.sessions``: the same checks as a session a follower plans (the
consultant's row locked, no overlap, the 24 h ceiling), so a slot two beneficiaries take at once goes to
one of them; the other reads that it was just taken.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field
from sqlmodel import Session, col, select

from services import audit
from services.access import Actor, Permission, can, get_scoped, scoped
from services.agenda.slots import Opening, Slot, free_slots, public_holidays, wall_clock
from services.bilans._common import planned_minutes
from services.bilans.access import get_bilan, require_beneficiary
from services.bilans.sessions import (
    MAX_SESSION_MINUTES,
    PLANNING_HORIZON,
    accepted_bilan,
    add_planned_session,
    cancel_pending_session,
    check_place,
    move_planned_session,
    session_and_bilan,
)
from services.bilans.statuses import LEGAL_MAX_MINUTES
from services.calendar import visio
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.forms import Link, Place, SaneDate, SessionForm, ShortText, validate_form
from services.i18n import TIMEZONE, format_number
from services.models import (
    Availability,
    AvailabilityException,
    Bilan,
    BilanSession,
    DeliveryMode,
    Membership,
    Organisation,
    Phase,
    Role,
    SessionStatus,
    User,
)
from services.models.base import utcnow

# How far ahead the beneficiary sees free slots.
BOOKING_WEEKS = 8


def _empty_is_none(value: object) -> object:
    return None if value in ("", None) else value


class AvailabilityForm(BaseModel):
    weekday: Annotated[int, Field(ge=0, le=6)]
    starts: time
    ends: time
    slot_minutes: Annotated[int, Field(ge=15, le=MAX_SESSION_MINUTES)] = 60
    mode: DeliveryMode
    location: Place = ""
    video_link: Link = ""


class AwayForm(BaseModel):
    first_day: SaneDate
    last_day: SaneDate
    label: ShortText = ""


class BookingForm(BaseModel):
    starts_at: datetime
    phase: Annotated[Phase | None, BeforeValidator(_empty_is_none)] = None


# ---------------------------------------------------------------- the consultant's availability


def _require_consultant(actor: Actor) -> uuid.UUID:
    if actor.role is not Role.CONSULTANT or actor.organisation_id is None:
        raise AccessDenied()
    return actor.organisation_id


def _record(session: Session, actor: Actor, action: str, target_id: uuid.UUID, **changes: Any) -> None:
    audit.record(session, action, actor=actor, target_type="agenda", target_id=target_id, changes=changes)


def add_availability(actor: Actor, raw: dict[str, Any]) -> uuid.UUID:
    """A consultant, for themselves: a weekly opening (Paris time), at a place or remote (its link)."""
    organisation_id = _require_consultant(actor)
    form = validate_form(AvailabilityForm, raw)
    if form.ends <= form.starts:
        raise FormError({"ends": "agenda.error.ends_before_starts"})
    minutes = (datetime.combine(date.min, form.ends) - datetime.combine(date.min, form.starts)).seconds // 60
    if form.slot_minutes > minutes:
        raise FormError({"slot_minutes": "agenda.error.slot_longer_than_opening"})
    if form.mode == DeliveryMode.HYBRIDE:
        raise FormError({"mode": "error.invalid_choice"})
    with session_scope() as session:
        check_place(form.mode, form.location, form.video_link, visio.pasted_links(session, organisation_id))
        same_day = session.exec(
            scoped(Availability, actor).where(
                Availability.consultant_id == actor.user_id, Availability.weekday == form.weekday
            )
        ).all()
        # Overlapping openings would offer the same hour twice.
        if any(other.starts < form.ends and form.starts < other.ends for other in same_day):
            raise FormError({"starts": "agenda.error.opening_overlap"})
        row = Availability(organisation_id=organisation_id, consultant_id=actor.user_id, **form.model_dump())
        session.add(row)
        _record(session, actor, "agenda.availability_added", row.id, weekday={"before": None, "after": form.weekday})
        return row.id


def remove_availability(actor: Actor, availability_id: uuid.UUID | str) -> None:
    """A consultant: one of their own openings (sessions already booked stay)."""
    _require_consultant(actor)
    with session_scope() as session:
        row = get_scoped(session, Availability, availability_id, actor)
        if row.consultant_id != actor.user_id:
            raise NotFound()
        session.delete(row)
        _record(session, actor, "agenda.availability_removed", row.id, weekday={"before": row.weekday, "after": None})


def add_away(actor: Actor, raw: dict[str, Any]) -> uuid.UUID:
    """A consultant, for themselves: days away (holidays, absences), inclusive."""
    organisation_id = _require_consultant(actor)
    form = validate_form(AwayForm, raw)
    if form.last_day < form.first_day:
        raise FormError({"last_day": "agenda.error.last_before_first"})
    with session_scope() as session:
        row = AvailabilityException(organisation_id=organisation_id, consultant_id=actor.user_id, **form.model_dump())
        session.add(row)
        _record(session, actor, "agenda.away_added", row.id, days={"before": None, "after": f"{form.first_day}"})
        return row.id


def remove_away(actor: Actor, away_id: uuid.UUID | str) -> None:
    """A consultant: one of their own days away."""
    _require_consultant(actor)
    with session_scope() as session:
        row = get_scoped(session, AvailabilityException, away_id, actor)
        if row.consultant_id != actor.user_id:
            raise NotFound()
        session.delete(row)
        _record(session, actor, "agenda.away_removed", row.id, days={"before": f"{row.first_day}", "after": None})


@dataclass(frozen=True)
class AgendaSettings:
    openings: list[Availability]
    away: list[AvailabilityException]
    holidays: dict[date, str]  # the coming year's public holidays


def my_settings(actor: Actor) -> AgendaSettings:
    """A consultant: their openings, days away (from today) and the coming public holidays."""
    _require_consultant(actor)
    today = utcnow().astimezone(TIMEZONE).date()
    with session_scope() as session:
        openings = session.exec(
            scoped(Availability, actor)
            .where(Availability.consultant_id == actor.user_id)
            .order_by(col(Availability.weekday), col(Availability.starts))
        ).all()
        away = session.exec(
            scoped(AvailabilityException, actor)
            .where(AvailabilityException.consultant_id == actor.user_id, AvailabilityException.last_day >= today)
            .order_by(col(AvailabilityException.first_day))
        ).all()
        for row in (*openings, *away):
            session.expunge(row)
        return AgendaSettings(list(openings), list(away), public_holidays(today, today + timedelta(days=365)))


# ---------------------------------------------------------------- free slots


def _consultant_slots(
    session: Session,
    organisation_id: uuid.UUID,
    consultant_id: uuid.UUID,
    first: date,
    last: date,
    *,
    earliest: datetime,
    max_minutes: int | None = None,
    ignore: uuid.UUID | None = None,
) -> list[Slot]:
    """The consultant's free slots from ``first`` to ``last``: their openings less their days away, the
    public holidays and their sessions of every bilan of the organisation (``ignore``: the one being moved)."""
    openings = [
        Opening(row.weekday, row.starts, row.ends, row.slot_minutes, row.mode, row.location, row.video_link)
        for row in session.exec(
            select(Availability).where(
                Availability.organisation_id == organisation_id, Availability.consultant_id == consultant_id
            )
        ).all()
    ]
    if not openings:
        return []
    away = [
        (row.first_day, row.last_day)
        for row in session.exec(
            select(AvailabilityException).where(
                AvailabilityException.organisation_id == organisation_id,
                AvailabilityException.consultant_id == consultant_id,
                AvailabilityException.last_day >= first,
                AvailabilityException.first_day <= last,
            )
        ).all()
    ]
    window_start = wall_clock(first, time.min) - timedelta(minutes=MAX_SESSION_MINUTES)
    window_end = wall_clock(last + timedelta(days=1), time.min)
    sessions = session.exec(
        select(BilanSession.id, BilanSession.starts_at, BilanSession.duration_minutes)
        .join(Bilan, col(Bilan.id) == BilanSession.bilan_id)
        .where(
            Bilan.organisation_id == organisation_id,
            Bilan.consultant_id == consultant_id,
            BilanSession.status != SessionStatus.CANCELLED,
            BilanSession.starts_at >= window_start,
            BilanSession.starts_at < window_end,
        )
    ).all()
    busy = [(start, start + timedelta(minutes=minutes)) for sid, start, minutes in sessions if sid != ignore]
    return free_slots(openings, away, busy, first, last, earliest=earliest, max_minutes=max_minutes)


def _notice(session: Session, bilan: Bilan) -> timedelta:
    organisation = session.get(Organisation, bilan.organisation_id)
    return timedelta(hours=organisation.booking_notice_hours if organisation else 24)


def _bookable(
    session: Session, bilan: Bilan, *, ignore: BilanSession | None = None, weeks: int = BOOKING_WEEKS
) -> list[Slot]:
    """The slots the bilan's beneficiary may take now: past the notice, within what the bilan may still plan."""
    if bilan.consultant_id is None:
        return []
    now = utcnow()
    today = now.astimezone(TIMEZONE).date()
    remaining = LEGAL_MAX_MINUTES - planned_minutes(session, bilan.id)
    if ignore is not None:
        remaining += ignore.duration_minutes
    return _consultant_slots(
        session,
        bilan.organisation_id,
        bilan.consultant_id,
        today,
        min(today + timedelta(weeks=weeks), (now + PLANNING_HORIZON).date()),
        earliest=now + _notice(session, bilan),
        max_minutes=remaining,
        ignore=ignore.id if ignore else None,
    )


def bookable_slots(actor: Actor, bilan_id: uuid.UUID | str) -> list[Slot]:
    """Anyone who sees the bilan: its consultant's free slots the beneficiary may book now."""
    with session_scope() as session:
        return _bookable(session, get_bilan(session, actor, bilan_id))


def booking_notice_hours(actor: Actor, bilan_id: uuid.UUID | str) -> int:
    """Anyone who sees the bilan: the organisation's notice for the beneficiary's own changes."""
    with session_scope() as session:
        return int(_notice(session, get_bilan(session, actor, bilan_id)).total_seconds() // 3600)


def consultant_free_slots(actor: Actor, consultant_id: uuid.UUID | str, first: date, last: date) -> list[Slot]:
    """The consultant themselves, or an org admin of their organisation: their free slots (from now)."""
    target = _consultant_of(actor, consultant_id)
    if actor.organisation_id is None:
        raise AccessDenied()
    with session_scope() as session:
        _require_member(session, actor.organisation_id, target)
        return _consultant_slots(session, actor.organisation_id, target, first, last, earliest=utcnow())


def _slot_at(slots: list[Slot], starts_at: datetime) -> Slot:
    for slot in slots:
        if slot.starts_at == starts_at:
            return slot
    raise FormError({"starts_at": "agenda.error.slot_unavailable"})


def _taken(error: FormError) -> FormError:
    """An overlap found under the consultant's lock: someone took the slot first (her message never
    shows the consultant's other appointments)."""
    if error.fields.get("starts_at") == "error.session_overlap":
        return FormError({"starts_at": "agenda.error.slot_taken"})
    return error


def _require_before_notice(session: Session, bilan: Bilan, appointment: BilanSession) -> None:
    notice = _notice(session, bilan)
    if appointment.status != SessionStatus.PLANNED or appointment.starts_at - notice < utcnow():
        raise ServiceError("agenda.error.notice_passed", hours=format_number(notice.total_seconds() / 3600))


def book(actor: Actor, bilan_id: uuid.UUID | str, raw: dict[str, Any]) -> uuid.UUID:
    """The bilan's beneficiary, once it is accepted and while open: her next session, in one of her
    consultant's free slots; the phase is the bilan's current one unless she chooses it."""
    form = validate_form(BookingForm, raw)
    starts_at = form.starts_at if form.starts_at.tzinfo else form.starts_at.replace(tzinfo=TIMEZONE)
    with session_scope() as session:
        bilan = accepted_bilan(session, actor, bilan_id, require_beneficiary)
        slot = _slot_at(_bookable(session, bilan), starts_at)
        planned = SessionForm(
            starts_at=slot.starts_at,
            duration_minutes=slot.minutes,
            phase=form.phase,
            mode=slot.mode,
            location=slot.location,
            video_link=slot.video_link,
        )
        try:
            return add_planned_session(session, actor, bilan, planned, slot.starts_at).id
        except FormError as error:
            raise _taken(error) from error


def move_booking(actor: Actor, session_id: uuid.UUID | str, raw: dict[str, Any]) -> None:
    """The bilan's beneficiary, up to the organisation's notice before her session: to another free slot."""
    form = validate_form(BookingForm, raw)
    starts_at = form.starts_at if form.starts_at.tzinfo else form.starts_at.replace(tzinfo=TIMEZONE)
    with session_scope() as session:
        appointment, bilan = session_and_bilan(session, actor, session_id)
        require_beneficiary(actor, bilan)
        _require_before_notice(session, bilan, appointment)
        slot = _slot_at(_bookable(session, bilan, ignore=appointment), starts_at)
        try:
            move_planned_session(session, actor, bilan, appointment, slot.starts_at, slot.minutes)
        except FormError as error:
            raise _taken(error) from error


def cancel_booking(actor: Actor, session_id: uuid.UUID | str) -> None:
    """The bilan's beneficiary, up to the organisation's notice before her session: cancel it."""
    with session_scope() as session:
        appointment, bilan = session_and_bilan(session, actor, session_id)
        require_beneficiary(actor, bilan)
        _require_before_notice(session, bilan, appointment)
        cancel_pending_session(session, actor, bilan, appointment)


# ---------------------------------------------------------------- the consultant's calendar


@dataclass(frozen=True)
class AgendaEntry:
    session_id: str
    bilan_id: str
    beneficiary: str
    starts_at: datetime
    minutes: int
    phase: str
    status: str
    mode: str
    place: str


def _consultant_of(actor: Actor, consultant_id: uuid.UUID | str | None) -> uuid.UUID:
    """Whose calendar the actor reads: a consultant their own; an org admin anyone's of the organisation."""
    if actor.role is Role.CONSULTANT and consultant_id in (None, "", actor.user_id, str(actor.user_id)):
        return actor.user_id
    if not can(actor, Permission.SUPERVISE_BILANS) or consultant_id in (None, ""):
        raise AccessDenied()
    try:
        return consultant_id if isinstance(consultant_id, uuid.UUID) else uuid.UUID(str(consultant_id))
    except ValueError as exc:
        raise NotFound() from exc


def _require_member(session: Session, organisation_id: uuid.UUID, user_id: uuid.UUID) -> None:
    found = session.exec(
        select(Membership.id).where(Membership.organisation_id == organisation_id, Membership.user_id == user_id)
    ).first()
    if found is None:
        raise NotFound()


def calendar(actor: Actor, first: date, last: date, consultant_id: uuid.UUID | str | None = None) -> list[AgendaEntry]:
    """A consultant (their own), or an org admin (a consultant of the organisation): the sessions of all
    their bilans from ``first`` to ``last`` (Paris days, inclusive), cancelled ones left out."""
    target = _consultant_of(actor, consultant_id)
    if actor.organisation_id is None:
        raise AccessDenied()
    with session_scope() as session:
        _require_member(session, actor.organisation_id, target)
        rows = session.exec(
            select(BilanSession, Bilan, User)
            .join(Bilan, col(Bilan.id) == BilanSession.bilan_id)
            .join(User, col(User.id) == Bilan.beneficiary_id)
            .where(
                Bilan.organisation_id == actor.organisation_id,
                Bilan.consultant_id == target,
                BilanSession.status != SessionStatus.CANCELLED,
                BilanSession.starts_at >= wall_clock(first, time.min),
                BilanSession.starts_at < wall_clock(last + timedelta(days=1), time.min),
            )
            .order_by(col(BilanSession.starts_at))
        ).all()
        return [
            AgendaEntry(
                session_id=str(appointment.id),
                bilan_id=str(bilan.id),
                beneficiary=f"{person.first_name} {person.last_name}".strip(),
                starts_at=appointment.starts_at,
                minutes=appointment.duration_minutes,
                phase=str(appointment.phase),
                status=str(appointment.status),
                mode=str(appointment.mode),
                # Never the video link: the admin reads this calendar too, and participants get the link
                # only from 15 minutes before (services.calendar.visio).
                place=appointment.location,
            )
            for appointment, bilan, person in rows
        ]


def today(actor: Actor) -> list[AgendaEntry]:
    """A consultant: today's sessions (Paris day), for their home."""
    day = utcnow().astimezone(TIMEZONE).date()
    return calendar(actor, day, day)
