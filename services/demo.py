"""The demo organisation: 1 org_admin, 2 consultants and 3 beneficiaries, plus the platform operator."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from services import audit
from services.audit import AuthAction
from services.db import session_scope
from services.models import Membership, Organisation, OrganisationPlan, Role, User
from services.passwords import hash_password
from services.settings import get_settings

DEMO_ORGANISATION = "Organisme Démo"
DEMO_SIRET = "73282932000074"
DEMO_PASSWORD = "Demo-Bilan-2026!"


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    name: str


DEMO_PEOPLE: tuple[tuple[Role, str, str, str], ...] = (
    (Role.PLATFORM_ADMIN, "operateur@demo.bilancompetence.ai", "Olivier", "Operateur"),
    (Role.ORG_ADMIN, "admin@demo.bilancompetence.ai", "Agnès", "Administratrice"),
    (Role.CONSULTANT, "claire.martin@demo.bilancompetence.ai", "Claire", "Martin"),
    (Role.CONSULTANT, "karim.benali@demo.bilancompetence.ai", "Karim", "Benali"),
    (Role.BENEFICIARY, "lea.dubois@demo.bilancompetence.ai", "Léa", "Dubois"),
    (Role.BENEFICIARY, "thomas.nguyen@demo.bilancompetence.ai", "Thomas", "Nguyen"),
    (Role.BENEFICIARY, "sophie.lefevre@demo.bilancompetence.ai", "Sophie", "Lefèvre"),
    (Role.BENEFICIARY, "nadia.haddad@demo.bilancompetence.ai", "Nadia", "Haddad"),
    (Role.BENEFICIARY, "marc.petit@demo.bilancompetence.ai", "Marc", "Petit"),
)


class DemoModeRequired(RuntimeError):
    pass


def seed_demo(*, force: bool = False) -> list[DemoLogin]:
    """Create the demo organisation and its people. Idempotent: existing rows are left as they are."""
    if get_settings().app_env != "demo" and not force:
        raise DemoModeRequired("seed-demo only runs in demo mode (APP_ENV=demo); pass --force to override")
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
    # The hand-written demo référentiel, unless one (demo or real) is already installed.
    from services.rome.demo import install_demo_if_empty

    install_demo_if_empty()
    if not _has_bilans():
        from services.demo_bilans import seed_demo_bilans

        seed_demo_bilans()
    return logins


def _has_bilans() -> bool:
    from services.models import Bilan

    with session_scope() as session:
        organisation = session.exec(select(Organisation).where(Organisation.siret == DEMO_SIRET)).first()
        return (
            organisation is not None
            and session.exec(select(Bilan.id).where(Bilan.organisation_id == organisation.id)).first() is not None
        )


def database_is_empty() -> bool:
    with session_scope() as session:
        return session.exec(select(Organisation.id)).first() is None
