"""Audit actions of the AI layer (labels in services/locales/llm.py as ``audit.<action>``)."""

from __future__ import annotations

from enum import StrEnum


class AiAction(StrEnum):
    CALL = "ai.call"  # one provider call: feature, model, tokens, cost, duration, input hash (never content)
    PROPOSAL_CREATED = "ai.proposal_created"
    PROPOSAL_ACCEPTED = "ai.proposal_accepted"
    PROPOSAL_EDITED = "ai.proposal_edited"
    PROPOSAL_REJECTED = "ai.proposal_rejected"
    CONSENT_GIVEN = "ai.consent_given"
    CONSENT_WITHDRAWN = "ai.consent_withdrawn"
    CONSENT_REFUSED = "ai.consent_refused"
    SETTINGS_UPDATED = "ai.settings_updated"
