"""The platform operator's screens: organisations and the development outbox."""

from __future__ import annotations

from typing import Any

import reflex as rx

from services import mail, members
from services.access import Actor, Permission
from services.display.platform import OrganisationRow, OutboxRow, organisation_rows, outbox_rows
from services.settings import get_settings
from state.session import FormMixin, SessionState, guarded


class PlatformState(FormMixin, SessionState):
    organisations: list[OrganisationRow] = []
    outbox: list[OutboxRow] = []
    smtp_configured: bool = False

    @rx.event
    @guarded(Permission.VIEW_ORGANISATIONS)
    def load_organisations(self, actor: Actor) -> Any:
        self._reset_messages()
        self.organisations = organisation_rows(members.list_organisations(actor), self.locale)
        return None

    def _load_outbox(self, actor: Actor) -> None:
        self.smtp_configured = bool(get_settings().smtp_url)
        self.outbox = outbox_rows(mail.outbox(actor), self.locale)

    @rx.event
    @guarded(Permission.READ_DEV_OUTBOX)
    def load_outbox(self, actor: Actor) -> None:
        self._reset_messages()
        self._load_outbox(actor)

    @rx.event
    @guarded(Permission.READ_DEV_OUTBOX)
    def retry_failed(self, actor: Actor) -> Any:
        self._reset_messages()
        count = mail.retry_failed(actor)
        self.notice = self._t("platform.retried", count=count)
        self._load_outbox(actor)
        return None
