"""The platform operator's screens: organisations and the development outbox."""

from __future__ import annotations

from typing import Any

import reflex as rx

from services import mail, members, queue
from services.access import Actor, Permission
from services.display.platform import (
    DeadLetterRow,
    OrganisationRow,
    OutboxRow,
    dead_letter_rows,
    organisation_rows,
    outbox_rows,
)
from services.settings import get_settings
from state.session import FormMixin, SessionState, guarded


class PlatformState(FormMixin, SessionState):
    organisations: list[OrganisationRow] = []
    outbox: list[OutboxRow] = []
    smtp_configured: bool = False
    queue_enabled: bool = False  # PostgreSQL: procrastinate's dead letters exist
    dead_letters: list[DeadLetterRow] = []
    discard_target: str = ""  # the job the confirmation dialog is about

    @rx.event
    @guarded(Permission.VIEW_ORGANISATIONS)
    def load_organisations(self, actor: Actor) -> Any:
        self._reset_messages()
        self.organisations = organisation_rows(members.list_organisations(actor), self.locale)
        return None

    def _load_outbox(self, actor: Actor) -> None:
        self.smtp_configured = bool(get_settings().smtp_url)
        self.outbox = outbox_rows(mail.outbox(actor), self.locale)
        self.queue_enabled = queue.uses_worker()
        self.dead_letters = dead_letter_rows(queue.list_dead_letters(actor), self.locale)

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

    @rx.event
    @guarded(Permission.READ_DEV_OUTBOX)
    def retry_dead_letter(self, actor: Actor, job_id: str) -> Any:
        self._reset_messages()
        if job_id.isdigit():
            self._apply(lambda: queue.retry_dead_letter(actor, int(job_id)), "platform.dead_retried", id=job_id)
        self._load_outbox(actor)
        return None

    @rx.event
    @guarded(Permission.READ_DEV_OUTBOX)
    def ask_discard(self, actor: Actor, job_id: str) -> None:
        self.discard_target = job_id

    @rx.event
    def cancel_discard(self) -> None:
        self.discard_target = ""

    @rx.event
    @guarded(Permission.READ_DEV_OUTBOX)
    def confirm_discard(self, actor: Actor) -> Any:
        self._reset_messages()
        job_id, self.discard_target = self.discard_target, ""
        if job_id.isdigit():
            self._apply(lambda: queue.discard_dead_letter(actor, int(job_id)), "platform.dead_discarded", id=job_id)
        self._load_outbox(actor)
        return None

    @rx.var
    def discard_job(self) -> str:
        return next((row["job"] for row in self.dead_letters if row["id"] == self.discard_target), "")
