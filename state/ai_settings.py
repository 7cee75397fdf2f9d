"""The org admin's AI page (``/admin/ia``): the engine in force, the budget and provider form, the usage.

The API key never enters the state (with Redis, the state is stored): it is an uncontrolled password
input read once from the submitted form, and the screen only ever gets its hint ("•••• 1234").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import reflex as rx

from services.access import Actor, Permission
from services.i18n import format_datetime, format_euros, format_month, format_number, translate
from services.llm import admin
from services.llm.admin import AiSettingsView, ProviderHealth, UsageRow, UsageSummary
from services.llm.budget import is_failure
from state.session import FormMixin, SessionState, guarded

EMPTY_FORM = {"monthly_token_budget": "", "base_url": "", "model": ""}
KEY_INPUT_ID = "field-api_key"
CALLS_SHOWN = 20
_SPACES = re.compile(r"\s")  # "1 000 000" as a French admin types it (narrow and no-break spaces too)


# ---------------------------------------------------------------- view builders (no reflex needed)


def form_values(view: AiSettingsView) -> dict[str, str]:
    """The form as stored: an empty budget is the platform default; below Enterprise there is no override."""
    own = view.override_allowed
    return {
        "monthly_token_budget": "" if view.budget_is_default else str(view.monthly_token_budget),
        "base_url": view.base_url if own else "",
        "model": view.model if own else "",
    }


def engine_view(view: AiSettingsView, summary: UsageSummary, locale: str) -> dict[str, str]:
    """Which engine answers now: "platform", "organisation" or "local", and why the local engine may take over."""
    budget = view.monthly_token_budget
    return {
        "source": view.effective_source or "local",
        "model": view.effective_model,
        "plan": view.plan,
        "budget_zero": "1" if view.effective_source and budget <= 0 else "",
        "budget_spent": "1" if view.effective_source and budget > 0 and summary.remaining <= 0 else "",
        "budget": format_number(budget, locale),
        "budget_default": "1" if view.budget_is_default else "",
        "key_hint": view.api_key_hint,
    }


def usage_view(summary: UsageSummary, locale: str) -> dict[str, str]:
    return {
        "month": format_month(f"{summary.month.year}-{summary.month.month:02d}", locale),
        "used": format_number(summary.used_tokens, locale),
        "remaining": format_number(summary.remaining, locale),
        "calls": format_number(summary.calls, locale),
        "failed": format_number(summary.failed_calls, locale),
        "failed_tokens": translate(
            "ai.usage.failed_tokens", locale, tokens=format_number(summary.failed_tokens, locale)
        )
        if summary.failed_tokens
        else "",
        "cost": format_euros(summary.cost_estimate, locale),
    }


def usage_bar(summary: UsageSummary, locale: str) -> list[dict[str, str]]:
    """This month's tokens against the budget, as one bar of components.charts (its text says it all)."""
    used = format_number(summary.used_tokens, locale)
    if summary.budget > 0:
        percent = format_number(round(summary.used_tokens * 100 / summary.budget, 1), locale)
        display = translate(
            "ai.usage.tokens_display", locale, used=used, budget=format_number(summary.budget, locale), percent=percent
        )
    else:
        display = translate("ai.usage.budget_zero_display", locale, used=used)
    return [
        {
            "label": translate("ai.usage.tokens_label", locale),
            "value": str(summary.used_tokens),
            "max": str(max(summary.budget, summary.used_tokens, 1)),
            "min": "0",
            "display": display,
        }
    ]


def feature_rows(summary: UsageSummary, locale: str) -> list[dict[str, str]]:
    return [
        {
            "feature": translate(f"llm.feature.{item.feature}", locale),
            "calls": format_number(item.calls, locale),
            "tokens": format_number(item.tokens, locale),
            "cost": format_euros(item.cost_estimate, locale),
        }
        for item in summary.by_feature
    ]


def outcome_label(outcome: str, locale: str) -> str:
    """Why a call failed, in words (an outcome the catalogue does not know reads as a generic error)."""
    label = translate(f"ai.usage.outcome.{outcome}", locale)
    return translate("ai.usage.outcome.error", locale) if label.startswith("ai.usage.") else label


def health_warning(health: ProviderHealth, locale: str) -> str:
    """The warning of a provider that fails repeatedly ("" when it does not)."""
    if not health.failing or health.last_failure is None:
        return ""
    return translate(
        "ai.settings.provider_failing",
        locale,
        failures=format_number(health.failures, locale),
        recent=format_number(health.recent, locale),
        date=format_datetime(health.last_failure.at, locale),
        reason=outcome_label(health.last_failure.outcome, locale),
    )


def call_rows(rows: Iterable[UsageRow], locale: str) -> list[dict[str, str]]:
    """The latest calls: metadata only (never a prompt or an answer)."""
    return [
        {
            "id": row.id,
            "date": format_datetime(row.at, locale),
            "feature": translate(f"llm.feature.{row.feature}", locale),
            "model": row.model,
            "outcome": row.outcome,
            "outcome_label": outcome_label(row.outcome, locale),
            "failed": "1" if is_failure(row.outcome) else "",
            "tokens": format_number(row.prompt_tokens + row.completion_tokens, locale),
            "cost": format_euros(row.cost_estimate, locale),
            "duration": translate(
                "ai.usage.seconds", locale, seconds=format_number(round(row.duration_ms / 1000, 1), locale)
            ),
        }
        for row in rows
    ]


# ---------------------------------------------------------------- the state


class AiSettingsState(FormMixin, SessionState):
    ai_form: dict[str, str] = dict(EMPTY_FORM)
    override_allowed: bool = False
    engine: dict[str, str] = {}
    usage: dict[str, str] = {}
    usage_bar: list[dict[str, str]] = []
    feature_usage: list[dict[str, str]] = []
    latest_calls: list[dict[str, str]] = []
    provider_warning: str = ""  # the provider fails repeatedly
    confirm_clear: bool = False

    def _load(self, actor: Any, *, refill_form: bool = True) -> None:
        view = admin.get_ai_settings(actor)
        summary = admin.usage_summary(actor)
        self.override_allowed = view.override_allowed
        self.engine = engine_view(view, summary, self.locale)
        self.usage = usage_view(summary, self.locale)
        self.usage_bar = usage_bar(summary, self.locale)
        self.feature_usage = feature_rows(summary, self.locale)
        self.latest_calls = call_rows(admin.list_usage(actor, limit=CALLS_SHOWN), self.locale)
        self.provider_warning = health_warning(admin.provider_health(actor), self.locale)
        if refill_form:
            self.ai_form = form_values(view)

    def _start(self) -> tuple[Any, Any]:
        """Fresh messages, no pending confirmation, and the session checked again."""
        self._reset_messages()
        self.confirm_clear = False
        return self._authorize(Permission.MANAGE_AI)

    @rx.event
    @guarded(_start)
    def load(self, actor: Actor) -> Any:
        self._load(actor)
        return None

    @rx.event
    def set_ai_field(self, name: str, value: str) -> None:
        if name in EMPTY_FORM:
            self.ai_form = {**self.ai_form, name: str(value)}

    @rx.event
    @guarded(_start)
    def save(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        raw: dict[str, Any] = {
            **self.ai_form,
            "monthly_token_budget": _SPACES.sub("", self.ai_form.get("monthly_token_budget", "")),
            # The key comes from the submitted form only; the service refuses it below Enterprise.
            "api_key": str(form_data.get("api_key", "")),
        }
        errors: dict[str, str] = {}
        ok, _ = self._run(lambda: admin.update_ai_settings(actor, raw), errors)
        if not ok:
            self.errors = errors  # the form keeps what was typed (the key stays in the browser's input)
            return None
        self.notice = self._t("ai.settings.saved")
        self._load(actor)
        return rx.set_value(KEY_INPUT_ID, "")

    @rx.event
    def ask_clear_key(self) -> None:
        self._reset_messages()
        self.confirm_clear = True

    @rx.event
    def cancel_clear_key(self) -> None:
        self.confirm_clear = False

    @rx.event
    @guarded(_start)
    def clear_key(self, actor: Actor) -> Any:

        def clear() -> AiSettingsView:
            # The stored values go back unchanged: only the key goes, whatever is being typed in the form.
            stored = form_values(admin.get_ai_settings(actor))
            return admin.update_ai_settings(actor, {**stored, "clear_api_key": True})

        ok, _ = self._run(clear)
        if ok:
            self.notice = self._t("ai.settings.key_cleared")
        self._load(actor, refill_form=False)
        return None
