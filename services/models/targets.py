"""The target métiers a consultant keeps for a bilan (from the matching engine), shown to the beneficiary."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, id_field


class BilanTarget(SQLModel, table=True):
    __tablename__ = "bilan_targets"
    __table_args__ = (UniqueConstraint("bilan_id", "code_rome", name="uq_bilan_targets_code"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id", index=True)
    code_rome: str = Field(max_length=5)
    libelle: str = Field(max_length=255)
    score: float = 0.0
    # The recommendation as computed when kept (reasons, gap, paths), JSON, Fernet-encrypted.
    details_encrypted: str = ""
    kept_by: uuid.UUID = Field(foreign_key="users.id")
    created_at: datetime = created_at_field()
