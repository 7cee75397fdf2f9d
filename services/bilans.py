"""The bilan lifecycle: the request, the three legal phases, funding, sessions, hours and attendance.

Who may see a bilan is decided by ``visible_bilans()``; who may act on it by ``require_follower()``
(the assigned consultant, or an org admin) and ``require_beneficiary()``. Everything else builds on
those two, so the answer to "who may do this?" is in this module's first screen.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from services import audit, notifications, routes, session_notes
from services.access import Actor, Permission, can, require, scoped
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.forms import (
    QUESTIONNAIRE_MAX_CHARS,
    QUESTIONNAIRE_REQUIRED,
    QUESTIONNAIRE_TEXT_FIELDS,
    REASON_MAX,
    SESSION_NOTES_MAX,
    BilanRequestForm,
    FundingForm,
    RecordedSessionForm,
    RescheduleForm,
    SessionForm,
    TaskForm,
    require_max_length,
    validate_form,
)
from services.i18n import TIMEZONE, format_datetime, format_number, translate
from services.mail import queue_mail
from services.models import (
    PLAN_ACTIVE_BILAN_QUOTAS,
    AuditEvent,
    Bilan,
    BilanSession,
    BilanStatus,
    BilanTask,
    Convention,
    ConventionSignature,
    ConventionStatus,
    DeliveryMode,
    Document,
    DocumentKind,
    FundingType,
    Membership,
    Organisation,
    OrganisationPlan,
    Phase,
    Role,
    SessionStatus,
    SignatureParty,
    SyntheseHandover,
    User,
)
from services.models.base import utcnow
from services.settings import get_settings
from services.storage import MAX_UPLOAD_BYTES, read_document, store_document


def latest_convention(session: Session, bilan: Bilan) -> Convention | None:
    """The bilan's most recent convention (highest version); services.conventions manages them."""
    return session.exec(
        select(Convention).where(Convention.bilan_id == bilan.id).order_by(col(Convention.version).desc())
    ).first()


def conventions_signed(session: Session, bilan: Bilan) -> bool:
    """True when the bilan's latest convention is signed by every required party."""
    latest = latest_convention(session, bilan)
    return latest is not None and latest.status == ConventionStatus.SIGNED


def convention_in_force(session: Session, bilan: Bilan) -> bool:
    """True while the latest convention awaits signatures or is signed: its terms must not change."""
    latest = latest_convention(session, bilan)
    return latest is not None and latest.status in {ConventionStatus.AWAITING_SIGNATURES, ConventionStatus.SIGNED}


ACTIVE_STATUSES = frozenset(
    {BilanStatus.PRELIMINAIRE, BilanStatus.INVESTIGATION, BilanStatus.CONCLUSION, BilanStatus.SUIVI}
)
OPEN_STATUSES = ACTIVE_STATUSES | {BilanStatus.DEMANDE}
LEGAL_MAX_MINUTES = 24 * 60


def _visibility(actor: Actor) -> ColumnElement[bool]:
    """The condition that limits bilans to those the actor may see."""
    if actor.organisation_id is None:
        raise AccessDenied()
    same_organisation = col(Bilan.organisation_id) == actor.organisation_id
    if actor.role is Role.ORG_ADMIN:
        return same_organisation
    if actor.role is Role.CONSULTANT:
        return same_organisation & or_(
            col(Bilan.consultant_id) == actor.user_id,
            (col(Bilan.requested_consultant_id) == actor.user_id) & col(Bilan.consultant_id).is_(None),
        )
    if actor.role is Role.BENEFICIARY:
        return same_organisation & (col(Bilan.beneficiary_id) == actor.user_id)
    raise AccessDenied()


def visible_bilans(actor: Actor) -> SelectOfScalar[Bilan]:
    """The bilans the actor may see: their own (beneficiary), assigned or requested (consultant), all (admin)."""
    return select(Bilan).where(_visibility(actor))


def get_bilan(session: Session, actor: Actor, bilan_id: uuid.UUID | str) -> Bilan:
    """One visible bilan, or NotFound (also for another organisation's)."""
    try:
        key = bilan_id if isinstance(bilan_id, uuid.UUID) else uuid.UUID(str(bilan_id))
    except ValueError as exc:
        raise NotFound() from exc
    bilan = session.exec(visible_bilans(actor).where(col(Bilan.id) == key)).first()
    if bilan is None:
        raise NotFound()
    return bilan


def may_see(actor: Actor, bilan_id: uuid.UUID | str) -> bool:
    """Whether a bilan is within the actor's reach (any role): a bilan's pages open only then."""
    try:
        with session_scope() as session:
            get_bilan(session, actor, bilan_id)
    except (NotFound, AccessDenied):
        return False
    return True


def is_follower(actor: Actor, bilan: Bilan) -> bool:
    """The assigned consultant, or an admin of the bilan's organisation."""
    if actor.organisation_id != bilan.organisation_id:
        return False
    return (actor.role is Role.CONSULTANT and bilan.consultant_id == actor.user_id) or can(
        actor, Permission.SUPERVISE_BILANS
    )


def require_follower(actor: Actor, bilan: Bilan) -> None:
    require(actor, Permission.FOLLOW_BILANS)
    if not is_follower(actor, bilan):
        raise AccessDenied()


def require_beneficiary(actor: Actor, bilan: Bilan) -> None:
    if actor.role is not Role.BENEFICIARY or bilan.beneficiary_id != actor.user_id:
        raise AccessDenied()


class BilanAction(StrEnum):
    """Audit actions of the bilan domain; each is recorded with target ("bilan", id) for its history."""

    REQUESTED = "bilan.requested"
    QUESTIONNAIRE_SAVED = "bilan.questionnaire_completed"
    ACCEPTED = "bilan.accepted"
    HANDED_BACK = "bilan.handed_back"
    ASSIGNED = "bilan.assigned"
    FUNDING_UPDATED = "bilan.funding_updated"
    OBJECTIVES_UPDATED = "bilan.objectives_updated"
    STATUS_CHANGED = "bilan.status_changed"
    SESSION_PLANNED = "bilan.session_planned"
    SESSION_CANCELLED = "bilan.session_cancelled"
    SESSION_RESCHEDULED = "bilan.session_rescheduled"
    SESSION_RECORDED = "bilan.session_recorded"
    ATTENDANCE_CONFIRMED = "bilan.attendance_confirmed"
    NOTES_UPDATED = "bilan.session_notes_updated"
    TASK_ADDED = "bilan.task_added"
    TASK_DONE = "bilan.task_done"
    SYNTHESE_UPLOADED = "bilan.synthese_uploaded"
    SYNTHESE_HANDED_OVER = "bilan.synthese_handed_over"
    FOLLOWUP_SCHEDULED = "bilan.followup_scheduled"
    PERSONAL_DATA_READ = "bilan.personal_data_read"


# The state machine: every allowed move; anything else is refused.
TRANSITIONS: dict[BilanStatus, frozenset[BilanStatus]] = {
    BilanStatus.DEMANDE: frozenset({BilanStatus.PRELIMINAIRE, BilanStatus.ABANDONNE, BilanStatus.ANNULE}),
    BilanStatus.PRELIMINAIRE: frozenset({BilanStatus.INVESTIGATION, BilanStatus.ABANDONNE, BilanStatus.ANNULE}),
    BilanStatus.INVESTIGATION: frozenset({BilanStatus.CONCLUSION, BilanStatus.ABANDONNE, BilanStatus.ANNULE}),
    BilanStatus.CONCLUSION: frozenset(
        {BilanStatus.SUIVI, BilanStatus.TERMINE, BilanStatus.ABANDONNE, BilanStatus.ANNULE}
    ),
    BilanStatus.SUIVI: frozenset({BilanStatus.TERMINE, BilanStatus.ABANDONNE, BilanStatus.ANNULE}),
}
STARTED_AT_FIELD: dict[BilanStatus, str] = {
    BilanStatus.PRELIMINAIRE: "preliminaire_started_at",
    BilanStatus.INVESTIGATION: "investigation_started_at",
    BilanStatus.CONCLUSION: "conclusion_started_at",
    BilanStatus.SUIVI: "suivi_started_at",
}
PHASE_OF_STATUS: dict[BilanStatus, Phase] = {
    BilanStatus.PRELIMINAIRE: Phase.PRELIMINAIRE,
    BilanStatus.INVESTIGATION: Phase.INVESTIGATION,
    BilanStatus.CONCLUSION: Phase.CONCLUSION,
    BilanStatus.SUIVI: Phase.SUIVI,
}
CLOSED_STATUSES = frozenset({BilanStatus.TERMINE, BilanStatus.ABANDONNE, BilanStatus.ANNULE})


def record_on_bilan(session: Session, actor: Actor, bilan: Bilan, action: str, **changes: Any) -> None:
    """An audit event targeting the bilan, so that it appears in the bilan's history."""
    audit.record(
        session,
        action,
        actor=actor,
        organisation_id=bilan.organisation_id,
        target_type="bilan",
        target_id=bilan.id,
        changes=changes,
    )


def _record(session: Session, actor: Actor, bilan: Bilan, action: BilanAction, **changes: Any) -> None:
    bilan.updated_at = utcnow()
    session.add(bilan)
    record_on_bilan(session, actor, bilan, action, **changes)


def log_personal_read(session: Session, actor: Actor, bilan: Bilan, what: str) -> None:
    """Reading a beneficiary's personal data is logged (by anyone but the beneficiary)."""
    if actor.user_id == bilan.beneficiary_id:
        return
    audit.record(
        session,
        BilanAction.PERSONAL_DATA_READ,
        actor=actor,
        organisation_id=bilan.organisation_id,
        target_type="bilan_read",  # kept out of the bilan's own history, which lists changes
        target_id=bilan.id,
        changes={"read": what},
    )


def require_open(bilan: Bilan) -> None:
    if bilan.status in CLOSED_STATUSES:
        raise ServiceError("error.bilan_closed")


def _check_quota(session: Session, organisation_id: uuid.UUID) -> None:
    organisation = session.get(Organisation, organisation_id)
    assert organisation is not None
    limit = PLAN_ACTIVE_BILAN_QUOTAS[OrganisationPlan(organisation.plan)]
    if limit is None:
        return
    active = session.exec(
        select(func.count()).where(
            Bilan.organisation_id == organisation_id, col(Bilan.status).in_(list(ACTIVE_STATUSES))
        )
    ).one()
    if active >= limit:
        raise ServiceError("error.quota_reached", limit=limit)


@dataclass(frozen=True)
class QuotaUsage:
    plan: str
    active: int
    limit: int | None


def quota_usage(actor: Actor) -> QuotaUsage:
    """Active bilans against the plan's quota (org admin)."""
    require(actor, Permission.SUPERVISE_BILANS)
    with session_scope() as session:
        organisation = session.get(Organisation, actor.organisation_id)
        if organisation is None:
            raise NotFound()
        active = session.exec(
            select(func.count()).where(
                Bilan.organisation_id == organisation.id, col(Bilan.status).in_(list(ACTIVE_STATUSES))
            )
        ).one()
        plan = OrganisationPlan(organisation.plan)
        return QuotaUsage(plan=str(plan), active=int(active), limit=PLAN_ACTIVE_BILAN_QUOTAS[plan])


def _active_member(session: Session, organisation_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> bool:
    return (
        session.exec(
            select(Membership.id).where(
                Membership.organisation_id == organisation_id,
                Membership.user_id == user_id,
                Membership.role == role,
                col(Membership.is_active).is_(True),
            )
        ).first()
        is not None
    )


# ---------------------------------------------------------------- the beneficiary's request


def request_bilan(actor: Actor, raw: dict[str, Any]) -> uuid.UUID:
    """A beneficiary asks for a bilan, choosing a consultant or letting the organisation choose."""
    require(actor, Permission.REQUEST_BILAN)
    form = validate_form(BilanRequestForm, raw)
    with session_scope() as session:
        existing = session.exec(visible_bilans(actor).where(col(Bilan.status).in_(list(OPEN_STATUSES)))).first()
        if existing is not None:
            raise ServiceError("error.bilan_already_open")
        requested: uuid.UUID | None = None
        if form.requested_consultant_id:
            try:
                requested = uuid.UUID(form.requested_consultant_id)
            except ValueError as exc:
                raise FormError({"requested_consultant_id": "error.invalid_choice"}) from exc
            assert actor.organisation_id is not None
            if not _active_member(session, actor.organisation_id, requested, Role.CONSULTANT):
                raise FormError({"requested_consultant_id": "error.invalid_choice"})
        organisation = session.get(Organisation, actor.organisation_id)
        assert organisation is not None
        bilan = Bilan(
            organisation_id=organisation.id,
            beneficiary_id=actor.user_id,
            requested_consultant_id=requested,
            mode=form.mode,
            funding_type=form.funding_type,
            price_euros=organisation.price_euros,
            hours_planned_total=min(organisation.default_hours, LEGAL_MAX_MINUTES / 60),
        )
        session.add(bilan)
        _record(
            session,
            actor,
            bilan,
            BilanAction.REQUESTED,
            mode={"before": None, "after": str(form.mode)},
            funding_type={"before": None, "after": str(form.funding_type)},
        )
        notifications.request_submitted(session, bilan)
        return bilan.id


@dataclass(frozen=True)
class Questionnaire:
    answers: dict[str, str]
    completed: bool


def get_questionnaire(actor: Actor, bilan_id: uuid.UUID | str) -> Questionnaire:
    """The beneficiary's answers; also readable by the bilan's followers (it is the request itself)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        log_personal_read(session, actor, bilan, "questionnaire")
        answers = json.loads(decrypt_text(bilan.questionnaire_encrypted)) if bilan.questionnaire_encrypted else {}
        return Questionnaire(answers=answers, completed=bilan.questionnaire_completed_at is not None)


def save_questionnaire(actor: Actor, bilan_id: uuid.UUID | str, raw: dict[str, Any], *, complete: bool) -> None:
    """Autosave (anything goes, nothing is lost) or complete (the required answers are checked)."""
    answers = {name: str(raw.get(name) or "") for name in QUESTIONNAIRE_TEXT_FIELDS}
    too_long = {name: "error.too_long" for name, text in answers.items() if len(text) > QUESTIONNAIRE_MAX_CHARS}
    if too_long:  # refused, never cut: the page keeps what was typed
        raise FormError(too_long, max=QUESTIONNAIRE_MAX_CHARS)
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        require_open(bilan)
        bilan.questionnaire_encrypted = encrypt_text(json.dumps(answers, ensure_ascii=False))
        if complete:
            missing = {name: "error.required" for name in QUESTIONNAIRE_REQUIRED if not answers[name].strip()}
            if missing:
                session.add(bilan)
                session.commit()  # the draft is kept even when completion is refused
                raise FormError(missing)
            if bilan.questionnaire_completed_at is None:
                bilan.questionnaire_completed_at = utcnow()
                _record(session, actor, bilan, BilanAction.QUESTIONNAIRE_SAVED)
        session.add(bilan)


@dataclass(frozen=True)
class ConsultantCard:
    user_id: str
    name: str
    active_bilans: int
    headline: str = ""
    specialities: str = ""
    availability: str = ""


def consultant_directory(actor: Actor) -> list[ConsultantCard]:
    """The organisation's active consultants with their current load (for the beneficiary's choice)."""
    if actor.organisation_id is None:
        raise AccessDenied()
    with session_scope() as session:
        consultants = session.exec(
            select(User, Membership)
            .join(Membership, col(Membership.user_id) == User.id)
            .where(
                Membership.organisation_id == actor.organisation_id,
                Membership.role == Role.CONSULTANT,
                col(Membership.is_active).is_(True),
            )
            .order_by(col(User.last_name), col(User.first_name))
        ).all()
        loads = dict(
            session.exec(
                select(Bilan.consultant_id, func.count())
                .where(Bilan.organisation_id == actor.organisation_id, col(Bilan.status).in_(list(ACTIVE_STATUSES)))
                .group_by(col(Bilan.consultant_id))
            ).all()
        )
        return [
            ConsultantCard(
                user_id=str(user.id),
                name=user.full_name,
                active_bilans=int(loads.get(user.id, 0)),
                headline=membership.headline,
                specialities=membership.specialities,
                availability=membership.availability,
            )
            for user, membership in consultants
        ]


# ---------------------------------------------------------------- consultant's decision and assignment


def accept_request(actor: Actor, bilan_id: uuid.UUID | str) -> None:
    """The requested (or assigned) consultant takes the bilan: it enters the preliminary phase."""
    require(actor, Permission.FOLLOW_BILANS)
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if bilan.status != BilanStatus.DEMANDE:
            raise ServiceError("error.transition_forbidden")
        if actor.role is Role.CONSULTANT and actor.user_id not in {bilan.requested_consultant_id, bilan.consultant_id}:
            raise AccessDenied()
        _check_quota(session, bilan.organisation_id)
        # An admin accepting on behalf of the organisation does not become the consultant.
        consultant_id = bilan.consultant_id or bilan.requested_consultant_id
        if consultant_id is None and actor.role is Role.CONSULTANT:
            consultant_id = actor.user_id
        if consultant_id is None:
            raise ServiceError("error.consultant_required")
        bilan.consultant_id = consultant_id
        bilan.consultant_accepted_at = utcnow()
        _move(session, actor, bilan, BilanStatus.PRELIMINAIRE, "")
        _record(
            session, actor, bilan, BilanAction.ACCEPTED, consultant_id={"before": None, "after": str(consultant_id)}
        )
        notifications.request_accepted(session, bilan)


def hand_back(actor: Actor, bilan_id: uuid.UUID | str, reason: str) -> None:
    """The requested consultant declines: the organisation will choose someone else."""
    require(actor, Permission.FOLLOW_BILANS)
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if bilan.status != BilanStatus.DEMANDE or actor.user_id not in {
            bilan.requested_consultant_id,
            bilan.consultant_id,
        }:
            raise ServiceError("error.transition_forbidden")
        bilan.requested_consultant_id = None
        bilan.consultant_id = None
        _record(
            session,
            actor,
            bilan,
            BilanAction.HANDED_BACK,
            reason={"before": None, "after": require_max_length("reason", reason.strip(), REASON_MAX)},
        )
        notifications.request_handed_back(session, bilan, actor.user_id)


def assign_consultant(actor: Actor, bilan_id: uuid.UUID | str, consultant_id: uuid.UUID | str) -> None:
    """An org admin assigns or reassigns the bilan's consultant."""
    require(actor, Permission.SUPERVISE_BILANS)
    try:
        consultant = uuid.UUID(str(consultant_id))
    except ValueError as exc:
        raise FormError({"consultant_id": "error.invalid_choice"}) from exc
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_open(bilan)
        if not _active_member(session, bilan.organisation_id, consultant, Role.CONSULTANT):
            raise FormError({"consultant_id": "error.invalid_choice"})
        before = bilan.consultant_id
        bilan.consultant_id = consultant
        if bilan.status == BilanStatus.DEMANDE:
            bilan.requested_consultant_id = consultant
        _record(
            session,
            actor,
            bilan,
            BilanAction.ASSIGNED,
            consultant_id={"before": str(before) if before else None, "after": str(consultant)},
        )
        notifications.consultant_assigned(session, bilan, before)


# ---------------------------------------------------------------- funding and objectives


def update_funding(actor: Actor, bilan_id: uuid.UUID | str, raw: dict[str, Any]) -> None:
    form = validate_form(FundingForm, raw)
    if form.funding_type == FundingType.EMPLOYER:
        missing = {
            name: "error.required"
            for name in ("employer_name", "employer_signatory_name", "employer_email")
            if not getattr(form, name)
        }
        if missing:
            raise FormError(missing)
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        require_open(bilan)
        organisation = session.get(Organisation, bilan.organisation_id)
        assert organisation is not None
        if form.hours_planned_total < organisation.min_hours:
            raise FormError({"hours_planned_total": "error.hours_under_min"}, min=format_number(organisation.min_hours))
        fields = (
            "funding_type",
            "edof_file_number",
            "edof_status",
            "employer_name",
            "employer_signatory_name",
            "employer_email",
            "price_euros",
            "hours_planned_total",
        )
        before = {name: _plain(getattr(bilan, name)) for name in fields}
        after = {name: _plain(getattr(form, name)) for name in fields}
        changed = {name for name in fields if before[name] != after[name]}
        if changed & CONVENTION_FIELDS and convention_in_force(session, bilan):
            raise ServiceError("error.convention_in_force")
        for name in fields:
            setattr(bilan, name, getattr(form, name))
        _record(session, actor, bilan, BilanAction.FUNDING_UPDATED, **audit.diff(before, after))


# What the convention states: frozen while a convention awaits signatures or is signed.
CONVENTION_FIELDS = frozenset(
    {"funding_type", "employer_name", "employer_signatory_name", "employer_email", "price_euros", "hours_planned_total"}
)


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, StrEnum) else value


def set_objectives(actor: Actor, bilan_id: uuid.UUID | str, text: str) -> None:
    """The operational objectives agreed in the preliminary phase (Qualiopi 5), encrypted."""
    text = require_max_length("objectives", text.strip(), QUESTIONNAIRE_MAX_CHARS)
    if not text:
        raise FormError({"objectives": "error.required"})
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        require_open(bilan)
        if convention_in_force(session, bilan):
            raise ServiceError("error.convention_in_force")
        bilan.objectives_encrypted = encrypt_text(text)
        _record(session, actor, bilan, BilanAction.OBJECTIVES_UPDATED)


def get_objectives(actor: Actor, bilan_id: uuid.UUID | str) -> str:
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        return decrypt_text(bilan.objectives_encrypted) if bilan.objectives_encrypted else ""


# ---------------------------------------------------------------- the state machine


def _guard(session: Session, bilan: Bilan, target: BilanStatus, reason: str) -> None:
    if target not in TRANSITIONS.get(BilanStatus(bilan.status), frozenset()):
        raise ServiceError("error.transition_forbidden")
    if target in {BilanStatus.ABANDONNE, BilanStatus.ANNULE} and not reason.strip():
        raise FormError({"reason": "error.reason_required"})
    if target == BilanStatus.PRELIMINAIRE and bilan.consultant_id is None:
        raise ServiceError("error.consultant_required")
    if target == BilanStatus.INVESTIGATION:
        if not conventions_signed(session, bilan):
            raise ServiceError("error.convention_not_signed")
        if not bilan.objectives_encrypted:
            raise ServiceError("error.objectives_missing")
    if target in {BilanStatus.TERMINE, BilanStatus.SUIVI} and bilan.synthese_handed_over_at is None:
        raise ServiceError("error.synthese_not_handed_over")
    if target in {BilanStatus.TERMINE, BilanStatus.SUIVI}:
        _require_min_hours_held(session, bilan)
    if target == BilanStatus.SUIVI and bilan.followup_due_on is None:
        raise ServiceError("error.followup_date_missing")


def _require_min_hours_held(session: Session, bilan: Bilan) -> None:
    """The organisation's minimum is met by held hours (attended by both) before the bilan is concluded."""
    organisation = session.get(Organisation, bilan.organisation_id)
    minimum = round((organisation.min_hours if organisation else 0) * 60)
    held = _held_minutes(session, bilan.id)
    if held < minimum:
        raise ServiceError(
            "error.min_hours_not_met", done=format_number(round(held / 60, 2)), min=format_number(minimum / 60)
        )


def move_refusals(session: Session, bilan: Bilan) -> dict[str, tuple[str, dict[str, object]]]:
    """Why each next move would be refused now (code and params), from the guard itself: the page says it
    next to the move instead of offering a button that fails. Closing reasons are asked by the form."""
    refusals: dict[str, tuple[str, dict[str, object]]] = {}
    for target in TRANSITIONS.get(BilanStatus(bilan.status), frozenset()):
        try:
            _guard(session, bilan, target, "reason given in the form")
        except FormError:
            continue
        except ServiceError as exc:
            refusals[str(target)] = (exc.code, dict(exc.params))
    return refusals


def _move(session: Session, actor: Actor, bilan: Bilan, target: BilanStatus, reason: str) -> None:
    _guard(session, bilan, target, reason)
    before = BilanStatus(bilan.status)
    bilan.status = target
    now = utcnow()
    if target in STARTED_AT_FIELD:
        setattr(bilan, STARTED_AT_FIELD[target], now)
    if target in CLOSED_STATUSES:
        bilan.closed_at = now
    if reason.strip():
        bilan.status_reason_encrypted = encrypt_text(require_max_length("reason", reason.strip(), REASON_MAX))
    _record(
        session,
        actor,
        bilan,
        BilanAction.STATUS_CHANGED,
        status={"before": str(before), "after": str(target)},
    )


def transition(actor: Actor, bilan_id: uuid.UUID | str, target: BilanStatus | str, reason: str = "") -> None:
    """Move the bilan to ``target`` if the state machine and its guards allow it."""
    try:
        target_status = BilanStatus(target)
    except ValueError as exc:
        raise ServiceError("error.transition_forbidden") from exc
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        if target_status == BilanStatus.PRELIMINAIRE:
            raise ServiceError("error.transition_forbidden")  # only by accepting the request
        _move(session, actor, bilan, target_status, reason)


FOLLOWUP_HORIZON = timedelta(days=366)  # the follow-up interview is usually held at six months


def schedule_followup(actor: Actor, bilan_id: uuid.UUID | str, due_on: date) -> None:
    """Propose the follow-up interview (about 6 months after the conclusion)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        if bilan.status not in {BilanStatus.CONCLUSION, BilanStatus.SUIVI}:
            raise ServiceError("error.transition_forbidden")
        today = utcnow().astimezone(TIMEZONE).date()
        if due_on <= today:
            raise FormError({"followup_due_on": "error.date_in_past"})
        if due_on > today + FOLLOWUP_HORIZON:
            raise FormError({"followup_due_on": "error.followup_too_far"})
        bilan.followup_due_on = due_on
        _record(
            session,
            actor,
            bilan,
            BilanAction.FOLLOWUP_SCHEDULED,
            followup_due_on={"before": None, "after": str(due_on)},
        )


# ---------------------------------------------------------------- sessions, hours and attendance


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
        return max(0, self.max_minutes - self.planned_minutes)


def _planned_minutes(session: Session, bilan_id: uuid.UUID) -> int:
    return int(
        session.exec(
            select(func.coalesce(func.sum(BilanSession.duration_minutes), 0)).where(
                BilanSession.bilan_id == bilan_id, BilanSession.status != SessionStatus.CANCELLED
            )
        ).one()
    )


def _held_minutes(session: Session, bilan_id: uuid.UUID) -> int:
    return int(
        session.exec(
            select(func.coalesce(func.sum(BilanSession.duration_minutes), 0)).where(
                BilanSession.bilan_id == bilan_id, BilanSession.status == SessionStatus.HELD
            )
        ).one()
    )


def hours(actor: Actor, bilan_id: uuid.UUID | str) -> Hours:
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        organisation = session.get(Organisation, bilan.organisation_id)
        return Hours(
            planned_minutes=_planned_minutes(session, bilan.id),
            completed_minutes=_held_minutes(session, bilan.id),
            max_minutes=LEGAL_MAX_MINUTES,
            min_minutes=int((organisation.min_hours if organisation else 0) * 60),
            agreed_minutes=round(bilan.hours_planned_total * 60),
        )


# Attendance (émargement) is confirmed by each party from the start until 48 h after the end; a session
# recorded afterwards is confirmed by the beneficiary within 7 days of the record.
ATTENDANCE_CLOSES_AFTER = timedelta(hours=48)
RECORDED_CONFIRMATION_WINDOW = timedelta(days=7)
PLANNING_HORIZON = timedelta(days=366)
MAX_SESSION_MINUTES = 480  # SessionForm's ceiling: bounds the overlap search


def _ends_at(appointment: BilanSession) -> datetime:
    return appointment.starts_at + timedelta(minutes=appointment.duration_minutes)


def attendance_window(appointment: BilanSession) -> tuple[datetime, datetime]:
    """When attendance may be confirmed: the session itself and 48 h after, or a week after its record."""
    if appointment.status == SessionStatus.RECORDED and appointment.recorded_afterwards_at is not None:
        return appointment.recorded_afterwards_at, appointment.recorded_afterwards_at + RECORDED_CONFIRMATION_WINDOW
    return appointment.starts_at, _ends_at(appointment) + ATTENDANCE_CLOSES_AFTER


def _local_start(form_starts_at: datetime) -> datetime:
    """A datetime-local from the form is Paris time."""
    return form_starts_at if form_starts_at.tzinfo else form_starts_at.replace(tzinfo=TIMEZONE)


def _require_future_start(starts_at: datetime, now: datetime) -> None:
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
    planned = _planned_minutes(session, bilan.id)
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


def _check_place(mode: DeliveryMode, location: str, video_link: str) -> None:
    if mode == DeliveryMode.DISTANCIEL and not video_link:
        raise FormError({"video_link": "error.required"})
    if mode == DeliveryMode.PRESENTIEL and not location:
        raise FormError({"location": "error.required"})


def first_signature(session: Session, bilan: Bilan) -> datetime | None:
    """When the bilan's convention was first signed by every party (None: never)."""
    value = session.exec(
        select(func.min(Convention.signed_at)).where(
            Convention.bilan_id == bilan.id, Convention.status == ConventionStatus.SIGNED
        )
    ).one()
    return _aware(value)


def held_before_convention(starts_at: datetime, signed_at: datetime | None) -> bool:
    """A session that started before the convention was signed (only the preliminary interview may)."""
    return signed_at is None or starts_at < signed_at


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


def plan_session(actor: Actor, bilan_id: uuid.UUID | str, raw: dict[str, Any]) -> uuid.UUID:
    """Plan an appointment in the future: no overlap for the consultant, and the total may never pass the
    legal 24 hours (L6313-4). The phase defaults to the bilan's current one."""
    form = validate_form(SessionForm, raw)
    starts_at = _local_start(form.starts_at)
    _require_future_start(starts_at, utcnow())
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        require_open(bilan)
        if bilan.status == BilanStatus.DEMANDE:
            raise ServiceError("error.bilan_not_accepted")
        phase = form.phase or PHASE_OF_STATUS.get(BilanStatus(bilan.status), Phase.PRELIMINAIRE)
        _check_place(form.mode, form.location, form.video_link)
        _check_slot(session, bilan, starts_at, form.duration_minutes)
        appointment = _new_session(bilan, phase, starts_at, form)
        session.add(appointment)
        _record(
            session,
            actor,
            bilan,
            BilanAction.SESSION_PLANNED,
            appointment={"before": None, "after": _describe(phase, starts_at, form.duration_minutes)},
        )
        notifications.session_planned(session, actor, bilan, appointment)
        return appointment.id


def reschedule_session(actor: Actor, session_id: uuid.UUID | str, raw: dict[str, Any]) -> None:
    """Move a planned session that has not started, with the checks of planning; audited before/after."""
    form = validate_form(RescheduleForm, raw)
    starts_at = _local_start(form.starts_at)
    now = utcnow()
    _require_future_start(starts_at, now)
    with session_scope() as session:
        appointment, bilan = _session_and_bilan(session, actor, session_id)
        require_follower(actor, bilan)
        require_open(bilan)
        if appointment.status != SessionStatus.PLANNED or appointment.starts_at <= now:
            raise ServiceError("error.session_not_movable")
        _check_slot(session, bilan, starts_at, form.duration_minutes, exclude=appointment.id)
        before = _describe(appointment.phase, appointment.starts_at, appointment.duration_minutes)
        previous_start = appointment.starts_at
        appointment.starts_at = starts_at
        appointment.duration_minutes = form.duration_minutes
        appointment.reminder_sent_at = None  # the reminder goes out again for the new date
        session.add(appointment)
        _record(
            session,
            actor,
            bilan,
            BilanAction.SESSION_RESCHEDULED,
            appointment={
                "before": before,
                "after": _describe(appointment.phase, starts_at, form.duration_minutes),
            },
        )
        notifications.session_moved(session, actor, bilan, appointment, previous_start)


def record_past_session(actor: Actor, bilan_id: uuid.UUID | str, raw: dict[str, Any]) -> uuid.UUID:
    """A session held without the platform, recorded afterwards ("saisie a posteriori") by the assigned
    consultant with a reason (encrypted). The consultant's record is their side of the émargement; the
    session counts as held only once the beneficiary confirms it from her space within 7 days, and the
    attendance sheet says so either way: her confirmation is never made up."""
    form = validate_form(RecordedSessionForm, raw)
    starts_at = _local_start(form.starts_at)
    now = utcnow()
    if starts_at + timedelta(minutes=form.duration_minutes) > now:
        raise FormError({"starts_at": "error.recorded_session_not_past"})
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_assigned_consultant(actor, bilan)
        require_open(bilan)
        if bilan.status == BilanStatus.DEMANDE:
            raise ServiceError("error.bilan_not_accepted")
        if starts_at < bilan.requested_at:
            raise FormError({"starts_at": "error.recorded_session_before_bilan"})
        phase = form.phase or PHASE_OF_STATUS.get(BilanStatus(bilan.status), Phase.PRELIMINAIRE)
        _check_place(form.mode, form.location, form.video_link)
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
        _record(
            session,
            actor,
            bilan,
            BilanAction.SESSION_RECORDED,
            appointment={"before": None, "after": _describe(phase, starts_at, form.duration_minutes)},
        )
        notifications.session_recorded(session, bilan, appointment, now + RECORDED_CONFIRMATION_WINDOW)
        return appointment.id


def _session_and_bilan(session: Session, actor: Actor, session_id: uuid.UUID | str) -> tuple[BilanSession, Bilan]:
    try:
        key = uuid.UUID(str(session_id))
    except ValueError as exc:
        raise NotFound() from exc
    appointment = session.exec(scoped(BilanSession, actor).where(col(BilanSession.id) == key)).first()
    if appointment is None:
        raise NotFound()
    return appointment, get_bilan(session, actor, appointment.bilan_id)


def cancel_session(actor: Actor, session_id: uuid.UUID | str) -> None:
    """Cancel a planned session, or withdraw a record that the beneficiary has not confirmed."""
    with session_scope() as session:
        appointment, bilan = _session_and_bilan(session, actor, session_id)
        require_follower(actor, bilan)
        if appointment.status not in {SessionStatus.PLANNED, SessionStatus.RECORDED}:
            raise ServiceError("error.session_not_planned")
        appointment.status = SessionStatus.CANCELLED
        session.add(appointment)
        _record(
            session,
            actor,
            bilan,
            BilanAction.SESSION_CANCELLED,
            appointment={"before": str(appointment.id), "after": None},
        )
        notifications.session_cancelled(session, actor, bilan, appointment)


def confirm_attendance(actor: Actor, session_id: uuid.UUID | str) -> None:
    """Émargement: the beneficiary and the consultant each confirm, from the start until 48 h after the
    end; both together make it held. A session recorded afterwards awaits the beneficiary alone."""
    with session_scope() as session:
        appointment, bilan = _session_and_bilan(session, actor, session_id)
        if appointment.status == SessionStatus.CANCELLED:
            raise ServiceError("error.session_not_planned")
        if actor.role is Role.BENEFICIARY and bilan.beneficiary_id == actor.user_id:
            party = "beneficiary"
        elif actor.role is Role.CONSULTANT and bilan.consultant_id == actor.user_id:
            party = "consultant"
        else:
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
        _record(session, actor, bilan, BilanAction.ATTENDANCE_CONFIRMED, attendance={"before": None, "after": party})


def require_assigned_consultant(actor: Actor, bilan: Bilan) -> None:
    """The bilan's own consultant only (session notes, the synthèse and its handover are their own work:
    not even the org admin reads or does them)."""
    if actor.role is not Role.CONSULTANT or bilan.consultant_id != actor.user_id:
        raise AccessDenied()


def save_session_notes(actor: Actor, session_id: uuid.UUID | str, text: str) -> None:
    with session_scope() as session:
        appointment, bilan = _session_and_bilan(session, actor, session_id)
        require_assigned_consultant(actor, bilan)
        session_notes.require_writable(actor, appointment)
        require_max_length("notes", text, SESSION_NOTES_MAX)  # refused, never cut
        appointment.notes_encrypted = encrypt_text(text) if text.strip() else ""
        appointment.notes_author_id = actor.user_id if text.strip() else None
        session.add(appointment)
        _record(session, actor, bilan, BilanAction.NOTES_UPDATED)


def read_session_notes(actor: Actor, session_id: uuid.UUID | str) -> str:
    """The assigned consultant reads a session's notes if ``session_notes.readable_notes`` allows them."""
    with session_scope() as session:
        appointment, bilan = _session_and_bilan(session, actor, session_id)
        require_assigned_consultant(actor, bilan)
        if not appointment.notes_encrypted:
            return ""
        readable = {note.session_id: note.text for note in session_notes.readable_notes(session, actor, bilan)}
        if appointment.id not in readable:
            raise ServiceError("notes.error.needs_agreement")
        log_personal_read(session, actor, bilan, "session_notes")
        return readable[appointment.id]


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


def list_sessions(actor: Actor, bilan_id: uuid.UUID | str) -> list[SessionRow]:
    now = utcnow()
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        rows = session.exec(
            select(BilanSession).where(BilanSession.bilan_id == bilan.id).order_by(col(BilanSession.starts_at))
        ).all()
        return [
            SessionRow(
                id=str(row.id),
                phase=str(row.phase),
                starts_at=row.starts_at,
                duration_minutes=row.duration_minutes,
                mode=str(row.mode),
                location=row.location,
                video_link=row.video_link,
                status=str(row.status),
                beneficiary_attended=row.beneficiary_attended_at is not None,
                consultant_attended=row.consultant_attended_at is not None,
                has_notes=bool(row.notes_encrypted),
                recorded_afterwards=row.recorded_afterwards_at is not None,
                attendance_open=row.status in {SessionStatus.PLANNED, SessionStatus.RECORDED}
                and attendance_window(row)[0] <= now <= attendance_window(row)[1],
                movable=row.status == SessionStatus.PLANNED and row.starts_at > now,
            )
            for row in rows
        ]


# ---------------------------------------------------------------- tasks


@dataclass(frozen=True)
class TaskRow:
    id: str
    title: str
    due_on: date | None
    done: bool
    overdue: bool


TASK_HORIZON = timedelta(days=366)


def add_task(actor: Actor, bilan_id: uuid.UUID | str, raw: dict[str, Any]) -> uuid.UUID:
    """A task for the beneficiary; its due date, if any, is today or within the coming year."""
    form = validate_form(TaskForm, raw)
    if form.due_on is not None:
        today = utcnow().astimezone(TIMEZONE).date()
        if form.due_on < today:
            raise FormError({"due_on": "error.task_due_past"})
        if form.due_on > today + TASK_HORIZON:
            raise FormError({"due_on": "error.task_due_too_far"})
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        require_open(bilan)
        task = BilanTask(
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            title_encrypted=encrypt_text(form.title),
            due_on=form.due_on,
            created_by_id=actor.user_id,
        )
        session.add(task)
        _record(session, actor, bilan, BilanAction.TASK_ADDED, due_on={"before": None, "after": str(form.due_on or "")})
        return task.id


def set_task_done(actor: Actor, task_id: uuid.UUID | str, done: bool) -> None:
    with session_scope() as session:
        try:
            key = uuid.UUID(str(task_id))
        except ValueError as exc:
            raise NotFound() from exc
        task = session.exec(scoped(BilanTask, actor).where(col(BilanTask.id) == key)).first()
        if task is None:
            raise NotFound()
        bilan = get_bilan(session, actor, task.bilan_id)
        task.done_at = utcnow() if done else None
        session.add(task)
        _record(session, actor, bilan, BilanAction.TASK_DONE, done={"before": not done, "after": done})


def list_tasks(actor: Actor, bilan_id: uuid.UUID | str) -> list[TaskRow]:
    today = utcnow().astimezone(TIMEZONE).date()
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        rows = session.exec(
            select(BilanTask).where(BilanTask.bilan_id == bilan.id).order_by(col(BilanTask.created_at))
        ).all()
        return [
            TaskRow(
                id=str(row.id),
                title=decrypt_text(row.title_encrypted),
                due_on=row.due_on,
                done=row.done_at is not None,
                overdue=row.done_at is None and row.due_on is not None and row.due_on < today,
            )
            for row in rows
        ]


# ---------------------------------------------------------------- the synthèse handover (upload option)


def latest_handover(session: Session, bilan: Bilan) -> SyntheseHandover | None:
    """The last document handed to the beneficiary (what she has), or None."""
    return session.exec(
        select(SyntheseHandover)
        .where(SyntheseHandover.organisation_id == bilan.organisation_id, SyntheseHandover.bilan_id == bilan.id)
        .order_by(col(SyntheseHandover.number).desc())
    ).first()


def record_handover(
    session: Session, actor: Actor, bilan: Bilan, document: Document, synthese_version: int | None
) -> SyntheseHandover:
    """Hand ``document`` to the beneficiary: a new handover row (the earlier ones stay as they are: evidence),
    the bilan points to it (it releases the closing guard), audited, and she is told by mail."""
    previous = latest_handover(session, bilan)
    row = SyntheseHandover(
        organisation_id=bilan.organisation_id,
        bilan_id=bilan.id,
        number=previous.number + 1 if previous else 1,
        synthese_version=synthese_version,
        document_id=document.id,
        sha256=document.sha256,
        handed_over_by=actor.user_id,
        handed_over_at=utcnow(),
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:  # a second click while the first one was recorded
        raise ServiceError("error.synthese_already_handed_over") from exc
    bilan.synthese_document_id = document.id
    bilan.synthese_handed_over_at = row.handed_over_at
    _record(
        session,
        actor,
        bilan,
        BilanAction.SYNTHESE_HANDED_OVER,
        handover={"before": previous.number if previous else None, "after": row.number},
        version={"before": previous.synthese_version if previous else None, "after": synthese_version},
        sha256={"before": previous.sha256 if previous else None, "after": document.sha256},
    )
    beneficiary = session.get(User, bilan.beneficiary_id)
    if beneficiary is not None:
        locale, kind = beneficiary.locale, "newer_mail" if previous else "ready_mail"
        queue_mail(
            session,
            to=beneficiary.email,
            subject=translate(f"handover.{kind}.subject", locale),
            body=translate(
                f"handover.{kind}.body",
                locale,
                name=beneficiary.first_name,
                link=get_settings().public_url.rstrip("/") + routes.SYNTHESE,
            ),
            organisation_id=bilan.organisation_id,
        )
    return row


def upload_synthese(actor: Actor, bilan_id: uuid.UUID | str, filename: str, content: bytes) -> None:
    """A consultant may upload a synthèse PDF they wrote themselves (beside the generator). After a
    handover, a corrected PDF waits to be handed over as a new one; the one she has stays hers."""
    if not content.startswith(b"%PDF-"):
        raise FormError({"synthese": "error.pdf_required"})
    if len(content) > MAX_UPLOAD_BYTES:
        raise FormError({"synthese": "error.file_too_large"})
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_assigned_consultant(actor, bilan)
        require_open(bilan)
        document = store_document(
            session,
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            kind=DocumentKind.SYNTHESE,
            filename=filename or "synthese.pdf",
            content=content,
            uploaded_by_id=actor.user_id,
        )
        bilan.synthese_document_id = document.id
        _record(session, actor, bilan, BilanAction.SYNTHESE_UPLOADED, sha256={"before": None, "after": document.sha256})


def record_synthese_handover(actor: Actor, bilan_id: uuid.UUID | str) -> None:
    """The uploaded synthèse is handed to the beneficiary: Qualiopi evidence, and it releases the closing guard."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_assigned_consultant(actor, bilan)
        document = session.get(Document, bilan.synthese_document_id) if bilan.synthese_document_id else None
        if document is None or document.bilan_id != bilan.id:
            raise ServiceError("error.synthese_missing")
        latest = latest_handover(session, bilan)
        if latest is not None and latest.document_id == document.id:
            raise ServiceError("error.synthese_already_handed_over")
        if bilan.status not in {BilanStatus.CONCLUSION, BilanStatus.SUIVI}:
            raise ServiceError("error.transition_forbidden")
        record_handover(session, actor, bilan, document, None)


def read_synthese(actor: Actor, bilan_id: uuid.UUID | str) -> tuple[str, bytes]:
    """The synthèse goes to the beneficiary alone (L6313-4), and to the consultant who wrote it."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        document_id = bilan.synthese_document_id  # the consultant's latest copy (handed over or not)
        if actor.role is Role.BENEFICIARY:
            require_beneficiary(actor, bilan)
            handed = latest_handover(session, bilan)  # she has what was handed over, nothing newer
            if handed is None:
                raise NotFound()
            document_id = handed.document_id
        else:
            require_assigned_consultant(actor, bilan)
        document = session.get(Document, document_id) if document_id else None
        if document is None or document.bilan_id != bilan.id:
            raise NotFound()
        log_personal_read(session, actor, bilan, "synthese")
        return document.filename, read_document(document)


# ---------------------------------------------------------------- history


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    action: str
    actor_label: str
    changes: dict[str, Any]


def history(actor: Actor, bilan_id: uuid.UUID | str) -> list[HistoryRow]:
    """The bilan's audit trail (followers only: it names every actor)."""
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


# ---------------------------------------------------------------- dashboards


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
    """The bilans the actor follows, with hours, next session and alerts, in a fixed number of queries."""
    require(actor, Permission.FOLLOW_BILANS)
    filters = filters or DashboardFilter()
    now = utcnow()
    beneficiary = aliased(User)
    consultant = aliased(User)
    with session_scope() as session:
        query = (
            select(Bilan, beneficiary.first_name, beneficiary.last_name, consultant.first_name, consultant.last_name)
            .where(_visibility(actor))
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
                select(
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
    result = []
    for bilan, b_first, b_last, c_first, c_last in rows:
        planned, held, last_start, next_start = stats.get(bilan.id, (0, 0, None, None))
        last_start = _aware(last_start)
        next_start = _aware(next_start)
        alerts = []
        issued_at = _aware(unsigned.get(bilan.id))
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


def _aware(value: datetime | None) -> datetime | None:
    """Aggregates bypass the UTC column type: SQLite hands back naive UTC datetimes."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


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


def _convention_state(session: Session, bilan: Bilan) -> str:
    """Where the beneficiary stands with her latest convention, for the call to action of her home."""
    latest = latest_convention(session, bilan)
    if latest is None:
        return "none"
    if latest.status == ConventionStatus.SIGNED:
        return "signed"
    if latest.status != ConventionStatus.AWAITING_SIGNATURES:
        return "lapsed"
    hers = session.exec(
        select(ConventionSignature).where(
            ConventionSignature.convention_id == latest.id, ConventionSignature.party == SignatureParty.BENEFICIARY
        )
    ).first()
    return "to_sign" if hers is not None and hers.signed_at is None else "awaiting_others"


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


def my_current_bilan(actor: Actor) -> CurrentBilan | None:
    """Which bilan her space is about, without the overview's sessions and convention (one query)."""
    require(actor, Permission.REQUEST_BILAN)
    with session_scope() as session:
        bilan = _current_bilan(session, actor)
        return CurrentBilan(str(bilan.id), str(bilan.status)) if bilan is not None else None


def my_bilan(actor: Actor) -> BeneficiaryOverview | None:
    """The beneficiary's current (or last) bilan: timeline position, next session and badges."""
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
        badges = []
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
            convention_state=_convention_state(session, bilan),
        )


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


def _upload_waiting(session: Session, bilan: Bilan) -> bool:
    latest = latest_handover(session, bilan)
    return bilan.synthese_document_id is not None and (
        latest is None or latest.document_id != bilan.synthese_document_id
    )


def bilan_detail(actor: Actor, bilan_id: uuid.UUID | str) -> BilanDetail:
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        beneficiary = session.get(User, bilan.beneficiary_id)
        consultant = session.get(User, bilan.consultant_id) if bilan.consultant_id else None
        assert beneficiary is not None
        follower = is_follower(actor, bilan)
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
            synthese_uploaded=_upload_waiting(session, bilan),
            synthese_handed_over_at=bilan.synthese_handed_over_at,
            followup_due_on=bilan.followup_due_on,
            next_statuses=tuple(sorted(str(s) for s in TRANSITIONS.get(BilanStatus(bilan.status), frozenset())))
            if follower
            else (),
            can_follow=follower,
            is_assigned_consultant=actor.role is Role.CONSULTANT and bilan.consultant_id == actor.user_id,
            move_refusals=move_refusals(session, bilan) if follower else {},
        )
