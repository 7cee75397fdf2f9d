"""The beneficiary's request: asking for a bilan, her questionnaire, and the consultants she may choose."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from services import notifications
from services.access import Actor, Permission, require
from services.bilans._common import active_member, record_change
from services.bilans.access import get_bilan, require_beneficiary, visible_bilans
from services.bilans.events import BilanAction, log_personal_read
from services.bilans.statuses import ACTIVE_STATUSES, LEGAL_MAX_MINUTES, OPEN_STATUSES, require_open
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.errors import AccessDenied, FormError, ServiceError
from services.forms import (
    QUESTIONNAIRE_MAX_CHARS,
    QUESTIONNAIRE_REQUIRED,
    QUESTIONNAIRE_TEXT_FIELDS,
    BilanRequestForm,
    validate_form,
)
from services.models import Bilan, Membership, Organisation, Role, User
from services.models.base import utcnow


def request_bilan(actor: Actor, raw: dict[str, Any]) -> uuid.UUID:
    """REQUEST_BILAN (a beneficiary) asks for a bilan, choosing a consultant or letting the organisation choose."""
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
            if not active_member(session, actor.organisation_id, requested, Role.CONSULTANT):
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
        record_change(
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
    """Anyone who sees the bilan (the beneficiary, her followers): her answers, which are the request itself."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        log_personal_read(session, actor, bilan, "questionnaire")
        answers = json.loads(decrypt_text(bilan.questionnaire_encrypted)) if bilan.questionnaire_encrypted else {}
        return Questionnaire(answers=answers, completed=bilan.questionnaire_completed_at is not None)


def save_questionnaire(actor: Actor, bilan_id: uuid.UUID | str, raw: dict[str, Any], *, complete: bool) -> None:
    """The bilan's beneficiary, while it is open: autosave (anything goes, nothing is lost) or complete
    (the required answers are checked)."""
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
                record_change(session, actor, bilan, BilanAction.QUESTIONNAIRE_SAVED)
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
    """Any member of an organisation (the beneficiary choosing): its active consultants with their load."""
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
