"""The user's own security page: two-factor authentication, active sessions, password change."""

from __future__ import annotations

from typing import Any

import reflex as rx

from services import auth, members
from services.access import Actor, Permission
from services.display.account import DeviceSessionRow, device_session_rows
from state.session import FormMixin, SessionState, guarded


class SecurityState(FormMixin, SessionState):
    two_factor_enabled: bool = False
    recovery_codes_left: int = 0
    enrolling: bool = False
    qr_data_uri: str = ""
    totp_secret: str = ""
    new_recovery_codes: list[str] = []
    sessions: list[DeviceSessionRow] = []

    def _refresh(self) -> None:
        info = self._current(fresh=True)  # after an enrolment or a password change in this very event
        if info is None:
            return
        self.two_factor_enabled = info.two_factor_enabled
        self.recovery_codes_left = auth.remaining_recovery_codes(info.actor) if info.two_factor_enabled else 0
        self.sessions = device_session_rows(auth.list_sessions(info.actor), info.actor.session_id, self.locale)

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self.enrolling = False
        self.qr_data_uri = self.totp_secret = ""
        self.new_recovery_codes = []
        self._refresh()
        return None

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def start_enrolment(self, actor: Actor) -> Any:
        self._reset_messages()
        ok, enrolment = self._run(lambda: auth.begin_totp_enrolment(actor))
        if ok:
            self.enrolling = True
            self.qr_data_uri = enrolment.qr_svg_data_uri
            self.totp_secret = enrolment.secret
            return rx.set_focus("field-code")
        return None

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def confirm_enrolment(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        code = str(form_data.get("code", ""))
        ok, codes = self._run(lambda: auth.confirm_totp_enrolment(actor, code), self.errors)
        if ok:
            self.enrolling = False
            self.qr_data_uri = self.totp_secret = ""
            self.new_recovery_codes = codes
            self._refresh()
        return None

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def disable(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        password = str(form_data.get("password", ""))
        ok, _ = self._run(lambda: auth.disable_totp(actor, password), self.errors)
        if ok:
            self.new_recovery_codes = []
            self._refresh()
        return None

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def revoke(self, actor: Actor, session_id: str) -> Any:
        self._reset_messages()
        if self._apply(lambda: auth.revoke_session(actor, session_id), "security.revoked"):
            self._refresh()
        return None

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def revoke_others(self, actor: Actor) -> Any:
        self._reset_messages()
        auth.revoke_other_sessions(actor)
        self.notice = self._t("security.revoked")
        self._refresh()
        return None

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def change_password(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        current = str(form_data.get("current_password", ""))
        new = str(form_data.get("new_password", ""))
        if self._apply(lambda: auth.change_password(actor, current, new), "security.password_changed", self.errors):
            self._refresh()
        return None


class ConsultantProfileState(FormMixin, SessionState):
    """The consultant's directory profile, edited on the account page."""

    profile: dict[str, str] = {}
    profile_version: int = 0

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        if str(actor.role) == "consultant":
            self.profile = members.get_consultant_profile(actor)
            self.profile_version += 1
        return None

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def save(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        raw = {name: str(form_data.get(name, "")) for name in members.CONSULTANT_PROFILE_FIELDS}
        if self._apply(lambda: members.update_consultant_profile(actor, raw), "profile.saved", self.errors):
            self.profile = members.get_consultant_profile(actor)
        return None
