"""The role homes: "Mon espace" for beneficiaries and "Mes bilans" for consultants."""

from __future__ import annotations

import reflex as rx

from components.forms import field, form_messages, submit
from components.i18n import t, tf
from components.layout import page_title, protected
from components.tables import data_table
from services import routes
from state.homes import BeneficiaryHomeState, ConsultantHomeState
from state.session import SessionState


def _beneficiary_home() -> rx.Component:
    return rx.box(
        page_title("beneficiary.title"),
        rx.heading(tf("beneficiary.welcome", name=SessionState.user_name), as_="h2", size="5"),
        rx.text(tf("beneficiary.lead", organisation=SessionState.organisation_name)),
        rx.callout(t("beneficiary.no_bilan"), color_scheme="blue", margin_y="1em"),
        rx.box(
            rx.heading(t("beneficiary.steps_title"), as_="h2", size="4"),
            rx.el.ol(
                rx.el.li(t("beneficiary.phase1")),
                rx.el.li(t("beneficiary.phase2")),
                rx.el.li(t("beneficiary.phase3")),
                class_name="steps",
            ),
            rx.text(t("beneficiary.duration"), weight="medium"),
            class_name="panel",
        ),
        rx.text(t("beneficiary.confidential"), size="2", class_name="muted", margin_top="1em"),
    )


rx.page(route=routes.BENEFICIARY_HOME, title="Mon espace · BilanCompetence.AI", on_load=BeneficiaryHomeState.load)(
    protected(routes.BENEFICIARY_HOME, _beneficiary_home)
)


def invite_form(state: type[ConsultantHomeState] | type, roles: rx.Var | None = None) -> rx.Component:
    """The invitation form; with ``roles`` a role select is shown, otherwise it invites beneficiaries."""
    role_input = (
        rx.box(
            rx.el.label(t("invite.role"), html_for="field-role", class_name="field-label"),
            rx.el.select(
                rx.foreach(roles, lambda role: rx.el.option(SessionState.messages["role." + role], value=role)),
                id="field-role",
                name="role",
                default_value="consultant",
                class_name="field-input",
            ),
            class_name="field",
        )
        if roles is not None
        else rx.el.input(type="hidden", name="role", value="beneficiary")
    )
    return rx.box(
        rx.heading(t("invite.title"), as_="h2", size="5"),
        form_messages(state.form_error, state.notice),
        rx.form(
            rx.flex(
                field("email", "invite.email", state.errors, type="email", autocomplete="off"),
                role_input,
                submit("invite.submit"),
                gap="3",
                align="end",
                wrap="wrap",
            ),
            on_submit=state.invite,
            reset_on_submit=False,
        ),
        class_name="panel",
    )


def invitation_status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("pending", rx.badge(t("status.pending"), color_scheme="blue")),
        ("expired", rx.badge(t("status.expired"), color_scheme="orange")),
        ("accepted", rx.badge(t("status.active"), color_scheme="green")),
        rx.badge(status),
    )


def _consultant_home() -> rx.Component:
    def row(item: rx.Var) -> rx.Component:
        return rx.el.tr(
            rx.el.td(item["email"]),
            rx.el.td(invitation_status_badge(item["status"])),
            rx.el.td(item["expires"]),
            rx.el.td(
                rx.cond(
                    item["status"] != "accepted",
                    rx.button(t("admin.resend"), size="1", variant="soft", type="button",
                              on_click=ConsultantHomeState.resend(item["id"])),
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
