"""The consultant's home: "Mes bilans"."""

from __future__ import annotations

import reflex as rx

from components.i18n import t, tf
from components.layout import page_title, protected
from components.members import invitation_status_badge, invite_form
from components.tables import data_table
from services import routes
from state.homes import ConsultantHomeState
from state.session import SessionState


def _consultant_home() -> rx.Component:
    def row(item: rx.Var) -> rx.Component:
        return rx.el.tr(
            rx.el.td(item["email"]),
            rx.el.td(invitation_status_badge(item["status"])),
            rx.el.td(item["expires"]),
            rx.el.td(
                rx.cond(
                    item["status"] != "accepted",
                    rx.button(
                        t("admin.resend"),
                        size="1",
                        variant="soft",
                        type="button",
                        on_click=ConsultantHomeState.resend(item["id"]),
                    ),
                )
            ),
        )

    return rx.box(
        page_title("consultant.title"),
        rx.text(tf("consultant.lead", organisation=SessionState.organisation_name)),
        rx.callout(t("consultant.empty"), color_scheme="blue", margin_y="1em"),
        invite_form(ConsultantHomeState),
        rx.heading(t("consultant.beneficiaries"), as_="h2", size="5", margin_top="1em"),
        data_table(
            "consultant.beneficiaries",
            ["admin.col_email", "admin.col_status", "admin.col_expires", "admin.col_actions"],
            ConsultantHomeState.invited_rows,
            row,
        ),
    )


rx.page(route=routes.CONSULTANT_HOME, title="Mes bilans · BilanCompetence.AI", on_load=ConsultantHomeState.load)(
    protected(routes.CONSULTANT_HOME, _consultant_home)
)
