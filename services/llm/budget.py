"""The monthly token budget of an organisation: checked before a call, counted from the usage rows.

Only calls that served count: a validated answer ("ok") and the unusable answers that were asked again
within a run that then succeeded ("retried"). A run that never validated, or a call that errored,
is recorded with its tokens (the admin sees it) but is not charged to the organisation's budget.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from services.i18n import TIMEZONE
from services.llm.provider import organisation_settings
from services.models import AiUsage
from services.models.base import utcnow
from services.settings import get_settings


def month_start(now: datetime | None = None) -> datetime:
    """The start of the current calendar month in Paris time, as a UTC datetime."""
    local = (now or utcnow()).astimezone(TIMEZONE)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def next_month_start(start: datetime) -> datetime:
    local = start.astimezone(TIMEZONE)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return local.replace(year=year, month=month).astimezone(UTC)


# The usage rows' outcomes charged to the budget; every other outcome is a failed call.
BILLED_OUTCOMES = ("ok", "retried")


def is_failure(outcome: str) -> bool:
    return outcome not in BILLED_OUTCOMES


def monthly_budget(session: Session, organisation_id: uuid.UUID) -> tuple[int, bool]:
    """The organisation's budget in tokens, and whether it is the platform default."""
    row = organisation_settings(session, organisation_id)
    if row is not None and row.monthly_token_budget is not None:
        return row.monthly_token_budget, False
    return get_settings().llm_monthly_token_budget, True


def tokens_used(session: Session, organisation_id: uuid.UUID, since: datetime, until: datetime | None = None) -> int:
    query = select(func.coalesce(func.sum(AiUsage.prompt_tokens + AiUsage.completion_tokens), 0)).where(
        AiUsage.organisation_id == organisation_id,
        AiUsage.created_at >= since,
        col(AiUsage.outcome).in_(BILLED_OUTCOMES),
    )
    if until is not None:
        query = query.where(AiUsage.created_at < until)
    return int(session.exec(query).one())


def budget_allows(session: Session, organisation_id: uuid.UUID, estimated_tokens: int) -> bool:
    """True when this month's usage plus the call's estimated prompt still fits the budget."""
    budget, _ = monthly_budget(session, organisation_id)
    if budget <= 0:
        return False
    return tokens_used(session, organisation_id, month_start()) + estimated_tokens <= budget
