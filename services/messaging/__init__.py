"""The bilan's secure messaging (see ``conversation``) and what a message may carry (``attachments``)."""

from services.messaging.attachments import MAX_ATTACHMENT_BYTES, sniff
from services.messaging.conversation import (
    EDIT_MINUTES,
    MAX_MESSAGE_CHARS,
    ActivityView,
    MessageView,
    TemplateView,
    ThreadView,
    activity,
    delete,
    delete_template,
    edit,
    read_attachment,
    save_draft,
    save_template,
    send,
    templates,
    thread,
    unread_counts,
)
from services.messaging.live import Watch, made_by, wait_for_change, watch

__all__ = [
    "EDIT_MINUTES",
    "MAX_ATTACHMENT_BYTES",
    "MAX_MESSAGE_CHARS",
    "ActivityView",
    "MessageView",
    "TemplateView",
    "ThreadView",
    "Watch",
    "activity",
    "delete",
    "delete_template",
    "edit",
    "made_by",
    "read_attachment",
    "save_draft",
    "save_template",
    "send",
    "sniff",
    "templates",
    "thread",
    "unread_counts",
    "wait_for_change",
    "watch",
]
