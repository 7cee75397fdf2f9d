"""The consultant's agenda: weekly availability and its exceptions (holidays, absences)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, enum_field, id_field
from services.models.bilans import DeliveryMode


class Availability(SQLModel, table=True):
    """A weekly opening of the consultant (Paris wall-clock time): every ``weekday`` from ``starts`` to
    ``ends``, cut into bookable slots of ``slot_minutes``, at a place or remote."""

    __tablename__ = "agenda_availabilities"
    __table_args__ = (Index("ix_agenda_availabilities_org_consultant", "organisation_id", "consultant_id"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id")
    consultant_id: uuid.UUID = Field(foreign_key="users.id")
    weekday: int  # 0 Monday ... 6 Sunday
    starts: time
    ends: time
    slot_minutes: int = 60
    mode: DeliveryMode = enum_field(DeliveryMode, DeliveryMode.PRESENTIEL)
    location: str = Field(default="", max_length=300)
    video_link: str = Field(default="", max_length=500)
    created_at: datetime = created_at_field()


class AvailabilityException(SQLModel, table=True):
    """Days the consultant is away (holidays, absences), inclusive; public holidays need no row."""

    __tablename__ = "agenda_exceptions"
    __table_args__ = (Index("ix_agenda_exceptions_org_consultant", "organisation_id", "consultant_id"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id")
    consultant_id: uuid.UUID = Field(foreign_key="users.id")
    first_day: date
    last_day: date
    label: str = Field(default="", max_length=120)
    created_at: datetime = created_at_field()
