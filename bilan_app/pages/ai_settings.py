"""The org admin's AI page (``/admin/ia``): the engine in force, the budget and provider form, the usage."""

from __future__ import annotations

import reflex as rx

from components.charts import bar_chart
from components.feedback import confirm_dialog
from components.forms import bound_field, field, form_messages, submit
from components.i18n import label, t, tf
from components.layout import page_title, screen
from components.listing import text_row
from components.page import section
from components.tables import data_table
from services import routes
from state.ai_settings import AiSettingsState

S = AiSettingsState


def _field(name: str, label_key: str, help_key: str, **kwargs: object) -> rx.Component:
    return bound_field("ai", name, label_key, S.ai_form, S.errors, S.set_ai_field, help_key=help_key, **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the engine in force


def _engine() -> rx.Component:
    engine = S.engine
    model = engine["model"].to(str)
    return section(
        "ai-engine-title",
        t("ai.settings.engine_title"),
        rx.match(
            engine["source"],
            ("platform", rx.text(rx.el.strong(tf("ai.settings.engine_platform", model=model)))),
            ("organisation", rx.text(rx.el.strong(tf("ai.settings.engine_organisation", model=model)))),
            rx.box(
                rx.text(rx.el.strong(t("ai.settings.engine_local"))),
                rx.text(t("ai.settings.engine_local_help")),
            ),
        ),
        rx.cond(
            engine["budget_zero"],
            rx.callout(t("ai.settings.engine_budget_zero"), color_scheme="blue", margin_top="0.75em"),
        ),
        rx.cond(
            engine["budget_spent"],
            rx.callout(t("ai.settings.engine_budget_spent"), color_scheme="orange", margin_top="0.75em"),
        ),
        rx.cond(
            S.provider_warning != "",
            rx.callout(S.provider_warning, color_scheme="red", role="alert", margin_top="0.75em"),
        ),
        rx.text(
            t("admin.org_plan"),
            " : ",
            label("plan.", engine["plan"]),
            class_name="muted",
            margin_top="0.75em",
        ),
    )


# ---------------------------------------------------------------- the form


def _key_controls() -> rx.Component:
    hint = S.engine["key_hint"].to(str)
    clear = rx.fragment(
        rx.button(
            t("ai.settings.clear_key"),
            type="button",
            variant="soft",
            color_scheme="red",
            on_click=S.ask_clear_key,
        ),
        confirm_dialog(
            open=S.confirm_clear,
            title=t("ai.settings.clear_key"),
            description=t("ai.settings.clear_confirm"),
            confirm_label=t("ai.settings.clear_yes"),
            cancel_label=t("ai.settings.clear_cancel"),
            on_confirm=S.clear_key,
            on_cancel=S.cancel_clear_key,
        ),
    )
    return rx.box(
        rx.cond(
            hint != "",
            rx.flex(
                rx.text(tf("ai.settings.key_stored", hint=hint)), clear, gap="0.75rem", align="center", wrap="wrap"
            ),
            rx.text(t("ai.settings.key_none")),
        ),
        margin_bottom="0.75em",
    )


def _provider() -> rx.Component:
    return rx.cond(
        S.override_allowed,
        rx.el.fieldset(
            rx.el.legend(t("ai.settings.provider_title")),
            rx.text(t("ai.settings.provider_intro"), class_name="field-help"),
            _field("base_url", "ai.settings.base_url", "ai.settings.base_url_help", type="url"),
            _field("model", "ai.settings.model", "ai.settings.model_help"),
            _key_controls(),
            field(
                "api_key",
                "ai.settings.api_key",
                S.errors,
                type="password",
                autocomplete="new-password",
                required=False,
                help_key="ai.settings.api_key_help",
            ),
        ),
        rx.callout(t("ai.settings.enterprise_only"), color_scheme="gray", margin_bottom="1em"),
    )


def _form() -> rx.Component:
    budget_line = rx.cond(
        S.engine["budget_default"],
        tf("ai.settings.budget_is_default", budget=S.engine["budget"].to(str)),
        tf("ai.settings.budget_current", budget=S.engine["budget"].to(str)),
    )
    return section(
        "ai-form-title",
        t("ai.settings.form_title"),
        rx.el.form(
            _field("monthly_token_budget", "ai.settings.budget", "ai.settings.budget_help", input_mode="numeric"),
            rx.text(budget_line, class_name="muted", margin_bottom="1em"),
            _provider(),
            submit("ai.settings.save"),
            on_submit=S.save,
            reset_on_submit=False,
            aria_labelledby="ai-form-title",
        ),
    )


# ---------------------------------------------------------------- usage


def _feature_row(row: rx.Var) -> rx.Component:
    return text_row(row, "feature", "calls", "tokens", "cost")


def _call_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["date"]),
        rx.el.td(row["feature"]),
        rx.el.td(row["model"]),
        rx.el.td(rx.cond(row["failed"], rx.el.strong(row["outcome_label"]), row["outcome_label"])),
        rx.el.td(row["tokens"]),
        rx.el.td(row["cost"]),
        rx.el.td(row["duration"]),
    )


def _usage() -> rx.Component:
    usage = S.usage
    return section(
        "ai-usage-title",
        tf("ai.usage.title", month=usage["month"].to(str)),
        bar_chart(S.usage_bar, t("ai.usage.chart_title"), table=False),
        rx.el.dl(
            rx.el.dt(t("ai.usage.remaining")),
            rx.el.dd(usage["remaining"]),
            rx.el.dt(t("ai.usage.calls")),
            rx.el.dd(
                usage["calls"],
                " (",
                t("ai.usage.failed"),
                " ",
                usage["failed"],
                ")",
                rx.cond(usage["failed_tokens"] != "", rx.fragment(rx.el.br(), usage["failed_tokens"])),
            ),
            rx.el.dt(t("ai.usage.cost")),
            rx.el.dd(usage["cost"], rx.el.br(), rx.el.span(t("ai.usage.cost_note"), class_name="field-help")),
            class_name="definition-list",
            margin_top="1em",
        ),
        rx.heading(t("ai.usage.by_feature"), as_="h3", size="4", margin_y="0.5em"),
        data_table(
            "ai.usage.feature_table",
            ["ai.usage.col_feature", "ai.usage.col_calls", "ai.usage.col_tokens", "ai.usage.col_cost"],
            S.feature_usage,
            _feature_row,
            empty_key="ai.usage.no_feature",
        ),
        rx.heading(t("ai.usage.latest"), as_="h3", size="4", margin_y="0.5em"),
        data_table(
            "ai.usage.calls_table",
            [
                "ai.usage.col_date",
                "ai.usage.col_feature",
                "ai.usage.col_model",
                "ai.usage.col_outcome",
                "ai.usage.col_tokens",
                "ai.usage.col_cost",
                "ai.usage.col_duration",
            ],
            S.latest_calls,
            _call_row,
            empty_key="ai.usage.no_calls",
        ),
    )


def _ai_settings() -> rx.Component:
    return rx.box(
        page_title("ai.settings.title"),
        rx.text(t("ai.settings.intro"), margin_bottom="1em"),
        form_messages(S.form_error, S.notice),
        _engine(),
        _form(),
        _usage(),
    )


screen(routes.ADMIN_AI, on_load=S.load)(_ai_settings)
