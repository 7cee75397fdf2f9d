"""The demo organisation and its people: 1 org_admin, 2 consultants and 5 beneficiaries, plus the platform
operator."""

from __future__ import annotations

from sqlmodel import select

from services import audit
from services.audit import AuthAction
from services.db import session_scope
from services.demo.common import DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_PEOPLE, DEMO_SIRET, DemoLogin
from services.models import Membership, Organisation, OrganisationPlan, Role, User
from services.passwords import hash_password


def seed_people() -> list[DemoLogin]:
    """Create the demo organisation and its people (the seed-demo command only, through ``seed_demo``).
    Idempotent: existing rows are left as they are."""
    logins: list[DemoLogin] = []
    with session_scope() as session:
        organisation = session.exec(select(Organisation).where(Organisation.siret == DEMO_SIRET)).first()
        if organisation is None:
            organisation = Organisation(
                name=DEMO_ORGANISATION,
                slug="organisme-demo",
                siret=DEMO_SIRET,
                nda_number="11755555575",
                plan=OrganisationPlan.PROFESSIONAL,
                contact_email="contact@demo.bilancompetence.ai",
            )
            session.add(organisation)
            session.flush()
            audit.record(
                session,
                AuthAction.ORGANISATION_CREATED,
                organisation_id=organisation.id,
                actor_label="seed-demo",
                target_type="organisation",
                target_id=organisation.id,
            )
        password_hash = hash_password(DEMO_PASSWORD)
        for role, email, first_name, last_name in DEMO_PEOPLE:
            user = session.exec(select(User).where(User.email == email)).first()
            if user is None:
                user = User(
                    email=email,
                    first_name=first_name,
                    last_name=last_name,
                    password_hash=password_hash,
                    is_platform_admin=role is Role.PLATFORM_ADMIN,
                )
                session.add(user)
                session.flush()
            if role is not Role.PLATFORM_ADMIN:
                membership = session.exec(
                    select(Membership).where(
                        Membership.user_id == user.id, Membership.organisation_id == organisation.id
                    )
                ).first()
                if membership is None:
                    session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
            logins.append(DemoLogin(role=role, email=email, name=f"{first_name} {last_name}"))
        organisation.address = organisation.address or "18 rue de la République, 69002 Lyon"
        organisation.contact_phone = organisation.contact_phone or "04 78 00 00 00"
        organisation.disability_contact = organisation.disability_contact or "Agnès Administratrice, 04 78 00 00 01"
        organisation.min_hours = organisation.min_hours or 13
        organisation.public_description = organisation.public_description or (
            "Organisme de bilans de compétences à Lyon et à distance, certifié Qualiopi."
        )
        session.add(organisation)
    return logins
