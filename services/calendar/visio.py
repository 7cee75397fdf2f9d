"""Remote sessions (issue 14 §2): how the organisation holds them, and who sees a session's link when.

The organisation chooses (its settings page) between a link the consultant pastes on each session (Teams,
Zoom, Whereby) and a Jitsi Meet domain (its own server or a public one such as meet.jit.si), where every
remote session gets a room of its own named by ``secrets.token_urlsafe``: the name is the secret, so it is
made on the server, stored on the session, and handed out only here.

The rule, enforced here rather than in the page: a session's link is given to its two participants (the
beneficiary and the assigned consultant) only, from 15 minutes before the start until 30 minutes after
the end. Anyone else, or earlier, gets no link at all (mails and calendars carry the page's address).
"""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from services import audit
from services.access import Actor, Permission, get_scoped, require
from services.bilans.access import get_bilan
from services.db import session_scope
from services.errors import AccessDenied, FormError
from services.models import Bilan, BilanSession, DeliveryMode, Organisation, Role, SessionStatus
from services.models.base import utcnow

PROVIDER_LINK = "link"  # the consultant pastes a link on each remote session
PROVIDER_JITSI = "jitsi"  # a room per session on the organisation's Jitsi Meet domain
PROVIDERS = (PROVIDER_LINK, PROVIDER_JITSI)
PUBLIC_JITSI_DOMAIN = "meet.jit.si"
JOIN_OPENS_BEFORE = timedelta(minutes=15)
JOIN_CLOSES_AFTER_END = timedelta(minutes=30)  # a session that runs late keeps its room
ROOM_BYTES = 18  # 24 URL-safe characters: 144 random bits

# A host name only (no scheme, path, port or credentials): what the IFrame API and a room URL expect.
_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class VideoSettings:
    provider: str
    jitsi_domain: str
    embedded: bool  # the Jitsi room opens inside the page (IFrame API), else in a new tab


@dataclass(frozen=True)
class JoinLink:
    session_id: str
    url: str
    provider: str
    jitsi_domain: str = ""
    room: str = ""
    embedded: bool = False

    @property
    def frame_url(self) -> str:
        """The room inside the page: Jitsi reads its config from the fragment (what external_api.js
        sends too): the prejoin page first, no "open the app" detour on a phone."""
        if self.provider != PROVIDER_JITSI:
            return self.url
        return f"{self.url}#config.prejoinConfig.enabled=true&config.disableDeepLinking=true"


def _settings_of(organisation: Organisation | None) -> VideoSettings:
    if organisation is None or organisation.video_provider != PROVIDER_JITSI or not organisation.jitsi_domain:
        return VideoSettings(PROVIDER_LINK, organisation.jitsi_domain if organisation else "", False)
    return VideoSettings(PROVIDER_JITSI, organisation.jitsi_domain, organisation.jitsi_embedded)


def video_settings(actor: Actor) -> VideoSettings:
    """Any member of the organisation: how its remote sessions are held (the session form asks for a
    pasted link only when it is ``link``)."""
    if actor.organisation_id is None:
        raise AccessDenied()
    with session_scope() as session:
        return _settings_of(session.get(Organisation, actor.organisation_id))


def save_video_settings(actor: Actor, raw: dict[str, Any]) -> VideoSettings:
    """The organisation's admin: choose the provider; with Jitsi, a bare domain name (``meet.jit.si`` or
    the organisation's own server). Audited."""
    require(actor, Permission.MANAGE_ORGANISATION)
    provider = str(raw.get("video_provider", "")).strip()
    domain = str(raw.get("jitsi_domain", "")).strip().lower().removeprefix("https://").rstrip("/")
    if provider not in PROVIDERS:
        raise FormError({"video_provider": "visio.error.provider"})
    if provider == PROVIDER_JITSI and not _DOMAIN.match(domain):
        raise FormError({"jitsi_domain": "visio.error.domain"})
    embedded = str(raw.get("jitsi_embedded", "")).lower() in {"1", "true", "on", "yes"}
    with session_scope() as session:
        organisation = session.get(Organisation, actor.organisation_id)
        if organisation is None:
            raise AccessDenied()
        before = _settings_of(organisation)
        organisation.video_provider = provider
        organisation.jitsi_domain = domain if provider == PROVIDER_JITSI else organisation.jitsi_domain
        organisation.jitsi_embedded = embedded
        session.add(organisation)
        after = _settings_of(organisation)
        audit.record(
            session,
            "organisation.video_settings",
            actor=actor,
            target_type="organisation",
            target_id=organisation.id,
            changes={"video": {"before": f"{before.provider} {before.jitsi_domain}", "after": f"{provider} {domain}"}},
        )
        return after


def pasted_links(session: Session, organisation_id: uuid.UUID) -> bool:
    """Any service, in its transaction: a remote session of this organisation needs the consultant's link
    (with Jitsi the room is made here instead)."""
    return _settings_of(session.get(Organisation, organisation_id)).provider == PROVIDER_LINK


def is_participant(actor: Actor, bilan: Bilan) -> bool:
    """The session's two people: the bilan's beneficiary and its assigned consultant (not the admins)."""
    if actor.role is Role.BENEFICIARY:
        return bilan.beneficiary_id == actor.user_id
    return actor.role is Role.CONSULTANT and bilan.consultant_id == actor.user_id


def join_window(appointment: BilanSession) -> tuple[datetime, datetime]:
    opens = appointment.starts_at - JOIN_OPENS_BEFORE
    return opens, appointment.starts_at + timedelta(minutes=appointment.duration_minutes) + JOIN_CLOSES_AFTER_END


def link_open(appointment: BilanSession, now: datetime) -> bool:
    opens, closes = join_window(appointment)
    return appointment.status == SessionStatus.PLANNED and opens <= now <= closes


def shown_link(actor: Actor, bilan: Bilan, appointment: BilanSession, now: datetime) -> str:
    """Any service listing sessions it loaded and checked: the pasted link, for a participant while the
    window is open; otherwise nothing."""
    return appointment.video_link if is_participant(actor, bilan) and link_open(appointment, now) else ""


def _room(session: Session, appointment: BilanSession) -> str:
    """The session's Jitsi room, made once: the row is locked so that two participants joining together
    get the same room (SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers)."""
    locked = session.exec(select(BilanSession).where(col(BilanSession.id) == appointment.id).with_for_update()).one()
    if not locked.video_room:
        locked.video_room = secrets.token_urlsafe(ROOM_BYTES)
        session.add(locked)
    return locked.video_room


def _join(session: Session, bilan: Bilan, appointment: BilanSession) -> JoinLink | None:
    """The link of a session whose window is open, for a participant (the callers checked both)."""
    settings = _settings_of(session.get(Organisation, bilan.organisation_id))
    if settings.provider == PROVIDER_JITSI and appointment.mode != DeliveryMode.PRESENTIEL:
        room = _room(session, appointment)
        return JoinLink(
            session_id=str(appointment.id),
            url=f"https://{settings.jitsi_domain}/{room}",
            provider=PROVIDER_JITSI,
            jitsi_domain=settings.jitsi_domain,
            room=room,
            embedded=settings.embedded,
        )
    if appointment.video_link:
        return JoinLink(session_id=str(appointment.id), url=appointment.video_link, provider=PROVIDER_LINK)
    return None


def join_link(actor: Actor, session_id: uuid.UUID | str, now: datetime | None = None) -> JoinLink | None:
    """The session's participants, from 15 minutes before the start: its video link (the Jitsi room, or
    the pasted one). Anyone else who sees the bilan, or earlier, or a session in person: None."""
    now = now or utcnow()
    with session_scope() as session:
        appointment = get_scoped(session, BilanSession, session_id, actor)
        bilan = get_bilan(session, actor, appointment.bilan_id)
        if not is_participant(actor, bilan) or not link_open(appointment, now):
            return None
        return _join(session, bilan, appointment)


@dataclass(frozen=True)
class SessionLinks:
    participant: bool  # the reader may download the sessions' invitations
    joins: dict[str, JoinLink]  # session id -> its link, for the sessions open now


def session_links(actor: Actor, bilan_id: uuid.UUID | str, now: datetime | None = None) -> SessionLinks:
    """Anyone who sees the bilan: whether they are one of its sessions' participants and, if so, the
    links of the sessions open now (``join_link``'s rule, for the session cards)."""
    now = now or utcnow()
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if not is_participant(actor, bilan):
            return SessionLinks(participant=False, joins={})
        candidates = session.exec(
            select(BilanSession).where(
                BilanSession.bilan_id == bilan.id,
                BilanSession.status == SessionStatus.PLANNED,
                BilanSession.starts_at <= now + JOIN_OPENS_BEFORE,
                BilanSession.starts_at >= now - timedelta(days=1),  # a session lasts 8 hours at most
            )
        ).all()
        joins = {}
        for appointment in candidates:
            found = _join(session, bilan, appointment) if link_open(appointment, now) else None
            if found is not None:
                joins[found.session_id] = found
        return SessionLinks(participant=True, joins=joins)
