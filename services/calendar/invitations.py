"""A session's calendar invitation: attached to the mails that plan, move or cancel it, and downloadable
by its participants from the session card (``/api/seances/{id}/invitation.ics``).

One UID per session; its SEQUENCE goes up at every move and cancellation (``revise``), so calendar
applications replace the event rather than add a second one. The invitation says "Séance de bilan", the
place (or, for a remote session, that the link appears on the session's page 15 minutes before) and the
page's address: nothing of the bilan's content.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session

from services import routes
from services.access import Actor, get_scoped
from services.bilans.access import get_bilan
from services.calendar import ics
from services.calendar.visio import is_participant
from services.db import session_scope
from services.errors import NotFound
from services.i18n import translate
from services.mail import public_link
from services.models import Bilan, BilanSession, DeliveryMode, Organisation, SessionStatus, User
from services.settings import get_settings


def session_page(bilan: Bilan, user_id: uuid.UUID | None) -> str:
    """Where the person finds the session (and its video link when it opens): her space, or the bilan's page."""
    return routes.BENEFICIARY_HOME if user_id == bilan.beneficiary_id else routes.bilan_page(str(bilan.id))


def entry(appointment: BilanSession, bilan: Bilan, user_id: uuid.UUID | None, locale: str) -> ics.Entry:
    """The session as the person's calendar shows it."""
    remote = appointment.mode != DeliveryMode.PRESENTIEL and not appointment.location
    page = public_link(session_page(bilan, user_id))
    return ics.Entry(
        session_id=appointment.id,
        starts_at=appointment.starts_at,
        minutes=appointment.duration_minutes,
        summary=translate("calendar.summary", locale),
        location=translate("calendar.remote", locale) if remote else appointment.location,
        url=page,
        description=translate(
            "calendar.description_remote" if appointment.mode != DeliveryMode.PRESENTIEL else "calendar.description",
            locale,
            link=page,
        ),
        sequence=appointment.ics_sequence,
        cancelled=appointment.status == SessionStatus.CANCELLED,
    )


def revise(session: Session, appointment: BilanSession) -> None:
    """Any service, in its transaction, when a session moves or is cancelled: the next invitation's SEQUENCE."""
    appointment.ics_sequence += 1
    session.add(appointment)


def invitation_for(session: Session, bilan: Bilan, appointment: BilanSession, user: User) -> str:
    """Any service, in its transaction, on a session it loaded and checked: the invitation for ``user``
    (a party of that session), in their language, from the organisation."""
    organisation = session.get(Organisation, bilan.organisation_id)
    organiser = ics.Party(
        organisation.name if organisation else "BilanCompetence.AI", _address(get_settings().mail_from)
    )
    attendee = ics.Party(user.full_name, user.email)
    return ics.invitation(entry(appointment, bilan, user.id, user.locale), organiser, attendee)


def _address(header: str) -> str:
    return header.rsplit("<", 1)[-1].rstrip(">").strip()


def download_invitation(actor: Actor, session_id: uuid.UUID | str) -> tuple[str, str]:
    """The session's two participants (the beneficiary, the assigned consultant): its invitation as an
    .ics file. Anyone else, even a follower who sees the bilan: NotFound, like a missing session."""
    with session_scope() as session:
        appointment = get_scoped(session, BilanSession, session_id, actor)
        bilan = get_bilan(session, actor, appointment.bilan_id)
        user = session.get(User, actor.user_id)
        if user is None or not is_participant(actor, bilan):
            raise NotFound()
        return "seance-de-bilan.ics", invitation_for(session, bilan, appointment, user)
