"""Who may see a bilan and who may act on it.

``visible_bilans()`` decides what an actor sees (its condition, ``_common.visibility``, also filters the
dashboards' joined queries); ``require_follower()`` (the assigned consultant, or an
org admin), ``require_beneficiary()`` and ``require_assigned_consultant()`` who acts. Every other
function of the package, and the services that work on a bilan, build on these.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from services.access import Actor, Permission, can, require
from services.bilans._common import visibility
from services.db import session_scope
from services.errors import AccessDenied, NotFound
from services.models import Bilan, Role


def visible_bilans(actor: Actor) -> SelectOfScalar[Bilan]:
    """Any member of an organisation (others are refused): the bilans the actor may see, their own
    (beneficiary), assigned or requested (consultant), all of the organisation (admin)."""
    return select(Bilan).where(visibility(actor))


def get_bilan(session: Session, actor: Actor, bilan_id: uuid.UUID | str) -> Bilan:
    """Any member of an organisation: one bilan they may see, or NotFound (also for another organisation's)."""
    try:
        key = bilan_id if isinstance(bilan_id, uuid.UUID) else uuid.UUID(str(bilan_id))
    except ValueError as exc:
        raise NotFound() from exc
    bilan = session.exec(visible_bilans(actor).where(col(Bilan.id) == key)).first()
    if bilan is None:
        raise NotFound()
    return bilan


def may_see(actor: Actor, bilan_id: uuid.UUID | str) -> bool:
    """Any role: whether a bilan is within the actor's reach (a bilan's pages open only then)."""
    try:
        with session_scope() as session:
            get_bilan(session, actor, bilan_id)
    except (NotFound, AccessDenied):
        return False
    return True


def is_follower(actor: Actor, bilan: Bilan) -> bool:
    """Any caller: True for the assigned consultant, or an admin of the bilan's organisation."""
    if actor.organisation_id != bilan.organisation_id:
        return False
    return (actor.role is Role.CONSULTANT and bilan.consultant_id == actor.user_id) or can(
        actor, Permission.SUPERVISE_BILANS
    )


def require_follower(actor: Actor, bilan: Bilan) -> None:
    """Any service: lets through the bilan's followers (FOLLOW_BILANS and ``is_follower``) only."""
    require(actor, Permission.FOLLOW_BILANS)
    if not is_follower(actor, bilan):
        raise AccessDenied()


def require_beneficiary(actor: Actor, bilan: Bilan) -> None:
    """Any service: lets through the bilan's own beneficiary only."""
    if actor.role is not Role.BENEFICIARY or bilan.beneficiary_id != actor.user_id:
        raise AccessDenied()


def require_assigned_consultant(actor: Actor, bilan: Bilan) -> None:
    """Any service: lets through the bilan's own consultant only (session notes, the synthèse and its
    handover are their own work: not even the org admin reads or does them)."""
    if actor.role is not Role.CONSULTANT or bilan.consultant_id != actor.user_id:
        raise AccessDenied()
