"""The beneficiary's agreement that the consultant who took her bilan over reads the earlier session notes.

After a reassignment, the notes the former consultant wrote stay closed to the new one
(``services.session_notes``). The beneficiary sees in her space that her bilan changed hands and
decides: she agrees, or refuses; an agreement can be withdrawn at any time. Each decision is a row
(who, when, for which consultant) and an audit event on the bilan's history.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from services.access import Actor
from services.bilans import get_bilan, record_on_bilan, require_assigned_consultant, require_beneficiary
from services.db import session_scope
from services.errors import ServiceError
from services.models import Bilan, NotesConsent, NotesDecision, User
from services.models.base import utcnow
from services.session_notes import latest_decision, notes_of_others, readable_notes


class NotesAgreementAction(StrEnum):
    GRANTED = "notes.agreement_granted"
    REFUSED = "notes.agreement_refused"
    WITHDRAWN = "notes.agreement_withdrawn"


@dataclass(frozen=True)
class NotesAgreementView:
    """What her space shows: who took the bilan over, whose notes are at stake, and her decision."""

    consultant_name: str
    former_consultants: tuple[str, ...]
    decision: str  # "" (not decided yet), "granted", "refused" or "withdrawn"
    decided_at: datetime | None


def _full_name(session: Session, user_id: uuid.UUID | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.full_name if user is not None else ""


def _view(session: Session, bilan: Bilan) -> NotesAgreementView | None:
    if bilan.consultant_id is None:
        return None
    others = notes_of_others(session, bilan, bilan.consultant_id)
    if not others:
        return None  # nothing written by anyone else: nothing to agree to
    authors = {row.notes_author_id for row in others if row.notes_author_id is not None}
    decision = latest_decision(session, bilan.id, bilan.consultant_id)
    state = ""
    if decision is not None:
        state = "withdrawn" if decision.withdrawn_at is not None else str(decision.decision)
    return NotesAgreementView(
        consultant_name=_full_name(session, bilan.consultant_id),
        former_consultants=tuple(sorted(name for name in (_full_name(session, a) for a in authors) if name)),
        decision=state,
        decided_at=(decision.withdrawn_at or decision.decided_at) if decision is not None else None,
    )


def notes_agreement(actor: Actor, bilan_id: uuid.UUID | str) -> NotesAgreementView | None:
    """The question for the beneficiary, or None when there is nothing to decide."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        return _view(session, bilan)


def decide_notes_agreement(actor: Actor, bilan_id: uuid.UUID | str, *, agree: bool) -> None:
    """The beneficiary agrees (or refuses) that her current consultant reads the earlier notes."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        if _view(session, bilan) is None:
            raise ServiceError("notes.error.nothing_to_agree")
        assert bilan.consultant_id is not None
        current = latest_decision(session, bilan.id, bilan.consultant_id)
        if current is not None and current.decision == NotesDecision.GRANTED and current.withdrawn_at is None:
            current.withdrawn_at = utcnow()  # a refusal after an agreement ends it
            session.add(current)
        session.add(
            NotesConsent(
                organisation_id=bilan.organisation_id,
                bilan_id=bilan.id,
                consultant_id=bilan.consultant_id,
                decision=NotesDecision.GRANTED if agree else NotesDecision.REFUSED,
                decided_by=actor.user_id,
                decided_at=utcnow(),
            )
        )
        record_on_bilan(
            session,
            actor,
            bilan,
            NotesAgreementAction.GRANTED if agree else NotesAgreementAction.REFUSED,
            consultant={"before": None, "after": _full_name(session, bilan.consultant_id)},
        )


def withdraw_notes_agreement(actor: Actor, bilan_id: uuid.UUID | str) -> None:
    """The beneficiary withdraws her agreement: the consultant no longer reads the earlier notes."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        current = latest_decision(session, bilan.id, bilan.consultant_id) if bilan.consultant_id else None
        if current is None or current.decision != NotesDecision.GRANTED or current.withdrawn_at is not None:
            raise ServiceError("notes.error.no_agreement")
        current.withdrawn_at = utcnow()
        session.add(current)
        record_on_bilan(
            session,
            actor,
            bilan,
            NotesAgreementAction.WITHDRAWN,
            consultant={"before": _full_name(session, bilan.consultant_id), "after": None},
        )


def locked_note_sessions(actor: Actor, bilan_id: uuid.UUID | str) -> set[str]:
    """For the assigned consultant: the sessions whose notes exist but are not theirs to read."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_assigned_consultant(actor, bilan)
        readable = {note.session_id for note in readable_notes(session, actor, bilan)}
        return {str(row.id) for row in notes_of_others(session, bilan, actor.user_id) if row.id not in readable}
