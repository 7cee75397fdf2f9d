"""What every part of the demo seeding shares: the demo organisation's identity and its people."""

from __future__ import annotations

from dataclasses import dataclass

from services.models import Role

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
