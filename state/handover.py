"""The beneficiary's handed-over synthèse: her download link, the recipients she agreed to, her retention
choice (components/handover.py). Her bilan is re-read from the session on every event."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from services import routes
from services.access import Actor, Permission
from services.display.synthese import HandoverRow, ShareRow, handover_rows, retention_line, share_rows
from services.errors import AccessDenied, NotFound, ServiceError
from services.i18n import format_datetime, format_number
from services.models import RetentionOption, ShareRecipientKind
from services.synthese import handover, handover_label
from state.session import FormMixin, SessionState, guarded

RECIPIENT_KINDS = [kind.value for kind in ShareRecipientKind]
RETENTION_OPTIONS = [option.value for option in RetentionOption]


class HandoverState(FormMixin, SessionState):
    handover_view: str = "loading"  # loading | none (no bilan) | pending (not handed over) | ready
    handed_over_on: str = ""
    version_text: str = ""  # which version she has, and when it was handed over
    history: list[HandoverRow] = []  # every handover, newest first
    shares_note: str = ""  # some agreement sends an earlier version than the one she has
    download_path: str = ""
    shares: list[ShareRow] = []
    share_values: dict[str, str] = {"recipient_kind": "employeur", "recipient_name": "", "recipient_email": ""}
    retention_option: str = ""
    retention_text: str = ""

    def _bilan(self) -> tuple[Actor | None, str, Any]:
        actor, current, redirect = self._own_bilan()
        if actor is not None and current is None:
            self.handover_view = "none"
        return actor, current.bilan_id if current else "", redirect

    def _refresh(self, actor: Actor, bilan_id: str) -> None:
        ok, retention = self._run(lambda: handover.get_retention(actor, bilan_id))
        if ok:
            self.retention_option, self.retention_text = retention.option, retention_line(retention, self.locale)
        ok, link = self._run_quiet(lambda: handover.synthese_link(actor, bilan_id))
        if not ok:
            self.handover_view, self.download_path, self.shares = "pending", "", []
            return
        self.download_path = link.path
        self.handed_over_on = format_datetime(link.handed_over_at, self.locale)
        latest = handover_label(link.latest.synthese_version, link.latest.number, self.locale)
        self.version_text = self._t("handover.ready_version", document=latest, date=self.handed_over_on)
        self.history = handover_rows(link.history, self.locale)
        ok, shares = self._run(lambda: handover.list_shares(actor, bilan_id))
        self.shares = share_rows(shares or [], self.locale)
        older = any(share.active and share.handover_number != link.latest.number for share in shares or [])
        self.shares_note = self._t("handover.shares_older", document=latest) if older else ""
        self.handover_view = "ready"

    def _run_quiet(self, call: Any) -> tuple[bool, Any]:
        """A call whose NotFound only means "not handed over yet" (no message)."""
        try:
            return True, call()
        except (NotFound, AccessDenied):
            return False, None

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        actor, bilan_id, redirect = self._bilan()
        if not bilan_id:
            return redirect
        self._refresh(actor, bilan_id)
        return None

    @rx.event
    def renew_link(self) -> Any:
        """A fresh link just before she clicks (focus or pointer): the one of the page load may have expired."""
        actor, bilan_id, redirect = self._bilan()
        if not bilan_id:
            return redirect
        ok, link = self._run_quiet(lambda: handover.synthese_link(actor, bilan_id))
        if ok:
            self.download_path = link.path
        return None

    @rx.event
    def set_share_value(self, name: str, value: str) -> None:
        self.share_values = {**self.share_values, name: value[:254]}

    @rx.event
    def share(self, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        actor, bilan_id, redirect = self._bilan()
        if not bilan_id:
            return redirect
        raw = {**self.share_values, "consent": bool(form_data.get("consent"))}
        errors: dict[str, str] = {}
        ok, view = self._run(lambda: handover.share_synthese(actor, bilan_id, raw, self.locale), errors)
        self.errors = errors
        if ok:
            self.notice = self._t("handover.shared_notice", email=view.recipient_email)
            self.share_values = {"recipient_kind": "employeur", "recipient_name": "", "recipient_email": ""}
        self._refresh(actor, bilan_id)
        return None

    @rx.event
    def revoke(self, share_id: str) -> Any:
        self._reset_messages()
        actor, bilan_id, redirect = self._bilan()
        if not bilan_id:
            return redirect
        self._apply(lambda: handover.revoke_share(actor, share_id), "handover.revoked_notice")
        self._refresh(actor, bilan_id)
        return None

    @rx.event
    def save_retention(self, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        actor, bilan_id, redirect = self._bilan()
        if not bilan_id:
            return redirect
        option = str(form_data.get("option", ""))
        consent = bool(form_data.get("written_consent"))
        errors: dict[str, str] = {}
        ok, _ = self._run(lambda: handover.set_retention(actor, bilan_id, option, written_consent=consent), errors)
        self.errors = errors
        if ok:
            self.notice = self._t("handover.retention_saved")
        self._refresh(actor, bilan_id)
        if not ok:
            self.retention_option = option  # what she picked stays picked
        return None


class HandoverFollowerState(FormMixin, SessionState):
    """The consultant's side on the synthèse page: hand the validated version over, then the evidence."""

    handover_loaded: bool = False
    handed_over_line: str = ""
    beneficiary_first_name: str = ""
    pending_version: int = 0  # a validated version newer than every one handed over (0: none)
    handover_history: list[HandoverRow] = []
    follower_shares: list[ShareRow] = []
    follower_retention: str = ""
    rendering: bool = False
    own_copy_path: str = ""

    def _bilan_id(self) -> str:
        return self._route_param("bilan_id")

    def _show(self, actor: Actor) -> None:
        bilan_id = self._bilan_id()
        ok, status = self._run(lambda: handover.handover_status(actor, bilan_id))
        if not ok:
            return
        self.handed_over_line = (
            self._t("handover.handed_over_on", date=format_datetime(status.handed_over_at, self.locale))
            if status.handed_over_at
            else self._t("handover.not_handed_over")
        )
        self.own_copy_path = routes.bilan_document(bilan_id, "synthese") if status.handed_over_at else ""
        self.beneficiary_first_name = status.beneficiary_first_name
        self.pending_version = status.pending_version or 0
        self.handover_history = handover_rows(status.history, self.locale, evidence=True)
        self.follower_shares = share_rows(status.shares, self.locale)
        self.follower_retention = retention_line(status.retention, self.locale, status.beneficiary_first_name or "—")
        self.handover_loaded = True

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self._show(actor)
        return None

    @rx.event(background=True)
    @guarded(Permission.FOLLOW_BILANS)
    async def hand_over(self, actor: Actor) -> Any:
        async with self:
            self._reset_messages()
            if self.rendering:
                return None
            self.rendering = True
            bilan_id = self._bilan_id()
        try:
            result = await asyncio.to_thread(handover.hand_over_synthese, actor, bilan_id)
        except ServiceError as exc:
            async with self:
                self.rendering = False
                self.form_error = self._t(exc.code, **exc.params)
            return None
        async with self:
            self.rendering = False
            size = format_number(round(result.size_bytes / 1024), self.locale)
            self.notice = self._t("handover.done", filename=result.filename, size=size, version=result.version)
            self._show(actor)
        return None
