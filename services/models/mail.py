"""Outgoing e-mail, written in the same transaction as the action that sends it."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, enum_field, id_field, optional_datetime_field


class MailStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    OUTBOX = "outbox"  # no SMTP configured: kept for the platform admin's dev outbox
    FAILED = "failed"


class MailMessage(SQLModel, table=True):
    __tablename__ = "mail_messages"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id")
    to_address: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=300)
    body_encrypted: str
    status: MailStatus = enum_field(MailStatus, MailStatus.PENDING)
    error: str = Field(default="", max_length=500)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = optional_datetime_field()
