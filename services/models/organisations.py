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
    STARTER = "starter"
    PROFESSIONAL = "professional"
    ENTERPRISE = "enterprise"


# Active bilans allowed by each plan (None: unlimited).
PLAN_ACTIVE_BILAN_QUOTAS: dict[OrganisationPlan, int | None] = {
    OrganisationPlan.STARTER: 10,
    OrganisationPlan.PROFESSIONAL: 50,
    OrganisationPlan.ENTERPRISE: None,
}


class Organisation(SQLModel, table=True):
    __tablename__ = "organisations"

    id: uuid.UUID = id_field()
    name: str = Field(max_length=200)
    slug: str = Field(max_length=80, unique=True, index=True)
    siret: str = Field(max_length=14, unique=True)
    nda_number: str | None = Field(default=None, max_length=11)
    plan: OrganisationPlan = enum_field(OrganisationPlan, OrganisationPlan.STARTER)
    is_active: bool = True
    require_2fa: bool = False
    brand_primary_color: str = Field(default="#1d4ed8", max_length=7)
    brand_logo_path: str | None = Field(default=None, max_length=300)
    contact_email: str | None = Field(default=None, max_length=254)
    # Public information (Qualiopi indicator 1) and bilan rules of the organisation.
    contact_phone: str = Field(default="", max_length=30)
    address: str = Field(default="", max_length=300)
    min_hours: float = Field(default=0, description="the organisation's own minimum; the legal maximum is 24 h")
    default_hours: float = 24
    price_euros: float = Field(default=1800)
    access_delay_days: int = Field(default=14, description="usual delay between the request and the start")
    modes: str = Field(default="presentiel,distanciel,hybride", max_length=60)
    # The organisation's process holds the preliminary interview before the convention is signed.
    preliminary_interview_before_convention: bool = False
    # The beneficiary books, moves or cancels her own session up to this many hours before it.
    booking_notice_hours: int = Field(default=24, sa_column_kwargs={"server_default": "24"})
    disability_contact: str = Field(default="", max_length=300)
    public_description: str = Field(default="", max_length=2000)
    # Remote sessions (services.calendar.visio): "link" (the consultant pastes a Teams, Zoom or Whereby
    # link) or "jitsi" (a room per session on ``jitsi_domain``, opened in the page or a new tab).
    video_provider: str = Field(default="link", max_length=10, sa_column_kwargs={"server_default": "link"})
    jitsi_domain: str = Field(default="", max_length=253, sa_column_kwargs={"server_default": ""})
    jitsi_embedded: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})
    created_at: datetime = created_at_field()
