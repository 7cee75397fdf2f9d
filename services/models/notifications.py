"""In-app notifications and each person's choice of how they are mailed."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, enum_field, id_field, optional_datetime_field


class MailMode(StrEnum):
    IMMEDIATE = "immediate"  # a mail per event
    DIGEST = "digest"  # one mail a day with the events of the day
    OFF = "off"  # the notification centre only


class Notification(SQLModel, table=True):
    """One event for one person: written in the transaction of the event, read in the bell's list."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id")
    user_id: uuid.UUID = Field(foreign_key="users.id")
    kind: str = Field(max_length=60)
    # The text in the recipient's language when it happened (it names people: encrypted at rest).
    title_encrypted: str
    path: str = Field(default="", max_length=300)  # where the recipient acts on it
    group_key: str = Field(default="", max_length=120)  # events of one thread folded into one line
    count: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    created_at: datetime = created_at_field()
    read_at: datetime | None = optional_datetime_field()
    digest_pending: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class NotificationPreference(SQLModel, table=True):
    """How a person wants one kind of event mailed (no row: the kind's default)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_notification_preference"),)

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    kind: str = Field(max_length=60)
    mode: MailMode = enum_field(MailMode, MailMode.IMMEDIATE)
    sms: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})  # also by SMS, for kinds that allow it
