"""Member-management widgets shared by the admin's users page and the consultant's home."""

from __future__ import annotations

import reflex as rx

from components.forms import field, form_messages, submit
from components.i18n import label, t


def invite_form(state: type, roles: rx.Var | None = None, *, show_messages: bool = True) -> rx.Component:
    """The invitation form; with ``roles`` a role select is shown, otherwise it invites beneficiaries.

    ``show_messages=False`` when the page already shows the state's messages above.
    """
    role_input = (
        rx.box(
            rx.el.label(t("invite.role"), html_for="field-role", class_name="field-label"),
            rx.el.select(
                rx.foreach(roles, lambda role: rx.el.option(label("role.", role), value=role)),
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
        form_messages(state.form_error, state.notice) if show_messages else rx.fragment(),
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
