"""Who reads which session notes: the one rule, used by the session list, the notes editor and the AI panel.

Session notes are the consultant's own work. Each note records its author. A note is readable by the
bilan's assigned consultant only (never the org admin, never the beneficiary), and then:

* by its author — while they are the bilan's consultant (a consultant reassigned away no longer
  sees the bilan at all, so not its notes either);
* by another consultant who took the bilan over, only while the beneficiary's agreement for that
  consultant is in force (``services.notes_agreement``: given, not withdrawn).

A consultant writes and changes only their own notes (or an empty one).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from services.access import Actor
from services.crypto import decrypt_text
from services.errors import ServiceError
from services.models import Bilan, BilanSession, NotesConsent, NotesDecision, Role


def latest_decision(session: Session, bilan_id: uuid.UUID, consultant_id: uuid.UUID) -> NotesConsent | None:
    """The beneficiary's latest decision about this consultant reading earlier notes (None: never asked)."""
    return session.exec(
        select(NotesConsent)
        .where(NotesConsent.bilan_id == bilan_id, NotesConsent.consultant_id == consultant_id)
        .order_by(col(NotesConsent.decided_at).desc())
    ).first()


def agreement_in_force(session: Session, bilan_id: uuid.UUID, consultant_id: uuid.UUID) -> bool:
    decision = latest_decision(session, bilan_id, consultant_id)
    return decision is not None and decision.decision == NotesDecision.GRANTED and decision.withdrawn_at is None


def _is_assigned_consultant(actor: Actor, bilan: Bilan) -> bool:
    return (
        actor.role is Role.CONSULTANT
        and actor.organisation_id == bilan.organisation_id
        and bilan.consultant_id == actor.user_id
    )


@dataclass(frozen=True)
class ReadableNote:
    session_id: uuid.UUID
    text: str


def sessions_with_notes(session: Session, bilan: Bilan) -> list[BilanSession]:
    """The bilan's sessions that carry notes, in chronological order."""
    return list(
        session.exec(
            select(BilanSession)
            .where(
                BilanSession.organisation_id == bilan.organisation_id,
                BilanSession.bilan_id == bilan.id,
                BilanSession.notes_encrypted != "",
            )
            .order_by(col(BilanSession.starts_at))
        ).all()
    )


def notes_of_others(session: Session, bilan: Bilan, user_id: uuid.UUID | None) -> list[BilanSession]:
    """The sessions whose notes someone other than ``user_id`` wrote."""
    return [row for row in sessions_with_notes(session, bilan) if row.notes_author_id != user_id]


def readable_notes(session: Session, actor: Actor, bilan: Bilan) -> list[ReadableNote]:
    """The notes of the bilan that ``actor`` may read, decrypted, in chronological order (the one rule)."""
    if not _is_assigned_consultant(actor, bilan):
        return []
    rows = sessions_with_notes(session, bilan)
    if any(row.notes_author_id != actor.user_id for row in rows):
        agreed = agreement_in_force(session, bilan.id, actor.user_id)
    else:
        agreed = False
    return [
        ReadableNote(row.id, decrypt_text(row.notes_encrypted))
        for row in rows
        if row.notes_author_id == actor.user_id or agreed
    ]


def require_writable(actor: Actor, appointment: BilanSession) -> None:
    """Only the author changes a note (an empty one is anyone's: the assigned consultant checks apply)."""
    if appointment.notes_encrypted and appointment.notes_author_id != actor.user_id:
        raise ServiceError("notes.error.other_author")
