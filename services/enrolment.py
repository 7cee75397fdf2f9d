"""Enrolment from an organisation's public page: the public information, and beneficiary self-registration.

Both functions are reachable without a session. ``organisation_public_info`` returns only what the
organisation publishes (Qualiopi indicator 1): never a member, never a bilan. ``register_beneficiary``
creates a beneficiary account in that one organisation and logs the person in.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, field_validator
from sqlmodel import Session, col, select

from services.auth import ClientInfo, LoginSuccess
from services.db import session_scope
from services.errors import NotFound
from services.forms import Email, PersonName, validate_form
from services.i18n import normalise_locale
from services.members import join_and_log_in, new_account
from services.models import DeliveryMode, Organisation, Role

# The law caps a bilan at 24 hours (L6313-4): the public page never announces more.
LEGAL_MAX_HOURS = 24.0
MAX_SLUG_LENGTH = 80


class EnrolmentAction(StrEnum):
    """Audit actions of self-registration (grouped with the other ``member.`` events)."""

    SELF_REGISTERED = "member.self_registered"


@dataclass(frozen=True)
class PublicOrganisationInfo:
    """Everything the public organisation page shows, and nothing else."""

    name: str
    slug: str
    siret: str
    nda_number: str
    address: str
    contact_email: str
    contact_phone: str
    price_euros: float
    default_hours: float
    min_hours: float
    access_delay_days: int
    modes: tuple[str, ...]
    disability_contact: str
    public_description: str


class BeneficiaryRegistrationForm(BaseModel):
    first_name: PersonName
    last_name: PersonName
    email: Email
    password: str
    locale: str = "fr"

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        return normalise_locale(value)


def _modes(raw: str) -> tuple[str, ...]:
    offered = {part.strip() for part in (raw or "").split(",")}
    return tuple(mode.value for mode in DeliveryMode if mode.value in offered)


def _active_organisation(session: Session, slug: str) -> Organisation | None:
    slug = (slug or "").strip().lower()
    if not slug or len(slug) > MAX_SLUG_LENGTH:
        return None
    return session.exec(
        select(Organisation).where(Organisation.slug == slug, col(Organisation.is_active).is_(True))
    ).first()


def _public_view(organisation: Organisation) -> PublicOrganisationInfo:
    default_hours = organisation.default_hours if 0 < organisation.default_hours <= LEGAL_MAX_HOURS else LEGAL_MAX_HOURS
    return PublicOrganisationInfo(
        name=organisation.name,
        slug=organisation.slug,
        siret=organisation.siret,
        nda_number=organisation.nda_number or "",
        address=organisation.address,
        contact_email=organisation.contact_email or "",
        contact_phone=organisation.contact_phone,
        price_euros=float(organisation.price_euros),
        default_hours=float(default_hours),
        min_hours=float(min(max(organisation.min_hours, 0), default_hours)),
        access_delay_days=max(0, int(organisation.access_delay_days)),
        modes=_modes(organisation.modes),
        disability_contact=organisation.disability_contact,
        public_description=organisation.public_description,
    )


def organisation_public_info(slug: str) -> PublicOrganisationInfo | None:
    """The public information of an active organisation, or None (unknown or inactive slug)."""
    with session_scope() as session:
        organisation = _active_organisation(session, slug)
        return _public_view(organisation) if organisation is not None else None


def register_beneficiary(slug: str, raw: dict[str, Any], client: ClientInfo) -> LoginSuccess:
    """A visitor creates a beneficiary account in the organisation of ``slug`` and is logged in.

    The rules are those of the organisation sign-up: the same password policy and one account per
    e-mail address (an existing account logs in instead). Raises NotFound for an unknown or inactive
    organisation, FormError for bad input.
    """
    form = validate_form(BeneficiaryRegistrationForm, raw)
    with session_scope() as session:
        organisation = _active_organisation(session, slug)
        if organisation is None:
            raise NotFound()
        user = new_account(
            session,
            email=form.email,
            first_name=form.first_name,
            last_name=form.last_name,
            password=form.password,
            locale=form.locale,
        )
        return join_and_log_in(
            session, user, organisation.id, Role.BENEFICIARY, client, action=EnrolmentAction.SELF_REGISTERED
        )
