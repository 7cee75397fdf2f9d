"""The bilan's documents space: files in two areas, each name versioned, and the consultant's requests."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, enum_field, id_field, optional_datetime_field


class FileArea(StrEnum):
    SHARED = "shared"  # "partagé": the beneficiary and her consultant
    CONSULTANT = "consultant"  # the consultant's own working files: never shown to her


class BilanFile(SQLModel, table=True):
    """One version of a named file of the bilan; its bytes are a ``Document`` (kind ``bilan_file``, the
    bilan's id on it), encrypted at rest like every file of the bilan, so the purge finds it there."""

    __tablename__ = "bilan_files"
    __table_args__ = (
        UniqueConstraint("bilan_id", "area", "name", "version", name="uq_bilan_files_version"),
        Index("ix_bilan_files_bilan_area", "bilan_id", "area"),
    )

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id")
    area: FileArea = enum_field(FileArea)
    name: str = Field(max_length=120)  # sanitised; the same name again is the next version
    version: int = 1
    document_id: uuid.UUID = Field(foreign_key="documents.id", unique=True)
    uploaded_by_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()


class DocumentRequest(SQLModel, table=True):
    """The consultant asks her for a document: a task of hers, done by her upload answering it."""

    __tablename__ = "document_requests"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id", index=True)
    task_id: uuid.UUID = Field(foreign_key="bilan_tasks.id", unique=True)
    requested_by_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    fulfilled_by_file_id: uuid.UUID | None = Field(default=None, foreign_key="bilan_files.id")
    fulfilled_at: datetime | None = optional_datetime_field()
    created_at: datetime = created_at_field()
