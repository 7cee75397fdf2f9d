"""Organisations (the tenants) and the roles of their members."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, enum_field, id_field


class Role(StrEnum):
    BENEFICIARY = "beneficiary"
    CONSULTANT = "consultant"
    ORG_ADMIN = "org_admin"
    PLATFORM_ADMIN = "platform_admin"


class OrganisationPlan(StrEnum):
    ESSENTIEL = "essentiel"
    PRO = "pro"
    ENTREPRISE = "entreprise"


class Organisation(SQLModel, table=True):
    __tablename__ = "organisations"

    id: uuid.UUID = id_field()
    name: str = Field(max_length=200)
    slug: str = Field(max_length=80, unique=True, index=True)
    siret: str = Field(max_length=14, unique=True)
    nda_number: str | None = Field(default=None, max_length=11)
    plan: OrganisationPlan = enum_field(OrganisationPlan, OrganisationPlan.ESSENTIEL)
    is_active: bool = True
    require_2fa: bool = False
    brand_primary_color: str = Field(default="#1d4ed8", max_length=7)
    brand_logo_path: str | None = Field(default=None, max_length=300)
    contact_email: str | None = Field(default=None, max_length=254)
    created_at: datetime = created_at_field()
