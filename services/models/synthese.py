"""The document de synthèse of a bilan: every version kept, each one locked once validated.

A version holds the ten sections as Markdown (the nine the consultant writes in one Fernet-encrypted
JSON object, the beneficiary's observations in their own encrypted column: only she writes them).
It is the most sensitive document of the bilan (L6313-4): nothing of its text is stored in clear.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, enum_field, id_field, optional_datetime_field


class SyntheseStatus(StrEnum):
    DRAFT = "draft"
    VALIDATED = "validated"  # locked: a change needs a new version


class SyntheseOrigin(StrEnum):
    """Who wrote the version's text: a generator, or the consultant (an edit or a copy)."""

    LOCAL = "local"  # the templated local engine
    AI = "ai"  # the AI assistant (``model`` names it), completed by the local engine
    CONSULTANT = "consultant"


class SyntheseVersion(SQLModel, table=True):
    __tablename__ = "synthese_versions"
    __table_args__ = (UniqueConstraint("bilan_id", "number", name="uq_synthese_versions_number"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id", index=True)
    number: int  # 1, 2, 3… per bilan
    status: SyntheseStatus = enum_field(SyntheseStatus, SyntheseStatus.DRAFT)
    origin: SyntheseOrigin = enum_field(SyntheseOrigin)
    model: str = Field(default="", max_length=100)  # the AI model of an "ai" version
    based_on: int | None = None  # the number of the version this one was edited or copied from
    ai_proposal_id: uuid.UUID | None = Field(default=None, foreign_key="ai_proposals.id")
    sections_encrypted: str = ""  # JSON {section key: Markdown}, the consultant's sections
    observations_encrypted: str = ""  # the beneficiary's observations (Markdown)
    observations_updated_at: datetime | None = optional_datetime_field()
    created_by: uuid.UUID = Field(foreign_key="users.id")
    created_at: datetime = created_at_field()
    updated_by: uuid.UUID = Field(foreign_key="users.id")
    updated_at: datetime = created_at_field()
    validated_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    validated_at: datetime | None = optional_datetime_field()
