"""The page registry (services/routes.py SCREENS) against the app and the policy.

Every page the app serves is a declared screen with a permission (or declared public), and every
protected screen, loaded for real by its page's on_load handlers as each kind of visitor — anonymous,
beneficiary, consultant, organisation admin, platform operator, and a consultant of another
organisation — renders or refuses exactly as ``access.POLICY`` says for its permission (and, for a
bilan's pages, only inside the bilan's organisation)."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from reflex_base import constants

from services import routes
from services.access import Permission
from services.crypto import encrypt_text
from services.db import session_scope
from services.models import Bilan, BilanStatus, Role
from services.models.base import utcnow

VISITORS = ("anonymous", "beneficiary_a", "consultant_a", "admin_a", "platform", "consultant_b")


def _app_pages() -> dict[str, Any]:
    from bilan_app.bilan_app import app

    app._apply_decorated_pages()
    return {("/" if key == "index" else "/" + key): page for key, page in app._unevaluated_pages.items()}


def test_every_page_the_app_serves_is_a_declared_screen_with_a_permission():
    pages = _app_pages()
    declared = {screen.route for screen in routes.SCREENS}
    assert set(pages) == declared, "a page is served without a screen declaration, or the reverse"
    assert len(declared) == len(routes.SCREENS), "a screen is declared twice"
    for screen in routes.SCREENS:
        assert screen.opens == routes.PUBLIC or isinstance(screen.opens, Permission), screen.route
        if not screen.is_public:
            assert pages[screen.route].on_load, f"{screen.route} has no load that re-checks the session"
    # Each role's home is a screen it may open, and the navigation only links screens.
    for role, route in routes.HOME_ROUTES.items():
        assert role in routes.SCREEN_BY_ROUTE[route].roles()
    assert set(routes.HOME_ROUTES) == set(Role)


def test_every_page_compiles():
    """Each page is evaluated and compiled (catalogue keys exist, vars resolve), without writing the front end."""
    from bilan_app.bilan_app import app

    app._compile(dry_run=True)


def _handlers(page: Any) -> list[Any]:
    on_load = page.on_load
    return list(on_load) if isinstance(on_load, list | tuple) else [on_load]


def _call(handler: Any, state: Any, *args: Any) -> list[Any]:
    result = handler.fn(state, *args)
    if inspect.isgenerator(result):
        return list(result)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return [] if result is None else list(result) if isinstance(result, list) else [result]


def _redirect_target(event: Any) -> str:
    args = {name._js_expr: value._var_value for name, value in getattr(event, "args", ())}
    return str(args.get("path", ""))


def _concrete(route: str, bilan_id: str) -> str:
    return (
        route.replace("[bilan_id]", bilan_id)
        .replace("[instrument_id]", "interests_riasec")
        .replace("[code_rome]", "M1805")
    )


def _tab(path: str) -> Any:
    """A fresh state tree for one browser tab on ``path``."""
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {
            constants.RouteVar.ORIGIN: path,
            constants.RouteVar.CLIENT_IP: "192.0.2.10",
            constants.RouteVar.HEADERS: {"user-agent": "pytest"},
        }
    )
    return root


def _state_in(root: Any, state_class: Any, token: str) -> Any:
    state = root.get_substate(state_class.get_full_name().split(".")[1:])
    state.session_token = token
    return state


def _verdict(page: Any, token: str, path: str) -> str:
    root = _tab(path)
    template = routes.template_of(path)
    events: list[Any] = []
    state = None
    for handler in _handlers(page):
        state = _state_in(root, handler.state, token)
        events += _call(handler, state)
    assert state is not None
    if any(_redirect_target(event) == routes.LOGIN for event in events):
        return "login"
    if state.denied_route == template and state.authorized_route == "":
        return "refused"
    if state.authorized_route == template and state.denied_route == "":
        return "renders"
    return f"unclear (authorized={state.authorized_route!r}, denied={state.denied_route!r})"


def _expected(screen: routes.Screen, visitor: str, world: Any) -> str:
    if visitor == "anonymous":
        return "login"
    if world.person(visitor).role not in screen.roles():
        return "refused"
    if "[bilan_id]" in screen.route and visitor.endswith("_b"):
        return "refused"  # another organisation's bilan answers like a missing one
    return "renders"


@pytest.fixture
def bilan_of_a(world) -> str:
    beneficiary, consultant = world.actor("beneficiary_a"), world.actor("consultant_a")
    with session_scope() as session:
        bilan = Bilan(
            organisation_id=beneficiary.organisation_id,
            beneficiary_id=beneficiary.user_id,
            consultant_id=consultant.user_id,
            consultant_accepted_at=utcnow(),
            status=BilanStatus.INVESTIGATION,
            objectives_encrypted=encrypt_text("Construire un projet de reconversion."),
        )
        session.add(bilan)
        session.flush()
        return str(bilan.id)


@pytest.mark.parametrize("route", [screen.route for screen in routes.SCREENS if not screen.is_public])
def test_each_protected_screen_opens_exactly_for_the_roles_the_policy_names(route, world, bilan_of_a):
    screen = routes.SCREEN_BY_ROUTE[route]
    page = _app_pages()[route]
    path = _concrete(route, bilan_of_a)
    verdicts = {
        visitor: _verdict(page, "" if visitor == "anonymous" else world.person(visitor).token, path)
        for visitor in VISITORS
    }
    assert verdicts == {visitor: _expected(screen, visitor, world) for visitor in VISITORS}


def test_the_questionnaire_page_finds_her_bilan_and_the_security_page_sees_a_new_enrolment(world, bilan_of_a):
    """Two handlers whose check and body share state: the load's reset must not undo what the check found,
    and a page re-reading the account after changing it must not see the session cached before the change."""
    import pyotp

    from state.account import SecurityState
    from state.beneficiary import QuestionnaireState

    def state_on(state_class: Any, key: str, path: str) -> Any:
        return _state_in(_tab(path), state_class, world.person(key).token)

    questionnaire = state_on(QuestionnaireState, "beneficiary_a", routes.QUESTIONNAIRE)
    _call(QuestionnaireState.load, questionnaire)
    assert questionnaire.questionnaire_status == "ready"

    security = state_on(SecurityState, "consultant_a", routes.ACCOUNT_SECURITY)
    _call(SecurityState.load, security)
    _call(SecurityState.start_enrolment, security)
    assert security.totp_secret
    _call(SecurityState.confirm_enrolment, security, {"code": pyotp.TOTP(security.totp_secret).now()})
    assert security.two_factor_enabled and len(security.new_recovery_codes) == 10
