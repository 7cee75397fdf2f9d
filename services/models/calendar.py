"""Private calendar feeds: one revocable token per person and organisation (services.calendar.feeds)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, id_field, optional_datetime_field


class CalendarFeedToken(SQLModel, table=True):
    """The secret of a person's ICS feed URL, kept hashed (``services.crypto.hash_token``): the address
    was shown once to its owner, the database cannot give it back. Regenerating revokes the old one."""

    __tablename__ = "calendar_feed_tokens"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    revoked_at: datetime | None = optional_datetime_field()
