"""What the bilan's people see first: the consultant's and the admin's list with its alerts, the
beneficiary's home, and the summary of the bilan page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from services.access import Actor, Permission, require
from services.bilans._common import aware, visibility
from services.bilans.access import get_bilan, is_follower, require_follower, visible_bilans
from services.bilans.convention import convention_state, conventions_signed
from services.bilans.handover import upload_waiting
from services.bilans.lifecycle import move_refusals
from services.bilans.statuses import (
    ACTIVE_STATUSES,
    CONCLUDING_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    default_phase,
    forward_moves,
    is_open,
    is_stopped,
)
from services.crypto import decrypt_text
from services.db import session_scope
from services.i18n import TIMEZONE
from services.models import (
    AuditEvent,
    Bilan,
    BilanSession,
    BilanStatus,
    BilanTask,
    Convention,
    ConventionStatus,
    Role,
    SessionStatus,
    User,
)
from services.models.base import utcnow

# ---------------------------------------------------------------- the followers' list

NO_SESSION_ALERT_DAYS = 14
CONVENTION_UNSIGNED_ALERT_DAYS = 7
HOURS_ALERT_MINUTES = 20 * 60


@dataclass(frozen=True)
class DashboardFilter:
    status: str = ""
    funding_type: str = ""
    late_only: bool = False
    search: str = ""


@dataclass(frozen=True)
class BilanRow:
    id: str
    beneficiary_name: str
    consultant_id: str
    consultant_name: str
    status: str
    funding_type: str
    requested_at: datetime
    planned_minutes: int
    completed_minutes: int
    next_session_at: datetime | None
    alerts: tuple[str, ...]
    awaiting_my_answer: bool


def list_bilans(actor: Actor, filters: DashboardFilter | None = None) -> list[BilanRow]:
    """FOLLOW_BILANS (consultant: theirs; org admin: the organisation's): the bilans with hours, next
    session and alerts, in a fixed number of queries."""
    require(actor, Permission.FOLLOW_BILANS)
    filters = filters or DashboardFilter()
    now = utcnow()
    beneficiary = aliased(User)
    consultant = aliased(User)
    with session_scope() as session:
        query = (
            # sqlmodel types select() for four columns at most; five work the same at run time.
            select(  # type: ignore[call-overload]
                Bilan, beneficiary.first_name, beneficiary.last_name, consultant.first_name, consultant.last_name
            )
            .where(visibility(actor))
            .join(beneficiary, col(beneficiary.id) == Bilan.beneficiary_id)
            .outerjoin(consultant, col(consultant.id) == Bilan.consultant_id)
        )
        if filters.status:
            query = query.where(Bilan.status == filters.status)
        else:
            query = query.where(col(Bilan.status).in_(list(OPEN_STATUSES)))
        if filters.funding_type:
            query = query.where(Bilan.funding_type == filters.funding_type)
        if filters.search.strip():
            term = filters.search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{term}%"
            query = query.where(
                or_(
                    col(beneficiary.first_name).ilike(pattern, escape="\\"),
                    col(beneficiary.last_name).ilike(pattern, escape="\\"),
                )
            )
        rows = session.exec(query.order_by(col(Bilan.requested_at).desc())).all()
        ids = [row[0].id for row in rows]
        if not ids:
            return []
        stats = {
            bilan_id: (planned, held, last_start, next_start)
            for bilan_id, planned, held, last_start, next_start in session.exec(
                select(  # type: ignore[call-overload]
                    BilanSession.bilan_id,
                    func.sum(BilanSession.duration_minutes),
                    func.sum(
                        case(
                            (col(BilanSession.status) == SessionStatus.HELD.value, BilanSession.duration_minutes),
                            else_=0,
                        )
                    ),
                    func.max(case((col(BilanSession.starts_at) <= now, BilanSession.starts_at))),
                    func.min(
                        case(
                            (
                                (col(BilanSession.starts_at) > now)
                                & (col(BilanSession.status) == SessionStatus.PLANNED.value),
                                BilanSession.starts_at,
                            )
                        )
                    ),
                )
                .where(col(BilanSession.bilan_id).in_(ids), BilanSession.status != SessionStatus.CANCELLED)
                .group_by(col(BilanSession.bilan_id))
            ).all()
        }
        today = now.astimezone(TIMEZONE).date()
        overdue = {
            bilan_id
            for bilan_id in session.exec(
                select(BilanTask.bilan_id)
                .where(
                    col(BilanTask.bilan_id).in_(ids), col(BilanTask.done_at).is_(None), col(BilanTask.due_on) < today
                )
                .distinct()
            ).all()
        }
        unsigned = {
            bilan_id: issued_at
            for bilan_id, issued_at in session.exec(
                select(Convention.bilan_id, func.min(Convention.issued_at))
                .where(col(Convention.bilan_id).in_(ids), Convention.status == ConventionStatus.AWAITING_SIGNATURES)
                .group_by(col(Convention.bilan_id))
            ).all()
        }
    result: list[BilanRow] = []
    for bilan, b_first, b_last, c_first, c_last in rows:
        planned, held, last_start, next_start = stats.get(bilan.id, (0, 0, None, None))
        last_start = aware(last_start)
        next_start = aware(next_start)
        alerts: list[str] = []
        issued_at = aware(unsigned.get(bilan.id))
        if issued_at and now - issued_at > timedelta(days=CONVENTION_UNSIGNED_ALERT_DAYS):
            alerts.append("convention_unsigned")
        if bilan.status in ACTIVE_STATUSES:
            reference = last_start or bilan.consultant_accepted_at or bilan.requested_at
            if now - reference > timedelta(days=NO_SESSION_ALERT_DAYS) and next_start is None:
                alerts.append("no_session")
        if int(planned or 0) >= HOURS_ALERT_MINUTES:
            alerts.append("hours_limit")
        if bilan.id in overdue:
            alerts.append("overdue_tasks")
        if bilan.consultant_id is None and bilan.requested_consultant_id is None:
            alerts.append("unassigned")
        if filters.late_only and not alerts:
            continue
        result.append(
            BilanRow(
                id=str(bilan.id),
                beneficiary_name=f"{b_first} {b_last}",
                consultant_id=str(bilan.consultant_id or ""),
                consultant_name=f"{c_first} {c_last}" if c_first else "",
                status=str(bilan.status),
                funding_type=str(bilan.funding_type),
                requested_at=bilan.requested_at,
                planned_minutes=int(planned or 0),
                completed_minutes=int(held or 0),
                next_session_at=next_start,
                alerts=tuple(alerts),
                awaiting_my_answer=bilan.status == BilanStatus.DEMANDE
                and actor.user_id in {bilan.requested_consultant_id, bilan.consultant_id},
            )
        )
    return result


# ---------------------------------------------------------------- the beneficiary's home


@dataclass(frozen=True)
class BeneficiaryOverview:
    bilan_id: str
    status: str
    progress_percent: int
    consultant_name: str
    next_session_at: datetime | None
    questionnaire_completed: bool
    badges: tuple[str, ...]
    # none | to_sign (her signature is awaited) | awaiting_others | signed | lapsed (expired or cancelled)
    convention_state: str = "none"
    bilan_open: bool = False  # requested and not ended: no second request
    stopped: bool = False  # abandoned or cancelled: no place on the timeline


PROGRESS_BY_STATUS: dict[BilanStatus, int] = {
    BilanStatus.DEMANDE: 5,
    BilanStatus.PRELIMINAIRE: 20,
    BilanStatus.INVESTIGATION: 50,
    BilanStatus.CONCLUSION: 80,
    BilanStatus.SUIVI: 95,
    BilanStatus.TERMINE: 100,
}


def _current_bilan(session: Session, actor: Actor) -> Bilan | None:
    """Her current (or last) bilan: the most recently requested one she may see."""
    return session.exec(visible_bilans(actor).order_by(col(Bilan.requested_at).desc())).first()


@dataclass(frozen=True)
class CurrentBilan:
    bilan_id: str
    status: str
    bilan_open: bool = False  # requested and not ended


def my_current_bilan(actor: Actor) -> CurrentBilan | None:
    """REQUEST_BILAN (a beneficiary): which bilan her space is about, without the overview's sessions and
    convention (one query)."""
    require(actor, Permission.REQUEST_BILAN)
    with session_scope() as session:
        bilan = _current_bilan(session, actor)
        if bilan is None:
            return None
        return CurrentBilan(str(bilan.id), str(bilan.status), bilan_open=is_open(bilan.status))


def my_bilan(actor: Actor) -> BeneficiaryOverview | None:
    """REQUEST_BILAN (a beneficiary): her current (or last) bilan, its place on the timeline, next session
    and badges."""
    require(actor, Permission.REQUEST_BILAN)
    now = utcnow()
    with session_scope() as session:
        bilan = _current_bilan(session, actor)
        if bilan is None:
            return None
        consultant = session.get(User, bilan.consultant_id) if bilan.consultant_id else None
        sessions = session.exec(
            select(BilanSession).where(
                BilanSession.bilan_id == bilan.id, BilanSession.status != SessionStatus.CANCELLED
            )
        ).all()
        upcoming = sorted(s.starts_at for s in sessions if s.starts_at > now and s.status == SessionStatus.PLANNED)
        signed = conventions_signed(session, bilan)
        badges: list[str] = []
        if bilan.questionnaire_completed_at:
            badges.append("questionnaire_done")
        if signed:
            badges.append("convention_signed")
        if any(s.status == SessionStatus.HELD for s in sessions):
            badges.append("first_session")
        if bilan.investigation_started_at:
            badges.append("preliminaire_done")
        if bilan.conclusion_started_at:
            badges.append("investigation_done")
        if bilan.status in {BilanStatus.SUIVI, BilanStatus.TERMINE}:
            badges.append("conclusion_done")
        return BeneficiaryOverview(
            bilan_id=str(bilan.id),
            status=str(bilan.status),
            progress_percent=PROGRESS_BY_STATUS.get(BilanStatus(bilan.status), 0),
            consultant_name=consultant.full_name if consultant else "",
            next_session_at=upcoming[0] if upcoming else None,
            questionnaire_completed=bilan.questionnaire_completed_at is not None,
            badges=tuple(badges),
            convention_state=convention_state(session, bilan),
            bilan_open=is_open(bilan.status),
            stopped=is_stopped(bilan.status),
        )


# ---------------------------------------------------------------- the bilan page's summary


@dataclass(frozen=True)
class BilanDetail:
    """Everything the bilan page's summary shows (followers and the beneficiary)."""

    id: str
    status: str
    beneficiary_name: str
    beneficiary_email: str
    consultant_name: str
    mode: str
    funding_type: str
    edof_file_number: str
    edof_status: str
    employer_name: str
    employer_signatory_name: str
    employer_email: str
    price_euros: float
    hours_planned_total: float
    objectives: str
    requested_at: datetime
    questionnaire_completed: bool
    synthese_uploaded: bool  # an uploaded PDF waits to be handed over
    synthese_handed_over_at: datetime | None
    followup_due_on: date | None
    next_statuses: tuple[str, ...]
    can_follow: bool
    is_assigned_consultant: bool
    # Followers: why each next move is refused now (target → catalogue code and params).
    move_refusals: dict[str, tuple[str, dict[str, object]]] = field(default_factory=dict)
    # Followers: the next statuses offered as buttons (no acceptance, no stop: those have their own forms).
    forward_moves: tuple[str, ...] = ()
    active: bool = False  # between acceptance and the end (the work of the phases goes on)
    default_phase: str = ""  # the phase a new session belongs to
    can_schedule_followup: bool = False  # followers, once the conclusion is reached


def bilan_detail(actor: Actor, bilan_id: uuid.UUID | str) -> BilanDetail:
    """Anyone who sees the bilan (the beneficiary, her followers): its summary; the moves for followers only."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        beneficiary = session.get(User, bilan.beneficiary_id)
        consultant = session.get(User, bilan.consultant_id) if bilan.consultant_id else None
        assert beneficiary is not None
        follower = is_follower(actor, bilan)
        status = BilanStatus(bilan.status)
        return BilanDetail(
            id=str(bilan.id),
            status=str(bilan.status),
            beneficiary_name=beneficiary.full_name,
            beneficiary_email=beneficiary.email,
            consultant_name=consultant.full_name if consultant else "",
            mode=str(bilan.mode),
            funding_type=str(bilan.funding_type),
            edof_file_number=bilan.edof_file_number,
            edof_status=bilan.edof_status,
            employer_name=bilan.employer_name,
            employer_signatory_name=bilan.employer_signatory_name,
            employer_email=bilan.employer_email,
            price_euros=bilan.price_euros,
            hours_planned_total=bilan.hours_planned_total,
            objectives=decrypt_text(bilan.objectives_encrypted) if bilan.objectives_encrypted else "",
            requested_at=bilan.requested_at,
            questionnaire_completed=bilan.questionnaire_completed_at is not None,
            synthese_uploaded=upload_waiting(session, bilan),
            synthese_handed_over_at=bilan.synthese_handed_over_at,
            followup_due_on=bilan.followup_due_on,
            next_statuses=tuple(sorted(str(s) for s in TRANSITIONS.get(status, frozenset()))) if follower else (),
            can_follow=follower,
            is_assigned_consultant=actor.role is Role.CONSULTANT and bilan.consultant_id == actor.user_id,
            move_refusals=move_refusals(session, bilan) if follower else {},
            forward_moves=forward_moves(status) if follower else (),
            active=status in ACTIVE_STATUSES,
            default_phase=str(default_phase(status)),
            can_schedule_followup=follower and status in CONCLUDING_STATUSES,
        )


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    action: str
    actor_label: str
    changes: dict[str, Any]


def history(actor: Actor, bilan_id: uuid.UUID | str) -> list[HistoryRow]:
    """The bilan's followers only (it names every actor): the bilan's audit trail, newest first."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        rows = session.exec(
            select(AuditEvent)
            .where(
                AuditEvent.organisation_id == bilan.organisation_id,
                AuditEvent.target_type == "bilan",
                AuditEvent.target_id == str(bilan.id),
            )
            .order_by(col(AuditEvent.created_at).desc())
        ).all()
        return [HistoryRow(row.created_at, row.action, row.actor_label, row.changes) for row in rows]
