"""The one permission policy. Who may do what is answered here and nowhere else.

Every service function that touches tenant data takes an ``Actor`` and scopes its query through
``scoped()`` or ``get_scoped()``; another organisation's object answers exactly like a missing one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement
from sqlmodel import Session, SQLModel, select
from sqlmodel.sql.expression import SelectOfScalar

from services.errors import AccessDenied, NotFound
from services.models import Organisation, Role


class Permission(StrEnum):
    VIEW_OWN_SPACE = "view_own_space"
    VIEW_CONSULTANT_DASHBOARD = "view_consultant_dashboard"
    INVITE_MEMBERS = "invite_members"
    MANAGE_MEMBERS = "manage_members"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_ORGANISATION = "manage_organisation"
    VIEW_ORGANISATIONS = "view_organisations"
    READ_DEV_OUTBOX = "read_dev_outbox"
    REQUEST_BILAN = "request_bilan"
    FOLLOW_BILANS = "follow_bilans"  # plan sessions, issue conventions, move phases (assigned consultant)
    SUPERVISE_BILANS = "supervise_bilans"  # see every bilan of the organisation, assign consultants
    MANAGE_REFERENTIEL = "manage_referentiel"  # install the ROME référentiel (platform-wide data)
    MANAGE_AI = "manage_ai"  # the organisation's AI provider, token budget and usage view
    BROWSE_METIERS = "browse_metiers"  # the ROME référentiel's search and fiches métiers
    MANAGE_OWN_ACCOUNT = "manage_own_account"  # password, 2FA, sessions, profile: every logged-in user
    SEE_DEMO_REFERENTIEL_NOTICE = "see_demo_referentiel_notice"  # told when the demo référentiel is installed


POLICY: dict[Permission, frozenset[Role]] = {
    Permission.VIEW_OWN_SPACE: frozenset({Role.BENEFICIARY}),
    Permission.VIEW_CONSULTANT_DASHBOARD: frozenset({Role.CONSULTANT, Role.ORG_ADMIN}),
    Permission.INVITE_MEMBERS: frozenset({Role.CONSULTANT, Role.ORG_ADMIN}),
    Permission.MANAGE_MEMBERS: frozenset({Role.ORG_ADMIN}),
    Permission.VIEW_AUDIT_LOG: frozenset({Role.ORG_ADMIN}),
    Permission.MANAGE_ORGANISATION: frozenset({Role.ORG_ADMIN}),
    Permission.VIEW_ORGANISATIONS: frozenset({Role.PLATFORM_ADMIN}),
    Permission.READ_DEV_OUTBOX: frozenset({Role.PLATFORM_ADMIN}),
    Permission.REQUEST_BILAN: frozenset({Role.BENEFICIARY}),
    Permission.FOLLOW_BILANS: frozenset({Role.CONSULTANT, Role.ORG_ADMIN}),
    Permission.SUPERVISE_BILANS: frozenset({Role.ORG_ADMIN}),
    Permission.MANAGE_REFERENTIEL: frozenset({Role.PLATFORM_ADMIN}),
    Permission.MANAGE_AI: frozenset({Role.ORG_ADMIN}),
    Permission.BROWSE_METIERS: frozenset(Role),
    Permission.MANAGE_OWN_ACCOUNT: frozenset(Role),
    # Those who can have the full ROME installed (the operator) or ask for it (the org admin).
    Permission.SEE_DEMO_REFERENTIEL_NOTICE: frozenset({Role.ORG_ADMIN, Role.PLATFORM_ADMIN}),
}

# Which roles each role may invite into its own organisation.
INVITABLE_ROLES: dict[Role, frozenset[Role]] = {
    Role.ORG_ADMIN: frozenset({Role.CONSULTANT, Role.BENEFICIARY, Role.ORG_ADMIN}),
    Role.CONSULTANT: frozenset({Role.BENEFICIARY}),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user, in one organisation, with one role (or the platform operator)."""

    user_id: uuid.UUID
    role: Role
    organisation_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    ip: str = ""
    label: str = ""

    @property
    def is_platform_admin(self) -> bool:
        return self.role is Role.PLATFORM_ADMIN


def can(actor: Actor, permission: Permission) -> bool:
    return actor.role in POLICY[permission]


def require(actor: Actor, permission: Permission) -> None:
    if not can(actor, permission):
        raise AccessDenied()


def can_invite(actor: Actor, role: Role) -> bool:
    return role in INVITABLE_ROLES.get(actor.role, frozenset())


ModelT = TypeVar("ModelT", bound=SQLModel)


def tenant_filter(model: type[SQLModel], actor: Actor) -> ColumnElement[bool]:
    """The condition that restricts a tenant table to the actor's organisation (AccessDenied without one)."""
    if actor.organisation_id is None:
        raise AccessDenied()
    column: Any = model.organisation_id  # type: ignore[attr-defined]
    return column == actor.organisation_id


def scoped(model: type[ModelT], actor: Actor) -> SelectOfScalar[ModelT]:
    """A SELECT on a tenant table restricted to the actor's organisation."""
    return select(model).where(tenant_filter(model, actor))


def get_scoped(session: Session, model: type[ModelT], object_id: uuid.UUID | str, actor: Actor) -> ModelT:
    """Load one tenant row by id, or raise NotFound if it is missing or belongs elsewhere."""
    try:
        key = object_id if isinstance(object_id, uuid.UUID) else uuid.UUID(str(object_id))
    except ValueError as exc:
        raise NotFound() from exc
    column: Any = model.id  # type: ignore[attr-defined]
    found = session.exec(scoped(model, actor).where(column == key)).first()
    if found is None:
        raise NotFound()
    return found


def own_organisation(session: Session, actor: Actor) -> Organisation:
    """The actor's own organisation, read in the caller's transaction (NotFound when it is gone).

    Callers check the permission first; this only finds the row.
    """
    organisation = session.get(Organisation, actor.organisation_id)
    if organisation is None:
        raise NotFound()
    return organisation
