"""Psychometric instruments taken during a bilan: the answering session and its computed result."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, enum_field, id_field, optional_datetime_field


class PsychometricStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class PsychometricSession(SQLModel, table=True):
    """One sitting of one instrument version by the bilan's beneficiary; the answers are encrypted."""

    __tablename__ = "psychometric_sessions"
    __table_args__ = (Index("ix_psychometric_sessions_bilan_instrument", "bilan_id", "instrument_id", "status"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id")
    instrument_id: str = Field(max_length=60)
    instrument_version: str = Field(max_length=20)
    status: PsychometricStatus = enum_field(PsychometricStatus, PsychometricStatus.IN_PROGRESS)
    # JSON {item_id: answer}, Fernet-encrypted (services.crypto).
    answers_encrypted: str = ""
    started_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
    completed_at: datetime | None = optional_datetime_field()


class PsychometricResult(SQLModel, table=True):
    """The scores of a completed session, computed with the instrument version it was taken with."""

    __tablename__ = "psychometric_results"
    __table_args__ = (UniqueConstraint("session_id", name="uq_psychometric_results_session"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id", index=True)
    session_id: uuid.UUID = Field(foreign_key="psychometric_sessions.id")
    instrument_id: str = Field(max_length=60)
    instrument_version: str = Field(max_length=20)
    # {"dimensions": {key: {"raw", "normalised", "rank", "level"}}, "ranking": [keys]}
    scores: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    holland_code: str = Field(default="", max_length=6)  # the interest inventory only, else ""
    created_at: datetime = created_at_field()
