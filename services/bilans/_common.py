"""Helpers shared by the modules of the bilan package (not part of its API)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from services.access import Actor
from services.bilans.events import BilanAction, record_on_bilan
from services.errors import AccessDenied
from services.models import Bilan, BilanSession, Membership, Role, SessionStatus
from services.models.base import utcnow


def visibility(actor: Actor) -> ColumnElement[bool]:
    """The condition that limits bilans to those the actor may see (``access.visible_bilans`` and the
    dashboards' joined queries)."""
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


def record_change(session: Session, actor: Actor, bilan: Bilan, action: BilanAction, **changes: Any) -> None:
    """The bilan changed: its ``updated_at`` moves and the change goes into its history."""
    bilan.updated_at = utcnow()
    session.add(bilan)
    record_on_bilan(session, actor, bilan, action, **changes)


def aware(value: datetime | str | None) -> datetime | None:
    """Aggregates bypass the UTC column type: SQLite hands back naive UTC datetimes."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def planned_minutes(session: Session, bilan_id: uuid.UUID) -> int:
    """The minutes of the bilan's sessions planned or held (what the 24 h ceiling counts)."""
    return int(
        session.exec(
            select(func.coalesce(func.sum(BilanSession.duration_minutes), 0)).where(
                BilanSession.bilan_id == bilan_id, BilanSession.status != SessionStatus.CANCELLED
            )
        ).one()
    )


def held_minutes(session: Session, bilan_id: uuid.UUID) -> int:
    """The minutes of the bilan's sessions held (attended by both parties)."""
    return int(
        session.exec(
            select(func.coalesce(func.sum(BilanSession.duration_minutes), 0)).where(
                BilanSession.bilan_id == bilan_id, BilanSession.status == SessionStatus.HELD
            )
        ).one()
    )


def active_member(session: Session, organisation_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> bool:
    """The user is an active member of the organisation in that role."""
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
