"""The role homes: the beneficiary's space and the consultant's dashboard."""

from __future__ import annotations

from typing import Any

import reflex as rx

from services import members
from services.access import Permission
from state.admin import InviteMixin, invitation_rows
from state.session import SessionState


class ConsultantHomeState(InviteMixin, SessionState):
    invited_rows: list[dict[str, str]] = []

    def _after_invite(self) -> None:
        self._reload()

    def _reload(self) -> None:
        actor, _ = self._authorize(Permission.VIEW_CONSULTANT_DASHBOARD)
        if actor is not None:
            self.invited_rows = invitation_rows(members.list_sent_invitations(actor), self.locale)

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        actor, redirect = self._authorize(Permission.VIEW_CONSULTANT_DASHBOARD)
        if actor is None:
            return redirect
        self._reload()
        return None
