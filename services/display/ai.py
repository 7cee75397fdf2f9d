"""Rows of the AI screens: the consultant's AI panel (its proposals to review) and the org admin's AI
page (the engine in force, the month's usage, the latest calls)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from pydantic import BaseModel

from services.display.charts import ChartRow
from services.i18n import format_datetime, format_euros, format_month, format_number, translate
from services.llm.admin import AiSettingsView, ProviderHealth, UsageRow, UsageSummary
from services.llm.budget import is_failure
from services.llm.editing import TextLeaf, choices, list_item_type, walk_texts
from services.llm.review import ProposalView
from services.llm.schemas import OUTPUT_MODELS, AiFeature
from services.models import AiEngine

# ---------------------------------------------------------------- the AI panel


class ProposalRow(TypedDict):
    id: str
    feature: str
    subject: str
    engine: str
    status: str
    status_label: str
    created: str
    reviewable: bool
    editable: bool


class ContentBlockRow(TypedDict):
    """A piece of a proposal's content: ``kind`` "h" (heading), "p" (paragraph) or "li" (list item)."""

    kind: str
    text: str


class EditFieldRow(TypedDict):
    """A text of a proposal in the edit form: ``path`` in the content, the input's ``id``, a ``long`` text."""

    path: str
    id: str
    label: str
    value: str
    long: bool


def engine_label(engine: str, model: str, fallback_reason: str, locale: str) -> str:
    """Who made a proposal: the assistant and its model, or the local engine (said when it stood in)."""
    if engine == AiEngine.LLM:
        return translate("aipanel.made_by_llm", locale, model=model)
    if fallback_reason == "provider_failed":
        return translate("aipanel.made_by_local_after_failure", locale)
    return translate("aipanel.made_by_local", locale)


def field_label(leaf_fields: tuple[tuple[str, int], ...], locale: str) -> str:
    """ "Compétences 2 · Preuves 1" for the path competences.1.preuves.0."""
    return " · ".join(
        translate(f"aipanel.field.{name}", locale) + (f" {number}" if number else "") for name, number in leaf_fields
    )


def _value_label(value: str, locale: str) -> str:
    text = translate(f"aipanel.value.{value}", locale)
    return value if text.startswith("aipanel.") else text


def _item_text(model: type[BaseModel], item: dict[str, Any], locale: str) -> str:
    """One object of a list on one line: its label, then its other texts and choices, labelled."""
    leaves = list(walk_texts(model, item))
    if not leaves:
        return ""
    head, rest = leaves[0].value, leaves[1:]
    parts = [head]
    by_field: dict[str, list[str]] = {}
    for leaf in rest:
        by_field.setdefault(leaf.fields[0][0], []).append(leaf.value)
    parts += [
        f"{translate(f'aipanel.field.{name}', locale)} : {', '.join(values)}" for name, values in by_field.items()
    ]
    parts += [
        f"{translate(f'aipanel.field.{name}', locale)} : {_value_label(value, locale)}"
        for name, value in choices(model, item)
        if name != "cle"  # a section's key duplicates its title
    ]
    seances = item.get("seances")
    if isinstance(seances, list) and seances:
        parts.append(f"{translate('aipanel.field.seances', locale)} : {', '.join(str(n) for n in seances)}")
    return " — ".join(parts)


def content_blocks(feature: str, content: dict[str, Any], locale: str) -> list[ContentBlockRow]:
    """A proposal's content as headings, paragraphs and list items (kind "h", "p" or "li")."""
    model = OUTPUT_MODELS[AiFeature(feature)]
    blocks: list[ContentBlockRow] = []
    for name, info in model.model_fields.items():
        value = content.get(name)
        if isinstance(value, str) and value.strip():
            if name != next(iter(model.model_fields)):  # the first text needs no heading
                blocks.append({"kind": "h", "text": translate(f"aipanel.field.{name}", locale)})
            blocks.append({"kind": "p", "text": value})
        elif isinstance(value, list) and value:
            blocks.append({"kind": "h", "text": translate(f"aipanel.field.{name}", locale)})
            item_model = list_item_type(info.annotation)
            for item in value:
                if isinstance(item, dict) and isinstance(item_model, type) and issubclass(item_model, BaseModel):
                    blocks.append({"kind": "li", "text": _item_text(item_model, item, locale)})
                else:
                    blocks.append({"kind": "li", "text": str(item)})
    return blocks


def proposal_rows(views: Iterable[ProposalView], locale: str) -> list[ProposalRow]:
    """The bilan's proposals: what, about which métier, made by whom, its review status and what it allows."""
    return [
        {
            "id": view.id,
            "feature": translate(f"llm.feature.{view.feature}", locale),
            "subject": str(view.content.get("metier", "")),
            "engine": engine_label(view.engine, view.model, view.fallback_reason, locale),
            "status": view.status,
            "status_label": translate(f"llm.status.{view.status}", locale),
            "created": translate("aipanel.created", locale, date=format_datetime(view.created_at, locale)),
            "reviewable": view.reviewable,
            "editable": view.editable,
        }
        for view in views
    ]


def edit_field_rows(leaves: Iterable[TextLeaf], locale: str) -> list[EditFieldRow]:
    """The edit form's fields, one per text of the proposal, labelled by where it sits."""
    return [
        {
            "path": leaf.path,
            "id": "ai-edit-" + leaf.path.replace(".", "-"),
            "label": field_label(leaf.fields, locale),
            "value": leaf.value,
            "long": leaf.long,
        }
        for leaf in leaves
    ]


# ---------------------------------------------------------------- the org admin's AI page


class EngineRow(TypedDict):
    """Which engine answers now: ``source`` "platform", "organisation" or "local", and why the local
    engine may take over (``budget_zero``, ``budget_spent``)."""

    source: str
    model: str
    plan: str
    budget_zero: bool
    budget_spent: bool
    budget: str
    budget_default: bool
    key_hint: str


class MonthUsageRow(TypedDict):
    month: str
    remaining: str
    calls: str
    failed: str
    failed_tokens: str
    cost: str


class FeatureUsageRow(TypedDict):
    feature: str
    calls: str
    tokens: str
    cost: str


class CallRow(TypedDict):
    date: str
    feature: str
    model: str
    outcome_label: str
    failed: bool
    tokens: str
    cost: str
    duration: str


EMPTY_ENGINE: EngineRow = {
    "source": "",
    "model": "",
    "plan": "",
    "budget_zero": False,
    "budget_spent": False,
    "budget": "",
    "budget_default": False,
    "key_hint": "",
}
EMPTY_USAGE: MonthUsageRow = {"month": "", "remaining": "", "calls": "", "failed": "", "failed_tokens": "", "cost": ""}


def engine_row(view: AiSettingsView, summary: UsageSummary, locale: str) -> EngineRow:
    """Which engine answers now, and why the local engine may take over."""
    budget = view.monthly_token_budget
    return {
        "source": view.effective_source or "local",
        "model": view.effective_model,
        "plan": view.plan,
        "budget_zero": bool(view.effective_source) and budget <= 0,
        "budget_spent": bool(view.effective_source) and budget > 0 and summary.remaining <= 0,
        "budget": format_number(budget, locale),
        "budget_default": view.budget_is_default,
        "key_hint": view.api_key_hint,
    }


def month_usage_row(summary: UsageSummary, locale: str) -> MonthUsageRow:
    """The month's calls, failures, remaining tokens and cost, formatted for the locale."""
    return {
        "month": format_month(f"{summary.month.year}-{summary.month.month:02d}", locale),
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


def usage_bar_rows(summary: UsageSummary, locale: str) -> list[ChartRow]:
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


def feature_rows(summary: UsageSummary, locale: str) -> list[FeatureUsageRow]:
    """The month's usage by feature: calls, tokens and cost."""
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


def call_rows(rows: Iterable[UsageRow], locale: str) -> list[CallRow]:
    """The latest calls: metadata only (never a prompt or an answer)."""
    return [
        {
            "date": format_datetime(row.at, locale),
            "feature": translate(f"llm.feature.{row.feature}", locale),
            "model": row.model,
            "outcome_label": outcome_label(row.outcome, locale),
            "failed": is_failure(row.outcome),
            "tokens": format_number(row.prompt_tokens + row.completion_tokens, locale),
            "cost": format_euros(row.cost_estimate, locale),
            "duration": translate(
                "ai.usage.seconds", locale, seconds=format_number(round(row.duration_ms / 1000, 1), locale)
            ),
        }
        for row in rows
    ]
