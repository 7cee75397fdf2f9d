"""The bilan's sessions: planning and rescheduling, sessions recorded afterwards, cancelling, the
attendance sheet (émargement) each party confirms, the consultant's notes, and the hours they add up to."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from services import notifications, session_notes
from services.access import Actor, get_scoped
from services.bilans._common import held_minutes, planned_minutes, record_change
from services.bilans.access import get_bilan, require_assigned_consultant, require_follower
from services.bilans.convention import first_signature, held_before_convention
from services.bilans.events import BilanAction, log_personal_read
from services.bilans.statuses import LEGAL_MAX_MINUTES, default_phase, require_open
from services.calendar import visio
from services.crypto import encrypt_text
from services.db import session_scope
from services.errors import AccessDenied, FormError, ServiceError
from services.forms import (
    SESSION_NOTES_MAX,
    RecordedSessionForm,
    RescheduleForm,
    SessionForm,
    require_max_length,
    validate_form,
)
from services.i18n import TIMEZONE, format_datetime, format_number
from services.models import (
    Bilan,
    BilanSession,
    BilanStatus,
    DeliveryMode,
    Organisation,
    Phase,
    Role,
    SessionStatus,
    User,
)
from services.models.base import utcnow

# ---------------------------------------------------------------- hours


@dataclass(frozen=True)
class Hours:
    planned_minutes: int  # the sessions planned or held (what the 24 h ceiling counts)
    completed_minutes: int  # the sessions held
    max_minutes: int
    min_minutes: int
    # The bilan's planned duration (its convention): the "h prévues" of its documents (synthèse, certificate).
    agreed_minutes: int = 0

    @property
    def remaining_minutes(self) -> int:
        """What may still be planned under the legal ceiling."""
        return max(0, self.max_minutes - self.planned_minutes)


def hours(actor: Actor, bilan_id: uuid.UUID | str) -> Hours:
    """Anyone who sees the bilan (the beneficiary, her followers): its hours planned, held and allowed."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        organisation = session.get(Organisation, bilan.organisation_id)
        return Hours(
            planned_minutes=planned_minutes(session, bilan.id),
            completed_minutes=held_minutes(session, bilan.id),
            max_minutes=LEGAL_MAX_MINUTES,
            min_minutes=int((organisation.min_hours if organisation else 0) * 60),
            agreed_minutes=round(bilan.hours_planned_total * 60),
        )


# ---------------------------------------------------------------- the rules of a slot

# Attendance (émargement) is confirmed by each party from the start until 48 h after the end; a session
# recorded afterwards is confirmed by the beneficiary within 7 days of the record.
ATTENDANCE_CLOSES_AFTER = timedelta(hours=48)
RECORDED_CONFIRMATION_WINDOW = timedelta(days=7)
PLANNING_HORIZON = timedelta(days=366)
MAX_SESSION_MINUTES = 480  # SessionForm's ceiling: bounds the overlap search
# Still awaiting attendance: it may be confirmed (within its window) or cancelled.
PENDING_SESSION_STATUSES = frozenset({SessionStatus.PLANNED, SessionStatus.RECORDED})


def _ends_at(appointment: BilanSession) -> datetime:
    return appointment.starts_at + timedelta(minutes=appointment.duration_minutes)


def attendance_window(appointment: BilanSession) -> tuple[datetime, datetime]:
    """Any service, on a session it loaded and checked: when attendance may be confirmed, the session
    itself and 48 h after, or a week after its record."""
    if appointment.status == SessionStatus.RECORDED and appointment.recorded_afterwards_at is not None:
        return appointment.recorded_afterwards_at, appointment.recorded_afterwards_at + RECORDED_CONFIRMATION_WINDOW
    return appointment.starts_at, _ends_at(appointment) + ATTENDANCE_CLOSES_AFTER


def _attendance_open(appointment: BilanSession, now: datetime) -> bool:
    opens, closes = attendance_window(appointment)
    return appointment.status in PENDING_SESSION_STATUSES and opens <= now <= closes


def _attendance_party(actor: Actor, bilan: Bilan) -> str | None:
    """Which side of the émargement the actor signs: the bilan's beneficiary, its consultant, or none."""
    if actor.role is Role.BENEFICIARY and bilan.beneficiary_id == actor.user_id:
        return "beneficiary"
    if actor.role is Role.CONSULTANT and bilan.consultant_id == actor.user_id:
        return "consultant"
    return None


def local_start(form_starts_at: datetime) -> datetime:
    """A datetime-local from the form is Paris time."""
    return form_starts_at if form_starts_at.tzinfo else form_starts_at.replace(tzinfo=TIMEZONE)


def require_future_start(starts_at: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise FormError({"starts_at": "error.session_in_past"})
    if starts_at > now + PLANNING_HORIZON:
        raise FormError({"starts_at": "error.session_too_far"})


def _check_slot(
    session: Session,
    bilan: Bilan,
    starts_at: datetime,
    minutes: int,
    *,
    exclude: uuid.UUID | None = None,
) -> None:
    """The 24 h ceiling of the bilan and no overlap with another session of its consultant (all their
    bilans of the organisation). The consultant's user row is locked first (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite serialises writers anyway), so two tabs cannot both insert an overlapping slot."""
    if bilan.consultant_id is not None:
        session.exec(select(User.id).where(col(User.id) == bilan.consultant_id).with_for_update()).first()
    planned = planned_minutes(session, bilan.id)
    if exclude is not None:
        current = session.get(BilanSession, exclude)
        planned -= current.duration_minutes if current and current.status != SessionStatus.CANCELLED else 0
    if planned + minutes > LEGAL_MAX_MINUTES:
        raise FormError(
            {"duration_minutes": "error.hours_over_max"},
            remaining=format_number(max(0, LEGAL_MAX_MINUTES - planned) / 60),
        )
    if bilan.consultant_id is None:
        return
    ends_at = starts_at + timedelta(minutes=minutes)
    nearby = session.exec(
        select(BilanSession)
        .join(Bilan, col(Bilan.id) == BilanSession.bilan_id)
        .where(
            Bilan.organisation_id == bilan.organisation_id,
            Bilan.consultant_id == bilan.consultant_id,
            BilanSession.status != SessionStatus.CANCELLED,
            BilanSession.starts_at < ends_at,
            BilanSession.starts_at > starts_at - timedelta(minutes=MAX_SESSION_MINUTES),
        )
    ).all()
    for other in nearby:
        if other.id != exclude and _ends_at(other) > starts_at:
            slot = (
                f"{format_datetime(other.starts_at, 'fr', 'dd/MM/y HH:mm')}–"
                f"{format_datetime(_ends_at(other), 'fr', 'HH:mm')}"
            )
            raise FormError({"starts_at": "error.session_overlap"}, slot=slot)


def check_place(mode: DeliveryMode, location: str, video_link: str, needs_link: bool = True) -> None:
    """Any service: a remote session needs its link (unless ``needs_link`` is False: with the organisation's
    Jitsi, a room is made), one on site its place."""
    if mode == DeliveryMode.DISTANCIEL and needs_link and not video_link:
        raise FormError({"video_link": "error.required"})
    if mode == DeliveryMode.PRESENTIEL and not location:
        raise FormError({"location": "error.required"})


def _require_convention_for(session: Session, bilan: Bilan, phase: Phase | str, starts_at: datetime) -> None:
    """Nothing is held before the convention is signed, except the preliminary interview when the
    organisation's process holds it first (the attendance sheet says so)."""
    if not held_before_convention(starts_at, first_signature(session, bilan)):
        return
    organisation = session.get(Organisation, bilan.organisation_id)
    if Phase(phase) == Phase.PRELIMINAIRE and organisation and organisation.preliminary_interview_before_convention:
        return
    raise ServiceError("error.session_before_convention")


def _describe(phase: Phase | str, starts_at: datetime, minutes: int) -> str:
    return f"{phase} {starts_at.astimezone(TIMEZONE).isoformat()} {minutes} min"


def _new_session(
    bilan: Bilan, phase: Phase, starts_at: datetime, form: SessionForm | RecordedSessionForm, **extra: Any
) -> BilanSession:
    """A session row of the bilan from a checked form (planned, or recorded afterwards with ``extra``)."""
    return BilanSession(
        organisation_id=bilan.organisation_id,
        bilan_id=bilan.id,
        phase=phase,
        starts_at=starts_at,
        duration_minutes=form.duration_minutes,
        mode=form.mode,
        location=form.location,
        video_link=form.video_link,
        **extra,
    )


def session_and_bilan(session: Session, actor: Actor, session_id: uuid.UUID | str) -> tuple[BilanSession, Bilan]:
    """A session the actor sees (scoped to their organisation) and its bilan, which they must see too."""
    appointment = get_scoped(session, BilanSession, session_id, actor)
    return appointment, get_bilan(session, actor, appointment.bilan_id)


def accepted_bilan(
    session: Session, actor: Actor, bilan_id: uuid.UUID | str, allowed: Callable[[Actor, Bilan], None]
) -> Bilan:
    """A bilan sessions may be added to: the actor sees it and ``allowed`` lets them; open and accepted."""
    bilan = get_bilan(session, actor, bilan_id)
    allowed(actor, bilan)
    require_open(bilan)
    if bilan.status == BilanStatus.DEMANDE:
        raise ServiceError("error.bilan_not_accepted")
    return bilan


# ---------------------------------------------------------------- planning, recording, cancelling


def plan_session(actor: Actor, bilan_id: uuid.UUID | str, raw: dict[str, Any]) -> uuid.UUID:
    """The bilan's followers, once accepted and while open: plan an appointment in the future, with no
    overlap for the consultant, and a total that never passes the legal 24 hours (L6313-4). The phase
    defaults to the bilan's current one."""
    form = validate_form(SessionForm, raw)
    starts_at = local_start(form.starts_at)
    require_future_start(starts_at, utcnow())
    with session_scope() as session:
        bilan = accepted_bilan(session, actor, bilan_id, require_follower)
        return add_planned_session(session, actor, bilan, form, starts_at).id


def add_planned_session(
    session: Session, actor: Actor, bilan: Bilan, form: SessionForm, starts_at: datetime
) -> BilanSession:
    """Inside the caller's transaction, on a bilan it checked with ``accepted_bilan`` and a start it
    checked in the future (planning by a follower, booking by the beneficiary): the checks of a slot
    (the consultant locked), the row, its audit and the parties' notifications."""
    phase = form.phase or default_phase(bilan.status)
    check_place(form.mode, form.location, form.video_link, visio.pasted_links(session, bilan.organisation_id))
    _check_slot(session, bilan, starts_at, form.duration_minutes)
    appointment = _new_session(bilan, phase, starts_at, form)
    session.add(appointment)
    record_change(
        session,
        actor,
        bilan,
        BilanAction.SESSION_PLANNED,
        appointment={"before": None, "after": _describe(phase, starts_at, form.duration_minutes)},
    )
    notifications.session_planned(session, actor, bilan, appointment)
    return appointment


def reschedule_session(actor: Actor, session_id: uuid.UUID | str, raw: dict[str, Any]) -> None:
    """The bilan's followers, while it is open: move a planned session that has not started, with the
    checks of planning; audited before/after."""
    form = validate_form(RescheduleForm, raw)
    starts_at = local_start(form.starts_at)
    now = utcnow()
    require_future_start(starts_at, now)
    with session_scope() as session:
        appointment, bilan = session_and_bilan(session, actor, session_id)
        require_follower(actor, bilan)
        move_planned_session(session, actor, bilan, appointment, starts_at, form.duration_minutes)


def move_planned_session(
    session: Session, actor: Actor, bilan: Bilan, appointment: BilanSession, starts_at: datetime, minutes: int
) -> None:
    """Inside the caller's transaction, on a session of a bilan it loaded and whose actor it checked, to
    a start it checked in the future: the session must be planned and not started, the bilan open; the
    checks of a slot, the audit before/after and the parties' notifications."""
    require_open(bilan)
    if appointment.status != SessionStatus.PLANNED or appointment.starts_at <= utcnow():
        raise ServiceError("error.session_not_movable")
    _check_slot(session, bilan, starts_at, minutes, exclude=appointment.id)
    before = _describe(appointment.phase, appointment.starts_at, appointment.duration_minutes)
    previous_start = appointment.starts_at
    appointment.starts_at = starts_at
    appointment.duration_minutes = minutes
    appointment.reminder_sent_at = None  # the reminder goes out again for the new date
    session.add(appointment)
    record_change(
        session,
        actor,
        bilan,
        BilanAction.SESSION_RESCHEDULED,
        appointment={"before": before, "after": _describe(appointment.phase, starts_at, minutes)},
    )
    notifications.session_moved(session, actor, bilan, appointment, previous_start)


def record_past_session(actor: Actor, bilan_id: uuid.UUID | str, raw: dict[str, Any]) -> uuid.UUID:
    """The bilan's assigned consultant, while it is open: a session held without the platform, recorded
    afterwards ("saisie a posteriori") with a reason (encrypted). The consultant's record is their side of
    the émargement; the session counts as held only once the beneficiary confirms it from her space within
    7 days, and the attendance sheet says so either way: her confirmation is never made up."""
    form = validate_form(RecordedSessionForm, raw)
    starts_at = local_start(form.starts_at)
    now = utcnow()
    if starts_at + timedelta(minutes=form.duration_minutes) > now:
        raise FormError({"starts_at": "error.recorded_session_not_past"})
    with session_scope() as session:
        bilan = accepted_bilan(session, actor, bilan_id, require_assigned_consultant)
        if starts_at < bilan.requested_at:
            raise FormError({"starts_at": "error.recorded_session_before_bilan"})
        phase = form.phase or default_phase(bilan.status)
        check_place(form.mode, form.location, form.video_link, visio.pasted_links(session, bilan.organisation_id))
        try:
            _require_convention_for(session, bilan, phase, starts_at)
        except ServiceError as exc:
            raise FormError({"starts_at": exc.code}) from exc
        _check_slot(session, bilan, starts_at, form.duration_minutes)
        appointment = _new_session(
            bilan,
            phase,
            starts_at,
            form,
            status=SessionStatus.RECORDED,
            consultant_attended_at=now,
            recorded_afterwards_at=now,
            recorded_by_id=actor.user_id,
            recorded_reason_encrypted=encrypt_text(form.reason),
        )
        session.add(appointment)
        record_change(
            session,
            actor,
            bilan,
            BilanAction.SESSION_RECORDED,
            appointment={"before": None, "after": _describe(phase, starts_at, form.duration_minutes)},
        )
        notifications.session_recorded(session, bilan, appointment, now + RECORDED_CONFIRMATION_WINDOW)
        return appointment.id


def cancel_session(actor: Actor, session_id: uuid.UUID | str) -> None:
    """The bilan's followers: cancel a planned session, or withdraw a record the beneficiary has not confirmed."""
    with session_scope() as session:
        appointment, bilan = session_and_bilan(session, actor, session_id)
        require_follower(actor, bilan)
        cancel_pending_session(session, actor, bilan, appointment)


def cancel_pending_session(session: Session, actor: Actor, bilan: Bilan, appointment: BilanSession) -> None:
    """Inside the caller's transaction, on a session of a bilan whose actor it checked: cancelled if it
    still awaits attendance; audited, the parties notified."""
    if appointment.status not in PENDING_SESSION_STATUSES:
        raise ServiceError("error.session_not_planned")
    appointment.status = SessionStatus.CANCELLED
    session.add(appointment)
    record_change(
        session,
        actor,
        bilan,
        BilanAction.SESSION_CANCELLED,
        appointment={"before": str(appointment.id), "after": None},
    )
    notifications.session_cancelled(session, actor, bilan, appointment)


# ---------------------------------------------------------------- attendance (émargement)


def confirm_attendance(actor: Actor, session_id: uuid.UUID | str) -> None:
    """The bilan's beneficiary and its assigned consultant, each for themselves: émargement, from the
    start until 48 h after the end; both together make it held. A session recorded afterwards awaits the
    beneficiary alone."""
    with session_scope() as session:
        appointment, bilan = session_and_bilan(session, actor, session_id)
        if appointment.status == SessionStatus.CANCELLED:
            raise ServiceError("error.session_not_planned")
        party = _attendance_party(actor, bilan)
        if party is None:
            raise AccessDenied()
        now = utcnow()
        opens, closes = attendance_window(appointment)
        if now < opens:
            raise ServiceError("error.attendance_too_early")
        if now > closes:
            raise ServiceError("error.attendance_window_closed")
        _require_convention_for(session, bilan, appointment.phase, appointment.starts_at)
        if party == "beneficiary":
            appointment.beneficiary_attended_at = appointment.beneficiary_attended_at or now
        else:
            appointment.consultant_attended_at = appointment.consultant_attended_at or now
        if appointment.beneficiary_attended_at and appointment.consultant_attended_at:
            appointment.status = SessionStatus.HELD
        session.add(appointment)
        record_change(
            session, actor, bilan, BilanAction.ATTENDANCE_CONFIRMED, attendance={"before": None, "after": party}
        )


# ---------------------------------------------------------------- the consultant's notes


def save_session_notes(actor: Actor, session_id: uuid.UUID | str, text: str) -> None:
    """The bilan's assigned consultant, on notes ``session_notes.require_writable`` allows: a session's notes."""
    with session_scope() as session:
        appointment, bilan = session_and_bilan(session, actor, session_id)
        require_assigned_consultant(actor, bilan)
        session_notes.require_writable(actor, appointment)
        require_max_length("notes", text, SESSION_NOTES_MAX)  # refused, never cut
        appointment.notes_encrypted = encrypt_text(text) if text.strip() else ""
        appointment.notes_author_id = actor.user_id if text.strip() else None
        session.add(appointment)
        record_change(session, actor, bilan, BilanAction.NOTES_UPDATED)


def read_session_notes(actor: Actor, session_id: uuid.UUID | str) -> str:
    """The bilan's assigned consultant, if ``session_notes.readable_notes`` allows them: a session's notes."""
    with session_scope() as session:
        appointment, bilan = session_and_bilan(session, actor, session_id)
        require_assigned_consultant(actor, bilan)
        if not appointment.notes_encrypted:
            return ""
        readable = {note.session_id: note.text for note in session_notes.readable_notes(session, actor, bilan)}
        if appointment.id not in readable:
            raise ServiceError("notes.error.needs_agreement")
        log_personal_read(session, actor, bilan, "session_notes")
        return readable[appointment.id]


# ---------------------------------------------------------------- the list


@dataclass(frozen=True)
class SessionRow:
    id: str
    phase: str
    starts_at: datetime
    duration_minutes: int
    mode: str
    location: str
    video_link: str
    status: str
    beneficiary_attended: bool
    consultant_attended: bool
    has_notes: bool
    recorded_afterwards: bool = False
    attendance_open: bool = False  # now is within the émargement window
    movable: bool = False  # planned and not started: it may be rescheduled
    can_confirm_attendance: bool = False  # the reader is a party, the window is open, and they have not confirmed
    cancellable: bool = False  # planned, or recorded and not confirmed yet
    attendance_missed: bool = False  # planned, and its émargement window has passed


def list_sessions(actor: Actor, bilan_id: uuid.UUID | str) -> list[SessionRow]:
    """Anyone who sees the bilan (the beneficiary, her followers): its sessions, with what the reader may
    do with each now."""
    now = utcnow()
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        party = _attendance_party(actor, bilan)
        rows = session.exec(
            select(BilanSession).where(BilanSession.bilan_id == bilan.id).order_by(col(BilanSession.starts_at))
        ).all()
        result: list[SessionRow] = []
        for row in rows:
            attendance_open = _attendance_open(row, now)
            mine = row.beneficiary_attended_at if party == "beneficiary" else row.consultant_attended_at
            result.append(
                SessionRow(
                    id=str(row.id),
                    phase=str(row.phase),
                    starts_at=row.starts_at,
                    duration_minutes=row.duration_minutes,
                    mode=str(row.mode),
                    location=row.location,
                    video_link=visio.shown_link(actor, bilan, row, now),  # participants, from 15 min before
                    status=str(row.status),
                    beneficiary_attended=row.beneficiary_attended_at is not None,
                    consultant_attended=row.consultant_attended_at is not None,
                    has_notes=bool(row.notes_encrypted),
                    recorded_afterwards=row.recorded_afterwards_at is not None,
                    attendance_open=attendance_open,
                    movable=row.status == SessionStatus.PLANNED and row.starts_at > now,
                    can_confirm_attendance=attendance_open and party is not None and mine is None,
                    cancellable=row.status in PENDING_SESSION_STATUSES,
                    attendance_missed=row.status == SessionStatus.PLANNED and now > attendance_window(row)[1],
                )
            )
        return result
