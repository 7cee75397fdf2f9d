"""Member-management widgets shared by the admin's users page and the consultant's home."""

from __future__ import annotations

import reflex as rx

from components.forms import field, field_box, form_messages, inline_form, select_control, submit
from components.i18n import label, t
from components.status import status_badge


def invite_form(state: type, roles: rx.Var | None = None, *, show_messages: bool = True) -> rx.Component:
    """The invitation form; with ``roles`` a role select is shown, otherwise it invites beneficiaries.

    ``show_messages=False`` when the page already shows the state's messages above.
    """
    role_input = (
        field_box(
            "field-role",
            t("invite.role"),
            select_control(
                rx.foreach(roles, lambda role: rx.el.option(label("role.", role), value=role)),
                id="field-role",
                name="role",
                default_value="consultant",
            ),
        )
        if roles is not None
        else rx.el.input(type="hidden", name="role", value="beneficiary")
    )
    return rx.box(
        rx.heading(t("invite.title"), as_="h2", size="5"),
        form_messages(state.form_error, state.notice) if show_messages else rx.fragment(),
        inline_form(
            field("email", "invite.email", state.errors, type="email", autocomplete="off"),
            role_input,
            submit("invite.submit"),
            on_submit=state.invite,
        ),
        class_name="panel",
    )


def invitation_status_badge(status: rx.Var) -> rx.Component:
    """An invitation's badge; an accepted one reads "active" (the person's account)."""
    return status_badge(
        "invitation", status, rx.cond(status == "accepted", t("status.active"), label("status.", status))
    )
