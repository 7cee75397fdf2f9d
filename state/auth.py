"""Login (with the 2FA step), organisation sign-up, password reset and invitation acceptance."""

from __future__ import annotations

from typing import Any

import reflex as rx

from services import auth, members
from services.auth import LoginSuccess, TwoFactorChallenge
from state.session import FormMixin, SessionState


class _LoggingInMixin(FormMixin, mixin=True):
    def _finish_login(self, success: LoginSuccess) -> Any:
        self.session_token = success.token  # type: ignore[attr-defined]
        self.locale = success.locale  # type: ignore[attr-defined]
        return rx.redirect(success.home_route)


class LoginState(_LoggingInMixin, SessionState):
    step: str = "password"
    _challenge: TwoFactorChallenge | None = None

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        self.step = "password"
        self._challenge = None
        if self._current() is not None:
            return rx.redirect(self.home_route)
        return None

    @rx.event
    def submit_password(self, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        raw = {"email": str(form_data.get("email", "")), "password": str(form_data.get("password", ""))}
        ok, result = self._run(lambda: auth.login(raw, self._client()), self.errors)
        if not ok:
            return None
        if isinstance(result, TwoFactorChallenge):
            self._challenge = result
            self.step = "code"
            return rx.set_focus("field-code")
        return self._finish_login(result)

    @rx.event
    def submit_code(self, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        challenge = self._challenge
        if challenge is None:
            self.step = "password"
            self.form_error = self._t("error.2fa_challenge_expired")
            return None
        code = str(form_data.get("code", ""))
        ok, result = self._run(lambda: auth.complete_two_factor(challenge, code, self._client()), self.errors)
        if not ok:
            if self.form_error == self._t("error.2fa_challenge_expired"):
                self.step = "password"
                self._challenge = None
            return None
        self._challenge = None
        return self._finish_login(result)

    @rx.event
    def cancel_code(self) -> None:
        self._reset_messages()
        self._challenge = None
        self.step = "password"


class SignupState(_LoggingInMixin, SessionState):
    @rx.event
    def load(self) -> None:
        self._reset_messages()

    @rx.event
    def submit(self, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        raw = {key: str(value) for key, value in form_data.items()}
        ok, result = self._run(lambda: members.signup_organisation(raw, self._client()), self.errors)
        return self._finish_login(result) if ok else None


class ForgotPasswordState(FormMixin, SessionState):
    sent: bool = False

    @rx.event
    def load(self) -> None:
        self._reset_messages()
        self.sent = False

    @rx.event
    def submit(self, form_data: dict[str, Any]) -> None:
        self._reset_messages()
        raw = {"email": str(form_data.get("email", ""))}
        ok, _ = self._run(lambda: auth.request_password_reset(raw, self._client(), self.locale), self.errors)
        if ok:
            self.sent = True
            self.notice = self._t("forgot.sent")


class ResetPasswordState(FormMixin, SessionState):
    link_status: str = "checking"  # checking | valid | invalid | done
    link_problem: str = ""

    @rx.event
    def load(self) -> None:
        self._reset_messages()
        self.link_problem = ""
        token = self._route_param("token")
        ok, _ = self._run(lambda: auth.check_reset_token(token))
        self.link_status = "valid" if ok else "invalid"
        if not ok:
            self.link_problem, self.form_error = self.form_error, ""

    @rx.event
    def submit(self, form_data: dict[str, Any]) -> None:
        self._reset_messages()
        token = self._route_param("token")
        raw = {"password": str(form_data.get("password", ""))}
        ok, _ = self._run(lambda: auth.reset_password(token, raw, self._client()), self.errors)
        if ok:
            self.link_status = "done"
            self.notice = self._t("reset.done")


class InvitationState(_LoggingInMixin, SessionState):
    invitation_status: str = "checking"  # checking | valid | expired | used | unknown | renewed
    invited_organisation: str = ""
    invited_email: str = ""
    invited_role: str = ""
    existing_account: bool = False
    existing_account_2fa: bool = False

    @rx.event
    def load(self) -> None:
        self._reset_messages()
        view = members.describe_invitation(self._route_param("token"))
        self.invitation_status = view.status
        self.invited_organisation = view.organisation_name
        self.invited_email = view.email
        self.invited_role = view.role
        self.existing_account = view.existing_account
        self.existing_account_2fa = view.existing_account_2fa

    @rx.var
    def invited_role_label(self) -> str:
        return self._t(f"role.{self.invited_role}") if self.invited_role else ""

    @rx.event
    def submit(self, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        token = self._route_param("token")
        raw = {key: str(value) for key, value in form_data.items()}
        ok, result = self._run(lambda: members.accept_invitation(token, raw, self._client()), self.errors)
        return self._finish_login(result) if ok else None

    @rx.event
    def ask_new_link(self) -> None:
        self._reset_messages()
        token = self._route_param("token")
        ok, _ = self._run(lambda: members.renew_expired_invitation(token, self._client()))
        if ok:
            self.invitation_status = "renewed"
            self.notice = self._t("invitation.renewed")
