"""Outgoing e-mail and SMS, written in the same transaction as the action that sends them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, enum_field, id_field, optional_datetime_field


class DeliveryStatus(StrEnum):
    """Where one outgoing message (a mail or an SMS) stands."""

    PENDING = "pending"
    # The SMTP server (or the SMS provider) is about to get the message: if the worker dies now nobody knows
    # whether it was accepted, so the message is never sent again automatically (UNCERTAIN).
    SENDING = "sending"
    SENT = "sent"
    OUTBOX = "outbox"  # no SMTP server (no SMS provider) configured: kept, shown to the platform admin
    FAILED = "failed"  # the last attempt failed; the queue retries it, then it stays for the operator
    UNCERTAIN = "uncertain"  # a worker died between the data and its answer: the operator decides


class MailMessage(SQLModel, table=True):
    __tablename__ = "mail_messages"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id")
    to_address: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=300)
    body_encrypted: str
    status: DeliveryStatus = enum_field(DeliveryStatus, DeliveryStatus.PENDING)
    error: str = Field(default="", max_length=500)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # SMTP deliveries tried
    # The one-click unsubscribe address (RFC 8058) of a non-essential notification, sent as List-Unsubscribe.
    unsubscribe_url: str = Field(default="", max_length=1000, sa_column_kwargs={"server_default": ""})
    # A calendar invitation (text/calendar, RFC 5546) attached to the mail, encrypted like the body: stored
    # as written, so a later change of the session cannot alter what this mail announced.
    calendar_encrypted: str = Field(default="", sa_column_kwargs={"server_default": ""})
    created_at: datetime = created_at_field()
    sent_at: datetime | None = optional_datetime_field()


class SmsMessage(SQLModel, table=True):
    """A text message to a person's mobile (optional channel; the provider is a platform setting)."""

    __tablename__ = "sms_messages"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id")
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    to_encrypted: str  # the number is personal data
    text_encrypted: str
    status: DeliveryStatus = enum_field(DeliveryStatus, DeliveryStatus.PENDING)
    error: str = Field(default="", max_length=500)
    attempts: int = Field(default=0)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = optional_datetime_field()
