"""The AI layer's tables: an organisation's provider settings and budget, the beneficiary's consent,
the usage of every call, and the proposals awaiting the consultant's review.

Nothing here holds a prompt or a clear-text answer: the API key and the proposals' content are
Fernet-encrypted, and usage rows keep only a hash of the (pseudonymised) input.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, enum_field, id_field, optional_datetime_field


class AiEngine(StrEnum):
    LLM = "llm"  # an external (or self-hosted) OpenAI-compatible provider
    LOCAL = "local"  # the templated local engine


class ConsentStatus(StrEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"  # given, then withdrawn
    REFUSED = "refused"  # declined (never a fault: the local engine serves, and she may change her mind)


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"  # waiting for the consultant
    ACCEPTED = "accepted"
    EDITED = "edited"  # accepted with the consultant's changes
    REJECTED = "rejected"


class AiOrganisationSettings(SQLModel, table=True):
    """One row per organisation that changed anything: the budget (any plan), the provider (Enterprise)."""

    __tablename__ = "ai_settings"
    __table_args__ = (UniqueConstraint("organisation_id", name="uq_ai_settings_organisation"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    # Provider override, Enterprise plan only ("" = use the platform's value).
    base_url: str = Field(default="", max_length=300)
    model: str = Field(default="", max_length=100)
    api_key_encrypted: str = ""
    # Tokens per calendar month (None = the platform default; 0 = only the local engine runs).
    monthly_token_budget: int | None = None
    updated_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class AiConsent(SQLModel, table=True):
    """The beneficiary's decision for one bilan: the latest one counts (the audit log keeps them all)."""

    __tablename__ = "ai_consents"
    __table_args__ = (UniqueConstraint("bilan_id", name="uq_ai_consents_bilan"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id")
    beneficiary_id: uuid.UUID = Field(foreign_key="users.id")
    status: ConsentStatus = enum_field(ConsentStatus)
    text_version: str = Field(max_length=20)
    decided_by: uuid.UUID = Field(foreign_key="users.id")
    decided_at: datetime = created_at_field()
    given_at: datetime | None = optional_datetime_field()
    withdrawn_at: datetime | None = optional_datetime_field()  # also the date of a refusal


class AiUsage(SQLModel, table=True):
    """One call to a provider: tokens, estimated cost, duration and the input's hash (never the content)."""

    __tablename__ = "ai_usage"
    __table_args__ = (Index("ix_ai_usage_org_created", "organisation_id", "created_at"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id")
    bilan_id: uuid.UUID | None = Field(default=None, foreign_key="bilans.id")
    user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    feature: str = Field(max_length=40)
    model: str = Field(max_length=100)
    # ok, retried (unusable, asked again, then validated): charged to the budget (services.llm.budget);
    # invalid_output, timeout, rate_limited, auth, rejected, unavailable, error: failed, not charged.
    outcome: str = Field(default="ok", max_length=20)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_estimate: float = 0  # euros, from services.llm.pricing
    duration_ms: int = 0
    input_hash: str = Field(max_length=64)  # sha256 of the pseudonymised prompt
    created_at: datetime = created_at_field()


class AiProposal(SQLModel, table=True):
    """An AI (or local engine) output: a proposal the consultant accepts, edits or rejects."""

    __tablename__ = "ai_proposals"
    __table_args__ = (Index("ix_ai_proposals_bilan_created", "bilan_id", "created_at"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id")
    feature: str = Field(max_length=40)
    engine: AiEngine = enum_field(AiEngine)
    model: str = Field(default="", max_length=100)
    fallback_reason: str = Field(default="", max_length=40)  # why the local engine ran
    input_hash: str = Field(default="", max_length=64)
    status: ProposalStatus = enum_field(ProposalStatus, ProposalStatus.PROPOSED)
    content_encrypted: str  # the output as produced (JSON), kept for the audit trail
    edited_content_encrypted: str = ""  # the consultant's version (status EDITED)
    created_by: uuid.UUID = Field(foreign_key="users.id")
    created_at: datetime = created_at_field()
    reviewed_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    reviewed_at: datetime | None = optional_datetime_field()
