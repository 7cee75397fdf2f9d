"""Organisation administration: members and invitations, the audit log, organisation settings."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import reflex as rx

from services import members, routes
from services.access import INVITABLE_ROLES, Actor, Permission
from services.audit import AuditFilter
from services.audit_text import AuditLine, audit_log
from services.calendar import visio
from services.display.members import (
    InvitationTableRow,
    MemberTableRow,
    OrganisationProfileRow,
    invitation_rows,
    member_table_rows,
    organisation_profile_row,
)
from services.forms import parse_day
from services.i18n import TIMEZONE
from services.settings import get_settings
from state.session import FormMixin, SessionState, guarded

AUDIT_PAGE_SIZE = 50


class InviteMixin(FormMixin, mixin=True):
    """The invitation form, shared by the admin's users page and the consultant's home."""

    def _after_invite(self) -> None:
        """Reload the page's lists."""

    @rx.event
    @guarded(Permission.INVITE_MEMBERS)
    def invite(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        raw = {"email": str(form_data.get("email", "")), "role": str(form_data.get("role", "beneficiary"))}
        ok, invitation = self._run(lambda: members.invite(actor, raw), self.errors)  # type: ignore[attr-defined]
        if ok:
            self.notice = self._t("invite.sent", email=invitation.email)  # type: ignore[attr-defined]
            self._after_invite()
            return rx.set_value("field-email", "")
        return None

    @rx.event
    @guarded(Permission.INVITE_MEMBERS)
    def resend(self, actor: Actor, invitation_id: str) -> Any:
        self._reset_messages()
        ok, _ = self._run(lambda: members.resend_invitation(actor, invitation_id))  # type: ignore[attr-defined]
        if ok:
            self.notice = self._t("admin.resent")  # type: ignore[attr-defined]
            self._after_invite()
        return None


class UsersState(InviteMixin, SessionState):
    member_rows: list[MemberTableRow] = []
    pending_rows: list[InvitationTableRow] = []
    invitable_roles: list[str] = []

    def _after_invite(self) -> None:
        self._reload()

    def _reload(self) -> None:
        actor, _ = self._authorize(Permission.MANAGE_MEMBERS)
        if actor is None:
            return
        rows, pending = members.list_members(actor)
        self.member_rows = member_table_rows(rows, str(actor.user_id), self.locale)
        self.pending_rows = invitation_rows(pending, self.locale)
        self.invitable_roles = sorted(str(role) for role in INVITABLE_ROLES.get(actor.role, frozenset()))

    @rx.event
    @guarded(Permission.MANAGE_MEMBERS)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self._reload()
        return None

    @rx.event
    @guarded(Permission.MANAGE_MEMBERS)
    def change_role(self, actor: Actor, membership_id: str, role: str) -> Any:
        self._reset_messages()
        self._apply(lambda: members.change_role(actor, membership_id, role), "admin.org_saved")
        self._reload()
        return None

    @rx.event
    @guarded(Permission.MANAGE_MEMBERS)
    def set_active(self, actor: Actor, membership_id: str, active: bool) -> Any:
        self._reset_messages()
        self._apply(lambda: members.set_member_active(actor, membership_id, active), "admin.org_saved")
        self._reload()
        return None


def _parse_day(value: str) -> datetime | None:
    """The start of a filter's day; ValueError for a non-date or a year out of range (9999 would overflow)."""
    day = parse_day(value)
    return datetime.combine(day, time.min, tzinfo=TIMEZONE) if day else None


class AuditState(FormMixin, SessionState):
    events: list[AuditLine] = []
    total: int = 0
    page: int = 0
    filter_action: str = ""
    filter_actor: str = ""
    filter_since: str = ""
    filter_until: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // AUDIT_PAGE_SIZE))

    @rx.var
    def count_label(self) -> str:
        return self._t("admin.audit_count", count=self.total)

    def _reload(self) -> Any:
        actor, redirect = self._authorize(Permission.VIEW_AUDIT_LOG)
        if actor is None:
            return redirect
        try:
            since, until = _parse_day(self.filter_since), _parse_day(self.filter_until)
        except ValueError:
            self.form_error = self._t("error.date_out_of_range")
            since = until = None
        else:
            self.form_error = ""
        filters = AuditFilter(
            action_prefix=self.filter_action,
            actor_text=self.filter_actor.strip(),
            since=since,
            until=until + timedelta(days=1) if until else None,
        )
        self.events, self.total = audit_log(
            actor, filters, self.locale, limit=AUDIT_PAGE_SIZE, offset=self.page * AUDIT_PAGE_SIZE
        )
        return None

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        self.page = 0
        return self._reload()

    @rx.event
    def apply_filters(self, form_data: dict[str, Any]) -> Any:
        self.filter_action = str(form_data.get("action", ""))
        self.filter_actor = str(form_data.get("actor", ""))
        self.filter_since = str(form_data.get("since", ""))
        self.filter_until = str(form_data.get("until", ""))
        self.page = 0
        return self._reload()

    @rx.event
    def reset_filters(self) -> Any:
        self.filter_action = self.filter_actor = self.filter_since = self.filter_until = ""
        self.page = 0
        return self._reload()

    @rx.event
    def next_page(self) -> Any:
        if self.page + 1 < self.page_count:
            self.page += 1
        return self._reload()

    @rx.event
    def previous_page(self) -> Any:
        self.page = max(0, self.page - 1)
        return self._reload()


class OrganisationSettingsState(FormMixin, SessionState):
    siret: str = ""
    nda_number: str = ""
    plan: str = ""
    require_2fa: bool = False
    profile: OrganisationProfileRow | None = None
    modes: list[str] = []
    preliminary_before_convention: bool = False
    public_page_url: str = ""
    # Bumped on every load so the uncontrolled form remounts with the stored values.
    profile_version: int = 0
    # Remote sessions (services.calendar.visio).
    video_provider: str = "link"
    jitsi_domain: str = ""
    jitsi_embedded: bool = True

    def _load_video(self, actor: Actor) -> None:
        video = visio.video_settings(actor)
        self.video_provider, self.jitsi_domain, self.jitsi_embedded = (
            video.provider,
            video.jitsi_domain,
            video.embedded,
        )

    @rx.event
    @guarded(Permission.MANAGE_ORGANISATION)
    def save_video(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        raw = {name: str(form_data.get(name, "")) for name in ("video_provider", "jitsi_domain", "jitsi_embedded")}
        if self._apply(lambda: visio.save_video_settings(actor, raw), "visio.saved", self.errors):
            self._load_video(actor)
            self.profile_version += 1
        return None

    def _load_profile(self, actor: Actor) -> None:
        values = members.get_organisation_profile(actor)
        self.modes = str(values["modes"]).split(",") if values["modes"] else []
        self.preliminary_before_convention = bool(values["preliminary_interview_before_convention"])
        self.profile = organisation_profile_row(values)
        self.profile_version += 1

    @rx.event
    @guarded(Permission.MANAGE_ORGANISATION)
    def save_profile(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        raw: dict[str, Any] = {name: str(form_data.get(name, "")) for name in members.PROFILE_FIELDS}
        raw["modes"] = [mode for mode in ("presentiel", "distanciel", "hybride") if form_data.get(f"mode_{mode}")]
        raw["preliminary_interview_before_convention"] = bool(form_data.get("preliminary_interview_before_convention"))
        if self._apply(lambda: members.update_organisation_profile(actor, raw), "admin.org_saved", self.errors):
            self._load_profile(actor)
        return None

    @rx.event
    @guarded(Permission.MANAGE_ORGANISATION)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        view = members.get_organisation(actor)
        self.siret, self.nda_number, self.plan, self.require_2fa = (
            view.siret,
            view.nda_number,
            view.plan,
            view.require_2fa,
        )
        self.public_page_url = get_settings().public_url.rstrip("/") + routes.public_organisation(view.slug)
        # The form shows what is stored (it was left empty here, and saving it erased the public page).
        self._load_profile(actor)
        self._load_video(actor)
        return None

    @rx.event
    @guarded(Permission.MANAGE_ORGANISATION)
    def set_require_2fa(self, actor: Actor, required: bool) -> Any:
        self._reset_messages()
        ok, _ = self._run(lambda: members.set_require_2fa(actor, required))
        if ok:
            self.require_2fa = required
            self.notice = self._t("admin.org_saved")
        return None
