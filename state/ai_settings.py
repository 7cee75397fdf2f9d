"""The org admin's AI page (``/admin/ia``): the engine in force, the budget and provider form, the usage.

The API key never enters the state (with Redis, the state is stored): it is an uncontrolled password
input read once from the submitted form, and the screen only ever gets its hint ("•••• 1234").
"""

from __future__ import annotations

import re
from typing import Any

import reflex as rx

from services.access import Actor, Permission
from services.display.ai import (
    EMPTY_ENGINE,
    EMPTY_USAGE,
    CallRow,
    EngineRow,
    FeatureUsageRow,
    MonthUsageRow,
    call_rows,
    engine_row,
    feature_rows,
    health_warning,
    month_usage_row,
    usage_bar_rows,
)
from services.display.charts import ChartRow
from services.llm import admin
from services.llm.admin import AiSettingsView
from state.session import FormMixin, SessionState, guarded

EMPTY_FORM = {"monthly_token_budget": "", "base_url": "", "model": ""}
KEY_INPUT_ID = "field-api_key"
CALLS_SHOWN = 20
_SPACES = re.compile(r"\s")  # "1 000 000" as a French admin types it (narrow and no-break spaces too)


# ---------------------------------------------------------------- the form (no reflex needed)


def form_values(view: AiSettingsView) -> dict[str, str]:
    """The form as stored: an empty budget is the platform default; below Enterprise there is no override."""
    own = view.override_allowed
    return {
        "monthly_token_budget": "" if view.budget_is_default else str(view.monthly_token_budget),
        "base_url": view.base_url if own else "",
        "model": view.model if own else "",
    }


# ---------------------------------------------------------------- the state


class AiSettingsState(FormMixin, SessionState):
    ai_form: dict[str, str] = dict(EMPTY_FORM)
    override_allowed: bool = False
    engine: EngineRow = EMPTY_ENGINE
    usage: MonthUsageRow = EMPTY_USAGE
    usage_bar: list[ChartRow] = []
    feature_usage: list[FeatureUsageRow] = []
    latest_calls: list[CallRow] = []
    provider_warning: str = ""  # the provider fails repeatedly
    confirm_clear: bool = False

    def _load(self, actor: Any, *, refill_form: bool = True) -> None:
        view = admin.get_ai_settings(actor)
        summary = admin.usage_summary(actor)
        self.override_allowed = view.override_allowed
        self.engine = engine_row(view, summary, self.locale)
        self.usage = month_usage_row(summary, self.locale)
        self.usage_bar = usage_bar_rows(summary, self.locale)
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

        self._apply(clear, "ai.settings.key_cleared")
        self._load(actor, refill_form=False)
        return None
