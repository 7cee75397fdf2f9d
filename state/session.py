"""The session: who is logged in, the language, and the guard every handler goes through."""

from __future__ import annotations

import contextvars
import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx
from reflex.istate.proxy import StateProxy

from services import auth, bilans, messaging, notifications, routes
from services.access import Actor, Permission, can
from services.auth import ClientInfo, SessionInfo
from services.errors import FormError, RateLimited, ServiceError
from services.i18n import translate
from services.models import Role
from services.settings import get_settings

log = logging.getLogger("bilan.state")
SESSION_COOKIE_MAX_AGE = get_settings().session_ttl_hours * 3600

# The session resolved for the event being handled: a handler that calls helpers (or another handler's
# function) re-checks the session once, not once per call.
_RESOLVED: contextvars.ContextVar[tuple[str, SessionInfo | None] | None] = contextvars.ContextVar(
    "resolved_session", default=None
)


def unread_badges(actor: Actor) -> dict[str, int]:
    """The header's counts (SessionState's vars of those names): the bell's unread notifications and her
    unread messages. Service calls only, so that a background task may run it outside the state's lock."""
    return {
        "unread_notifications": notifications.unread_count(actor),
        "unread_messages": messaging.unread_total(actor),
    }


class SessionState(rx.State):
    """Base of every page state. The browser holds only the random session token."""

    session_token: str = rx.Cookie(
        "",
        name="bc_session",
        same_site="strict",
        secure=get_settings().cookie_secure,
        max_age=SESSION_COOKIE_MAX_AGE,
    )
    locale: str = rx.Cookie("fr", name="bc_locale", same_site="lax", max_age=365 * 24 * 3600)
    user_name: str = ""
    user_email: str = ""
    role: str = ""
    organisation_name: str = ""
    must_enrol_2fa: bool = False
    unread_notifications: int = 0  # the bell's number, re-counted when the tab opens another page
    unread_messages: int = 0  # the count on her "Messagerie" link, re-counted likewise (0 for other roles)
    # The route the guard last allowed or refused, so a page never shows another page's verdict.
    authorized_route: str = ""
    denied_route: str = ""

    @rx.var
    def home_route(self) -> str:
        return routes.home_route(self.role)

    @rx.var
    def is_logged_in(self) -> bool:
        return self.role != ""

    # ------------------------------------------------------------ helpers (not event handlers)

    def _t(self, key: str, **params: object) -> str:
        return translate(key, self.locale, **params)

    def _client(self) -> ClientInfo:
        headers = self.router.headers
        forwarded = headers.raw_headers.get("x-forwarded-for", "") if headers.raw_headers else ""
        return auth.client_info(self.router.session.client_ip, forwarded, headers.user_agent)

    def _current(self, fresh: bool = False) -> SessionInfo | None:
        """The session behind the tab's cookie, resolved once per event (``fresh`` after the event changed
        the account itself: its 2FA, its password)."""
        resolved = None if fresh else _RESOLVED.get()
        if resolved is not None and resolved[0] == self.session_token:
            info = resolved[1]
        else:
            info = auth.resolve_session(self.session_token, self._client())
        if info is None:
            self._clear_user()
        else:
            self._assign(
                user_name=info.user_name,
                user_email=info.email,
                role=str(info.actor.role),
                organisation_name=info.organisation_name,
                must_enrol_2fa=info.must_enrol_2fa,
            )
        return info

    def _assign(self, **values: object) -> None:
        """Set only the vars whose value changes. Reflex marks a var dirty on every assignment, and every
        computed var of every page state that reads it with it: re-writing the same session on each event
        made each click recompute (and load from Redis) states the page does not even show."""
        for name, value in values.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    def _clear_user(self) -> None:
        self._assign(
            user_name="",
            user_email="",
            role="",
            organisation_name="",
            must_enrol_2fa=False,
            unread_notifications=0,
            unread_messages=0,
        )

    def _authorize(self, permission: Permission) -> tuple[Actor | None, Any]:
        """Re-check the session on the server (never trusting the page) and the permission.
        Returns (actor, None) or (None, the event to return). Handlers use it through ``guarded``."""
        path = routes.template_of(self.router.url.path)
        info = self._current()
        if info is None:
            self._assign(authorized_route="", denied_route="", session_token="")
            return None, rx.redirect(routes.LOGIN)
        if info.must_enrol_2fa and path != routes.ACCOUNT_SECURITY:
            self._assign(authorized_route="", denied_route="")
            return None, rx.redirect(routes.ACCOUNT_SECURITY)
        bilan_id = routes.path_param(self.router.url.path, "bilan_id")
        if not can(info.actor, permission) or (bilan_id and not bilans.may_see(info.actor, bilan_id)):
            # A bilan's pages refuse another organisation's (or another consultant's) bilan like a missing one.
            self._assign(authorized_route="", denied_route=path)
            return None, None
        if self.authorized_route != path:  # a page load, not a click on the same page
            self._assign(**unread_badges(info.actor))
        self._assign(authorized_route=path, denied_route="")
        return info.actor, None

    def _own_bilan(self) -> tuple[Actor | None, bilans.CurrentBilan | None, Any]:
        """The session re-checked for her own space, and the bilan it is about (re-read on every event,
        never trusted from the page): (actor, current bilan or None, redirect when not allowed)."""
        actor, redirect = self._authorize(Permission.VIEW_OWN_SPACE)
        if actor is None:
            return None, None, redirect
        return actor, bilans.my_current_bilan(actor), None

    def _run(self, call: Callable[[], Any], errors: dict[str, str] | None = None) -> tuple[bool, Any]:
        """Call a service; turn its errors into French messages. Returns (succeeded, result)."""
        try:
            return True, call()
        except FormError as exc:
            if errors is not None:
                errors.clear()
                errors.update({field: self._t(key, **exc.params) for field, key in exc.fields.items()})
            self._set_form_error(self._t("error.form"))
        except RateLimited as exc:
            self._set_form_error(self._t(exc.code, **exc.params))
        except ServiceError as exc:
            self._set_form_error(self._t(exc.code, **exc.params))
        return False, None

    def _set_form_error(self, message: str) -> None:
        """Feature states with a form-level message override this."""
        log.info("service error shown to user: %s", message)

    # ------------------------------------------------------------ event handlers

    @rx.event
    def switch_locale(self) -> Any:
        self.locale = "en" if self.locale == "fr" else "fr"
        info = auth.resolve_session(self.session_token)
        if info is not None:
            auth.set_locale(info.actor, self.locale)
        # Pages compose some text on the server when they load (hours, histories, dates, consent lines):
        # loading the page again writes all of it in the new language, not only the catalogue's labels.
        # Until that load has answered, a protected page shows "loading", not the old language's rows.
        self.authorized_route = self.denied_route = ""
        return rx.call_script("window.location.reload()")

    @rx.event
    def logout(self) -> Any:
        info = auth.resolve_session(self.session_token, self._client())
        if info is not None:
            auth.logout(info.actor)
        self.session_token = ""
        self._clear_user()
        self.authorized_route = self.denied_route = ""
        return rx.redirect(routes.LOGIN)

    def _route_param(self, name: str) -> str:
        """A parameter of the current route ("bilan_id", "token"…), the one way states read them."""
        return routes.path_param(self.router.url.path, name)

    def _page_bilan_id(self, actor: Actor) -> str:
        """The bilan a page of hers or of a follower is about, never taken from the page: her current bilan,
        or the bilan of the route for a follower ("" when she has none)."""
        if actor.role is Role.BENEFICIARY:
            current = bilans.my_current_bilan(actor)
            return current.bilan_id if current is not None else ""
        return self._route_param("bilan_id")


class FormMixin(rx.State, mixin=True):
    """Per-form error state: a message next to each field, and one above the form."""

    errors: dict[str, str] = {}
    form_error: str = ""
    notice: str = ""

    def _reset_messages(self) -> None:
        self.errors = {}
        self.form_error = ""
        self.notice = ""

    def _set_form_error(self, message: str) -> None:
        self.form_error = message

    def _apply(
        self, call: Callable[[], Any], notice_key: str, errors: dict[str, str] | None = None, **params: Any
    ) -> bool:
        """Run a service call (``_run``) and, when it succeeds, show the catalogue's ``notice_key``."""
        ok, _ = self._run(call, errors)  # type: ignore[attr-defined]  # SessionState's, beside this mixin
        if ok:
            self.notice = self._t(notice_key, **params)  # type: ignore[attr-defined]
        return bool(ok)


def authorize_for_page(state: Any) -> tuple[Actor | None, Any]:
    """For a state shared by her space and a followed bilan's page: the permission of the page the tab is
    on (the registry says which), never the role the tab believes it has; the services then decide whose
    bilan it is (her own, or one the consultant follows)."""
    screen = routes.screen_of(state.router.url.path)
    permission = Permission(screen.opens) if screen is not None and not screen.is_public else Permission.FOLLOW_BILANS
    return state._authorize(permission)


Handler = TypeVar("Handler", bound=Callable[..., Any])


def guarded(check: Permission | Callable[[Any], tuple[Actor | None, Any]]) -> Callable[[Handler], Handler]:
    """The one way a handler authorises: the session is re-checked on the server for every event, with
    the permission (or the state's own check, e.g. "her own bilan") written here in the code, never taken
    from the page. The handler receives the actor after ``self``; when refused, the redirect (to the
    login page) is returned instead and the handler does not run. Put it under ``@rx.event``."""

    def resolve(state: Any) -> tuple[Actor | None, Any]:
        if isinstance(check, Permission):
            return state._authorize(check)
        return check(state)

    def decorate(handler: Handler) -> Handler:
        signature = inspect.signature(handler)
        self_parameter, _actor, *rest = signature.parameters.values()

        def begin(state: Any, cache: bool = True) -> tuple[Actor | None, Any, contextvars.Token[Any] | None]:
            token = None
            if cache and _RESOLVED.get() is None:
                info = auth.resolve_session(state.session_token, state._client())
                token = _RESOLVED.set((state.session_token, info))
            actor, redirect = resolve(state)
            return actor, redirect, token

        def end(token: contextvars.Token[Any] | None) -> None:
            if token is not None:
                _RESOLVED.reset(token)

        wrapper: Callable[..., Any]
        if inspect.isgeneratorfunction(handler):

            def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
                # No cached session across yields: the generator may resume in another context.
                actor, redirect, _ = begin(self, cache=False)
                if actor is None:
                    if redirect is not None:
                        yield redirect
                    return
                yield from handler(self, actor, *args, **kwargs)

        elif inspect.iscoroutinefunction(handler):

            async def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
                if isinstance(self, StateProxy):
                    # A background task: the check writes the page's verdict, which needs the state's lock.
                    async with self:
                        actor, redirect, _ = begin(self, cache=False)
                    return redirect if actor is None else await handler(self, actor, *args, **kwargs)
                actor, redirect, token = begin(self)
                try:
                    return redirect if actor is None else await handler(self, actor, *args, **kwargs)
                finally:
                    end(token)

        else:

            def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
                actor, redirect, token = begin(self)
                try:
                    return redirect if actor is None else handler(self, actor, *args, **kwargs)
                finally:
                    end(token)

        functools.update_wrapper(wrapper, handler)
        # Reflex reads a handler's parameters (the arguments the page sends): the actor is not one of them.
        wrapper.__signature__ = signature.replace(parameters=[self_parameter, *rest])  # type: ignore[attr-defined]
        wrapper.__annotations__ = {key: value for key, value in handler.__annotations__.items() if key != "actor"}
        del wrapper.__wrapped__  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
