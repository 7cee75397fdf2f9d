"""The organisation's AI settings and usage (org admins: ``Permission.MANAGE_AI``).

* any plan: the monthly token budget (empty: the platform default; 0: only the local engine runs);
* Enterprise plan: the provider override (base URL, model, API key). The key is stored
  Fernet-encrypted and never shown again: the screen gets "•••• 1234";
* the usage view: this month's tokens against the budget, the estimated cost, per feature, and the
  latest calls (metadata only). Failed calls are shown with their tokens, which the budget does not
  count (``services.llm.budget``);
* the provider's health: a warning when it fails repeatedly (``provider_health``).

Every change is audited (the key only as "set", "changed" or "cleared").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field
from sqlmodel import Session, col

from services import audit
from services.access import Actor, Permission, own_organisation, require, scoped
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.errors import FormError, ServiceError
from services.forms import validate_form
from services.i18n import TIMEZONE
from services.llm.actions import AiAction
from services.llm.budget import is_failure, month_start, monthly_budget, next_month_start, tokens_used
from services.llm.provider import DEFAULT_MODEL, organisation_settings, override_allowed, resolve_config
from services.models import AiOrganisationSettings, AiUsage, Organisation
from services.models.base import utcnow
from services.settings import get_settings

KEY_MASK = "••••"
# The provider "fails repeatedly" when, among its calls of the last HEALTH_WINDOW_DAYS, the latest
# HEALTH_STREAK all failed, or at least HEALTH_FAILURES of the latest HEALTH_RECENT did. One unusable
# run makes LLM_OUTPUT_ATTEMPTS failed calls (2 by default): a streak of 4 is two failed runs in a row.
HEALTH_RECENT = 10
HEALTH_FAILURES = 5
HEALTH_STREAK = 4
HEALTH_WINDOW_DAYS = 7


def key_hint(api_key: str) -> str:
    """What the screen shows of a key: "•••• 1234" (nothing at all for a short one)."""
    return f"{KEY_MASK} {api_key[-4:]}" if len(api_key) >= 12 else (KEY_MASK if api_key else "")


@dataclass(frozen=True)
class AiSettingsView:
    plan: str
    override_allowed: bool  # Enterprise plan
    platform_configured: bool
    platform_model: str
    base_url: str  # the organisation's override ("" = the platform's)
    model: str
    api_key_hint: str  # "•••• 1234", or "" without an own key
    monthly_token_budget: int
    budget_is_default: bool
    effective_source: str  # "platform", "organisation", or "" (no LLM: the local engine only)
    effective_model: str


def _organisation(session: Session, actor: Actor) -> Organisation:
    require(actor, Permission.MANAGE_AI)
    return own_organisation(session, actor)


def _settings_view(session: Session, organisation: Organisation) -> AiSettingsView:
    settings = get_settings()
    row = organisation_settings(session, organisation.id)
    budget, is_default = monthly_budget(session, organisation.id)
    config = resolve_config(session, organisation.id)
    return AiSettingsView(
        plan=str(organisation.plan),
        override_allowed=override_allowed(organisation),
        platform_configured=settings.llm_configured,
        platform_model=settings.llm_model or DEFAULT_MODEL,
        base_url=row.base_url if row else "",
        model=row.model if row else "",
        api_key_hint=key_hint(decrypt_text(row.api_key_encrypted)) if row and row.api_key_encrypted else "",
        monthly_token_budget=budget,
        budget_is_default=is_default,
        effective_source=config.source if config else "",
        effective_model=config.model if config else "",
    )


def get_ai_settings(actor: Actor) -> AiSettingsView:
    with session_scope() as session:
        return _settings_view(session, _organisation(session, actor))


def _blank_to_none(value: Any) -> Any:
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class AiSettingsForm(BaseModel):
    base_url: Annotated[str, BeforeValidator(_strip)] = Field("", max_length=300)
    model: Annotated[str, BeforeValidator(_strip)] = Field("", max_length=100)
    api_key: Annotated[str, BeforeValidator(_strip)] = Field("", max_length=500)  # "" keeps the stored key
    clear_api_key: bool = False
    monthly_token_budget: Annotated[int | None, BeforeValidator(_blank_to_none)] = Field(None, ge=0, le=10**10)


def _check_base_url(url: str) -> None:
    if not url:
        return
    allowed = ("https://",) if get_settings().is_production else ("https://", "http://")
    if not url.startswith(allowed) or len(url.split("://", 1)[1]) < 3:
        raise FormError({"base_url": "llm.error.base_url_invalid"})


def update_ai_settings(actor: Actor, raw: dict[str, Any]) -> AiSettingsView:
    """Change the budget (any plan) and the provider override (Enterprise only).

    The form sends every field: "" for base_url/model means the platform's value; an empty api_key keeps
    the stored key (``clear_api_key`` removes it); an empty budget means the platform default.
    """
    require(actor, Permission.MANAGE_AI)
    form = validate_form(AiSettingsForm, raw)
    _check_base_url(form.base_url)
    with session_scope() as session:
        organisation = _organisation(session, actor)
        row = organisation_settings(session, organisation.id)
        if row is None:
            row = AiOrganisationSettings(organisation_id=organisation.id)
        wants_override = bool(form.base_url or form.model or form.api_key)
        if wants_override and not override_allowed(organisation):
            raise ServiceError("llm.error.override_enterprise_only")
        before = {
            "base_url": row.base_url,
            "model": row.model,
            "monthly_token_budget": row.monthly_token_budget,
            "api_key": "set" if row.api_key_encrypted else None,
        }
        if override_allowed(organisation):  # below Enterprise the form has no such fields: keep them
            row.base_url = form.base_url
            row.model = form.model
        row.monthly_token_budget = form.monthly_token_budget
        key_change = None
        if form.api_key:
            key_change = "changed" if row.api_key_encrypted else "set"
            row.api_key_encrypted = encrypt_text(form.api_key)
        elif form.clear_api_key and row.api_key_encrypted:
            key_change = "cleared"
            row.api_key_encrypted = ""
        after = {
            "base_url": row.base_url,
            "model": row.model,
            "monthly_token_budget": row.monthly_token_budget,
            "api_key": key_change or before["api_key"],
        }
        row.updated_by = actor.user_id
        row.updated_at = utcnow()
        session.add(row)
        changes = audit.diff(before, after)
        if changes:
            audit.record(
                session,
                AiAction.SETTINGS_UPDATED,
                actor=actor,
                target_type="organisation",
                target_id=organisation.id,
                changes=changes,
            )
        session.flush()
        return _settings_view(session, organisation)


# ---------------------------------------------------------------- usage


@dataclass(frozen=True)
class FeatureUsage:
    feature: str
    calls: int
    tokens: int
    cost_estimate: float


@dataclass(frozen=True)
class UsageSummary:
    month: date  # the first day of the month (Paris time)
    budget: int
    used_tokens: int
    remaining: int
    calls: int
    failed_calls: int
    failed_tokens: int  # recorded, not counted in used_tokens
    cost_estimate: float  # euros, every call (the provider bills failed ones too)
    by_feature: list[FeatureUsage]


def usage_summary(actor: Actor, month: date | None = None) -> UsageSummary:
    """One month's usage of the organisation (the current month by default)."""
    with session_scope() as session:
        organisation = _organisation(session, actor)
        if month is None:
            start = month_start()
        else:
            start = datetime(month.year, month.month, 1, tzinfo=TIMEZONE).astimezone(UTC)
        end = next_month_start(start)
        budget, _ = monthly_budget(session, organisation.id)
        used = tokens_used(session, organisation.id, start, end)
        rows = session.exec(
            scoped(AiUsage, actor).where(col(AiUsage.created_at) >= start, col(AiUsage.created_at) < end)
        ).all()
        features: dict[str, list[AiUsage]] = {}
        for row in rows:
            features.setdefault(row.feature, []).append(row)
        failed = [row for row in rows if is_failure(row.outcome)]
        return UsageSummary(
            month=start.astimezone(TIMEZONE).date(),
            budget=budget,
            used_tokens=used,
            remaining=max(0, budget - used),
            calls=len(rows),
            failed_calls=len(failed),
            failed_tokens=sum(row.prompt_tokens + row.completion_tokens for row in failed),
            cost_estimate=round(sum(row.cost_estimate for row in rows), 4),
            by_feature=[_feature_usage(name, items) for name, items in sorted(features.items())],
        )


def _feature_usage(feature: str, rows: list[AiUsage]) -> FeatureUsage:
    """Every call of the feature and its estimated cost; the tokens the budget counts (no failed call's)."""
    return FeatureUsage(
        feature=feature,
        calls=len(rows),
        tokens=sum(row.prompt_tokens + row.completion_tokens for row in rows if not is_failure(row.outcome)),
        cost_estimate=round(sum(row.cost_estimate for row in rows), 4),
    )


@dataclass(frozen=True)
class UsageRow:
    id: str
    at: datetime
    bilan_id: str
    feature: str
    model: str
    outcome: str
    prompt_tokens: int
    completion_tokens: int
    cost_estimate: float
    duration_ms: int
    input_hash: str


def list_usage(actor: Actor, *, limit: int = 100) -> list[UsageRow]:
    """The organisation's latest provider calls, newest first (metadata only)."""
    with session_scope() as session:
        _organisation(session, actor)
        rows = session.exec(
            scoped(AiUsage, actor).order_by(col(AiUsage.created_at).desc()).limit(max(1, min(limit, 1000)))
        ).all()
        return [
            UsageRow(
                id=str(row.id),
                at=row.created_at,
                bilan_id=str(row.bilan_id) if row.bilan_id else "",
                feature=row.feature,
                model=row.model,
                outcome=row.outcome,
                prompt_tokens=row.prompt_tokens,
                completion_tokens=row.completion_tokens,
                cost_estimate=row.cost_estimate,
                duration_ms=row.duration_ms,
                input_hash=row.input_hash,
            )
            for row in rows
        ]


@dataclass(frozen=True)
class ProviderHealth:
    failing: bool  # the provider fails repeatedly: the screen warns the admin
    recent: int  # calls looked at (the latest HEALTH_RECENT of the window)
    failures: int  # failed among them
    streak: int  # failed calls in a row, from the latest one
    last_failure: UsageRow | None  # the latest failed call (its outcome says why)


def provider_health(actor: Actor) -> ProviderHealth:
    """Whether the organisation's provider fails repeatedly, from its latest calls (metadata only)."""
    since = utcnow() - timedelta(days=HEALTH_WINDOW_DAYS)
    latest = [row for row in list_usage(actor, limit=HEALTH_RECENT) if row.at >= since]
    failed = [row for row in latest if is_failure(row.outcome)]
    streak = next((index for index, row in enumerate(latest) if not is_failure(row.outcome)), len(latest))
    return ProviderHealth(
        failing=streak >= HEALTH_STREAK or len(failed) >= HEALTH_FAILURES,
        recent=len(latest),
        failures=len(failed),
        streak=streak,
        last_failure=failed[0] if failed else None,
    )
