"""The bilan's way from the request to its end: the plan's quota, the consultant's answer and the
assignment, funding and objectives, the state machine's moves and their guards, and the follow-up."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from services import audit, notifications
from services.access import Actor, Permission, own_organisation, require
from services.bilans._common import active_member, held_minutes, record_change
from services.bilans.access import get_bilan, require_follower
from services.bilans.convention import convention_in_force, conventions_signed
from services.bilans.events import BilanAction
from services.bilans.statuses import (
    ACTIVE_STATUSES,
    CLOSED_STATUSES,
    CONCLUDING_STATUSES,
    STARTED_AT_FIELD,
    STOPPED_STATUSES,
    TRANSITIONS,
    require_open,
)
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.errors import AccessDenied, FormError, ServiceError
from services.forms import QUESTIONNAIRE_MAX_CHARS, REASON_MAX, FundingForm, require_max_length, validate_form
from services.i18n import TIMEZONE, format_number
from services.models import (
    PLAN_ACTIVE_BILAN_QUOTAS,
    Bilan,
    BilanStatus,
    FundingType,
    Organisation,
    OrganisationPlan,
    Role,
)
from services.models.base import utcnow

# ---------------------------------------------------------------- the plan's quota


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
    """SUPERVISE_BILANS (org admin): the organisation's active bilans against its plan's quota."""
    require(actor, Permission.SUPERVISE_BILANS)
    with session_scope() as session:
        organisation = own_organisation(session, actor)
        active = session.exec(
            select(func.count()).where(
                Bilan.organisation_id == organisation.id, col(Bilan.status).in_(list(ACTIVE_STATUSES))
            )
        ).one()
        plan = OrganisationPlan(organisation.plan)
        return QuotaUsage(plan=str(plan), active=int(active), limit=PLAN_ACTIVE_BILAN_QUOTAS[plan])


# ---------------------------------------------------------------- consultant's decision and assignment


def accept_request(actor: Actor, bilan_id: uuid.UUID | str) -> None:
    """FOLLOW_BILANS: the requested (or assigned) consultant, or an org admin on behalf of the organisation,
    takes the bilan: it enters the preliminary phase."""
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
        record_change(
            session, actor, bilan, BilanAction.ACCEPTED, consultant_id={"before": None, "after": str(consultant_id)}
        )
        notifications.request_accepted(session, bilan)


def hand_back(actor: Actor, bilan_id: uuid.UUID | str, reason: str) -> None:
    """FOLLOW_BILANS, the requested consultant only: they decline, and the organisation will choose someone else."""
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
        record_change(
            session,
            actor,
            bilan,
            BilanAction.HANDED_BACK,
            reason={"before": None, "after": require_max_length("reason", reason.strip(), REASON_MAX)},
        )
        notifications.request_handed_back(session, bilan, actor.user_id)


def assign_consultant(actor: Actor, bilan_id: uuid.UUID | str, consultant_id: uuid.UUID | str) -> None:
    """SUPERVISE_BILANS (org admin): assigns or reassigns the bilan's consultant."""
    require(actor, Permission.SUPERVISE_BILANS)
    try:
        consultant = uuid.UUID(str(consultant_id))
    except ValueError as exc:
        raise FormError({"consultant_id": "error.invalid_choice"}) from exc
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_open(bilan)
        if not active_member(session, bilan.organisation_id, consultant, Role.CONSULTANT):
            raise FormError({"consultant_id": "error.invalid_choice"})
        before = bilan.consultant_id
        bilan.consultant_id = consultant
        if bilan.status == BilanStatus.DEMANDE:
            bilan.requested_consultant_id = consultant
        record_change(
            session,
            actor,
            bilan,
            BilanAction.ASSIGNED,
            consultant_id={"before": str(before) if before else None, "after": str(consultant)},
        )
        notifications.consultant_assigned(session, bilan, before)


# ---------------------------------------------------------------- funding and objectives


# What the convention states: frozen while a convention awaits signatures or is signed.
CONVENTION_FIELDS = frozenset(
    {"funding_type", "employer_name", "employer_signatory_name", "employer_email", "price_euros", "hours_planned_total"}
)


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, StrEnum) else value


def update_funding(actor: Actor, bilan_id: uuid.UUID | str, raw: dict[str, Any]) -> None:
    """The bilan's followers, while it is open: its funding, price and planned hours (frozen by a
    convention in force)."""
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
        record_change(session, actor, bilan, BilanAction.FUNDING_UPDATED, **audit.diff(before, after))


def set_objectives(actor: Actor, bilan_id: uuid.UUID | str, text: str) -> None:
    """The bilan's followers, while it is open: the operational objectives agreed in the preliminary phase
    (Qualiopi 5), encrypted."""
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
        record_change(session, actor, bilan, BilanAction.OBJECTIVES_UPDATED)


def get_objectives(actor: Actor, bilan_id: uuid.UUID | str) -> str:
    """Anyone who sees the bilan (the beneficiary, her followers): its objectives."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        return decrypt_text(bilan.objectives_encrypted) if bilan.objectives_encrypted else ""


# ---------------------------------------------------------------- the state machine


def _guard(session: Session, bilan: Bilan, target: BilanStatus, reason: str) -> None:
    if target not in TRANSITIONS.get(BilanStatus(bilan.status), frozenset()):
        raise ServiceError("error.transition_forbidden")
    if target in STOPPED_STATUSES and not reason.strip():
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
    held = held_minutes(session, bilan.id)
    if held < minimum:
        raise ServiceError(
            "error.min_hours_not_met", done=format_number(round(held / 60, 2)), min=format_number(minimum / 60)
        )


def move_refusals(session: Session, bilan: Bilan) -> dict[str, tuple[str, dict[str, object]]]:
    """Any service, on a bilan its caller follows: why each next move would be refused now (code and
    params), from the guard itself, so that the page says it next to the move instead of offering a
    button that fails. Closing reasons are asked by the form."""
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
    record_change(
        session,
        actor,
        bilan,
        BilanAction.STATUS_CHANGED,
        status={"before": str(before), "after": str(target)},
    )


def transition(actor: Actor, bilan_id: uuid.UUID | str, target: BilanStatus | str, reason: str = "") -> None:
    """The bilan's followers: move it to ``target`` if the state machine and its guards allow it (the
    preliminary phase is entered only by accepting the request)."""
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
    """The bilan's followers, once it is concluding: the date of the follow-up interview (about 6 months
    after the conclusion)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        if bilan.status not in CONCLUDING_STATUSES:
            raise ServiceError("error.transition_forbidden")
        today = utcnow().astimezone(TIMEZONE).date()
        if due_on <= today:
            raise FormError({"followup_due_on": "error.date_in_past"})
        if due_on > today + FOLLOWUP_HORIZON:
            raise FormError({"followup_due_on": "error.followup_too_far"})
        bilan.followup_due_on = due_on
        record_change(
            session,
            actor,
            bilan,
            BilanAction.FOLLOWUP_SCHEDULED,
            followup_due_on={"before": None, "after": str(due_on)},
        )
