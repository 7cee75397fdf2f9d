"""The secure messaging of a bilan: one conversation between the beneficiary and her consultant."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, id_field, optional_datetime_field


class Conversation(SQLModel, table=True):
    __tablename__ = "conversations"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id", unique=True)
    created_at: datetime = created_at_field()
    last_message_at: datetime | None = optional_datetime_field()


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_created", "conversation_id", "created_at"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id")
    conversation_id: uuid.UUID = Field(foreign_key="conversations.id")
    author_id: uuid.UUID = Field(foreign_key="users.id")
    body_encrypted: str  # "" once deleted: the line stays as "message supprimé"
    created_at: datetime = created_at_field()
    edited_at: datetime | None = optional_datetime_field()
    deleted_at: datetime | None = optional_datetime_field()
    attachment_id: uuid.UUID | None = Field(default=None, foreign_key="documents.id")


class ConversationMember(SQLModel, table=True):
    """Where one person is in a conversation: what they have read (read receipts, unread counts) and the
    draft they left (kept across reloads, encrypted)."""

    __tablename__ = "conversation_members"
    __table_args__ = (UniqueConstraint("conversation_id", "user_id", name="uq_conversation_member"),)

    id: uuid.UUID = id_field()
    conversation_id: uuid.UUID = Field(foreign_key="conversations.id", index=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    last_read_at: datetime | None = optional_datetime_field()
    draft_encrypted: str = ""


class MessageTemplate(SQLModel, table=True):
    """A consultant's own ready-made message (e.g. "préparer la prochaine séance")."""

    __tablename__ = "message_templates"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id")
    owner_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    title: str = Field(max_length=80)
    body_encrypted: str
    created_at: datetime = created_at_field()
