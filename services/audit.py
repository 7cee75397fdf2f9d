"""Append-only audit events, written in the same transaction as the change they describe."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from services.access import Actor, Permission, require, scoped
from services.models import AuditEvent


class AuthAction(StrEnum):
    """Audit actions of the accounts domain (other domains add their own enums)."""

    LOGIN_SUCCEEDED = "auth.login_succeeded"
    LOGIN_FAILED = "auth.login_failed"
    LOGIN_LOCKED = "auth.login_locked"
    LOGOUT = "auth.logout"
    SESSION_REVOKED = "auth.session_revoked"
    TWO_FACTOR_ENABLED = "auth.2fa_enabled"
    TWO_FACTOR_DISABLED = "auth.2fa_disabled"
    RECOVERY_CODE_USED = "auth.recovery_code_used"
    PASSWORD_RESET_REQUESTED = "auth.password_reset_requested"
    PASSWORD_RESET = "auth.password_reset"
    PASSWORD_CHANGED = "auth.password_changed"
    ORGANISATION_CREATED = "org.created"
    ORGANISATION_UPDATED = "org.updated"
    INVITATION_SENT = "member.invitation_sent"
    INVITATION_RESENT = "member.invitation_resent"
    INVITATION_ACCEPTED = "member.invitation_accepted"
    ROLE_CHANGED = "member.role_changed"
    MEMBER_DEACTIVATED = "member.deactivated"
    MEMBER_REACTIVATED = "member.reactivated"
    PROFILE_UPDATED = "member.profile_updated"


def record(
    session: Session,
    action: str,
    *,
    actor: Actor | None = None,
    organisation_id: uuid.UUID | None = None,
    actor_user_id: uuid.UUID | None = None,
    actor_label: str = "",
    target_type: str = "",
    target_id: uuid.UUID | str = "",
    ip: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the caller's transaction (it commits with the change itself)."""
    event = AuditEvent(
        organisation_id=organisation_id if organisation_id is not None else (actor.organisation_id if actor else None),
        actor_user_id=actor_user_id if actor_user_id is not None else (actor.user_id if actor else None),
        actor_label=actor_label or (actor.label if actor else ""),
        action=str(action),
        target_type=target_type,
        target_id=str(target_id) if target_id else "",
        ip=ip or (actor.ip if actor else ""),
        changes=changes or {},
    )
    session.add(event)
    return event


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The before/after pairs of the fields that changed."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


@dataclass(frozen=True)
class AuditFilter:
    action_prefix: str = ""
    actor_text: str = ""
    since: datetime | None = None
    until: datetime | None = None


def list_events(
    session: Session, actor: Actor, filters: AuditFilter, *, limit: int = 100, offset: int = 0
) -> tuple[Sequence[AuditEvent], int]:
    """The organisation's audit log, newest first, with the total count for paging."""
    require(actor, Permission.VIEW_AUDIT_LOG)
    query = scoped(AuditEvent, actor)
    if filters.action_prefix:
        query = query.where(col(AuditEvent.action).startswith(filters.action_prefix))
    if filters.actor_text:
        query = query.where(col(AuditEvent.actor_label).ilike(f"%{filters.actor_text}%"))
    if filters.since:
        query = query.where(AuditEvent.created_at >= filters.since)
    if filters.until:
        query = query.where(AuditEvent.created_at < filters.until)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(AuditEvent.created_at).desc()).offset(offset).limit(limit)).all()
    return rows, total
