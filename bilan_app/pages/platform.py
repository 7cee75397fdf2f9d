"""The platform operator's pages: organisations and the development outbox."""

from __future__ import annotations

import reflex as rx

from components.forms import form_messages
from components.i18n import t
from components.layout import page_title, screen
from components.status import status_badge
from components.tables import data_table
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
        rx.button(
            t("platform.retry"), on_click=PlatformState.retry_failed, variant="soft", type="button", margin_y="1em"
        ),
        rx.cond(
            PlatformState.outbox.length() > 0,
            rx.foreach(PlatformState.outbox, message),
            rx.text(t("platform.outbox_empty")),
        ),
    )


screen(routes.PLATFORM_OUTBOX, on_load=PlatformState.load_outbox)(_outbox)
