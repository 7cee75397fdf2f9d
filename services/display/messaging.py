"""Rows of the bilan's conversation page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from services import routes
from services.i18n import format_datetime
from services.messaging import MessageView, TemplateView


class MessageRow(TypedDict):
    id: str
    author: str
    mine: bool
    body: str
    when: str
    edited: bool
    deleted: bool
    editable: bool
    read: bool  # my message, read by the other person
    attachment_name: str
    attachment_href: str


class TemplateRow(TypedDict):
    id: str
    title: str
    body: str


def message_rows(messages: Iterable[MessageView], locale: str) -> list[MessageRow]:
    """The conversation, oldest first, as the page shows it."""
    return [
        {
            "id": message.id,
            "author": message.author,
            "mine": message.mine,
            "body": message.body,
            "when": format_datetime(message.created_at, locale),
            "edited": message.edited,
            "deleted": message.deleted,
            "editable": message.editable,
            "read": message.read_by_other,
            "attachment_name": message.attachment_name,
            "attachment_href": routes.message_attachment(message.id) if message.attachment_name else "",
        }
        for message in messages
    ]


def template_rows(templates: Iterable[TemplateView]) -> list[TemplateRow]:
    """The consultant's templates, by title."""
    return [{"id": template.id, "title": template.title, "body": template.body} for template in templates]
