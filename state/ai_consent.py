"""The beneficiary's consent to the AI assistant: a card of her space (components/ai_consent.py).

She gives, refuses or withdraws consent for her current bilan (and may change her mind); the services
check that she is its beneficiary and record every decision in the bilan's history. ``consent_line``
also serves the consultant's bilan page.
"""

from __future__ import annotations

import uuid
from typing import Any

import reflex as rx

from services.access import Actor
from services.errors import ServiceError
from services.i18n import format_datetime, translate
from services.llm import consent
from services.llm.consent import CONSENT_TEXT_VERSION, ConsentView
from state.session import FormMixin, SessionState


def consent_line(view: ConsentView, locale: str) -> str:
    """The decision and its date in one sentence: "Accord donné le 3 mars 2026." or "Pas encore de choix…"."""
    if not view.status:
        return translate("ai.consent_card.not_asked", locale)
    key = {
        "given": "ai.consent_card.given_on",
        "refused": "ai.consent_card.refused_on",
    }.get(view.status, "ai.consent_card.withdrawn_on")
    return translate(key, locale, date=format_datetime(view.decided_at, locale, "d MMMM y"))


def follower_consent_line(actor: Actor, bilan_id: uuid.UUID | str, locale: str) -> str:
    """The consent as the bilan's consultant sees it ("" when the service does not show it to them)."""
    try:
        return consent_line(consent.get_consent(actor, bilan_id), locale)
    except ServiceError:
        return ""


class AiConsentState(FormMixin, SessionState):
    consent_view: str = "loading"  # loading | none (no bilan to decide for) | ready
    consent_given: bool = False
    consent_status: str = ""  # "given", "withdrawn", "refused" or "" (never asked)
    consent_summary: str = ""
    # The older text version she agreed to ("" when her consent, if any, is on the current text).
    consent_outdated: str = ""
    consent_recipient: str = ""  # the provider's host; "" when no external AI is in use
    consent_bilan_open: bool = False
    consent_version: str = CONSENT_TEXT_VERSION

    def _bilan(self) -> tuple[Actor | None, str, Any]:
        """The session's actor and her current bilan's id."""
        actor, current, redirect = self._own_bilan()
        if actor is None:
            return None, "", redirect
        if current is None:
            self.consent_view = "none"
            return actor, "", None
        self.consent_bilan_open = current.bilan_open
        return actor, current.bilan_id, None

    def _show(self, view: ConsentView) -> None:
        self.consent_given = view.given
        self.consent_status = view.status
        self.consent_summary = consent_line(view, self.locale)
        outdated = view.given and view.text_version != view.current_text_version
        self.consent_outdated = view.text_version if outdated else ""
        self.consent_recipient = view.recipient
        self.consent_view = "ready"

    def _decide(self, decide: Any, notice_key: str) -> Any:
        self._reset_messages()
        actor, bilan_id, redirect = self._bilan()
        if not bilan_id:
            return redirect
        ok, view = self._run(lambda: decide(actor, bilan_id))
        if ok:
            self._show(view)
            self.notice = self._t(notice_key)
        return None

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        actor, bilan_id, redirect = self._bilan()
        if not bilan_id:
            return redirect
        ok, view = self._run(lambda: consent.get_consent(actor, bilan_id))
        if ok:
            self._show(view)
        return None

    @rx.event
    def give(self) -> Any:
        return self._decide(consent.give_consent, "ai.consent_card.given_notice")

    @rx.event
    def withdraw(self) -> Any:
        return self._decide(consent.withdraw_consent, "ai.consent_card.withdrawn_notice")

    @rx.event
    def refuse(self) -> Any:
        return self._decide(consent.refuse_consent, "ai.consent_card.refused_notice")
