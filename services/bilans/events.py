"""The bilan's audit events: the actions of the domain, and how they are written so that they appear in
the bilan's history (``dashboards.history`` reads them back)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlmodel import Session

from services import audit
from services.access import Actor
from services.models import Bilan


class BilanAction(StrEnum):
    """Audit actions of the bilan domain; each is recorded with target ("bilan", id) for its history."""

    REQUESTED = "bilan.requested"
    QUESTIONNAIRE_SAVED = "bilan.questionnaire_completed"
    ACCEPTED = "bilan.accepted"
    HANDED_BACK = "bilan.handed_back"
    ASSIGNED = "bilan.assigned"
    FUNDING_UPDATED = "bilan.funding_updated"
    OBJECTIVES_UPDATED = "bilan.objectives_updated"
    STATUS_CHANGED = "bilan.status_changed"
    SESSION_PLANNED = "bilan.session_planned"
    SESSION_CANCELLED = "bilan.session_cancelled"
    SESSION_RESCHEDULED = "bilan.session_rescheduled"
    SESSION_RECORDED = "bilan.session_recorded"
    ATTENDANCE_CONFIRMED = "bilan.attendance_confirmed"
    NOTES_UPDATED = "bilan.session_notes_updated"
    TASK_ADDED = "bilan.task_added"
    TASK_DONE = "bilan.task_done"
    SYNTHESE_UPLOADED = "bilan.synthese_uploaded"
    SYNTHESE_HANDED_OVER = "bilan.synthese_handed_over"
    FOLLOWUP_SCHEDULED = "bilan.followup_scheduled"
    PERSONAL_DATA_READ = "bilan.personal_data_read"


def record_on_bilan(session: Session, actor: Actor, bilan: Bilan, action: str, **changes: Any) -> None:
    """Any service, on a bilan it loaded and checked: an audit event in the bilan's history."""
    audit.record(
        session,
        action,
        actor=actor,
        organisation_id=bilan.organisation_id,
        target_type="bilan",
        target_id=bilan.id,
        changes=changes,
    )


def log_personal_read(session: Session, actor: Actor, bilan: Bilan, what: str) -> None:
    """Any service, on a bilan it loaded and checked: reading a beneficiary's personal data is logged
    (by anyone but the beneficiary)."""
    if actor.user_id == bilan.beneficiary_id:
        return
    audit.record(
        session,
        BilanAction.PERSONAL_DATA_READ,
        actor=actor,
        organisation_id=bilan.organisation_id,
        target_type="bilan_read",  # kept out of the bilan's own history, which lists changes
        target_id=bilan.id,
        changes={"read": what},
    )
