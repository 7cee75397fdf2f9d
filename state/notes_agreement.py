"""The beneficiary's agreement that her new consultant reads earlier session notes (components/notes_agreement.py).

Shown in her space only after a reassignment left notes written by another consultant; the services
check that she is the bilan's beneficiary and record every decision in the bilan's history.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from services import notes_agreement
from services.access import Actor
from services.i18n import format_datetime
from services.notes_agreement import NotesAgreementView
from state.session import FormMixin, SessionState

STATUS_KEYS = {
    "granted": "space.notes_granted_on",
    "refused": "space.notes_refused_on",
    "withdrawn": "space.notes_withdrawn_on",
}


class NotesAgreementState(FormMixin, SessionState):
    notes_view: str = "loading"  # loading | none (nothing to decide) | ready
    notes_consultant: str = ""
    notes_former: str = ""
    notes_decision: str = ""  # "", granted, refused, withdrawn
    notes_status: str = ""

    def _bilan(self) -> tuple[Actor | None, str, Any]:
        """The session's actor and her current bilan's id."""
        actor, current, redirect = self._own_bilan()
        if actor is not None and current is None:
            self.notes_view = "none"
        return actor, current.bilan_id if current else "", redirect

    def _show(self, view: NotesAgreementView | None) -> None:
        if view is None:
            self.notes_view = "none"
            return
        self.notes_consultant = view.consultant_name
        self.notes_former = ", ".join(view.former_consultants) or self._t("space.notes_former_unknown")
        self.notes_decision = view.decision
        self.notes_status = (
            self._t(STATUS_KEYS[view.decision], date=format_datetime(view.decided_at, self.locale, "d MMMM y"))
            if view.decision in STATUS_KEYS
            else self._t("space.notes_not_decided")
        )
        self.notes_view = "ready"

    def _refresh(self, actor: Actor, bilan_id: str) -> None:
        ok, view = self._run(lambda: notes_agreement.notes_agreement(actor, bilan_id))
        if ok:
            self._show(view)

    def _decide(self, decide: Any, notice_key: str) -> Any:
        self._reset_messages()
        actor, bilan_id, redirect = self._bilan()
        if not bilan_id or actor is None:
            return redirect
        self._apply(lambda: decide(actor, bilan_id), notice_key)
        self._refresh(actor, bilan_id)
        return None

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        actor, bilan_id, redirect = self._bilan()
        if not bilan_id or actor is None:
            return redirect
        self._refresh(actor, bilan_id)
        return None

    @rx.event
    def agree(self) -> Any:
        return self._decide(
            lambda actor, bilan_id: notes_agreement.decide_notes_agreement(actor, bilan_id, agree=True),
            "space.notes_agreed_notice",
        )

    @rx.event
    def refuse(self) -> Any:
        return self._decide(
            lambda actor, bilan_id: notes_agreement.decide_notes_agreement(actor, bilan_id, agree=False),
            "space.notes_refused_notice",
        )

    @rx.event
    def withdraw(self) -> Any:
        return self._decide(notes_agreement.withdraw_notes_agreement, "space.notes_withdrawn_notice")
