"""Pages register themselves with the app when imported."""

from bilan_app.pages import (
    account,
    admin,
    auth,
    beneficiary,
    bilans,
    conventions,
    platform,
    psychometrics,
    public,
    recommendations,
    referentiel,
    skills,
    skills_review,
    training,
)

__all__ = [
    "account",
    "admin",
    "auth",
    "beneficiary",
    "bilans",
    "conventions",
    "platform",
    "psychometrics",
    "public",
    "recommendations",
    "referentiel",
    "skills",
    "skills_review",
    "training",
]
