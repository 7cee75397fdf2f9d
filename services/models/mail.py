"""Outgoing e-mail, written in the same transaction as the action that sends it."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, enum_field, id_field, optional_datetime_field


class MailStatus(StrEnum):
    PENDING = "pending"
    # The SMTP server has the envelope and is about to get the data: if the worker dies now nobody knows
    # whether the server accepted it, so the message is never sent again automatically (UNCERTAIN).
    SENDING = "sending"
    SENT = "sent"
    OUTBOX = "outbox"  # no SMTP configured: kept for the platform admin's dev outbox
    FAILED = "failed"  # the last attempt failed; the queue retries it, then it stays for the operator
    UNCERTAIN = "uncertain"  # a worker died between the data and its answer: the operator decides


class MailMessage(SQLModel, table=True):
    __tablename__ = "mail_messages"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id")
    to_address: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=300)
    body_encrypted: str
    status: MailStatus = enum_field(MailStatus, MailStatus.PENDING)
    error: str = Field(default="", max_length=500)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # SMTP deliveries tried
    created_at: datetime = created_at_field()
    sent_at: datetime | None = optional_datetime_field()
