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
    sms_possible: bool  # the kind may go by SMS and the platform sends SMS
    sms: bool
    sms_label: str  # the checkbox's accessible name: "Recevoir aussi par SMS : Séance planifiée"


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
    """One line per kind of event the person's role receives, with how it is mailed (and texted)."""
    rows: list[PreferenceRow] = []
    for view in views:
        label = translate(f"notif.kind.{view.kind}", locale)
        rows.append(
            {
                "kind": view.kind,
                "label": label,
                "mode": view.mode,
                "essential": view.essential,
                "sms_possible": view.sms_possible,
                "sms": view.sms,
                "sms_label": translate("notif.sms_label", locale, kind=label) if view.sms_possible else "",
            }
        )
    return rows
