"""Reads the synthèse's versions and its handovers both need (internal to ``services.synthese``: no access
checks here, the callers have checked the reader)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlmodel import Session, col, select

from services.models import Bilan, SyntheseHandover, User


def handover_rows(session: Session, bilan: Bilan) -> list[SyntheseHandover]:
    """The bilan's handovers, newest first."""
    return list(
        session.exec(
            select(SyntheseHandover)
            .where(SyntheseHandover.organisation_id == bilan.organisation_id, SyntheseHandover.bilan_id == bilan.id)
            .order_by(col(SyntheseHandover.number).desc())
        ).all()
    )


def full_names(session: Session, user_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """The people's names by id (the authors of versions, who handed a document over)."""
    ids = {uid for uid in user_ids if uid is not None}
    if not ids:
        return {}
    return {user.id: user.full_name for user in session.exec(select(User).where(col(User.id).in_(ids))).all()}
