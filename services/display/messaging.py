"""Rows of the bilan's conversation page, and of its files among the bilan's documents."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from services import routes
from services.i18n import format_datetime, format_number, translate
from services.messaging import AttachmentView, MessageView, TemplateView


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


class AttachmentRow(TypedDict):
    id: str  # the message's id
    name: str
    size: str  # "820 Ko", "1,4 Mo"
    sender: str  # "Vous" for the reader's own files
    when: str
    href: str  # the download route (routes.message_attachment)


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


def file_size(size_bytes: int, locale: str) -> str:
    """A file's size as people read it: whole kilobytes under a megabyte (1 Ko at least), else megabytes
    with one decimal ("1,4 Mo")."""
    if size_bytes < 1024 * 1024:
        return translate("msg.size_kb", locale, size=format_number(max(1, -(-size_bytes // 1024)), locale))
    return translate("msg.size_mb", locale, size=format_number(round(size_bytes / (1024 * 1024), 1), locale))


def attachment_rows(files: Iterable[AttachmentView], locale: str) -> list[AttachmentRow]:
    """The conversation's files, newest first, as the documents tab and the messages page list them."""
    return [
        {
            "id": item.message_id,
            "name": item.filename,
            "size": file_size(item.size_bytes, locale),
            "sender": translate("msg.you", locale) if item.mine else item.sender,
            "when": format_datetime(item.sent_at, locale),
            "href": routes.message_attachment(item.message_id),
        }
        for item in files
    ]
