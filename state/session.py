"""The session: who is logged in, the language, and the guard every handler goes through."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import reflex as rx

from services import auth, bilans, routes
from services.access import HOME_ROUTES, Actor, Permission, can
from services.auth import ClientInfo, SessionInfo
from services.errors import FormError, RateLimited, ServiceError
from services.i18n import MESSAGES, normalise_locale, translate
from services.settings import get_settings

log = logging.getLogger("bilan.state")
SESSION_COOKIE_MAX_AGE = get_settings().session_ttl_hours * 3600


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
    # The route the guard last allowed or refused, so a page never shows another page's verdict.
    authorized_route: str = ""
    denied_route: str = ""

    @rx.var
    def messages(self) -> dict[str, str]:
        return MESSAGES[normalise_locale(self.locale)]

    @rx.var
    def home_route(self) -> str:
        try:
            from services.models import Role

            return HOME_ROUTES[Role(self.role)]
        except ValueError:
            return routes.LOGIN

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

    def _current(self) -> SessionInfo | None:
        info = auth.resolve_session(self.session_token, self._client())
        if info is None:
            self._clear_user()
        else:
            self.user_name = info.user_name
            self.user_email = info.email
            self.role = str(info.actor.role)
            self.organisation_name = info.organisation_name
            self.must_enrol_2fa = info.must_enrol_2fa
        return info

    def _clear_user(self) -> None:
        self.user_name = self.user_email = self.role = self.organisation_name = ""
        self.must_enrol_2fa = False

    def _authorize(self, permission: Permission | None = None) -> tuple[Actor | None, Any]:
        """Re-check the session. Returns (actor, None) or (None, the event to return)."""
        path = routes.template_of(self.router.url.path)
        self.authorized_route = self.denied_route = ""
        info = self._current()
        if info is None:
            self.session_token = ""
            return None, rx.redirect(routes.LOGIN)
        if info.must_enrol_2fa and path != routes.ACCOUNT_SECURITY:
            return None, rx.redirect(routes.ACCOUNT_SECURITY)
        if permission is not None and not can(info.actor, permission):
            self.denied_route = path
            return None, None
        self.authorized_route = path
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

    @rx.event
    def guard(self, permission: str) -> Any:
        """on_load guard for pages whose only data is the session itself."""
        _, redirect = self._authorize(Permission(permission) if permission else None)
        return redirect


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
