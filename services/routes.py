"""URL paths of the app, in one place (pages register them; services build e-mailed links)."""

from __future__ import annotations

HOME = "/"
LOGIN = "/connexion"
SIGNUP = "/inscription"
FORGOT_PASSWORD = "/mot-de-passe-oublie"
RESET_PASSWORD = "/reinitialiser/[token]"
INVITATION = "/invitation/[token]"
BENEFICIARY_HOME = "/mon-espace"
CONSULTANT_HOME = "/consultant"
ADMIN_USERS = "/admin/utilisateurs"
ADMIN_AUDIT = "/admin/journal"
ADMIN_ORGANISATION = "/admin/organisation"
PLATFORM_ORGANISATIONS = "/plateforme/organisations"
PLATFORM_OUTBOX = "/plateforme/boite-envoi"
ACCOUNT_SECURITY = "/compte/securite"
LEGAL = "/mentions-legales"
PRIVACY = "/confidentialite"
ACCESSIBILITY = "/accessibilite"


def with_token(route: str, token: str) -> str:
    return route.replace("[token]", token)
