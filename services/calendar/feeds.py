"""A person's private calendar feed: an ICS address their calendar application subscribes to.

The beneficiary's feed holds her sessions, the consultant's every session of the bilans assigned to
them, in the organisation the address was made in. The address carries a random token; the database
keeps only its keyed hash, so the address is shown once, when made. Making a new one revokes the old;
a revoked (or unknown) token answers 404. Each event says "Séance de bilan" and the place (or the page
where the video link appears): no name, no phase, no notes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from services import audit, routes
from services.access import Actor, Permission, require
from services.calendar import ics
from services.calendar.invitations import entry
from services.crypto import hash_token, new_token
from services.db import session_scope
from services.errors import AccessDenied, NotFound
from services.i18n import translate
from services.mail import public_link
from services.models import (
    Bilan,
    BilanSession,
    CalendarFeedToken,
    Membership,
    Organisation,
    SessionStatus,
    User,
    UserStatus,
)
from services.models.base import utcnow

FEED_PAST = timedelta(days=92)  # a quarter back: enough for the calendar's recent history
FEED_AHEAD = timedelta(days=400)  # sessions are planned at most a year ahead


@dataclass(frozen=True)
class FeedStatus:
    active: bool
    created_at: datetime | None


def _active(session: Session, actor: Actor) -> list[CalendarFeedToken]:
    return list(
        session.exec(
            select(CalendarFeedToken).where(
                CalendarFeedToken.user_id == actor.user_id,
                CalendarFeedToken.organisation_id == actor.organisation_id,
                col(CalendarFeedToken.revoked_at).is_(None),
            )
        ).all()
    )


def _require_member(actor: Actor) -> uuid.UUID:
    require(actor, Permission.MANAGE_OWN_ACCOUNT)
    if actor.organisation_id is None:
        raise AccessDenied()
    return actor.organisation_id


def feed_status(actor: Actor) -> FeedStatus:
    """Every member, for themselves: whether they have a live feed address, and since when."""
    _require_member(actor)
    with session_scope() as session:
        tokens = _active(session, actor)
        return FeedStatus(bool(tokens), max((t.created_at for t in tokens), default=None))


def _revoke_all(session: Session, actor: Actor) -> int:
    now = utcnow()
    tokens = _active(session, actor)
    for token in tokens:
        token.revoked_at = now
        session.add(token)
    return len(tokens)


def create_feed(actor: Actor) -> str:
    """Every member, for themselves: a new feed address (returned once; the old one stops working)."""
    organisation_id = _require_member(actor)
    token = new_token()
    with session_scope() as session:
        revoked = _revoke_all(session, actor)
        row = CalendarFeedToken(organisation_id=organisation_id, user_id=actor.user_id, token_hash=hash_token(token))
        session.add(row)
        audit.record(
            session,
            "calendar.feed_created",
            actor=actor,
            target_type="calendar_feed",
            target_id=row.id,
            changes={"revoked": {"before": None, "after": revoked}},
        )
    return public_link(routes.calendar_feed(token))


def revoke_feed(actor: Actor) -> bool:
    """Every member, for themselves: the feed address stops working (404). False if there was none."""
    _require_member(actor)
    with session_scope() as session:
        revoked = _revoke_all(session, actor)
        if revoked:
            audit.record(session, "calendar.feed_revoked", actor=actor, target_type="calendar_feed")
        return bool(revoked)


def read_feed(token: str) -> str:
    """Whoever holds a live address (a calendar application, no login): the owner's sessions as ICS.
    A revoked or unknown token, or an owner no longer active in the organisation: NotFound."""
    if not token or len(token) > 100:
        raise NotFound()
    now = utcnow()
    with session_scope() as session:
        row = session.exec(
            select(CalendarFeedToken).where(
                CalendarFeedToken.token_hash == hash_token(token), col(CalendarFeedToken.revoked_at).is_(None)
            )
        ).first()
        user = session.get(User, row.user_id) if row is not None else None
        if row is None or user is None or user.status != UserStatus.ACTIVE:
            raise NotFound()
        member = session.exec(
            select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.organisation_id == row.organisation_id,
                col(Membership.is_active).is_(True),
            )
        ).first()
        if member is None:
            raise NotFound()
        found = session.exec(
            select(BilanSession, Bilan)
            .join(Bilan, col(Bilan.id) == BilanSession.bilan_id)
            .where(
                Bilan.organisation_id == row.organisation_id,
                or_(col(Bilan.beneficiary_id) == user.id, col(Bilan.consultant_id) == user.id),
                BilanSession.status != SessionStatus.CANCELLED,
                BilanSession.starts_at >= now - FEED_PAST,
                BilanSession.starts_at <= now + FEED_AHEAD,
            )
            .order_by(col(BilanSession.starts_at))
        ).all()
        organisation = session.get(Organisation, row.organisation_id)
        name = translate("calendar.feed_name", user.locale, org=organisation.name if organisation else "")
        return ics.feed((entry(appointment, bilan, user.id, user.locale) for appointment, bilan in found), name)
