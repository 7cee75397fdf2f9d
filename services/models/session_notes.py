"""The beneficiary's agreement that a consultant who took over her bilan reads earlier session notes."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from services.models.base import enum_field, id_field, optional_datetime_field, required_datetime_field


class NotesDecision(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"


class NotesConsent(SQLModel, table=True):
    """One decision of the beneficiary about one consultant; the latest row for the pair is in force.

    A grant stays in force until ``withdrawn_at`` is set; a later decision adds a new row, so the
    history of who agreed, when, for whom is kept.
    """

    __tablename__ = "session_notes_consents"
    __table_args__ = (Index("ix_session_notes_consents_bilan_consultant", "bilan_id", "consultant_id"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id")
    consultant_id: uuid.UUID = Field(foreign_key="users.id")
    decision: NotesDecision = enum_field(NotesDecision)
    decided_by: uuid.UUID = Field(foreign_key="users.id")
    decided_at: datetime = required_datetime_field()
    withdrawn_at: datetime | None = optional_datetime_field()
