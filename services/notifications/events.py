"""Who is told what when a bilan's key event happens (a line in their notification centre, and a mail as
they chose).

One function per event. The service that makes the change calls it inside its transaction: the lines and
mails are written with the change, delivered after the commit and dropped with a rollback (services.mail).
Every mail is written in its recipient's language (``User.locale``), times in Paris time without
seconds, with a link to the page where the recipient acts. Recipients are only the bilan's own people
and its organisation's admins: never anyone of another organisation.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from services import routes, session_notes
from services.access import Actor
from services.calendar import invitations
from services.i18n import format_appointment, translate
from services.models import Bilan, BilanSession, Membership, Role, User, UserStatus
from services.notifications.centre import notify


def when(moment: datetime) -> Callable[[str], str]:
    """A time as mails write it, for the recipient's locale: "jeudi 12 mars 2026 à 14:30" (Paris time)."""
    return lambda locale: format_appointment(moment, locale)


def _user(session: Session, user_id: uuid.UUID | None) -> User | None:
    user = session.get(User, user_id) if user_id is not None else None
    return user if user is not None and user.status == UserStatus.ACTIVE else None


def _name(session: Session, user_id: uuid.UUID | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.full_name if user is not None else ""


def _org_admins(session: Session, organisation_id: uuid.UUID) -> list[User]:
    """The organisation's active admins (the bilan's own organisation only)."""
    return list(
        session.exec(
            select(User)
            .join(Membership, col(Membership.user_id) == User.id)
            .where(
                Membership.organisation_id == organisation_id,
                Membership.role == Role.ORG_ADMIN,
                col(Membership.is_active).is_(True),
                User.status == UserStatus.ACTIVE,
            )
            .order_by(col(User.email))
        ).all()
    )


def session_place(appointment: BilanSession) -> Callable[[str], str]:
    """The address, or for a remote session where its link appears: a video link is shown to the
    participants only from 15 minutes before (services.calendar.visio), never in a mail."""
    return lambda locale: appointment.location or translate("calendar.remote", locale)


def _invitation(session: Session, bilan: Bilan, appointment: BilanSession) -> Callable[[User], str]:
    """Each recipient's calendar invitation, attached to the session's mail."""
    return lambda user: invitations.invitation_for(session, bilan, appointment, user)


def _tell_parties(session: Session, actor: Actor, bilan: Bilan, key: str, **params: Any) -> None:
    """The beneficiary, and the consultant unless the consultant did it (an admin acted for them)."""
    beneficiary = _user(session, bilan.beneficiary_id)
    if beneficiary is not None:
        notify(session, beneficiary, key, organisation_id=bilan.organisation_id, path=routes.BENEFICIARY_HOME, **params)
    if bilan.consultant_id is not None and bilan.consultant_id != actor.user_id:
        consultant = _user(session, bilan.consultant_id)
        if consultant is not None:
            notify(
                session,
                consultant,
                key,
                organisation_id=bilan.organisation_id,
                path=routes.bilan_page(str(bilan.id)),
                **params,
            )


def _tell_admins(session: Session, bilan: Bilan, key: str, **params: Any) -> None:
    """The organisation's admins, who assign the bilans: their list is where they act."""
    for admin in _org_admins(session, bilan.organisation_id):
        notify(session, admin, key, organisation_id=bilan.organisation_id, path=routes.ADMIN_BILANS, **params)


# ---------------------------------------------------------------- the request


def request_submitted(session: Session, bilan: Bilan) -> None:
    """A beneficiary asked for a bilan: the organisation's admins, and the consultant she asked for."""
    beneficiary = _name(session, bilan.beneficiary_id)
    requested = _user(session, bilan.requested_consultant_id)

    def choice(locale: str) -> str:
        if requested is None:
            return translate("mail.request_submitted.unassigned", locale)
        return translate("mail.request_submitted.requested", locale, consultant=requested.full_name)

    _tell_admins(session, bilan, "mail.request_submitted", beneficiary=beneficiary, choice=choice)
    if requested is not None:
        notify(
            session,
            requested,
            "mail.request_for_you",
            organisation_id=bilan.organisation_id,
            path=routes.CONSULTANT_HOME,
            beneficiary=beneficiary,
        )


def request_accepted(session: Session, bilan: Bilan) -> None:
    """The request was accepted: the beneficiary learns who follows her bilan."""
    beneficiary = _user(session, bilan.beneficiary_id)
    if beneficiary is not None:
        notify(
            session,
            beneficiary,
            "mail.request_accepted",
            organisation_id=bilan.organisation_id,
            path=routes.BENEFICIARY_HOME,
            consultant=_name(session, bilan.consultant_id),
        )


def request_handed_back(session: Session, bilan: Bilan, consultant_id: uuid.UUID | None) -> None:
    """The consultant she asked for declined: the admins must choose someone else."""
    _tell_admins(
        session,
        bilan,
        "mail.request_handed_back",
        beneficiary=_name(session, bilan.beneficiary_id),
        consultant=_name(session, consultant_id),
    )


def consultant_assigned(session: Session, bilan: Bilan, previous_id: uuid.UUID | None) -> None:
    """An admin (re)assigned the bilan: the new consultant, the previous one, and the beneficiary (always)."""
    if bilan.consultant_id is None or bilan.consultant_id == previous_id:
        return
    consultant = _name(session, bilan.consultant_id)
    beneficiary_name = _name(session, bilan.beneficiary_id)
    new = _user(session, bilan.consultant_id)
    if new is not None:
        notify(
            session,
            new,
            "mail.assigned_to_you",
            organisation_id=bilan.organisation_id,
            path=routes.bilan_page(str(bilan.id)),
            beneficiary=beneficiary_name,
        )
    previous = _user(session, previous_id)
    if previous is not None:
        # No link to the bilan: the previous consultant no longer sees it.
        notify(
            session,
            previous,
            "mail.unassigned_from_you",
            organisation_id=bilan.organisation_id,
            path=routes.CONSULTANT_HOME,
            beneficiary=beneficiary_name,
            consultant=consultant,
        )
    beneficiary = _user(session, bilan.beneficiary_id)
    if beneficiary is not None:
        # Earlier notes by someone else: she decides in her space whether the new consultant reads them.
        others = session_notes.notes_of_others(session, bilan, bilan.consultant_id)
        notify(
            session,
            beneficiary,
            "mail.consultant_changed" if previous_id is not None else "mail.consultant_assigned",
            organisation_id=bilan.organisation_id,
            path=routes.BENEFICIARY_HOME,
            consultant=consultant,
            previous=_name(session, previous_id),
            notes=lambda locale: (
                translate("mail.consultant_changed.notes", locale, consultant=consultant) if others else ""
            ),
        )


# ---------------------------------------------------------------- sessions


def session_planned(session: Session, actor: Actor, bilan: Bilan, appointment: BilanSession) -> None:
    _tell_parties(
        session,
        actor,
        bilan,
        "mail.session_planned",
        calendar=_invitation(session, bilan, appointment),
        date=when(appointment.starts_at),
        minutes=appointment.duration_minutes,
        place=session_place(appointment),
    )


def session_cancelled(session: Session, actor: Actor, bilan: Bilan, appointment: BilanSession) -> None:
    """A session was cancelled (``appointment`` already says so): the invitation's METHOD:CANCEL goes too."""
    invitations.revise(session, appointment)
    _tell_parties(
        session,
        actor,
        bilan,
        "mail.session_cancelled",
        calendar=_invitation(session, bilan, appointment),
        date=when(appointment.starts_at),
    )


def session_moved(
    session: Session, actor: Actor, bilan: Bilan, appointment: BilanSession, previous_start: datetime
) -> None:
    """A planned session was rescheduled (``appointment`` already carries the new time): the invitation
    follows with a higher SEQUENCE, which calendar applications read as the same event moved."""
    invitations.revise(session, appointment)
    _tell_parties(
        session,
        actor,
        bilan,
        "mail.session_moved",
        calendar=_invitation(session, bilan, appointment),
        before=when(previous_start),
        date=when(appointment.starts_at),
        minutes=appointment.duration_minutes,
        place=session_place(appointment),
    )


def session_recorded(session: Session, bilan: Bilan, appointment: BilanSession, confirm_by: datetime) -> None:
    """A session held without the platform was recorded afterwards: she confirms it (or not) in her space."""
    beneficiary = _user(session, bilan.beneficiary_id)
    if beneficiary is not None:
        notify(
            session,
            beneficiary,
            "mail.session_recorded",
            organisation_id=bilan.organisation_id,
            path=routes.BENEFICIARY_HOME,
            date=when(appointment.starts_at),
            minutes=appointment.duration_minutes,
            deadline=when(confirm_by),
        )


# ---------------------------------------------------------------- legal documents (their own mails)


def convention_line(session: Session, bilan: Bilan, user: User | None, key: str, **params: Any) -> None:
    """A convention's legal mail went to this signing party (``services.conventions`` words it): the same
    event as a line in their centre, leading to where they sign or read it."""
    if user is None or user.status != UserStatus.ACTIVE:
        return
    path = routes.BENEFICIARY_CONVENTION if user.id == bilan.beneficiary_id else routes.bilan_page(str(bilan.id))
    notify(session, user, key, organisation_id=bilan.organisation_id, path=path, mail=False, **params)


def synthese_handed_over(session: Session, bilan: Bilan, beneficiary: User) -> None:
    """Her document de synthèse was handed over (its mail, sent by the handover, carries the link)."""
    notify(
        session,
        beneficiary,
        "mail.synthese_handed_over",
        organisation_id=bilan.organisation_id,
        path=routes.SYNTHESE,
        mail=False,
    )
