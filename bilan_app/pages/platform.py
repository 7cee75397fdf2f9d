"""The platform operator's pages: organisations and the development outbox."""

from __future__ import annotations

import reflex as rx

from components.feedback import confirm_dialog
from components.forms import form_messages
from components.i18n import t, tf
from components.layout import page_title, screen
from components.status import status_badge
from components.tables import data_table, row_action
from services import routes
from state.platform import PlatformState


def _organisations() -> rx.Component:
    def row(item: rx.Var) -> rx.Component:
        return rx.el.tr(
            rx.el.td(item["name"]),
            rx.el.td(item["siret"]),
            rx.el.td(item["plan"]),
            rx.el.td(item["members"]),
            rx.el.td(item["created"]),
            rx.el.td(rx.cond(item["active"], t("status.active"), t("status.inactive"))),
        )

    return rx.box(
        page_title("platform.orgs_title"),
        rx.text(t("platform.orgs_lead")),
        data_table(
            "platform.orgs_title",
            [
                "admin.col_name",
                "admin.org_siret",
                "platform.col_plan",
                "platform.col_members",
                "platform.col_created",
                "admin.col_status",
            ],
            PlatformState.organisations,
            row,
        ),
    )


screen(routes.PLATFORM_ORGANISATIONS, on_load=PlatformState.load_organisations)(_organisations)


def _outbox() -> rx.Component:
    def message(item: rx.Var) -> rx.Component:
        return rx.el.article(
            rx.flex(
                rx.heading(item["subject"], as_="h2", size="3"),
                status_badge("mail", item["status"]),
                justify="between",
                spacing="2",
                wrap="wrap",
            ),
            rx.text(t("platform.col_to"), " : ", item["to"], " · ", item["date"], size="2"),
            rx.cond(item["error"] != "", rx.text(item["error"], class_name="field-error")),
            rx.el.pre(item["body"], class_name="mail-body"),
            class_name="panel outbox-message",
        )

    return rx.box(
        page_title("platform.outbox_title"),
        rx.text(t("platform.outbox_lead")),
        form_messages(PlatformState.form_error, PlatformState.notice),
        _dead_letters(),
        rx.heading(t("platform.outbox_title"), as_="h2", size="5", margin_top="1.5em"),
        rx.text(t("platform.retry_hint"), size="2"),
        rx.button(
            t("platform.retry"), on_click=PlatformState.retry_failed, variant="soft", type="button", margin_y="1em"
        ),
        rx.cond(
            PlatformState.outbox.length() > 0,
            rx.foreach(PlatformState.outbox, message),
            rx.text(t("platform.outbox_empty")),
        ),
    )


def _dead_letters() -> rx.Component:
    """The jobs that used up their attempts (PostgreSQL queue), with retry and a confirmed discard."""
    S = PlatformState

    def row(item: rx.Var) -> rx.Component:
        return rx.el.tr(
            rx.el.th(item["job"], scope="row"),
            rx.el.td(rx.el.code(item["arguments"])),
            rx.el.td(item["attempts"]),
            rx.el.td(item["failed"]),
            rx.el.td(
                rx.flex(
                    row_action(t("platform.dead_retry"), S.retry_dead_letter(item["id"])),
                    row_action(t("platform.dead_discard"), S.ask_discard(item["id"]), danger=True),
                    spacing="2",
                    wrap="wrap",
                )
            ),
        )

    return rx.el.section(
        rx.heading(t("platform.dead_title"), as_="h2", size="5", margin_top="1em"),
        rx.cond(
            S.queue_enabled,
            rx.box(
                rx.text(t("platform.dead_lead"), size="2"),
                data_table(
                    "platform.dead_caption",
                    [
                        "platform.dead_col_job",
                        "platform.dead_col_arguments",
                        "platform.dead_col_attempts",
                        "platform.dead_col_failed",
                        "platform.dead_col_actions",
                    ],
                    S.dead_letters,
                    row,
                    empty_key="platform.dead_empty",
                ),
            ),
            rx.text(t("platform.dead_embedded"), size="2"),
        ),
        confirm_dialog(
            open=S.discard_target != "",
            title=t("platform.dead_confirm_title"),
            description=tf("platform.dead_confirm_body", id=S.discard_target, job=S.discard_job),
            confirm_label=t("platform.dead_discard"),
            cancel_label=t("platform.dead_cancel"),
            on_confirm=S.confirm_discard,
            on_cancel=S.cancel_discard,
        ),
        aria_label=t("platform.dead_title"),
    )


screen(routes.PLATFORM_OUTBOX, on_load=PlatformState.load_outbox)(_outbox)
