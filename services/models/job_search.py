"""A beneficiary's job search, per bilan: her search preferences and the offers she keeps for her plan."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, id_field


class JobSearchPreferences(SQLModel, table=True):
    """Where and how she looks for work: the defaults of her offer and company searches."""

    __tablename__ = "job_search_preferences"
    __table_args__ = (UniqueConstraint("bilan_id", name="uq_job_search_preferences_bilan"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id")
    # Where she lives, JSON {"code": INSEE code, "libelle": name}: a person's location, Fernet-encrypted
    # like the places of her parcours.
    commune_encrypted: str = ""
    rayon_km: int = 30
    type_contrat: str = Field(default="", max_length=60)  # France Travail contract codes, space-separated
    temps_travail: str = Field(default="", max_length=10)  # "", "plein" or "partiel"
    salaire_min: int | None = None  # gross euros a year
    updated_by: uuid.UUID = Field(foreign_key="users.id")
    updated_at: datetime = created_at_field()


class SavedOffer(SQLModel, table=True):
    """A France Travail offer she keeps for her plan, with a snapshot (offers expire on France Travail)."""

    __tablename__ = "saved_offers"
    __table_args__ = (UniqueConstraint("bilan_id", "offer_id", name="uq_saved_offers_offer"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id")
    offer_id: str = Field(max_length=20)  # France Travail's id
    code_rome: str = Field(default="", max_length=5)  # the target métier it was found for ("" if none)
    title: str = Field(max_length=255)
    company: str = Field(default="", max_length=255)
    place: str = Field(default="", max_length=255)
    contract: str = Field(default="", max_length=255)  # e.g. "CDI · Contrat à durée indéterminée"
    url: str = Field(max_length=500)
    saved_by: uuid.UUID = Field(foreign_key="users.id")
    saved_at: datetime = created_at_field()
