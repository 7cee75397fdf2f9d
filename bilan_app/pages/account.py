"""The user's own account security page."""

from __future__ import annotations

from typing import Any

import reflex as rx

from components.account_fields import new_password_field
from components.forms import field, form_messages, submit
from components.i18n import t, tf
from components.layout import page_title, screen
from components.status import tone_badge
from components.tables import data_table, row_action
from services import routes
from state.account import ConsultantProfileState, SecurityState
from state.session import SessionState


def _two_factor() -> rx.Component:
    enrol = rx.box(
        rx.text(t("security.2fa_scan")),
        rx.image(
            src=SecurityState.qr_data_uri, alt=t("security.2fa_qr_alt"), width="220px", height="220px", class_name="qr"
        ),
        rx.text(t("security.2fa_secret"), " ", rx.code(SecurityState.totp_secret)),
        rx.form(
            field(
                "code", "security.2fa_code", SecurityState.errors, autocomplete="one-time-code", input_mode="numeric"
            ),
            submit("security.2fa_confirm"),
            on_submit=SecurityState.confirm_enrolment,
            reset_on_submit=True,
            class_name="stack",
        ),
    )
    codes = rx.box(
        rx.heading(t("security.2fa_codes_title"), as_="h3", size="4"),
        rx.text(t("security.2fa_codes_help")),
        rx.el.ul(
            rx.foreach(SecurityState.new_recovery_codes, lambda code: rx.el.li(rx.code(code))),
            class_name="recovery-codes",
        ),
        class_name="panel",
        role="status",
    )
    disable = rx.form(
        field(
            "password",
            "security.2fa_disable_password",
            SecurityState.errors,
            type="password",
            autocomplete="current-password",
        ),
        rx.button(t("security.2fa_disable"), type="submit", color_scheme="red", variant="soft"),
        on_submit=SecurityState.disable,
        reset_on_submit=True,
        class_name="stack",
    )
    return rx.box(
        rx.heading(t("security.2fa_title"), as_="h2", size="5"),
        rx.cond(
            SecurityState.two_factor_enabled,
            rx.box(
                rx.text(tf("security.2fa_on", count=SecurityState.recovery_codes_left.to_string())),
                rx.cond(SecurityState.new_recovery_codes.length() > 0, codes),
                disable,
            ),
            rx.box(
                rx.text(t("security.2fa_off")),
                rx.cond(
                    SecurityState.enrolling,
                    enrol,
                    rx.button(t("security.2fa_start"), on_click=SecurityState.start_enrolment, type="button"),
                ),
            ),
        ),
        class_name="panel",
    )


def _sessions() -> rx.Component:
    def row(item: rx.Var) -> rx.Component:
        return rx.el.tr(
            rx.el.td(item["device"]),
            rx.el.td(item["ip"]),
            rx.el.td(item["started"]),
            rx.el.td(item["last_seen"]),
            rx.el.td(
                rx.cond(
                    item["current"],
                    tone_badge(t("security.current_session"), "success", "monitor-check"),
                    row_action(t("security.revoke"), SecurityState.revoke(item["id"]), danger=True),
                )
            ),
        )

    return rx.box(
        rx.heading(t("security.sessions_title"), as_="h2", size="5"),
        data_table(
            "security.sessions_title",
            [
                "security.col_device",
                "security.col_ip",
                "security.col_started",
                "security.col_last_seen",
                "admin.col_actions",
            ],
            SecurityState.sessions,
            row,
        ),
        rx.button(
            t("security.revoke_others"),
            on_click=SecurityState.revoke_others,
            variant="soft",
            type="button",
            margin_top="1em",
        ),
        class_name="panel",
    )


def _password() -> rx.Component:
    return rx.box(
        rx.heading(t("security.password_title"), as_="h2", size="5"),
        rx.form(
            field(
                "current_password",
                "security.current_password",
                SecurityState.errors,
                type="password",
                autocomplete="current-password",
            ),
            new_password_field("new_password", "security.new_password", SecurityState.errors),
            submit("security.password_submit"),
            on_submit=SecurityState.change_password,
            reset_on_submit=False,
            class_name="stack",
        ),
        class_name="panel",
    )


def _consultant_profile() -> rx.Component:
    state = ConsultantProfileState

    def profile_field(name: str, **props: Any) -> rx.Component:
        """A field of the public profile (label ``profile.<name>``), filled with what it holds now."""
        return field(
            name, f"profile.{name}", state.errors, required=False, default_value=state.profile[name].to(str), **props
        )

    return rx.cond(
        SessionState.role == "consultant",
        rx.box(
            rx.heading(t("profile.title"), as_="h2", size="5"),
            rx.text(t("profile.lead"), size="2", class_name="muted"),
            form_messages(state.form_error, state.notice),
            rx.form(
                profile_field("headline"),
                profile_field("specialities", help_key="profile.specialities_help"),
                profile_field("availability"),
                submit("common.save"),
                on_submit=state.save,
                reset_on_submit=False,
                key=state.profile_version,
                class_name="stack",
            ),
            class_name="panel",
        ),
    )


def _security() -> rx.Component:
    return rx.box(
        page_title("security.title"),
        rx.cond(
            SessionState.must_enrol_2fa,
            rx.callout(t("security.must_enrol"), color_scheme="orange", role="alert", margin_bottom="1em"),
        ),
        form_messages(SecurityState.form_error, SecurityState.notice),
        rx.flex(_consultant_profile(), _two_factor(), _sessions(), _password(), direction="column", spacing="4"),
    )


screen(routes.ACCOUNT_SECURITY, on_load=[SecurityState.load, ConsultantProfileState.load])(_security)
