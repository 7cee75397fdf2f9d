"""URL paths of the app, in one place (pages register them; services build e-mailed links)."""

from __future__ import annotations

import re

HOME = "/"
LOGIN = "/connexion"
SIGNUP = "/inscription"
FORGOT_PASSWORD = "/mot-de-passe-oublie"
RESET_PASSWORD = "/reinitialiser/[token]"
INVITATION = "/invitation/[token]"
BENEFICIARY_HOME = "/mon-espace"
BILAN_REQUEST = "/mon-espace/demande"
QUESTIONNAIRE = "/mon-espace/questionnaire"
BENEFICIARY_CONVENTION = "/mon-espace/convention"
TESTS = "/mon-espace/tests"
TEST_SESSION = "/mon-espace/tests/[instrument_id]"
SKILLS = "/mon-espace/competences"  # the self-assessment wizard
SKILLS_MAP = "/mon-espace/cartographie"
PISTES = "/mon-espace/pistes"  # the target métiers kept with the consultant
OFFERS = "/mon-espace/offres"  # job offers and companies for those targets, and the offers kept
PLAN = "/mon-espace/plan"  # the SMART action plan, written with the consultant
SYNTHESE = "/mon-espace/synthese"  # the validated document de synthèse, and her observations
PUBLIC_ORGANISATION = "/organismes/[slug]"
PUBLIC_REGISTER = "/organismes/[slug]/inscription"
CONSULTANT_HOME = "/consultant"
BILAN_PAGE = "/bilans/[bilan_id]"
BILAN_TESTS = "/bilans/[bilan_id]/tests"
BILAN_SKILLS = "/bilans/[bilan_id]/competences"  # the consultant's validation
BILAN_SKILLS_MAP = "/bilans/[bilan_id]/cartographie"
BILAN_ANALYSIS = "/bilans/[bilan_id]/analyse"  # the consultant runs the matching engine
BILAN_PLAN = "/bilans/[bilan_id]/plan"  # the same action plan, on the consultant's side
BILAN_SYNTHESE = "/bilans/[bilan_id]/synthese"  # the consultant writes the synthèse
ADMIN_BILANS = "/admin/bilans"
EMPLOYER_SIGNATURE = "/signature/[token]"
VERIFY_CONVENTION = "/verifier-une-convention"
# Downloads (Starlette routes under /api; see bilan_app/api/documents.py).
CONVENTION_PDF = "/api/conventions/[convention_id]/pdf"
EMPLOYER_PDF = "/api/signature/[token]/pdf"
SYNTHESE_DOWNLOAD = "/api/syntheses/[token]"  # the beneficiary's signed, expiring link (and her session)
SHARED_SYNTHESE = "/api/partages/[token]"  # a third party she agreed to, by the e-mailed link
BILAN_DOCUMENT = "/api/bilans/[bilan_id]/documents/[kind]"  # attestation, emargement, plan, synthese
ADMIN_USERS = "/admin/utilisateurs"
ADMIN_AUDIT = "/admin/journal"
ADMIN_ORGANISATION = "/admin/organisation"
ADMIN_TRAINING = "/admin/formations"
ADMIN_AI = "/admin/ia"  # the organisation's AI settings and usage
PLATFORM_ORGANISATIONS = "/plateforme/organisations"
PLATFORM_OUTBOX = "/plateforme/boite-envoi"
ACCOUNT_SECURITY = "/compte/securite"
LEGAL = "/mentions-legales"
PRIVACY = "/confidentialite"
ACCESSIBILITY = "/accessibilite"
# The ROME référentiel: métier search and fiches (any logged-in user), installation (platform operator).
METIERS = "/referentiel"
METIER_PAGE = "/referentiel/metiers/[code_rome]"
PLATFORM_REFERENTIEL = "/plateforme/referentiel"


def with_token(route: str, token: str) -> str:
    return route.replace("[token]", token)


def convention_pdf(convention_id: str, *, signed: bool) -> str:
    return CONVENTION_PDF.replace("[convention_id]", convention_id) + ("?signed=1" if signed else "?signed=0")


def employer_pdf(token: str, *, signed: bool) -> str:
    return EMPLOYER_PDF.replace("[token]", token) + ("?signed=1" if signed else "?signed=0")


def bilan_document(bilan_id: str, kind: str) -> str:
    return BILAN_DOCUMENT.replace("[bilan_id]", bilan_id).replace("[kind]", kind)


def synthese_download(token: str) -> str:
    return with_token(SYNTHESE_DOWNLOAD, token)


def shared_synthese(token: str) -> str:
    return with_token(SHARED_SYNTHESE, token)


def bilan_page(bilan_id: str) -> str:
    return BILAN_PAGE.replace("[bilan_id]", bilan_id)


def bilan_tests(bilan_id: str) -> str:
    return BILAN_TESTS.replace("[bilan_id]", bilan_id)


def bilan_skills(bilan_id: str) -> str:
    return BILAN_SKILLS.replace("[bilan_id]", bilan_id)


def bilan_skills_map(bilan_id: str) -> str:
    return BILAN_SKILLS_MAP.replace("[bilan_id]", bilan_id)


def bilan_plan(bilan_id: str) -> str:
    return BILAN_PLAN.replace("[bilan_id]", bilan_id)


def bilan_synthese(bilan_id: str) -> str:
    return BILAN_SYNTHESE.replace("[bilan_id]", bilan_id)


def template_of(path: str) -> str:
    """The route template a concrete path belongs to ("/bilans/3f…" → "/bilans/[bilan_id]")."""
    path = path.rstrip("/") or "/"
    for name, value in globals().items():
        if name.isupper() and isinstance(value, str) and "[" in value:
            pattern = "^" + re.sub(r"\\\[[a-z_]+\\\]", "[^/]+", re.escape(value)) + "$"
            if re.match(pattern, path):
                return value
    return path


def public_organisation(slug: str) -> str:
    return PUBLIC_ORGANISATION.replace("[slug]", slug)


def public_register(slug: str) -> str:
    return PUBLIC_REGISTER.replace("[slug]", slug)


def metier_page(code_rome: str) -> str:
    return METIER_PAGE.replace("[code_rome]", code_rome)


def offers_for(code_rome: str) -> str:
    """The offers page, filtered on one kept target métier."""
    return f"{OFFERS}?metier={code_rome}"
