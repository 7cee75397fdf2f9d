"""Human review: every AI (or local engine) output is a proposal the consultant accepts, edits or rejects.

Who may do what: the bilan's followers (its assigned consultant, or an org admin) list, read and
review its proposals, except the session-notes themes, which only the assigned consultant sees (the
notes are their own work). Another organisation's proposal answers NotFound.

A proposal is reviewed once: ``proposed`` becomes ``accepted``, ``edited`` or ``rejected``; an edited
one may be edited again. The original output is kept (encrypted) next to the consultant's version,
so the audit trail shows what the AI proposed and what the consultant made of it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from services.access import Actor, get_scoped
from services.bilans import get_bilan, record_on_bilan, require_follower
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.errors import AccessDenied, FormError, ServiceError
from services.forms import validate_form
from services.llm.actions import AiAction
from services.llm.schemas import OUTPUT_MODELS, AiFeature
from services.models import AiProposal, Bilan, ProposalStatus, Role
from services.models.base import utcnow

# What a proposal's status still allows: a first review (accept, edit, reject), or an edit (again).
REVIEWABLE = frozenset({ProposalStatus.PROPOSED})
EDITABLE = frozenset({ProposalStatus.PROPOSED, ProposalStatus.EDITED})


@dataclass(frozen=True)
class ProposalView:
    id: str
    bilan_id: str
    feature: str
    engine: str
    model: str
    fallback_reason: str
    status: str
    content: dict[str, Any]  # the consultant's version when edited, else the output as produced
    original: dict[str, Any]  # the output as produced
    created_at: datetime
    reviewed_at: datetime | None

    @property
    def reviewable(self) -> bool:
        """Still waiting for its review: accept, edit or reject."""
        return self.status in REVIEWABLE

    @property
    def editable(self) -> bool:
        """The consultant may (still) edit it."""
        return self.status in EDITABLE


def _may_see(actor: Actor, bilan: Bilan, proposal: AiProposal) -> bool:
    if proposal.feature != AiFeature.SESSION_THEMES:
        return True
    return actor.role is Role.CONSULTANT and bilan.consultant_id == actor.user_id


def _view(proposal: AiProposal) -> ProposalView:
    original = json.loads(decrypt_text(proposal.content_encrypted))
    edited = json.loads(decrypt_text(proposal.edited_content_encrypted)) if proposal.edited_content_encrypted else None
    return ProposalView(
        id=str(proposal.id),
        bilan_id=str(proposal.bilan_id),
        feature=proposal.feature,
        engine=str(proposal.engine),
        model=proposal.model,
        fallback_reason=proposal.fallback_reason,
        status=str(proposal.status),
        content=edited if edited is not None else original,
        original=original,
        created_at=proposal.created_at,
        reviewed_at=proposal.reviewed_at,
    )


def _followed_proposal(session: Session, actor: Actor, proposal_id: uuid.UUID | str) -> tuple[AiProposal, Bilan]:
    proposal = get_scoped(session, AiProposal, proposal_id, actor)
    bilan = get_bilan(session, actor, proposal.bilan_id)
    require_follower(actor, bilan)
    if not _may_see(actor, bilan, proposal):
        raise AccessDenied()
    return proposal, bilan


def list_proposals(
    actor: Actor, bilan_id: uuid.UUID | str, feature: AiFeature | str | None = None
) -> list[ProposalView]:
    """The bilan's proposals, newest first (followers)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        query = select(AiProposal).where(
            AiProposal.organisation_id == bilan.organisation_id, AiProposal.bilan_id == bilan.id
        )
        if feature:
            query = query.where(AiProposal.feature == str(AiFeature(feature)))
        rows = session.exec(query.order_by(col(AiProposal.created_at).desc())).all()
        return [_view(row) for row in rows if _may_see(actor, bilan, row)]


def get_proposal(actor: Actor, proposal_id: uuid.UUID | str) -> ProposalView:
    with session_scope() as session:
        proposal, _ = _followed_proposal(session, actor, proposal_id)
        return _view(proposal)


def _review(
    actor: Actor, proposal_id: uuid.UUID | str, status: ProposalStatus, edited: BaseModel | None = None
) -> ProposalView:
    with session_scope() as session:
        proposal, bilan = _followed_proposal(session, actor, proposal_id)
        before = proposal.status
        if before not in (EDITABLE if status is ProposalStatus.EDITED else REVIEWABLE):
            raise ServiceError("llm.error.already_reviewed")
        proposal.status = status
        proposal.reviewed_by = actor.user_id
        proposal.reviewed_at = utcnow()
        if edited is not None:
            proposal.edited_content_encrypted = encrypt_text(edited.model_dump_json())
        session.add(proposal)
        action = {
            ProposalStatus.ACCEPTED: AiAction.PROPOSAL_ACCEPTED,
            ProposalStatus.EDITED: AiAction.PROPOSAL_EDITED,
            ProposalStatus.REJECTED: AiAction.PROPOSAL_REJECTED,
        }[status]
        record_on_bilan(
            session,
            actor,
            bilan,
            action,
            ai_proposal={"before": f"{proposal.feature} {before}", "after": f"{proposal.feature} {status}"},
        )
        return _view(proposal)


def accept_proposal(actor: Actor, proposal_id: uuid.UUID | str) -> ProposalView:
    """The consultant keeps the proposal as it is."""
    return _review(actor, proposal_id, ProposalStatus.ACCEPTED)


def reject_proposal(actor: Actor, proposal_id: uuid.UUID | str) -> ProposalView:
    """The consultant discards the proposal (it stays in the trail, marked rejected)."""
    return _review(actor, proposal_id, ProposalStatus.REJECTED)


def edit_proposal(actor: Actor, proposal_id: uuid.UUID | str, content: dict[str, Any] | BaseModel) -> ProposalView:
    """The consultant keeps their own version, validated against the feature's structure."""
    with session_scope() as session:
        proposal, _ = _followed_proposal(session, actor, proposal_id)
        model = OUTPUT_MODELS[AiFeature(proposal.feature)]
    raw = content.model_dump() if isinstance(content, BaseModel) else content
    if not isinstance(raw, dict):
        raise FormError({"content": "error.invalid_choice"})
    edited = validate_form(model, raw, nested=True)
    return _review(actor, proposal_id, ProposalStatus.EDITED, edited)
