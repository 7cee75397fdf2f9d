"""URL paths of the app and the screens behind them, in one place.

Each screen is declared once in ``SCREENS``: its route, its title (a catalogue key), the permission that
opens it and its link in the role navigation. The page shell, the guard's verdict, the page title, the
navigation and each role's home are derived from that declaration (``components.layout.screen``).
Services build e-mailed links from the same constants.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final, Literal

from services.access import POLICY, Permission
from services.models import Role

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
BILAN_MESSAGES = "/bilans/[bilan_id]/messages"  # the consultant's side of the bilan's conversation
MESSAGES = "/mon-espace/messages"  # her side of it
MY_DOCUMENTS = "/mon-espace/documents"  # her side of the bilan's documents space (the consultant's: its tab)
BOOKING = "/mon-espace/rendez-vous"  # she books her next session from her consultant's free slots
AGENDA = "/agenda"  # the consultant's availability and calendar; the org admin's, per consultant
ADMIN_BILANS = "/admin/bilans"
EMPLOYER_SIGNATURE = "/signature/[token]"
VERIFY_CONVENTION = "/verifier-une-convention"
# Downloads (Starlette routes under /api; see bilan_app/api/documents.py).
CONVENTION_PDF = "/api/conventions/[convention_id]/pdf"
EMPLOYER_PDF = "/api/signature/[token]/pdf"
SYNTHESE_DOWNLOAD = "/api/syntheses/[token]"  # the beneficiary's signed, expiring link (and her session)
SHARED_SYNTHESE = "/api/partages/[token]"  # a third party she agreed to, by the e-mailed link
BILAN_DOCUMENT = "/api/bilans/[bilan_id]/documents/[kind]"  # attestation, emargement, plan, synthese
MESSAGE_ATTACHMENT = "/api/messages/[message_id]/piece-jointe"  # a file of the bilan's conversation
BILAN_FILE = "/api/fichiers/[file_id]"  # a file of the bilan's documents space (?apercu=1: shown inline)
ADMIN_USERS = "/admin/utilisateurs"
ADMIN_AUDIT = "/admin/journal"
ADMIN_ORGANISATION = "/admin/organisation"
ADMIN_TRAINING = "/admin/formations"
ADMIN_AI = "/admin/ia"  # the organisation's AI settings and usage
PLATFORM_ORGANISATIONS = "/plateforme/organisations"
PLATFORM_OUTBOX = "/plateforme/boite-envoi"
ACCOUNT_SECURITY = "/compte/securite"
NOTIFICATIONS = "/notifications"  # the bell's list and the mail preferences
UNSUBSCRIBE = "/api/notifications/desabonnement/[token]"  # a mail's one-click "stop these mails"
SESSION_INVITATION = "/api/seances/[session_id]/invitation.ics"  # a session's ICS, for its participants
CALENDAR_FEED = "/api/calendrier/[token]"  # a person's private ICS feed (no login: the token is the key)
LEGAL = "/mentions-legales"
PRIVACY = "/confidentialite"
ACCESSIBILITY = "/accessibilite"
# The ROME référentiel: métier search and fiches (any logged-in user), installation (platform operator).
METIERS = "/referentiel"
METIER_PAGE = "/referentiel/metiers/[code_rome]"
PLATFORM_REFERENTIEL = "/plateforme/referentiel"


def with_token(route: str, token: str) -> str:
    return route.replace("[token]", token)


def session_invitation(session_id: str) -> str:
    return SESSION_INVITATION.replace("[session_id]", session_id)


def calendar_feed(token: str) -> str:
    return with_token(CALENDAR_FEED, token)


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


def message_attachment(message_id: str) -> str:
    return MESSAGE_ATTACHMENT.replace("[message_id]", message_id)


def bilan_file(file_id: str, *, preview: bool = False) -> str:
    return BILAN_FILE.replace("[file_id]", file_id) + ("?apercu=1" if preview else "")


def bilan_messages(bilan_id: str) -> str:
    return BILAN_MESSAGES.replace("[bilan_id]", bilan_id)


def bilan_synthese(bilan_id: str) -> str:
    return BILAN_SYNTHESE.replace("[bilan_id]", bilan_id)


_PARAMETER = re.compile(r"\[([a-z_]+)\]")


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every parametrised route, as a pattern with one named group per ``[parameter]``."""
    patterns = []
    for name, value in globals().items():
        if name.isupper() and isinstance(value, str) and "[" in value:
            pieces = _PARAMETER.split(value)  # text, name, text, name, ..., text
            regex = "".join(
                re.escape(piece) if index % 2 == 0 else f"(?P<{piece}>[^/]+)" for index, piece in enumerate(pieces)
            )
            patterns.append((value, re.compile(f"^{regex}$")))
    return tuple(patterns)


def match(path: str) -> tuple[str, dict[str, str]]:
    """The route template a concrete path belongs to, and its parameters
    ("/bilans/3f…/plan" → ("/bilans/[bilan_id]/plan", {"bilan_id": "3f…"})); a static path is its own template."""
    path = path.split("?", 1)[0].rstrip("/") or "/"
    for template, pattern in _patterns():
        found = pattern.match(path)
        if found:
            return template, found.groupdict()
    return path, {}


def template_of(path: str) -> str:
    """The route template a concrete path belongs to ("/bilans/3f…" → "/bilans/[bilan_id]")."""
    return match(path)[0]


def path_param(path: str, name: str) -> str:
    """One parameter of a concrete path ("" when its route has no such parameter): the one way pages
    read their route parameters."""
    return match(path)[1].get(name, "")


def public_organisation(slug: str) -> str:
    return PUBLIC_ORGANISATION.replace("[slug]", slug)


def public_register(slug: str) -> str:
    return PUBLIC_REGISTER.replace("[slug]", slug)


def metier_page(code_rome: str) -> str:
    return METIER_PAGE.replace("[code_rome]", code_rome)


def offers_for(code_rome: str) -> str:
    """The offers page, filtered on one kept target métier."""
    return f"{OFFERS}?metier={code_rome}"


# ---------------------------------------------------------------- the screens

PUBLIC: Final = "public"  # opens without logging in


@dataclass(frozen=True)
class Screen:
    """One page of the app: who may open it, what it is called, where the navigation shows it."""

    route: str
    title: str  # catalogue key of the page title
    opens: Permission | Literal["public"]  # the permission that opens it, or PUBLIC
    nav: str = ""  # catalogue key of its link in the role navigation ("" = not in the navigation)
    home_of: tuple[Role, ...] = ()  # the roles that land here after logging in

    @property
    def is_public(self) -> bool:
        return self.opens == PUBLIC

    def roles(self) -> frozenset[Role]:
        """The roles that may open it (every role, and visitors, for a public screen)."""
        return frozenset(Role) if self.opens == PUBLIC else POLICY[Permission(self.opens)]


P = Permission
# In navigation order: a role's links appear in this order.
SCREENS: tuple[Screen, ...] = (
    # Public pages, account creation and the links sent by mail
    Screen(HOME, "screen.home", PUBLIC),
    Screen(LOGIN, "screen.login", PUBLIC),
    Screen(SIGNUP, "screen.signup", PUBLIC),
    Screen(FORGOT_PASSWORD, "screen.forgot_password", PUBLIC),
    Screen(RESET_PASSWORD, "screen.reset_password", PUBLIC),
    Screen(INVITATION, "screen.invitation", PUBLIC),
    Screen(PUBLIC_ORGANISATION, "screen.public_organisation", PUBLIC),
    Screen(PUBLIC_REGISTER, "screen.public_register", PUBLIC),
    Screen(EMPLOYER_SIGNATURE, "screen.employer_signature", PUBLIC),
    Screen(VERIFY_CONVENTION, "screen.verify_convention", PUBLIC),
    Screen(LEGAL, "screen.legal", PUBLIC),
    Screen(PRIVACY, "screen.privacy", PUBLIC),
    Screen(ACCESSIBILITY, "screen.accessibility", PUBLIC),
    # The beneficiary's space
    Screen(BENEFICIARY_HOME, "screen.beneficiary_home", P.VIEW_OWN_SPACE, "nav.my_space", (Role.BENEFICIARY,)),
    Screen(SKILLS, "screen.skills", P.VIEW_OWN_SPACE, "nav.skills"),
    Screen(PISTES, "screen.pistes", P.VIEW_OWN_SPACE, "nav.pistes"),
    Screen(OFFERS, "screen.offers", P.VIEW_OWN_SPACE, "nav.offers"),
    Screen(PLAN, "screen.plan", P.VIEW_OWN_SPACE, "nav.action_plan"),
    Screen(SYNTHESE, "screen.synthese", P.VIEW_OWN_SPACE, "nav.synthese"),
    Screen(MESSAGES, "screen.messages", P.VIEW_OWN_SPACE, "nav.messages"),
    Screen(MY_DOCUMENTS, "screen.my_documents", P.VIEW_OWN_SPACE, "nav.my_documents"),
    Screen(BOOKING, "screen.booking", P.VIEW_OWN_SPACE, "nav.booking"),
    Screen(BILAN_REQUEST, "screen.bilan_request", P.REQUEST_BILAN),
    Screen(QUESTIONNAIRE, "screen.questionnaire", P.VIEW_OWN_SPACE),
    Screen(BENEFICIARY_CONVENTION, "screen.beneficiary_convention", P.VIEW_OWN_SPACE),
    Screen(TESTS, "screen.tests", P.VIEW_OWN_SPACE),
    Screen(TEST_SESSION, "screen.test_session", P.VIEW_OWN_SPACE),
    Screen(SKILLS_MAP, "screen.skills_map", P.VIEW_OWN_SPACE),
    # The consultant's dashboard and the bilans they follow
    Screen(CONSULTANT_HOME, "screen.consultant_home", P.VIEW_CONSULTANT_DASHBOARD, "nav.my_bilans", (Role.CONSULTANT,)),
    Screen(AGENDA, "screen.agenda", P.FOLLOW_BILANS, "nav.agenda"),
    Screen(BILAN_PAGE, "screen.bilan_page", P.FOLLOW_BILANS),
    Screen(BILAN_TESTS, "screen.bilan_tests", P.FOLLOW_BILANS),
    Screen(BILAN_SKILLS, "screen.bilan_skills", P.FOLLOW_BILANS),
    Screen(BILAN_SKILLS_MAP, "screen.skills_map", P.FOLLOW_BILANS),
    Screen(BILAN_ANALYSIS, "screen.bilan_analysis", P.FOLLOW_BILANS),
    Screen(BILAN_PLAN, "screen.plan", P.FOLLOW_BILANS),
    Screen(BILAN_SYNTHESE, "screen.bilan_synthese", P.FOLLOW_BILANS),
    Screen(BILAN_MESSAGES, "screen.bilan_messages", P.FOLLOW_BILANS),
    # The organisation's settings
    Screen(ADMIN_BILANS, "screen.admin_bilans", P.SUPERVISE_BILANS, "nav.bilans"),
    Screen(ADMIN_USERS, "screen.admin_users", P.MANAGE_MEMBERS, "nav.users", (Role.ORG_ADMIN,)),
    Screen(ADMIN_AUDIT, "screen.admin_audit", P.VIEW_AUDIT_LOG, "nav.audit"),
    Screen(ADMIN_ORGANISATION, "screen.admin_organisation", P.MANAGE_ORGANISATION, "nav.org_settings"),
    Screen(ADMIN_TRAINING, "screen.admin_training", P.MANAGE_ORGANISATION, "nav.training"),
    Screen(ADMIN_AI, "screen.admin_ai", P.MANAGE_AI, "nav.ai"),
    # The platform operator
    Screen(
        PLATFORM_ORGANISATIONS,
        "screen.platform_organisations",
        P.VIEW_ORGANISATIONS,
        "nav.organisations",
        (Role.PLATFORM_ADMIN,),
    ),
    Screen(PLATFORM_OUTBOX, "screen.platform_outbox", P.READ_DEV_OUTBOX, "nav.outbox"),
    Screen(PLATFORM_REFERENTIEL, "screen.platform_referentiel", P.MANAGE_REFERENTIEL, "nav.referentiel"),
    # Everyone logged in
    Screen(METIERS, "screen.metiers", P.BROWSE_METIERS, "nav.metiers"),
    Screen(METIER_PAGE, "screen.metier_page", P.BROWSE_METIERS),
    Screen(ACCOUNT_SECURITY, "screen.account_security", P.MANAGE_OWN_ACCOUNT, "nav.security"),
    Screen(NOTIFICATIONS, "screen.notifications", P.MANAGE_OWN_ACCOUNT),  # reached by the bell
)
del P

SCREEN_BY_ROUTE: dict[str, Screen] = {screen.route: screen for screen in SCREENS}
NAVIGATION: tuple[Screen, ...] = tuple(screen for screen in SCREENS if screen.nav)
HOME_ROUTES: dict[Role, str] = {role: screen.route for screen in SCREENS for role in screen.home_of}


def screen_of(path: str) -> Screen | None:
    """The screen a concrete path shows (None for a path that is no screen, e.g. a download)."""
    return SCREEN_BY_ROUTE.get(template_of(path))


def home_route(role: Role | str) -> str:
    """Where a role lands after logging in (the login page for an unknown role)."""
    try:
        return HOME_ROUTES[Role(role)]
    except ValueError:
        return LOGIN
