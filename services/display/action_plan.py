"""Rows of the SMART action plan's page (the beneficiary's and the followers' routes)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TypedDict

from services import action_plan as plan
from services.i18n import format_datetime, translate

DATE_FORMAT = "d MMMM y"
HISTORY_DATE_FORMAT = "d MMM y HH:mm"


class ActionRow(TypedDict):
    """One action's card; ``deadline``, ``owner`` and ``link`` (raw values) fill the editor's form."""

    id: str
    number: str
    title: str
    description: str
    indicator: str
    means: str
    project_link: str
    deadline: str
    deadline_label: str
    owner: str
    owner_label: str
    status: str
    status_label: str
    link: str
    link_label: str
    complete: bool
    overdue: bool
    first: bool
    last: bool


class MilestoneRow(TypedDict):
    """A milestone under its action's card; ``label`` and ``due_on`` (ISO) fill the editor's form."""

    id: str
    label: str
    due_on: str
    text: str
    done: bool


class MilestoneFormRow(TypedDict):
    """A milestone row of the editor, as typed (``id`` empty for a new one)."""

    id: str
    label: str
    due_on: str


class MilestoneErrorRow(TypedDict):
    label: str
    due_on: str


class HistoryRow(TypedDict):
    date: str
    author: str
    role: str
    action: str
    change: str


class LinkOptionRow(TypedDict):
    value: str
    label: str


class LinkGroups(TypedDict):
    target: list[LinkOptionRow]
    course: list[LinkOptionRow]
    offer: list[LinkOptionRow]


class SuggestionRow(TypedDict):
    key: str
    title: str
    description: str
    source: str


EMPTY_MILESTONE: MilestoneFormRow = {"id": "", "label": "", "due_on": ""}


def date_label(value: date | None, locale: str) -> str:
    """A day as the plan says it ("12 mars 2026"); "" for none."""
    if value is None:
        return ""
    return format_datetime(datetime(value.year, value.month, value.day, 12, tzinfo=UTC), locale, DATE_FORMAT)


def gap_messages(gaps: Iterable[plan.SmartGap], locale: str) -> dict[str, str]:
    """The SMART gaps by form field (several on one field are joined), for the editor."""
    found: dict[str, list[str]] = {}
    for gap in gaps:
        found.setdefault(gap.field, []).append(gap.message(locale))
    return {name: " ".join(messages) for name, messages in found.items()}


def _action_row(action: plan.ActionView, index: int, last: int, locale: str) -> ActionRow:
    owner = translate(f"action_plan.owner.{action.owner.value}", locale)
    return {
        "id": action.id,
        "number": translate("action_plan.number", locale, number=index + 1),
        "title": action.title,
        "description": action.description,
        "indicator": action.indicator,
        "means": action.means,
        "project_link": action.project_link,
        "deadline": action.deadline.isoformat() if action.deadline else "",
        "deadline_label": (
            translate("action_plan.card.deadline", locale, date=date_label(action.deadline, locale))
            if action.deadline
            else translate("action_plan.card.no_deadline", locale)
        ),
        "owner": action.owner.value,
        "owner_label": translate("action_plan.card.owner", locale, owner=owner),
        "status": action.status.value,
        "status_label": translate(f"action_plan.status.{action.status.value}", locale),
        "link": action.link,
        "link_label": translate("action_plan.card.link", locale, label=action.link_label) if action.link_label else "",
        "complete": action.complete,
        "overdue": any(gap.code.endswith("deadline_past") for gap in action.gaps),
        "first": index == 0,
        "last": index == last,
    }


def milestone_rows(milestones: Iterable[plan.MilestoneView], locale: str) -> list[MilestoneRow]:
    """One action's milestones, each with its text ("Appeler le CHU, avant le 12 mars 2026")."""
    return [
        {
            "id": milestone.id,
            "label": milestone.label,
            "due_on": milestone.due_on.isoformat(),
            "text": translate(
                "action_plan.milestone_item", locale, label=milestone.label, date=date_label(milestone.due_on, locale)
            ),
            "done": milestone.done,
        }
        for milestone in milestones
    ]


def action_rows(
    actions: Sequence[plan.ActionView], locale: str
) -> tuple[list[ActionRow], list[list[str]], list[list[str]], list[list[MilestoneRow]]]:
    """One row per action and, at the same index, its missing parts, its hints and its milestones."""
    last = len(actions) - 1
    return (
        [_action_row(action, index, last, locale) for index, action in enumerate(actions)],
        [[gap.message(locale) for gap in action.gaps if gap.blocking] for action in actions],
        [[gap.message(locale) for gap in action.gaps if not gap.blocking] for action in actions],
        [milestone_rows(action.milestones, locale) for action in actions],
    )


def milestone_form_rows(rows: Iterable[MilestoneRow]) -> list[MilestoneFormRow]:
    """The editor's milestone rows of a saved action, from its card's milestone rows."""
    return [{"id": row["id"], "label": row["label"], "due_on": row["due_on"]} for row in rows]


def compact_milestones(rows: Iterable[Mapping[str, object]]) -> list[MilestoneFormRow]:
    """The editor's milestone rows without the blank ones (the server drops them too, so the
    positions of its errors match the rows left)."""
    return [
        {"id": str(row.get("id", "")), "label": str(row.get("label", "")), "due_on": str(row.get("due_on", ""))}
        for row in rows
        if str(row.get("label", "")).strip() or str(row.get("due_on", "")).strip()
    ]


def milestone_error_rows(errors: Mapping[str, str], count: int) -> list[MilestoneErrorRow]:
    """The server's errors of each of the editor's ``count`` milestone rows, at the row's index."""
    return [
        {
            "label": errors.get(f"milestones.{index}.label", ""),
            "due_on": errors.get(f"milestones.{index}.due_on", ""),
        }
        for index in range(count)
    ]


def _history_value(row: plan.PlanHistoryRow, value: str, locale: str) -> str:
    if not value:
        return translate("action_plan.history.empty_value", locale)
    if row.field == "status":
        return translate(f"action_plan.status.{value}", locale)
    if row.field == "owner":
        return translate(f"action_plan.owner.{value}", locale)
    if row.field == "deadline":
        try:
            return date_label(date.fromisoformat(value), locale)
        except ValueError:
            return value
    return value


def history_change(row: plan.PlanHistoryRow, locale: str) -> str:
    """``"Indicateur de réussite : (vide) → Deux entretiens"``, or what happened to the action."""
    before, after = _history_value(row, row.before, locale), _history_value(row, row.after, locale)
    if row.event in {"updated", "status"}:
        field = translate(f"action_plan.field.{row.field}", locale)
        return translate("action_plan.history.updated", locale, field=field, before=before, after=after)
    return translate(f"action_plan.history.{row.event}", locale, before=before, after=after)


def history_rows(rows: Iterable[plan.PlanHistoryRow], locale: str) -> list[HistoryRow]:
    """The plan's history table: when, who (and in which role), which action, what changed."""
    return [
        {
            "date": format_datetime(row.at, locale, HISTORY_DATE_FORMAT),
            "author": row.author,
            "role": translate(f"action_plan.history.by_{'consultant' if row.by_consultant else 'beneficiary'}", locale),
            "action": row.action_title,
            "change": history_change(row, locale),
        }
        for row in rows
    ]


def link_rows(options: Iterable[plan.LinkOption]) -> LinkGroups:
    """The link select's options, by group (targets, courses, offers)."""
    groups: LinkGroups = {"target": [], "course": [], "offer": []}
    by_group = {"target": groups["target"], "course": groups["course"], "offer": groups["offer"]}
    for option in options:
        if option.group in by_group:
            by_group[option.group].append({"value": option.value, "label": option.label})
    return groups


def suggestion_rows(found: Iterable[plan.PlanSuggestion], locale: str) -> list[SuggestionRow]:
    """The plan's suggested actions, each with where it comes from."""
    return [
        {
            "key": suggestion.key,
            "title": suggestion.title,
            "description": suggestion.description,
            "source": translate(f"action_plan.source.{suggestion.source}", locale),
        }
        for suggestion in found
    ]
