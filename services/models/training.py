"""Training courses to suggest for a skill gap: the organisation's own catalogue and the public CPF catalogue.

``organisation_id`` is None for a course of the public catalogue (Mon Compte Formation open data,
imported by ``services.training.cpf_import``), platform-wide like the ROME; an organisation's own
courses are tenant data.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, enum_field, id_field


class TrainingSource(StrEnum):
    ORGANISATION = "organisation"
    CPF = "cpf"


class TrainingMode(StrEnum):
    PRESENTIEL = "presentiel"
    DISTANCE = "distance"
    MIXTE = "mixte"


class TrainingCourse(SQLModel, table=True):
    __tablename__ = "training_courses"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_training_courses_source_external"),
        Index("ix_training_courses_org_source", "organisation_id", "source"),
    )

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id")
    source: TrainingSource = enum_field(TrainingSource)
    external_id: str = Field(max_length=80)  # numero_formation (CPF), or a uuid for the organisation's own
    title: str = Field(max_length=500)
    provider: str = Field(default="", max_length=255)
    provider_siret: str = Field(default="", max_length=14)
    certification: str = Field(default="", max_length=500)
    certification_code: str = Field(default="", max_length=40)  # "RNCP35185", "RS5432"
    formacodes: str = Field(default="", max_length=200)  # space-separated 5-digit codes
    rome_codes: str = Field(default="", max_length=200)  # space-separated codes ROME (own catalogue)
    level: str = Field(default="", max_length=120)
    hours: float | None = None
    price_euros: float | None = None
    mode: TrainingMode = enum_field(TrainingMode, TrainingMode.PRESENTIEL)
    departement: str = Field(default="", max_length=3)  # "69", "2A"; "" = anywhere or distance
    url: str = Field(default="", max_length=500)
    description: str = ""
    search_text: str = ""  # normalised words of title, certification and description, for matching
    active: bool = True
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
