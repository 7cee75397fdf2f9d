"""The bilan conversation's files, listed where the bilan's documents are (the consultant's documents tab,
her messages page): name and download link, size, who sent it, when."""

from __future__ import annotations

import reflex as rx

from components.downloads import file_link
from components.i18n import tf
from components.tables import data_table


def attachment_table(rows: rx.Var) -> rx.Component:
    """``rows``: ``services.display.messaging.AttachmentRow`` items, newest first."""

    def row(item: rx.Var) -> rx.Component:
        name = item["name"].to(str)
        return rx.el.tr(
            rx.el.th(
                file_link(item["href"].to(str), name, "paperclip", aria_label=tf("msg.download", name=name)),
                scope="row",
            ),
            rx.el.td(item["size"]),
            rx.el.td(item["sender"]),
            rx.el.td(item["when"]),
        )

    return data_table(
        "msg.attachments_table",
        ["msg.col.file", "msg.col.size", "msg.col.sender", "msg.col.date"],
        rows,
        row,
        empty_key="msg.attachments_empty",
    )
