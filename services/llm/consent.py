"""The beneficiary's consent to sending (pseudonymised) data of their bilan to an external AI provider.

Who may do what:

* the bilan's beneficiary gives, withdraws or refuses consent (``give_consent``, ``withdraw_consent``,
  ``refuse_consent``). A refusal is never a fault (Code du travail, L6313-4: the bilan needs her free
  consent): the local engine serves, and she may change her mind later, either way;
* the beneficiary and the bilan's followers read it (``get_consent``);
* without a consent in force, only the local engine runs (``consent_in_force``, used by ``run``).

Each decision is audited on the bilan (its history shows who decided, when, and the text version).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlmodel import Session, select

from services.access import Actor
from services.bilans import get_bilan, is_follower, record_on_bilan, require_beneficiary, require_open
from services.db import session_scope
from services.llm.actions import AiAction
from services.llm.budget import monthly_budget
from services.llm.provider import resolve_config
from services.models import AiConsent, Bilan, ConsentStatus
from services.models.base import utcnow

# The version of the consent text the beneficiary reads (services/locales/llm.py "llm.consent.text").
# Change it, and the text, together: a consent given to an older version stays recorded as such.
CONSENT_TEXT_VERSION = "2026-1"
SDK_DEFAULT_HOST = "api.openai.com"  # where the SDK goes when no base URL is set


@dataclass(frozen=True)
class ConsentView:
    bilan_id: str
    given: bool
    status: str  # "given", "withdrawn", "refused" or "" (never asked)
    text_version: str
    decided_at: datetime | None
    current_text_version: str = CONSENT_TEXT_VERSION
    # Where pseudonymised data would go now: the provider's host name, or "" when only the local engine
    # runs for the organisation (no LLM configured, or a budget of 0). The beneficiary reads it.
    recipient: str = ""


def _row(session: Session, bilan: Bilan) -> AiConsent | None:
    return session.exec(
        select(AiConsent).where(AiConsent.organisation_id == bilan.organisation_id, AiConsent.bilan_id == bilan.id)
    ).first()


def consent_in_force(session: Session, bilan: Bilan) -> bool:
    """True when the bilan's beneficiary has given consent and not withdrawn it."""
    row = _row(session, bilan)
    return row is not None and row.status is ConsentStatus.GIVEN and row.beneficiary_id == bilan.beneficiary_id


def _recipient(session: Session, bilan: Bilan) -> str:
    config = resolve_config(session, bilan.organisation_id)
    if config is None or monthly_budget(session, bilan.organisation_id)[0] <= 0:
        return ""
    if not config.base_url:
        return SDK_DEFAULT_HOST
    # The host only: never a path, a port or credentials that a base URL might hold.
    return urlsplit(config.base_url).hostname or ""


def _view(session: Session, bilan: Bilan, row: AiConsent | None) -> ConsentView:
    recipient = _recipient(session, bilan)
    if row is None:
        return ConsentView(str(bilan.id), False, "", "", None, recipient=recipient)
    return ConsentView(
        str(bilan.id),
        row.status is ConsentStatus.GIVEN,
        str(row.status),
        row.text_version,
        row.decided_at,
        recipient=recipient,
    )


def get_consent(actor: Actor, bilan_id: uuid.UUID | str) -> ConsentView:
    """The consent of a bilan: its beneficiary or a follower."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if not is_follower(actor, bilan):
            require_beneficiary(actor, bilan)
        return _view(session, bilan, _row(session, bilan))


_ACTIONS = {
    ConsentStatus.GIVEN: AiAction.CONSENT_GIVEN,
    ConsentStatus.WITHDRAWN: AiAction.CONSENT_WITHDRAWN,
    ConsentStatus.REFUSED: AiAction.CONSENT_REFUSED,
}


def _decide(actor: Actor, bilan_id: uuid.UUID | str, status: ConsentStatus, text_version: str) -> ConsentView:
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        if status is ConsentStatus.GIVEN:
            require_open(bilan)
        row = _row(session, bilan)
        before = str(row.status) if row is not None else None
        now = utcnow()
        if row is None:
            row = AiConsent(
                organisation_id=bilan.organisation_id,
                bilan_id=bilan.id,
                beneficiary_id=bilan.beneficiary_id,
                status=status,
                text_version=text_version,
                decided_by=actor.user_id,
            )
        row.status = status
        row.text_version = text_version
        row.decided_by = actor.user_id
        row.decided_at = now
        if status is ConsentStatus.GIVEN:
            row.given_at = now
        else:
            row.withdrawn_at = now
        session.add(row)
        record_on_bilan(
            session,
            actor,
            bilan,
            _ACTIONS[status],
            ai_consent={"before": before, "after": str(status)},
            text_version={"before": None, "after": text_version},
        )
        return _view(session, bilan, row)


def give_consent(actor: Actor, bilan_id: uuid.UUID | str, text_version: str = CONSENT_TEXT_VERSION) -> ConsentView:
    """The beneficiary agrees that pseudonymised data of this bilan may go to the AI provider."""
    return _decide(actor, bilan_id, ConsentStatus.GIVEN, text_version[:20] or CONSENT_TEXT_VERSION)


def withdraw_consent(actor: Actor, bilan_id: uuid.UUID | str) -> ConsentView:
    """The beneficiary withdraws consent: from now on only the local engine runs for this bilan."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        row = _row(session, bilan)
        version = row.text_version if row is not None else CONSENT_TEXT_VERSION
    return _decide(actor, bilan_id, ConsentStatus.WITHDRAWN, version)


def refuse_consent(actor: Actor, bilan_id: uuid.UUID | str) -> ConsentView:
    """The beneficiary declines: nothing of this bilan goes to an external provider, the local engine serves.

    Recorded and audited like an agreement; she may accept later (and refuse again)."""
    return _decide(actor, bilan_id, ConsentStatus.REFUSED, CONSENT_TEXT_VERSION)
