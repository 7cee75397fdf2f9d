"""The bilan's conversation: her side in her space, her consultant's on the bilan, the admin's activity."""

from __future__ import annotations

from typing import Any

import reflex as rx

from components.forms import field_box, form_messages, input_value
from components.i18n import t, tf
from components.layout import loading, page_title, screen
from components.listing import list_or_empty
from components.messaging import attachment_table
from components.page import section
from components.tables import row_action
from services import routes
from services.filetypes import BROWSER_ACCEPT
from services.messaging import MAX_ATTACHMENT_BYTES, QUICK_REPLIES
from services.models import Role
from state.messaging import BODY_ID
from state.messaging import ConversationState as S

FILE_ID = "message-file"


def _error(name: str) -> rx.Component:
    return rx.cond(
        S.errors.contains(name), rx.text(S.errors[name], id=f"{name}-error", class_name="field-error", role="alert")
    )


def _message(item: rx.Var) -> rx.Component:
    editing = S.editing == item["id"]
    body = rx.cond(
        item["deleted"],
        rx.text(rx.el.em(t("msg.deleted")), class_name="muted"),
        rx.cond(
            editing,
            rx.form(
                field_box(
                    "edit-body",
                    t("msg.edit"),
                    rx.el.textarea(
                        default_value=item["body"], id="edit-body", name="edit_body", rows=3, class_name="field-input"
                    ),
                    _error("body"),
                ),
                rx.flex(
                    rx.button(t("msg.save"), type="submit", size="2"),
                    rx.button(t("msg.cancel"), type="button", variant="soft", size="2", on_click=S.cancel_edit),
                    spacing="2",
                ),
                on_submit=S.save_edit,
            ),
            rx.text(item["body"], class_name="message-body", white_space="pre-wrap"),
        ),
    )
    return rx.el.li(
        rx.flex(
            rx.text(rx.cond(item["mine"], t("msg.you"), item["author"]), weight="bold", size="2"),
            rx.text(
                item["when"],
                rx.cond(item["edited"] & ~item["deleted"], rx.el.span(" · ", t("msg.edited"))),
                rx.cond(item["read"], rx.el.span(" · ", t("msg.read"))),
                size="1",
                class_name="muted",
            ),
            spacing="2",
            align="baseline",
            wrap="wrap",
        ),
        body,
        rx.cond(
            item["attachment_name"] != "",
            rx.link(
                rx.icon("paperclip", size=14, aria_hidden="true"),
                " ",
                item["attachment_name"],
                href=item["attachment_href"],
                aria_label=tf("msg.download", name=item["attachment_name"].to(str)),
            ),
        ),
        rx.cond(
            item["editable"] & ~editing,
            rx.flex(
                row_action(t("msg.edit"), S.start_edit(item["id"])),
                row_action(t("msg.delete"), S.delete_message(item["id"]), danger=True),
                spacing="2",
            ),
        ),
        class_name=rx.cond(item["mine"], "message message-mine", "message"),
    )


READY_HINT_ID = "ready-texts-hint"
# On the composer's buttons, a press leaves the focus in the text box: no blur, so no draft save of the
# box's old text racing the button's own event (which carries the text).
KEEP_FOCUS = rx.prevent_default


def _insert_button(text: rx.Var, on_click: Any) -> rx.Component:
    """One ready-made text (a quick reply, a consultant's template), named by its words; its description says
    that a click adds it to the composer's text, to edit before sending."""
    return row_action(text, on_click, aria_describedby=READY_HINT_ID, on_mouse_down=KEEP_FOCUS)


def _insert_group(group_id: str, title_key: str, *buttons: rx.Component) -> rx.Component:
    """A labelled row of ready-made texts under the composer."""
    return rx.box(
        rx.text(t(title_key), id=group_id, size="2", weight="medium"),
        rx.flex(*buttons, spacing="2", wrap="wrap"),
        role="group",
        aria_labelledby=group_id,
        class_name="ready-texts",
    )


def _ready_texts(role: Role) -> rx.Component:
    """The role's quick replies, and the consultant's own templates (by title), as the same buttons."""
    typed = input_value(BODY_ID)
    quick = _insert_group(
        "quick-replies",
        "msg.quick.title",
        *[_insert_button(t(key), S.use_quick_reply(key, typed)) for key in QUICK_REPLIES[role]],
    )
    if role is not Role.CONSULTANT:
        return quick
    mine = rx.cond(
        S.templates.length() > 0,
        _insert_group(
            "template-inserts",
            "msg.templates_insert_title",
            rx.foreach(
                S.templates, lambda item: _insert_button(item["title"].to(str), S.use_template(item["id"], typed))
            ),
        ),
    )
    return rx.fragment(quick, mine)


def _composer(role: Role) -> rx.Component:
    dropzone = rx.upload.root(
        rx.flex(
            rx.button(t("msg.attach"), type="button", variant="soft", size="2"),
            rx.text(rx.selected_files(FILE_ID).join(", "), size="2"),
            spacing="3",
            align="center",
        ),
        id=FILE_ID,
        accept=BROWSER_ACCEPT,
        max_files=1,
        max_size=MAX_ATTACHMENT_BYTES,
        on_drop_rejected=S.attachment_rejected,
        no_keyboard=True,
    )
    dropzone.children[0].children[0].custom_attrs["aria-label"] = t("msg.attach")
    return rx.box(
        field_box(
            BODY_ID,
            t("msg.body"),
            rx.el.textarea(
                default_value=S.draft,
                key=S.draft_version,
                id=BODY_ID,
                rows=4,
                max_length=10_000,
                class_name="field-input",
                on_blur=S.save_draft,
                aria_describedby="message-body-hint",
            ),
            rx.text(t("msg.body_hint"), id="message-body-hint", size="1", class_name="field-hint"),
            _error("body"),
        ),
        _ready_texts(role),
        rx.text(t("msg.quick.hint"), id=READY_HINT_ID, size="1", class_name="field-hint"),
        dropzone,
        rx.text(t("msg.attach_hint"), size="1", class_name="field-hint"),
        _error("attachment"),
        rx.button(
            t("msg.send"),
            type="button",
            size="3",
            margin_top="0.5em",
            on_click=S.send(rx.upload_files(upload_id=FILE_ID), input_value(BODY_ID)),
            on_mouse_down=KEEP_FOCUS,
        ),
        class_name="message-composer",
    )


def _templates() -> rx.Component:
    def template(item: rx.Var) -> rx.Component:
        return rx.el.li(
            rx.flex(
                rx.text(item["title"], weight="medium"),
                row_action(
                    t("msg.delete"),
                    S.delete_template(item["id"]),
                    danger=True,
                    aria_label=tf("msg.delete_template", title=item["title"].to(str)),
                ),
                spacing="2",
                align="center",
                wrap="wrap",
            )
        )

    return section(
        "message-templates",
        t("msg.templates_title"),
        list_or_empty(S.templates, template, rx.text(t("msg.templates_empty")), class_name="plain-list"),
        rx.form(
            field_box(
                "template-title",
                t("msg.template_title"),
                rx.el.input(id="template-title", name="template_title", max_length=80, class_name="field-input"),
                _error("template_title"),
            ),
            field_box(
                "template-body",
                t("msg.template_body"),
                rx.el.textarea(id="template-body", name="template_body", rows=3, class_name="field-input"),
                _error("template_body"),
            ),
            rx.button(t("msg.template_add"), type="submit", variant="soft"),
            on_submit=S.save_template,
            reset_on_submit=True,
        ),
        level=2,
    )


def _attachments() -> rx.Component:
    """The conversation's files, newest first (kept live with the messages)."""
    return section(
        "message-attachments",
        t("msg.attachments_title"),
        rx.text(t("msg.attachments_intro"), size="2", class_name="muted"),
        attachment_table(S.attachments),
        level=2,
    )


def _conversation(consultant_side: bool) -> rx.Component:
    lead = tf("msg.lead_consultant", name=S.other_name) if consultant_side else t("msg.lead_beneficiary")
    role = Role.CONSULTANT if consultant_side else Role.BENEFICIARY
    return rx.box(
        page_title("msg.title"),
        rx.text(lead, class_name="lead"),
        form_messages(S.form_error, S.notice),
        rx.match(
            S.status,
            ("loading", loading()),
            ("none", rx.text(t("msg.none"))),
            ("activity", rx.text(S.activity_line)),
            rx.box(
                rx.el.section(
                    list_or_empty(S.messages, _message, rx.text(t("msg.empty")), class_name="message-list"),
                    aria_label=t("msg.thread_label"),
                ),
                rx.cond(S.can_write, _composer(role), rx.text(t("msg.closed"))),
                _attachments(),
                _templates() if consultant_side else rx.fragment(),
            ),
        ),
    )


@screen(routes.MESSAGES, on_load=S.load)
def messages_page() -> rx.Component:
    return _conversation(consultant_side=False)


@screen(routes.BILAN_MESSAGES, on_load=S.load)
def bilan_messages_page() -> rx.Component:
    return _conversation(consultant_side=True)
