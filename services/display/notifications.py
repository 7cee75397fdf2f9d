"""Rows of the notification centre: the list and the mail preferences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from services.i18n import format_datetime, translate
from services.notifications import NotificationView, PreferenceView


class NotificationRow(TypedDict):
    id: str
    title: str
    path: str
    when: str
    unread: bool
    times: str  # "3 fois" when events of one thread were folded into the line, else ""


class PreferenceRow(TypedDict):
    kind: str
    label: str
    mode: str
    essential: bool


def notification_rows(views: Iterable[NotificationView], locale: str) -> list[NotificationRow]:
    """The person's notifications, newest first, as the list shows them."""
    return [
        {
            "id": view.id,
            "title": view.title,
            "path": view.path,
            "when": format_datetime(view.created_at, locale),
            "unread": not view.read,
            "times": translate("notif.times", locale, count=view.count) if view.count > 1 else "",
        }
        for view in views
    ]


def preference_rows(views: Iterable[PreferenceView], locale: str) -> list[PreferenceRow]:
    """One line per kind of event the person's role receives, with how it is mailed."""
    return [
        {
            "kind": view.kind,
            "label": translate(f"notif.kind.{view.kind}", locale),
            "mode": view.mode,
            "essential": view.essential,
        }
        for view in views
    ]
